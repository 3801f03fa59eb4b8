"""A money entry, whole and as the list shows it; totals by person, school, community, year."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from projections.money.entry_list import entry_row
from service.views.labels import text

if TYPE_CHECKING:
    from domain.money.entry import Entry
    from projections.money.entry_list import EntryRow
    from projections.money.queries import Total


def yuan(fen: int) -> str:
    """Fen as yuan for people to read: 20000 is "200.00"."""
    return f"{fen // 100}.{fen % 100:02d}"


class EntrySummary(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: str
    kind_label: str
    amount_fen: int
    amount_yuan: str
    school_id: UUID
    community_id: UUID | None
    teacher_id: UUID | None
    month: date | None
    year: int
    paid_on: date
    is_reversed: bool
    version: int


class EntryView(EntrySummary, frozen=True, kw_only=True):
    note: str
    reverse_reason: str | None


def entry_summary(row: EntryRow, lang: str) -> EntrySummary:
    return EntrySummary(
        id=row.entry_id,
        kind=row.kind.value,
        kind_label=text(row.kind, lang),
        amount_fen=row.amount_fen,
        amount_yuan=yuan(row.amount_fen),
        school_id=row.school_id,
        community_id=row.community_id,
        teacher_id=row.teacher_id,
        month=row.month,
        year=row.year,
        paid_on=row.paid_on,
        is_reversed=row.is_reversed,
        version=row.version,
    )


def entry_view(entry: Entry, lang: str) -> EntryView:
    summary = entry_summary(entry_row(entry), lang)
    return EntryView(
        **msgspec.structs.asdict(summary), note=entry.note, reverse_reason=entry.reverse_reason
    )


class EntryPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[EntrySummary]
    next_cursor: str | None


class TotalView(msgspec.Struct, frozen=True, kw_only=True):
    """What was paid in a year (reversed entries left out), to one person, school or community."""

    id: UUID | None  # the person, school or community; None for the county's year
    year: int
    funding_fen: int
    subsidy_fen: int
    total_fen: int
    total_yuan: str
    entries: int


def total_view(total: Total) -> TotalView:
    whole = total.funding_fen + total.subsidy_fen
    return TotalView(
        id=total.key,
        year=total.year,
        funding_fen=total.funding_fen,
        subsidy_fen=total.subsidy_fen,
        total_fen=whole,
        total_yuan=yuan(whole),
        entries=total.entries,
    )


class TotalPage(msgspec.Struct, frozen=True, kw_only=True):
    by: str | None
    items: list[TotalView]
    next_cursor: str | None
