"""Commands on education communities (教共体): form, a member joins or leaves, dissolve."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import CommunityType
from domain.community.community import Community
from domain.community.school import School
from domain.periods import check_in_range
from service.body import RequiredText
from service.commands.community.loading import referenced

if TYPE_CHECKING:
    from infra.event_store import Appended, EventStore, WriteContext

Reason = Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=500)]


class FormCommunity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[
        RequiredText, msgspec.Meta(min_length=1, max_length=100, examples=["城关小学教共体"])
    ]
    type: CommunityType
    lead_school_id: UUID
    member_school_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=50)]
    starts_on: date
    ends_on: date
    agreement: Annotated[
        str, msgspec.Meta(max_length=2000, description="合作协议: rights, duties, targets")
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
    store: EventStore, ctx: WriteContext, cmd: FormCommunity, *, community_id: UUID | None = None
) -> Appended:
    check_in_range("starts_on", cmd.starts_on)
    check_in_range("ends_on", cmd.ends_on)
    lead = await referenced(store, School, ctx.tenant_id, "lead_school_id", cmd.lead_school_id)
    members = [
        await referenced(store, School, ctx.tenant_id, "member_school_ids", school_id)
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
        by=ctx.actor_id,
    )
    return await store.save(community, ctx)


async def join_community(
    store: EventStore,
    ctx: WriteContext,
    community_id: UUID,
    cmd: JoinCommunity,
    *,
    expected: int | None,
) -> Appended:
    check_in_range("joined_on", cmd.joined_on)
    community = await store.get(Community, ctx.tenant_id, community_id, expected_version=expected)
    school = await referenced(store, School, ctx.tenant_id, "school_id", cmd.school_id)
    community.join(school, cmd.joined_on, by=ctx.actor_id)
    return await store.save(community, ctx)


async def leave_community(
    store: EventStore,
    ctx: WriteContext,
    community_id: UUID,
    school_id: UUID,
    cmd: LeaveCommunity,
    *,
    expected: int | None,
) -> Appended:
    check_in_range("left_on", cmd.left_on)
    community = await store.get(Community, ctx.tenant_id, community_id, expected_version=expected)
    community.leave(school_id, cmd.left_on, cmd.reason, by=ctx.actor_id)
    return await store.save(community, ctx)


async def dissolve_community(
    store: EventStore,
    ctx: WriteContext,
    community_id: UUID,
    cmd: DissolveCommunity,
    *,
    expected: int | None,
) -> Appended:
    check_in_range("dissolved_on", cmd.dissolved_on)
    community = await store.get(Community, ctx.tenant_id, community_id, expected_version=expected)
    community.dissolve(cmd.dissolved_on, cmd.reason, by=ctx.actor_id)
    return await store.save(community, ctx)
