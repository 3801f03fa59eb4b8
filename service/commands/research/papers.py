"""Commands on papers (论文): record, void. A wrong record is never edited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import PaperOutcome, ResearchLevel
from domain.community.school import School
from domain.research.paper import (
    AWARD_GRADE_LIMIT,
    REASON_LIMIT,
    TITLE_LIMIT,
    VENUE_LIMIT,
    Paper,
)
from domain.research.project import Project
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced
from service.commands.research.loading import act_for_one_of, community_named

if TYPE_CHECKING:
    from service.command import Env


class RecordPaper(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    title: Annotated[
        RequiredText,
        msgspec.Meta(min_length=1, max_length=TITLE_LIMIT, examples=["小学数学分层作业设计"]),
    ]
    school_id: UUID
    community_id: UUID | None = None
    project_id: UUID | None = None
    author_ids: Annotated[
        list[UUID], msgspec.Meta(max_length=20, description="Teachers, by their staff ids")
    ] = []
    level: ResearchLevel
    outcome: PaperOutcome
    award_grade: Annotated[
        str,
        msgspec.Meta(
            max_length=AWARD_GRADE_LIMIT, description="Awarded only: 一等奖…", examples=["一等奖"]
        ),
    ] = ""
    venue: Annotated[
        str,
        msgspec.Meta(
            max_length=VENUE_LIMIT,
            description="The journal (published: required), the contest or the meeting",
        ),
    ] = ""
    dated_on: date


class VoidPaper(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]


async def record_paper(env: Env, cmd: RecordPaper) -> Decision[Paper]:
    act_for_one_of(env, (cmd.school_id,))
    school = await referenced(env, School, "school_id", cmd.school_id)
    if cmd.project_id is not None:
        await referenced(env, Project, "project_id", cmd.project_id)
    paper = Paper.record(
        id=uuid4(),
        title=cmd.title,
        school=school,
        community=await community_named(env, cmd.community_id),
        project_id=cmd.project_id,
        author_ids=cmd.author_ids,
        level=cmd.level,
        outcome=cmd.outcome,
        award_grade=cmd.award_grade,
        venue=cmd.venue,
        dated_on=cmd.dated_on,
        today=env.today,
        by=env.by,
    )
    return Decision(paper)


async def void_paper(env: Env, paper: Paper, cmd: VoidPaper) -> Decision[Paper]:
    act_for_one_of(env, (paper.school_id,))
    paper.void(cmd.reason, by=env.by)
    return Decision(paper)
