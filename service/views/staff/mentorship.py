"""A mentor pair (师徒结对): as one record and as the list shows it (the same view)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from projections.staff.mentorship_list import MentorshipRow, mentorship_row

if TYPE_CHECKING:
    from domain.staff.mentorship import Mentorship


class MentorshipView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    mentor_id: UUID
    apprentice_id: UUID
    school_id: UUID
    starts_on: date
    planned_ends_on: date
    ended_on: date | None  # an early end: the last day of the pairing
    lesson_ids: list[UUID]  # the apprentice's public lessons linked to it
    version: int


def mentorship_view(mentorship: Mentorship | MentorshipRow, lang: str) -> MentorshipView:  # noqa: ARG001 - no labels yet
    row = mentorship if isinstance(mentorship, MentorshipRow) else mentorship_row(mentorship)
    return MentorshipView(
        id=row.mentorship_id,
        mentor_id=row.mentor_id,
        apprentice_id=row.apprentice_id,
        school_id=row.school_id,
        starts_on=row.starts_on,
        planned_ends_on=row.planned_ends_on,
        ended_on=row.ended_on,
        lesson_ids=list(row.lesson_ids),
        version=row.version,
    )


class MentorshipPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[MentorshipView]
    next_cursor: str | None
