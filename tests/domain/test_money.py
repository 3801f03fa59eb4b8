"""Money entries (经费与补助) in fen, and annual commendations (表彰) with their basis."""

from datetime import date
from typing import Any
from uuid import UUID

from domain.codes import CommendationKind, MoneyKind, SchoolLocation
from domain.commendation.commendation import Commendation
from domain.commendation.errors import (
    CommendationInFutureError,
    CommendationRevokedError,
    CommendationYearError,
    CommendedError,
)
from domain.errors import DateOutOfRangeError, InvalidValueError
from domain.money.entry import MAX_FEN, Entry
from domain.money.errors import (
    AmountRangeError,
    EntryDateError,
    EntryPayeeError,
    EntryReversedError,
    EntryYearError,
)
from tests.domain.support import CLERK, TODAY, community, raises, rebuilt, school

LEAD = school("CG-01", location=SchoolLocation.URBAN)
VILLAGE = school("CZ-03")
GROUP = community(LEAD, (VILLAGE,))
TEACHER = UUID(int=0x7E01)


def funding(**changes: Any) -> Entry:
    values: dict[str, Any] = {
        "id": UUID(int=0x4E01),
        "kind": MoneyKind.FUNDING,
        "amount_fen": 1_000_000,  # ¥10,000
        "school": LEAD,
        "community": GROUP,
        "teacher_id": None,
        "month": None,
        "year": 2023,
        "paid_on": date(2023, 3, 1),
        "note": "县教共体工作经费",
        "today": TODAY,
        "by": CLERK,
    }
    values.update(changes)
    return Entry.record(**values)


def subsidy(**changes: Any) -> Entry:
    values: dict[str, Any] = {
        "kind": MoneyKind.SUBSIDY,
        "amount_fen": 20_000,  # ¥200
        "teacher_id": TEACHER,
        "month": date(2023, 3, 1),
        "year": None,
        "community": None,
        **changes,
    }
    return funding(**values)


def test_funding_goes_to_the_lead_school_and_a_subsidy_to_a_person_for_a_month() -> None:
    paid = funding()
    assert (paid.amount_fen, paid.year, paid.school_id) == (1_000_000, 2023, LEAD.id)
    monthly = subsidy(school=VILLAGE)
    assert (monthly.year, monthly.month, monthly.teacher_id) == (2023, date(2023, 3, 1), TEACHER)
    assert funding(year=None).year == 2023  # the year it was paid
    for changes, rule in (
        ({"community": None}, "community_required"),
        ({"school": VILLAGE}, "not_lead_school"),
        ({"teacher_id": TEACHER}, "teacher_not_allowed"),
        ({"month": date(2023, 3, 1)}, "month_not_allowed"),
    ):
        with raises(EntryPayeeError, rule=rule):
            funding(**changes)
    with raises(EntryPayeeError, rule="teacher_required"):
        subsidy(teacher_id=None)
    with raises(EntryPayeeError, rule="month_required"):
        subsidy(month=None)


def test_amounts_are_whole_fen_in_range_and_dates_are_checked() -> None:
    with raises(AmountRangeError, amount_fen=0):
        funding(amount_fen=0)
    with raises(AmountRangeError, limit=MAX_FEN):
        funding(amount_fen=MAX_FEN + 1)
    with raises(EntryDateError, field="paid_on", rule="in_future"):
        funding(paid_on=date(2023, 7, 1))
    with raises(EntryDateError, field="month", rule="not_first_of_month"):
        subsidy(month=date(2023, 3, 2))
    with raises(EntryYearError, year=2022, month_year=2023):
        subsidy(year=2022)
    with raises(EntryYearError, year=1999):
        funding(year=1999)
    with raises(DateOutOfRangeError):
        subsidy(month=date(1999, 3, 1))
    with raises(InvalidValueError, field="note", reason="too_long"):
        funding(note="x" * 501)


def test_a_wrong_entry_is_reversed_once_and_stays() -> None:
    entry = funding()
    entry.reverse("金额录入错误", by=CLERK)
    with raises(EntryReversedError, entry_id=entry.id):
        entry.reverse("again", by=CLERK)
    again = rebuilt(Entry, entry.collect_events())
    assert (again.is_reversed, again.reverse_reason, again.amount_fen) == (
        True,
        "金额录入错误",
        1_000_000,
    )


def commendation(**changes: Any) -> Commendation:
    values: dict[str, Any] = {
        "id": UUID(int=0x4E02),
        "kind": CommendationKind.DISPATCHED_TEACHER,
        "year": 2022,
        "title": "2022年度优秀轮岗支教教师",
        "teacher_id": TEACHER,
        "school": VILLAGE,
        "community": GROUP,
        "basis": "年度考核优秀",
        "document": "教[2023]12号",
        "awarded_on": date(2023, 3, 10),
        "today": TODAY,
        "by": CLERK,
    }
    values.update(changes)
    return Commendation.award(**values)


def test_a_commendation_names_its_teacher_or_community_year_and_basis() -> None:
    found = commendation()
    assert (found.year, found.teacher_id, found.basis) == (2022, TEACHER, "年度考核优秀")
    group = commendation(kind=CommendationKind.COMMUNITY, teacher_id=None, school=None)
    assert group.community_id == GROUP.id
    with raises(CommendedError, rule="teacher_required"):
        commendation(teacher_id=None)
    with raises(CommendedError, rule="community_required"):
        commendation(kind=CommendationKind.COMMUNITY, teacher_id=None, community=None)
    with raises(CommendedError, rule="teacher_not_allowed"):
        commendation(kind=CommendationKind.COMMUNITY)
    with raises(CommendationYearError, year=2024, last=2023):
        commendation(year=2024)
    with raises(CommendationInFutureError, day=date(2023, 7, 1)):
        commendation(awarded_on=date(2023, 7, 1))
    with raises(InvalidValueError, field="basis", reason="blank"):
        commendation(basis=" ")
    found.revoke("评选程序有误", by=CLERK)
    with raises(CommendationRevokedError, commendation_id=found.id):
        found.revoke("again", by=CLERK)
    assert rebuilt(Commendation, found.collect_events()).revoke_reason == "评选程序有误"
