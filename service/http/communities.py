"""Education communities (教共体): form, members join and leave, dissolve, read."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody

from domain.community import Community
from domain.periods import check_in_range
from infra.db import tenant_transaction
from infra.event_store import AggregateNotFoundError
from infra.tenancy import Role
from projections.community import queries
from service.commands.communities import (
    DissolveCommunity,
    FormCommunity,
    JoinCommunity,
    LeaveCommunity,
    dissolve_community,
    form_community,
    join_community,
    leave_community,
)
from service.context import Caller
from service.http.common import (
    AUTHENTICATED,
    Cursor,
    IdempotencyKey,
    IfMatch,
    Limit,
    after,
    answer,
    command,
    expected_version,
    query,
    run_command,
    tagged,
    today,
)
from service.http.schools import READERS
from service.paging import decode_cursor, page_of
from service.services import Shared
from service.summaries import CommunityPage, Roster, community_summary, roster
from service.views import CommunityView, community_view

_AFTER = msgspec.json.Decoder(tuple[date, UUID])


class CommunityController(Controller):
    path = "/v1/communities"
    tags = ["communities"]  # noqa: RUF012 - Litestar's declared attribute
    dependencies = AUTHENTICATED

    @command(
        summary="Form a community",
        description="A lead school (牵头学校) and member schools for a period; admins only.",
    )
    async def form(
        self,
        *,
        services: Shared,
        ctx: Caller,
        data: JSONBody[FormCommunity],
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[CommunityView]:
        ctx.require(Role.ADMIN)
        appended = await run_command(
            services,
            ctx,
            name="form_community",
            target=None,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: form_community(services.store, write, data),
        )
        community = await after(services, Community, ctx, appended)
        return answer(
            community_view(community, ctx.lang),
            appended,
            created_at=f"{self.path}/{community.id}",
        )

    @query(
        summary="The county's communities",
        description="The latest to start first, paged; with `school`, those it leads or was a"
        " member of. Lists are folded from the records and may trail them by a moment.",
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
        ctx.require(*READERS)
        check_in_range("active_on", active_on)
        async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
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
    )
    async def roster(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community_id: FromPath[UUID],
        on: FromQuery[date | None] = None,
    ) -> Roster:
        ctx.require(*READERS)
        check_in_range("on", on)
        async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
            row = await queries.community(conn, ctx.tenant_id, community_id)
            if row is None:
                raise AggregateNotFoundError(community_id)
            schools = await queries.schools_by_id(conn, ctx.tenant_id, row.school_ids)
        return roster(row, schools, on or today(services), ctx.lang)

    @query("/{community_id:uuid}", summary="A community as it stands now")
    async def read(
        self, *, services: Shared, ctx: Caller, community_id: FromPath[UUID]
    ) -> Response[CommunityView]:
        ctx.require(*READERS)
        community = await services.store.get(Community, ctx.tenant_id, community_id)
        return tagged(community_view(community, ctx.lang), community.version)

    @command(
        "/{community_id:uuid}/members", summary="A school joins the community", status_code=200
    )
    async def join(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community_id: FromPath[UUID],
        data: JSONBody[JoinCommunity],
        if_match: IfMatch = None,
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[CommunityView]:
        ctx.require(Role.ADMIN)
        expected = expected_version(if_match)
        appended = await run_command(
            services,
            ctx,
            name="join_community",
            target=community_id,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: join_community(
                services.store, write, community_id, data, expected=expected
            ),
        )
        community = await after(services, Community, ctx, appended)
        return answer(community_view(community, ctx.lang), appended)

    @command(
        "/{community_id:uuid}/members/{school_id:uuid}/leave",
        summary="A member school leaves the community",
        status_code=200,
    )
    async def leave(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community_id: FromPath[UUID],
        school_id: FromPath[UUID],
        data: JSONBody[LeaveCommunity],
        if_match: IfMatch = None,
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[CommunityView]:
        ctx.require(Role.ADMIN)
        expected = expected_version(if_match)
        appended = await run_command(
            services,
            ctx,
            name="leave_community",
            target=community_id,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: leave_community(
                services.store, write, community_id, school_id, data, expected=expected
            ),
        )
        community = await after(services, Community, ctx, appended)
        return answer(community_view(community, ctx.lang), appended)

    @command("/{community_id:uuid}/dissolve", summary="Dissolve the community", status_code=200)
    async def dissolve(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community_id: FromPath[UUID],
        data: JSONBody[DissolveCommunity],
        if_match: IfMatch = None,
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[CommunityView]:
        ctx.require(Role.ADMIN)
        expected = expected_version(if_match)
        appended = await run_command(
            services,
            ctx,
            name="dissolve_community",
            target=community_id,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: dissolve_community(
                services.store, write, community_id, data, expected=expected
            ),
        )
        community = await after(services, Community, ctx, appended)
        return answer(community_view(community, ctx.lang), appended)
