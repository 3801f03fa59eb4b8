"""Commands on a community's set-up: agreement, leading group, studios, phases, partners.

Base schools (基地校) too, and partner schools of other counties (issue 8 item 9).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import GroupRole, PhaseKind
from domain.community.setup import (
    NAME_LIMIT,
    NOTE_LIMIT,
    TEXT_LIMIT,
    Agreement,
    ExternalSchool,
    GroupMember,
    Phase,
    Studio,
)
from domain.staff.teacher import Teacher
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced

if TYPE_CHECKING:
    from domain.community.community import Community
    from service.command import Env

Text = Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=TEXT_LIMIT)]
Name = Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=NAME_LIMIT)]
Teachers = Annotated[list[UUID], msgspec.Meta(max_length=100)]


class SignAgreement(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    rights: Text
    duties: Text
    mode: Text
    targets: Text
    evaluation: Text
    signed_on: date
    document_name: Annotated[Name, msgspec.Meta(examples=["合作协议.pdf"])]
    document_sha256: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]


class GroupMemberIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A teacher of the county by `teacher_id`, or staff who are not teachers by `name`."""

    role: GroupRole
    teacher_id: UUID | None = None
    name: Annotated[str, msgspec.Meta(max_length=NAME_LIMIT)] = ""
    post: Annotated[str, msgspec.Meta(max_length=NAME_LIMIT, examples=["教育局副局长"])] = ""


class AppointLeadingGroup(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    members: Annotated[list[GroupMemberIn], msgspec.Meta(min_length=1, max_length=50)]
    appointed_on: date


class DesignateBaseSchools(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    school_ids: Annotated[list[UUID], msgspec.Meta(max_length=50)]
    designated_on: date


class OpenStudio(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[Name, msgspec.Meta(examples=["小学数学名师工作室"])]
    leader_id: UUID
    member_ids: Teachers = []
    opened_on: date


class PhaseIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: PhaseKind
    starts_on: date
    ends_on: date


class PlanPhases(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    phases: Annotated[list[PhaseIn], msgspec.Meta(max_length=len(PhaseKind))]


class PairExternalSchool(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[Name, msgspec.Meta(examples=["平阳县实验小学"])]
    county: Annotated[Name, msgspec.Meta(examples=["平阳县"])]
    paired_on: date
    note: Annotated[str, msgspec.Meta(max_length=NOTE_LIMIT)] = ""


async def _teachers(env: Env, field: str, ids: list[UUID]) -> None:
    """Each id names a teacher of the county (a 422 naming the field otherwise)."""
    for teacher_id in ids:
        await referenced(env, Teacher, field, teacher_id)


async def sign_agreement(env: Env, community: Community, cmd: SignAgreement) -> Decision[Community]:
    community.sign_agreement(Agreement(**msgspec.structs.asdict(cmd)), by=env.by)
    return Decision(community)


async def appoint_leading_group(
    env: Env, community: Community, cmd: AppointLeadingGroup
) -> Decision[Community]:
    await _teachers(env, "members", [m.teacher_id for m in cmd.members if m.teacher_id])
    members = [GroupMember(m.role, m.teacher_id, m.name, m.post) for m in cmd.members]
    community.appoint_leading_group(members, cmd.appointed_on, by=env.by)
    return Decision(community)


async def designate_base_schools(
    env: Env, community: Community, cmd: DesignateBaseSchools
) -> Decision[Community]:
    community.designate_base_schools(cmd.school_ids, cmd.designated_on, by=env.by)
    return Decision(community)


async def open_studio(env: Env, community: Community, cmd: OpenStudio) -> Decision[Community]:
    await _teachers(env, "leader_id", [cmd.leader_id])
    await _teachers(env, "member_ids", cmd.member_ids)
    studio = Studio(uuid4(), cmd.name, cmd.leader_id, tuple(cmd.member_ids), cmd.opened_on)
    community.open_studio(studio, by=env.by)
    return Decision(community)


async def plan_phases(env: Env, community: Community, cmd: PlanPhases) -> Decision[Community]:
    phases = [Phase(p.kind, p.starts_on, p.ends_on) for p in cmd.phases]
    community.plan_phases(phases, by=env.by)
    return Decision(community)


async def pair_external_school(
    env: Env, community: Community, cmd: PairExternalSchool
) -> Decision[Community]:
    school = ExternalSchool(cmd.name, cmd.county, cmd.paired_on, cmd.note)
    community.pair_external_school(school, by=env.by)
    return Decision(community)
