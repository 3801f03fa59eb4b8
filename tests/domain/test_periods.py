"""Semesters and school years at their edges."""

from datetime import date

import pytest

from domain.errors import DateOutOfRangeError, InvalidPeriodError
from domain.periods import SchoolYear, Semester, Term, check_in_range, school_year_of, semester_of
from tests.domain.support import assert_renders, raises

AUTUMN_2022 = Semester(2022, Term.AUTUMN)
SPRING_2023 = Semester(2023, Term.SPRING)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 8, 31), None),
        (date(2022, 9, 1), AUTUMN_2022),
        (date(2022, 12, 31), AUTUMN_2022),
        (date(2023, 1, 1), AUTUMN_2022),
        (date(2023, 1, 31), AUTUMN_2022),
        (date(2023, 2, 1), SPRING_2023),
        (date(2023, 7, 31), SPRING_2023),
        (date(2023, 8, 1), None),
    ],
)
def test_semester_of_a_day_follows_the_calendar_and_august_is_a_break(
    day: date, expected: Semester | None
) -> None:
    assert semester_of(day) == expected


@pytest.mark.parametrize(
    ("day", "start_year"),
    [
        (date(2022, 8, 31), 2021),
        (date(2022, 9, 1), 2022),
        (date(2022, 12, 31), 2022),
        (date(2023, 1, 1), 2022),
        (date(2023, 7, 31), 2022),
        (date(2023, 8, 1), 2022),
        (date(2023, 8, 31), 2022),
        (date(2023, 9, 1), 2023),
    ],
)
def test_school_year_of_a_day_runs_september_to_august(day: date, start_year: int) -> None:
    assert school_year_of(day) == SchoolYear(start_year)


def test_school_year_has_its_code_and_bounds() -> None:
    year = SchoolYear(2022)
    assert year.code == "2022-2023"
    assert (year.starts_on, year.ends_on) == (date(2022, 9, 1), date(2023, 8, 31))
    assert year.contains(date(2022, 9, 1))
    assert year.contains(date(2023, 8, 31))
    assert not year.contains(date(2022, 8, 31))
    assert not year.contains(date(2023, 9, 1))


def test_autumn_semester_runs_from_september_to_january_of_the_next_year() -> None:
    assert AUTUMN_2022.code == "2022-autumn"
    assert (AUTUMN_2022.starts_on, AUTUMN_2022.ends_on) == (date(2022, 9, 1), date(2023, 1, 31))
    assert AUTUMN_2022.contains(date(2023, 1, 31))
    assert not AUTUMN_2022.contains(date(2023, 2, 1))
    assert not AUTUMN_2022.contains(date(2022, 8, 31))


def test_spring_semester_runs_from_february_to_july() -> None:
    assert SPRING_2023.code == "2023-spring"
    assert (SPRING_2023.starts_on, SPRING_2023.ends_on) == (date(2023, 2, 1), date(2023, 7, 31))
    assert SPRING_2023.contains(date(2023, 2, 1))
    assert SPRING_2023.contains(date(2023, 7, 31))
    assert not SPRING_2023.contains(date(2023, 1, 31))
    assert not SPRING_2023.contains(date(2023, 8, 1))


def test_autumn_and_the_following_spring_share_a_school_year() -> None:
    assert AUTUMN_2022.school_year == SchoolYear(2022)
    assert SPRING_2023.school_year == SchoolYear(2022)
    assert Semester(2022, Term.SPRING).school_year == SchoolYear(2021)


def test_every_day_of_a_semester_is_in_its_school_year() -> None:
    for semester in (AUTUMN_2022, SPRING_2023):
        assert semester.school_year.contains(semester.starts_on)
        assert semester.school_year.contains(semester.ends_on)


def test_semesters_sort_by_time_not_by_term_name() -> None:
    spring_2022 = Semester(2022, Term.SPRING)
    assert sorted([SPRING_2023, AUTUMN_2022, spring_2022]) == [
        spring_2022,
        AUTUMN_2022,
        SPRING_2023,
    ]
    assert spring_2022 < AUTUMN_2022 < SPRING_2023
    assert Semester(2022, Term.AUTUMN) <= AUTUMN_2022 <= Semester(2022, Term.AUTUMN)
    assert SPRING_2023 > AUTUMN_2022


def test_school_years_sort_by_start_year() -> None:
    assert sorted([SchoolYear(2023), SchoolYear(2022)]) == [SchoolYear(2022), SchoolYear(2023)]


@pytest.mark.parametrize("period", [SchoolYear(2022), SchoolYear(2000), SchoolYear(2099)])
def test_school_year_code_parses_back(period: SchoolYear) -> None:
    assert SchoolYear.parse(period.code) == period


@pytest.mark.parametrize(
    "period", [AUTUMN_2022, SPRING_2023, Semester(2000, Term.SPRING), Semester(2099, Term.AUTUMN)]
)
def test_semester_code_parses_back(period: Semester) -> None:
    assert Semester.parse(period.code) == period


@pytest.mark.parametrize(
    "code",
    [
        "",
        "2022",
        "2022-2022",
        "2022-2024",
        "2023-2022",
        "1999-2000",
        "2100-2101",
        " 2022-2023",
        "2022-2023 ",
        "2022/2023",
        "22-23",
        "\uff12\uff10\uff12\uff12-\uff12\uff10\uff12\uff13",  # full-width digits
        "2022-autumn",
    ],
)
def test_malformed_school_year_code_is_refused(code: str) -> None:
    with pytest.raises(InvalidPeriodError) as caught:
        SchoolYear.parse(code)
    assert caught.value.params == {"value": code}
    assert_renders(caught.value)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "2022",
        "2022-Autumn",
        "2022-AUTUMN",
        "2022-fall",
        "2022-summer",
        "2022autumn",
        "1999-autumn",
        "2100-spring",
        "2022-autumn\n",
        "\uff12\uff10\uff12\uff12-autumn",  # full-width digits
        "2022-2023",
    ],
)
def test_malformed_semester_code_is_refused(code: str) -> None:
    with pytest.raises(InvalidPeriodError) as caught:
        Semester.parse(code)
    assert caught.value.params == {"value": code}
    assert_renders(caught.value)


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(2100, 1, 1), date(1, 1, 1)])
def test_a_date_outside_2000_to_2099_is_refused(day: date) -> None:
    with raises(DateOutOfRangeError, field="held_on", date=day.isoformat()):
        check_in_range("held_on", day)


@pytest.mark.parametrize("day", [date(2000, 1, 1), date(2099, 12, 31), None])
def test_dates_from_2000_to_2099_and_no_date_are_accepted(day: date | None) -> None:
    check_in_range("ends_on", day)
