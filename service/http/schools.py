"""Schools (学校): register, rename, close, read."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody

from domain.codes import SchoolLocation, SchoolStage
from domain.school import School
from infra.db import tenant_transaction
from infra.tenancy import Role
from projections.community import queries
from service.commands.schools import (
    CloseSchool,
    RegisterSchool,
    RenameSchool,
    close_school,
    register_school,
    rename_school,
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
)
from service.paging import decode_cursor, page_of
from service.services import Shared
from service.summaries import SchoolPage
from service.views import SchoolView, school_view

READERS = (Role.ADMIN, Role.RECORDER, Role.SUPERVISOR, Role.AUDITOR)
_AFTER = msgspec.json.Decoder(tuple[str, UUID])


class SchoolController(Controller):
    path = "/v1/schools"
    tags = ["schools"]  # noqa: RUF012 - Litestar's declared attribute
    dependencies = AUTHENTICATED

    @command(summary="Register a school", description="Bureau admins only. The code is unique.")
    async def register(
        self,
        *,
        services: Shared,
        ctx: Caller,
        data: JSONBody[RegisterSchool],
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[SchoolView]:
        ctx.require(Role.ADMIN)
        appended = await run_command(
            services,
            ctx,
            name="register_school",
            target=None,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: register_school(services.store, write, data),
        )
        school = await after(services, School, ctx, appended)
        return answer(
            school_view(school, ctx.lang), appended, created_at=f"{self.path}/{school.id}"
        )

    @query(
        summary="The county's schools",
        description="By code, paged. Lists are folded from the records and may trail them by"
        " a moment.",
    )
    async def list_schools(
        self,
        *,
        services: Shared,
        ctx: Caller,
        district: FromQuery[str | None] = None,
        location: FromQuery[SchoolLocation | None] = None,
        stage: FromQuery[SchoolStage | None] = None,
        is_open: FromQuery[bool | None] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> SchoolPage:
        ctx.require(*READERS)
        async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
            rows = await queries.schools(
                conn,
                ctx.tenant_id,
                district=district,
                location=location,
                stage=stage,
                is_open=is_open,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.code, row.school_id))
        return SchoolPage(
            items=[school_view(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query("/{school_id:uuid}", summary="A school as it stands now")
    async def read(
        self, *, services: Shared, ctx: Caller, school_id: FromPath[UUID]
    ) -> Response[SchoolView]:
        ctx.require(*READERS)
        school = await services.store.get(School, ctx.tenant_id, school_id)
        return tagged(school_view(school, ctx.lang), school.version)

    @command("/{school_id:uuid}/rename", summary="Rename a school", status_code=200)
    async def rename(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school_id: FromPath[UUID],
        data: JSONBody[RenameSchool],
        if_match: IfMatch = None,
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[SchoolView]:
        ctx.require(Role.ADMIN)
        expected = expected_version(if_match)
        appended = await run_command(
            services,
            ctx,
            name="rename_school",
            target=school_id,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: rename_school(
                services.store, write, school_id, data, expected=expected
            ),
        )
        return answer(school_view(await after(services, School, ctx, appended), ctx.lang), appended)

    @command("/{school_id:uuid}/close", summary="Close a school", status_code=200)
    async def close(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school_id: FromPath[UUID],
        data: JSONBody[CloseSchool],
        if_match: IfMatch = None,
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[SchoolView]:
        ctx.require(Role.ADMIN)
        expected = expected_version(if_match)
        appended = await run_command(
            services,
            ctx,
            name="close_school",
            target=school_id,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: close_school(
                services.store, write, school_id, data, expected=expected
            ),
        )
        return answer(school_view(await after(services, School, ctx, appended), ctx.lang), appended)
