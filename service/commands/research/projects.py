"""Commands on research projects (课题): apply, approve, conclude, abandon."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import ResearchLevel, Subject
from domain.research.project import (
    NOTE_LIMIT,
    REASON_LIMIT,
    REFERENCE_LIMIT,
    TITLE_LIMIT,
    Project,
)
from service.body import RequiredText
from service.command import Decision
from service.commands.research.loading import act_for_one_of, community_named, schools_named

if TYPE_CHECKING:
    from service.command import Env

Note = Annotated[str, msgspec.Meta(max_length=NOTE_LIMIT)]


class ApplyProject(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    title: Annotated[
        RequiredText,
        msgspec.Meta(
            min_length=1, max_length=TITLE_LIMIT, examples=["农村小学整本书阅读的实践研究"]
        ),
    ]
    owner_school_ids: Annotated[
        list[UUID],
        msgspec.Meta(
            min_length=1, max_length=20, description="One school, or several for a joint project"
        ),
    ]
    community_id: UUID | None = None
    participant_ids: Annotated[
        list[UUID], msgspec.Meta(max_length=100, description="Teachers, by their staff ids")
    ] = []
    subjects: Annotated[list[Subject], msgspec.Meta(max_length=30)] = []
    level: ResearchLevel
    applied_on: date
    note: Note = ""


class ApproveProject(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    level: ResearchLevel
    approved_on: date
    reference: Annotated[
        str,
        msgspec.Meta(max_length=REFERENCE_LIMIT, description="立项编号", examples=["SJ-2022-17"]),
    ] = ""


class ConcludeProject(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    concluded_on: date
    note: Note = ""


class AbandonProject(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]
    abandoned_on: date


async def apply_project(env: Env, cmd: ApplyProject) -> Decision[Project]:
    act_for_one_of(env, cmd.owner_school_ids)
    owners = await schools_named(env, "owner_school_ids", cmd.owner_school_ids)
    project = Project.apply(
        id=uuid4(),
        title=cmd.title,
        owners=owners,
        community=await community_named(env, cmd.community_id),
        participant_ids=cmd.participant_ids,
        subjects=cmd.subjects,
        level=cmd.level,
        applied_on=cmd.applied_on,
        note=cmd.note,
        today=env.today,
        by=env.by,
    )
    return Decision(project)


async def approve_project(env: Env, project: Project, cmd: ApproveProject) -> Decision[Project]:
    act_for_one_of(env, project.owner_school_ids)
    project.approve(cmd.level, cmd.approved_on, cmd.reference, env.today, by=env.by)
    return Decision(project)


async def conclude_project(env: Env, project: Project, cmd: ConcludeProject) -> Decision[Project]:
    act_for_one_of(env, project.owner_school_ids)
    project.conclude(cmd.concluded_on, cmd.note, env.today, by=env.by)
    return Decision(project)


async def abandon_project(env: Env, project: Project, cmd: AbandonProject) -> Decision[Project]:
    act_for_one_of(env, project.owner_school_ids)
    project.abandon(cmd.abandoned_on, cmd.reason, env.today, by=env.by)
    return Decision(project)
