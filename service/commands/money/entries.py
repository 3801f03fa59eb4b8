"""Commands on money entries (经费与补助): record, reverse. Amounts in fen, never edited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import MoneyKind
from domain.community.school import School
from domain.money.entry import FIRST_YEAR, LAST_YEAR, MAX_FEN, NOTE_LIMIT, REASON_LIMIT, Entry
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced
from service.commands.research.loading import community_named

if TYPE_CHECKING:
    from service.command import Env

Year = Annotated[int, msgspec.Meta(ge=FIRST_YEAR, le=LAST_YEAR)]


class RecordEntry(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A payment: funding names the community and its lead school; a subsidy the person.

    A subsidy also names the person's sending school and its month (the month's first day).
    """

    kind: MoneyKind
    amount_fen: Annotated[
        int, msgspec.Meta(ge=1, le=MAX_FEN, description="In fen (分): ¥200 is 20000")
    ]
    school_id: UUID
    community_id: UUID | None = None
    teacher_id: UUID | None = None
    month: date | None = None
    year: Year | None = None
    paid_on: date
    note: Annotated[str, msgspec.Meta(max_length=NOTE_LIMIT)] = ""


class ReverseEntry(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]


async def record_entry(env: Env, cmd: RecordEntry) -> Decision[Entry]:
    entry = Entry.record(
        id=uuid4(),
        kind=cmd.kind,
        amount_fen=cmd.amount_fen,
        school=await referenced(env, School, "school_id", cmd.school_id),
        community=await community_named(env, cmd.community_id),
        teacher_id=cmd.teacher_id,
        month=cmd.month,
        year=cmd.year,
        paid_on=cmd.paid_on,
        note=cmd.note,
        today=env.today,
        by=env.by,
    )
    return Decision(entry)


async def reverse_entry(env: Env, entry: Entry, cmd: ReverseEntry) -> Decision[Entry]:
    entry.reverse(cmd.reason, by=env.by)
    return Decision(entry)
