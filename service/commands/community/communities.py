"""Commands on education communities (教共体): form, a member joins or leaves, dissolve."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import CommunityType
from domain.community.community import AGREEMENT_LIMIT, NAME_LIMIT, REASON_LIMIT, Community
from domain.community.school import School
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced

if TYPE_CHECKING:
    from service.command import Env

Reason = Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]
MEMBERS_LIMIT = 50


class FormCommunity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[
        RequiredText,
        msgspec.Meta(min_length=1, max_length=NAME_LIMIT, examples=["城关小学教共体"]),
    ]
    type: CommunityType
    lead_school_id: UUID
    member_school_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=MEMBERS_LIMIT)]
    starts_on: date
    ends_on: date
    agreement: Annotated[
        str,
        msgspec.Meta(max_length=AGREEMENT_LIMIT, description="合作协议: rights, duties, targets"),
    ] = ""


class JoinCommunity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    school_id: UUID
    joined_on: date


class LeaveCommunity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    left_on: date
    reason: Reason


class DissolveCommunity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    dissolved_on: date
    reason: Reason


async def form_community(
    env: Env, cmd: FormCommunity, *, community_id: UUID | None = None
) -> Decision[Community]:
    lead = await referenced(env, School, "lead_school_id", cmd.lead_school_id)
    members = [
        await referenced(env, School, "member_school_ids", school_id)
        for school_id in cmd.member_school_ids
    ]
    community = Community.form(
        id=community_id or uuid4(),
        name=cmd.name,
        type=cmd.type,
        lead=lead,
        members=members,
        starts_on=cmd.starts_on,
        ends_on=cmd.ends_on,
        agreement=cmd.agreement,
        by=env.by,
    )
    return Decision(community)


async def join_community(env: Env, community: Community, cmd: JoinCommunity) -> Decision[Community]:
    school = await referenced(env, School, "school_id", cmd.school_id)
    community.join(school, cmd.joined_on, by=env.by)
    return Decision(community)


async def leave_community(
    env: Env, community: Community, cmd: LeaveCommunity, school_id: UUID
) -> Decision[Community]:
    community.leave(school_id, cmd.left_on, cmd.reason, by=env.by)
    return Decision(community)


async def dissolve_community(
    env: Env, community: Community, cmd: DissolveCommunity
) -> Decision[Community]:
    community.dissolve(cmd.dissolved_on, cmd.reason, by=env.by)
    return Decision(community)
