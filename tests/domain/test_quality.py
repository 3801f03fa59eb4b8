"""Quality test sittings (教学质量检测): scope, results in range, corrections, analyses."""

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.codes import SchoolLocation, SittingKind, Subject
from domain.errors import InvalidValueError
from domain.quality.errors import (
    DuplicateResultError,
    DuplicateSittingItemError,
    GradeRangeError,
    NoResultsError,
    RatesOrderError,
    ResultOutsideSittingError,
    ResultRangeError,
    ResultRecordedError,
    SittingInFutureError,
    SittingSchoolClosedError,
    SittingSchoolError,
    SittingScopeError,
    TooPreciseError,
)
from domain.quality.sitting import Result, Sitting, hundredths
from tests.domain.support import CLERK, TODAY, community, raises, rebuilt, school

LEAD = school("CG-01", location=SchoolLocation.URBAN)
VILLAGE = school("CZ-03")
OUTSIDER = school("QS-09")
GROUP = community(LEAD, (VILLAGE,))


def sitting(**changes: Any) -> Sitting:
    values: dict[str, Any] = {
        "id": UUID(int=0x5E01),
        "kind": SittingKind.JOINT,
        "title": "2022学年第二学期期末联考",
        "held_on": date(2023, 6, 25),
        "grades": (4, 5),
        "subjects": (Subject.CHINESE, Subject.MATH),
        "schools": (LEAD, VILLAGE),
        "community": GROUP,
        "today": TODAY,
        "by": CLERK,
    }
    values.update(changes)
    return Sitting.hold(**values)


def result(**changes: Any) -> Result:
    values: dict[str, Any] = {
        "school_id": VILLAGE.id,
        "subject": Subject.MATH,
        "grade": 4,
        "students": 42,
        "pass_rate": 9286,
        "good_rate": 6190,
        "mean": 8325,
        "full_marks": 100,
    }
    values.update(changes)
    return Result(**values)


def test_results_are_recorded_then_replaced_only_with_a_reason() -> None:
    found = sitting()
    found.record_results([result(), result(school_id=LEAD.id)], "", by=CLERK)
    with raises(ResultRecordedError, school_id=VILLAGE.id, grade=4):
        found.record_results([result(mean=8400)], "", by=CLERK)
    found.record_results([result(mean=8400)], "登分错误", by=CLERK)
    found.record_analysis(VILLAGE.id, "四年级数学合格率较上学期提高", by=CLERK)
    found.record_analysis(None, "联考总体分析", by=CLERK)
    again = rebuilt(Sitting, found.collect_events())
    assert again.results[(VILLAGE.id, Subject.MATH, 4)].mean == 8400
    assert len(again.results) == 2
    assert again.analyses == [(VILLAGE.id, "四年级数学合格率较上学期提高"), (None, "联考总体分析")]


def test_a_result_is_for_the_sittings_schools_subjects_and_grades_and_in_range() -> None:
    found = sitting()
    with raises(NoResultsError):
        found.record_results([], "", by=CLERK)
    for changes, field in (
        ({"school_id": OUTSIDER.id}, "school_id"),
        ({"subject": Subject.ENGLISH}, "subject"),
        ({"grade": 6}, "grade"),
    ):
        with raises(ResultOutsideSittingError, field=field):
            found.record_results([result(**changes)], "", by=CLERK)
    for changes, field in (
        ({"students": 0}, "students"),
        ({"pass_rate": 10001}, "pass_rate"),
        ({"good_rate": -1}, "good_rate"),
        ({"mean": 12001, "full_marks": 120}, "mean"),
        ({"full_marks": 0, "mean": 0}, "full_marks"),
    ):
        with raises(ResultRangeError, field=field):
            found.record_results([result(**changes)], "", by=CLERK)
    with raises(RatesOrderError, good_rate=93.0, pass_rate=92.86):
        found.record_results([result(good_rate=9300)], "", by=CLERK)
    with raises(DuplicateResultError, school_id=VILLAGE.id):
        found.record_results([result(), result(students=40)], "", by=CLERK)
    with raises(ResultOutsideSittingError, field="school_id"):
        found.record_analysis(OUTSIDER.id, "text", by=CLERK)
    with raises(InvalidValueError, field="analysis_text", reason="blank"):
        found.record_analysis(None, " ", by=CLERK)
    assert found.results == {}


def test_a_sitting_names_its_scope_once_on_a_day_gone_by() -> None:
    with raises(SittingScopeError, missing="subjects"):
        sitting(subjects=())
    with raises(SittingScopeError, missing="second_school"):
        sitting(schools=(VILLAGE,))
    assert sitting(kind=SittingKind.MIDTERM, schools=(VILLAGE,)).school_ids == (VILLAGE.id,)
    with raises(GradeRangeError, grade=13):
        sitting(grades=(13,))
    with raises(DuplicateSittingItemError, field="grades", value=4):
        sitting(grades=(4, 4))
    with raises(SittingInFutureError, day=date(2023, 7, 1)):
        sitting(held_on=date(2023, 7, 1))
    with raises(SittingSchoolError, school_id=OUTSIDER.id):
        sitting(schools=(LEAD, OUTSIDER))
    assert sitting(schools=(LEAD, OUTSIDER), community=None).community_id is None
    closed = school("CZ-05")
    closed.close(date(2023, 3, 1), "merged", by=CLERK)
    with raises(SittingSchoolClosedError, school_id=closed.id):
        sitting(schools=(LEAD, closed), community=None)


@pytest.mark.parametrize(
    ("given", "expected"), [(92.86, 9286), (100, 10000), (0.1, 10), (83.25, 8325)]
)
def test_figures_with_two_decimals_are_exact_hundredths(given: float, expected: int) -> None:
    assert hundredths("pass_rate", given) == expected


def test_a_third_decimal_is_refused() -> None:
    with raises(TooPreciseError, field="mean", value=83.255):
        hundredths("mean", 83.255)
