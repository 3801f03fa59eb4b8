"""Education communities (教共体): form, members join and leave, dissolve, read."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody

from domain.community.community import Community
from domain.community.errors import (
    AlreadyMemberError,
    CommunityDissolvedError,
    LastMemberError,
    LeadIsMemberError,
    NotMemberError,
    SchoolClosedError,
)
from domain.errors import DateOutOfRangeError
from domain.periods import check_in_range
from infra.event_store import AggregateNotFoundError
from infra.paging import decode_cursor, page_of
from projections.community import queries
from service.commands.community.communities import (
    DissolveCommunity,
    FormCommunity,
    JoinCommunity,
    LeaveCommunity,
    dissolve_community,
    form_community,
    join_community,
    leave_community,
)
from service.commands.community.setup import (
    AppointLeadingGroup,
    DesignateBaseSchools,
    OpenStudio,
    PairExternalSchool,
    PlanPhases,
    SignAgreement,
    appoint_leading_group,
    designate_base_schools,
    open_studio,
    pair_external_school,
    plan_phases,
    sign_agreement,
)
from service.context import Caller, reading
from service.errors import UnknownReferenceError
from service.http.common import (
    CHANGED,
    CREATED,
    TAGGED,
    Call,
    Cursor,
    Limit,
    changed,
    command,
    created,
    gives,
    query,
    read_tagged,
    today,
)
from service.reference.ids import COMMUNITY, LEAD, MEMBER
from service.services import Shared
from service.views.community.community import (
    CommunityPage,
    CommunityView,
    Roster,
    community_summary,
    community_view,
    roster,
)

_AFTER = msgspec.json.Decoder(tuple[date, UUID])


class CommunityController(Controller):
    path = "/v1/communities"
    tags = ["communities"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Form a community",
        description="A lead school (牵头学校) and member schools for a period; admins only."
        " Answers 201 with the community, its `Location` and its version as `ETag`.",
        response_headers=CREATED,
        problems=gives(
            SchoolClosedError(school_id=MEMBER, closed_on="2024-07-31"),
            LeadIsMemberError(school_id=LEAD),
            UnknownReferenceError(field="member_school_ids[0]", id=MEMBER),
        ),
    )
    async def form(self, *, call: Call, data: JSONBody[FormCommunity]) -> Response[CommunityView]:
        return await created(call, form_community, Community, data, community_view, at=self.path)

    @query(
        summary="The county's communities",
        description="The latest to start first, paged; with `school`, those it leads or was a"
        " member of. Lists are folded from the records and may trail them by a moment.",
        problems=gives(DateOutOfRangeError(field="active_on", date="1999-09-01")),
    )
    async def list_communities(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: FromQuery[UUID | None] = None,
        active_on: FromQuery[date | None] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> CommunityPage:
        check_in_range("active_on", active_on)
        async with reading(services, ctx) as conn:
            rows = await queries.communities(
                conn,
                ctx.tenant_id,
                school_id=school,
                active_on=active_on,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.starts_on, row.community_id))
        day = today(services)
        return CommunityPage(
            items=[community_summary(row, ctx.lang, day) for row in items],
            next_cursor=next_cursor,
        )

    @query(
        "/{community_id:uuid}/roster",
        summary="Who is in the community on a day",
        description="The lead school (牵头学校) and every member school's stints, with names;"
        " `on` defaults to today.",
        problems=gives(DateOutOfRangeError(field="on", date="1999-09-01")),
    )
    async def roster(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community_id: FromPath[UUID],
        on: FromQuery[date | None] = None,
    ) -> Roster:
        check_in_range("on", on)
        async with reading(services, ctx) as conn:
            row = await queries.community(conn, ctx.tenant_id, community_id)
            if row is None:
                raise AggregateNotFoundError(community_id)
            schools = await queries.schools_by_id(conn, ctx.tenant_id, row.school_ids)
        return roster(row, schools, on or today(services), ctx.lang)

    @query(
        "/{community_id:uuid}",
        summary="A community as it stands now",
        description="Rebuilt from its events, with every member's stints; its version is the"
        " `ETag` to send as `If-Match`.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, community_id: FromPath[UUID]
    ) -> Response[CommunityView]:
        return await read_tagged(services, ctx, Community, community_id, community_view)

    @command(
        "/{community_id:uuid}/members",
        summary="A school joins the community",
        description="From `joined_on`, within the community's period; a school that left may"
        " join again from the day it left.",
        status_code=200,
        response_headers=CHANGED,
        problems=gives(
            AlreadyMemberError(school_id=MEMBER, community_id=COMMUNITY, on="2024-02-26"),
            CommunityDissolvedError(community_id=COMMUNITY, dissolved_on="2024-07-15"),
            UnknownReferenceError(field="school_id", id=MEMBER),
        ),
    )
    async def join(
        self, *, call: Call, community_id: FromPath[UUID], data: JSONBody[JoinCommunity]
    ) -> Response[CommunityView]:
        return await changed(call, join_community, Community, community_id, data, community_view)

    @command(
        "/{community_id:uuid}/members/{school_id:uuid}/leave",
        summary="A member school leaves the community",
        description="From `left_on`, with a reason; its stint stays in the roster's history."
        " The last member cannot leave: dissolve the community instead.",
        status_code=200,
        response_headers=CHANGED,
        problems=gives(
            NotMemberError(school_id=MEMBER, community_id=COMMUNITY, on="2024-07-15"),
            LastMemberError(school_id=MEMBER, community_id=COMMUNITY),
        ),
    )
    async def leave(
        self,
        *,
        call: Call,
        community_id: FromPath[UUID],
        school_id: FromPath[UUID],
        data: JSONBody[LeaveCommunity],
    ) -> Response[CommunityView]:
        return await changed(
            call, leave_community, Community, community_id, data, community_view, school_id
        )

    @command(
        "/{community_id:uuid}/dissolve",
        summary="Dissolve the community",
        description="From `dissolved_on`, with a reason; nothing is recorded for it after.",
        status_code=200,
        response_headers=CHANGED,
        problems=gives(CommunityDissolvedError(community_id=COMMUNITY, dissolved_on="2024-07-15")),
    )
    async def dissolve(
        self, *, call: Call, community_id: FromPath[UUID], data: JSONBody[DissolveCommunity]
    ) -> Response[CommunityView]:
        return await changed(
            call, dissolve_community, Community, community_id, data, community_view
        )

    @command(
        "/{community_id:uuid}/agreement",
        summary="Record the signed agreement (合作协议)",
        description="Rights, duties, mode, targets, evaluation, and the signed document by its"
        " SHA-256; a revised agreement replaces it.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def agreement(
        self, *, call: Call, community_id: FromPath[UUID], data: JSONBody[SignAgreement]
    ) -> Response[CommunityView]:
        return await changed(call, sign_agreement, Community, community_id, data, community_view)

    @command(
        "/{community_id:uuid}/leading-group",
        summary="Appoint the leading group (领导小组)",
        description="One leader (组长), deputies and members: teachers by id, other staff by"
        " name. Replaces the group before.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def leading_group(
        self, *, call: Call, community_id: FromPath[UUID], data: JSONBody[AppointLeadingGroup]
    ) -> Response[CommunityView]:
        return await changed(
            call, appoint_leading_group, Community, community_id, data, community_view
        )

    @command(
        "/{community_id:uuid}/base-schools",
        summary="Designate the base schools (基地校)",
        description="Among the lead and the members on the day; replaces the ones before.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def base_schools(
        self, *, call: Call, community_id: FromPath[UUID], data: JSONBody[DesignateBaseSchools]
    ) -> Response[CommunityView]:
        return await changed(
            call, designate_base_schools, Community, community_id, data, community_view
        )

    @command(
        "/{community_id:uuid}/studios",
        summary="Open a studio (工作室)",
        description="A leading teacher and member teachers.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def studio(
        self, *, call: Call, community_id: FromPath[UUID], data: JSONBody[OpenStudio]
    ) -> Response[CommunityView]:
        return await changed(call, open_studio, Community, community_id, data, community_view)

    @command(
        "/{community_id:uuid}/phases",
        summary="Plan the phases (启动, 实施, 长效)",
        description="In order, one after another, within the period; replaces the plan before.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def phases(
        self, *, call: Call, community_id: FromPath[UUID], data: JSONBody[PlanPhases]
    ) -> Response[CommunityView]:
        return await changed(call, plan_phases, Community, community_id, data, community_view)

    @command(
        "/{community_id:uuid}/external-schools",
        summary="Pair a school of another county",
        description="A cross-county pair (乐清 and 平阳): each county records its own side.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def external_school(
        self, *, call: Call, community_id: FromPath[UUID], data: JSONBody[PairExternalSchool]
    ) -> Response[CommunityView]:
        return await changed(
            call, pair_external_school, Community, community_id, data, community_view
        )
