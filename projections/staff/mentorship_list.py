"""Mentor pairs (师徒结对) as they stand, with the apprentice's linked public lessons."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.staff.mentorship import Mentorship
from projections.base import Projection


class MentorshipRow(msgspec.Struct, frozen=True, kw_only=True):
    mentorship_id: UUID
    mentor_id: UUID
    apprentice_id: UUID
    school_id: UUID
    starts_on: date
    planned_ends_on: date
    ended_on: date | None
    last_day: date
    lesson_ids: tuple[UUID, ...]
    version: int


def mentorship_row(mentorship: Mentorship) -> MentorshipRow:
    """The row of a pairing as its aggregate stands (the list's row once folded)."""
    return MentorshipRow(
        mentorship_id=mentorship.id,
        mentor_id=mentorship.mentor_id,
        apprentice_id=mentorship.apprentice_id,
        school_id=mentorship.school_id,
        starts_on=mentorship.starts_on,
        planned_ends_on=mentorship.planned_ends_on,
        ended_on=mentorship.ended_on,
        last_day=mentorship.last_day,
        lesson_ids=mentorship.lesson_ids,
        version=mentorship.version,
    )


def evolve(row: MentorshipRow | None, event: Any) -> MentorshipRow | None:  # noqa: ANN401
    match event:
        case Mentorship.Paired():
            return MentorshipRow(
                mentorship_id=event.originator_id,
                mentor_id=event.mentor_id,
                apprentice_id=event.apprentice_id,
                school_id=event.school_id,
                starts_on=event.starts_on,
                planned_ends_on=event.planned_ends_on,
                ended_on=None,
                last_day=event.planned_ends_on,
                lesson_ids=(),
                version=event.originator_version,
            )
        case Mentorship.EndedEarly() if row is not None:
            return msgspec.structs.replace(
                row,
                ended_on=event.ended_on,
                last_day=event.ended_on,
                version=event.originator_version,
            )
        case Mentorship.LessonLinked() if row is not None:
            return msgspec.structs.replace(
                row,
                lesson_ids=(*row.lesson_ids, event.activity_id),
                version=event.originator_version,
            )
        case _:
            return row


mentorship_list = Projection(
    name="mentorship_list",
    aggregate=Mentorship,
    row_type=MentorshipRow,
    key="mentorship_id",
    evolve=evolve,
)
