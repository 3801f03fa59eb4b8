"""Commendations (表彰): awarded for a year with their basis, revoked, read."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.codes import CommendationKind
from domain.commendation.commendation import Commendation
from infra.paging import decode_cursor, page_of
from projections.money import queries
from service.commands.commendation.commendations import (
    AwardCommendation,
    RevokeCommendation,
    award_commendation,
    revoke_commendation,
)
from service.context import Caller, reading
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
    query,
    tagged,
)
from service.services import Shared
from service.views.commendation.commendation import (
    CommendationPage,
    CommendationView,
    commendation_summary,
    commendation_view,
)

_AFTER = msgspec.json.Decoder(tuple[date, UUID])


class CommendationController(Controller):
    path = "/v1/commendations"
    tags = ["commendations"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Record a commendation",
        description="Of a dispatched teacher (优秀轮岗支教教师) or a community (优秀教育共同体),"
        " for a year, with its basis.",
        response_headers=CREATED,
    )
    async def award(
        self, *, call: Call, data: JSONBody[AwardCommendation]
    ) -> Response[CommendationView]:
        return await created(
            call, award_commendation, Commendation, data, commendation_view, at=self.path
        )

    @query(
        summary="The county's commendations",
        description="The latest first, paged; revoked ones are marked, never removed.",
    )
    async def list_commendations(
        self,
        *,
        services: Shared,
        ctx: Caller,
        kind: FromQuery[CommendationKind | None] = None,
        year: Annotated[int | None, QueryParameter(ge=2000, le=2099)] = None,
        school: FromQuery[UUID | None] = None,
        community: FromQuery[UUID | None] = None,
        person: Annotated[UUID | None, QueryParameter(description="A teacher's staff id")] = None,
        include_revoked: FromQuery[bool] = False,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> CommendationPage:
        async with reading(services, ctx) as conn:
            rows = await queries.commendations(
                conn,
                ctx.tenant_id,
                kind=kind,
                year=year,
                school_id=school,
                community_id=community,
                teacher_id=person,
                include_revoked=include_revoked,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda r: (r.awarded_on, r.commendation_id))
        return CommendationPage(
            items=[commendation_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query(
        "/{commendation_id:uuid}",
        summary="A commendation as it stands",
        response_headers=TAGGED,
        description="Rebuilt from its events, with its basis and document number; its version is"
        " the `ETag`.",
    )
    async def read(
        self, *, services: Shared, ctx: Caller, commendation_id: FromPath[UUID]
    ) -> Response[CommendationView]:
        async with reading(services, ctx) as conn:
            found = await services.store.get(
                Commendation, ctx.tenant_id, commendation_id, conn=conn
            )
        return tagged(commendation_view(found, ctx.lang), found.version)

    @command(
        "/{commendation_id:uuid}/revoke",
        summary="Revoke a commendation",
        description="A commendation made in error; it stays in the ledger with the reason.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def revoke(
        self, *, call: Call, commendation_id: FromPath[UUID], data: JSONBody[RevokeCommendation]
    ) -> Response[CommendationView]:
        return await changed(
            call, revoke_commendation, Commendation, commendation_id, data, commendation_view
        )
