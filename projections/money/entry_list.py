"""Money entries as they stand, one row per entry; a reversed one stays, marked, uncounted."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.codes import MoneyKind
from domain.money.entry import Entry
from projections.base import Projection


class EntryRow(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: UUID
    kind: MoneyKind
    amount_fen: int
    school_id: UUID
    community_id: UUID | None
    teacher_id: UUID | None
    month: date | None
    year: int
    paid_on: date
    is_reversed: bool
    version: int


def _row(entry_id: UUID, source: Any, version: int) -> EntryRow:  # noqa: ANN401 - event or entry
    return EntryRow(
        entry_id=entry_id,
        kind=source.kind,
        amount_fen=source.amount_fen,
        school_id=source.school_id,
        community_id=source.community_id,
        teacher_id=source.teacher_id,
        month=source.month,
        year=source.year,
        paid_on=source.paid_on,
        is_reversed=False,
        version=version,
    )


def entry_row(entry: Entry) -> EntryRow:
    """The row of an entry as its aggregate stands (the list's row once folded)."""
    row = _row(entry.id, entry, entry.version)
    return msgspec.structs.replace(row, is_reversed=entry.is_reversed)


def evolve(row: EntryRow | None, event: Any) -> EntryRow | None:  # noqa: ANN401 - any event
    match event:
        case Entry.Recorded():
            return _row(event.originator_id, event, event.originator_version)
        case Entry.Reversed() if row is not None:
            return msgspec.structs.replace(row, is_reversed=True, version=event.originator_version)
        case _:
            return row


money_entries = Projection(
    name="money_entries", aggregate=Entry, row_type=EntryRow, key="entry_id", evolve=evolve
)
