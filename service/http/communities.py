"""Education communities (教共体): form, members join and leave, dissolve, read."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response
from litestar.params import FromPath, JSONBody

from domain.community import Community
from infra.tenancy import Role
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
    IdempotencyKey,
    IfMatch,
    after,
    answer,
    command,
    expected_version,
    query,
    run_command,
    tagged,
)
from service.http.schools import READERS
from service.services import Shared
from service.views import CommunityView, community_view


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
