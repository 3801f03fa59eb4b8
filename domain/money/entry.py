"""The Entry aggregate: one payment of funding or subsidy, in fen; reversed, never edited."""

from datetime import date
from typing import Self
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import MoneyKind
from domain.community.community import Community
from domain.community.school import School
from domain.money.errors import (
    AmountRangeError,
    EntryDateError,
    EntryPayeeError,
    EntryReversedError,
    EntryYearError,
)
from domain.periods import check_in_range

NOTE_LIMIT = 500
REASON_LIMIT = 500
MAX_FEN = 10_000_000_000  # ¥100,000,000: anything more is a typing mistake
FIRST_YEAR, LAST_YEAR = 2000, 2099


class Entry(Aggregate):
    """A payment: funding (工作经费) for a year, or a subsidy (补助) for a month, in fen.

    Funding goes to a community's lead school; a subsidy to a dispatched person, named by
    their id in the staff context, with their sending school. Amounts are never floats.
    """

    class Recorded(Aggregate.Created):
        kind: MoneyKind
        amount_fen: int
        school_id: UUID
        community_id: UUID | None
        teacher_id: UUID | None  # a subsidy's person
        month: date | None  # a subsidy's month (its first day)
        year: int  # the budget year (年度); a subsidy's is its month's
        paid_on: date
        note: str
        recorded_by: UUID

    class Reversed(Aggregate.Event):
        reason: str
        reversed_by: UUID

    @classmethod
    def record(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        kind: MoneyKind,
        amount_fen: int,
        school: School,
        community: Community | None,
        teacher_id: UUID | None,
        month: date | None,
        year: int | None,
        paid_on: date,
        note: str,
        today: date,
        by: UUID,
    ) -> Self:
        note = optional(note, field="note", limit=NOTE_LIMIT)
        if not 1 <= amount_fen <= MAX_FEN:
            raise AmountRangeError(amount_fen=amount_fen, limit=MAX_FEN)
        check_in_range("paid_on", paid_on)
        if paid_on > today:
            raise EntryDateError(field="paid_on", day=paid_on, rule="in_future")
        if kind is MoneyKind.FUNDING:
            _check_funding(school, community, teacher_id, month)
        else:
            _check_subsidy(teacher_id, month)
        year = _year(year, month, paid_on)
        return cls(
            id=id,
            kind=kind,
            amount_fen=amount_fen,
            school_id=school.id,
            community_id=None if community is None else community.id,
            teacher_id=teacher_id,
            month=month,
            year=year,
            paid_on=paid_on,
            note=note,
            recorded_by=by,
        )

    @event(Recorded)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        kind: MoneyKind,
        amount_fen: int,
        school_id: UUID,
        community_id: UUID | None,
        teacher_id: UUID | None,
        month: date | None,
        year: int,
        paid_on: date,
        note: str,
        recorded_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.kind = kind
        self.amount_fen = amount_fen
        self.school_id = school_id
        self.community_id = community_id
        self.teacher_id = teacher_id
        self.month = month
        self.year = year
        self.paid_on = paid_on
        self.note = note
        self.is_reversed = False
        self.reverse_reason: str | None = None

    def reverse(self, reason: str, by: UUID) -> None:
        """Take a wrong entry out of every total (冲销); it stays in the ledger."""
        if self.is_reversed:
            raise EntryReversedError(entry_id=self.id)
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._reversed(reason=reason, reversed_by=by)

    @event(Reversed)
    def _reversed(
        self,
        *,
        reason: str,
        reversed_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.is_reversed = True
        self.reverse_reason = reason


def _check_funding(
    school: School, community: Community | None, teacher_id: UUID | None, month: date | None
) -> None:
    kind = MoneyKind.FUNDING
    if community is None:
        raise EntryPayeeError(kind=kind, rule="community_required")
    if community.lead_school_id != school.id:
        raise EntryPayeeError(kind=kind, rule="not_lead_school")
    if teacher_id is not None:
        raise EntryPayeeError(kind=kind, rule="teacher_not_allowed")
    if month is not None:
        raise EntryPayeeError(kind=kind, rule="month_not_allowed")


def _check_subsidy(teacher_id: UUID | None, month: date | None) -> None:
    kind = MoneyKind.SUBSIDY
    if teacher_id is None:
        raise EntryPayeeError(kind=kind, rule="teacher_required")
    if month is None:
        raise EntryPayeeError(kind=kind, rule="month_required")
    check_in_range("month", month)
    if month.day != 1:
        raise EntryDateError(field="month", day=month, rule="not_first_of_month")


def _year(year: int | None, month: date | None, paid_on: date) -> int:
    """The budget year: given, else a subsidy's month's, else the year it was paid."""
    if month is not None and year is not None and year != month.year:
        raise EntryYearError(year=year, month_year=month.year)
    found = year if year is not None else (month or paid_on).year
    if not FIRST_YEAR <= found <= LAST_YEAR:
        raise EntryYearError(year=found, month_year=month.year if month else "-")
    return found
