"""Commands on mentor pairs (师徒结对): pair, end early, link the apprentice's public lessons."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.community.activity import Activity
from domain.community.school import School
from domain.staff.mentorship import REASON_LIMIT, Mentorship
from domain.staff.teacher import Teacher
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced

if TYPE_CHECKING:
    from service.command import Env


class PairMentorship(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    mentor_id: UUID
    apprentice_id: UUID
    school_id: UUID
    starts_on: date
    planned_ends_on: date  # the last day of the term, included


class EndMentorship(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    ended_on: date  # the last day of the pairing
    reason: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]


class LinkLesson(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    activity_id: UUID  # a public lesson (公开汇报课) the apprentice gave within the term


async def pair_mentorship(env: Env, cmd: PairMentorship) -> Decision[Mentorship]:
    mentorship = Mentorship.pair(
        id=uuid4(),
        mentor=await referenced(env, Teacher, "mentor_id", cmd.mentor_id),
        apprentice=await referenced(env, Teacher, "apprentice_id", cmd.apprentice_id),
        school=await referenced(env, School, "school_id", cmd.school_id),
        starts_on=cmd.starts_on,
        planned_ends_on=cmd.planned_ends_on,
        by=env.by,
    )
    return Decision(mentorship)


async def end_mentorship(
    env: Env, mentorship: Mentorship, cmd: EndMentorship
) -> Decision[Mentorship]:
    mentorship.end_early(cmd.ended_on, cmd.reason, by=env.by)
    return Decision(mentorship)


async def link_lesson(env: Env, mentorship: Mentorship, cmd: LinkLesson) -> Decision[Mentorship]:
    lesson = await referenced(env, Activity, "activity_id", cmd.activity_id)
    mentorship.link_lesson(lesson, by=env.by)
    return Decision(mentorship)
