"""Schools (学校): register, rename, close, read."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody

from domain.codes import SchoolLocation, SchoolStage
from domain.community.errors import SchoolClosedError, SchoolUnchangedError
from domain.community.school import School
from infra.paging import decode_cursor, page_of
from projections.community import queries
from service.commands.community.schools import (
    CloseSchool,
    RegisterSchool,
    RenameSchool,
    close_school,
    register_school,
    rename_school,
)
from service.context import Caller, reading
from service.errors import SchoolCodeTakenError
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
)
from service.read_cache import json_answer
from service.reference.ids import LEAD
from service.services import Shared
from service.views.community.school import SchoolPage, SchoolView, school_view

_AFTER = msgspec.json.Decoder(tuple[str, UUID])


class SchoolController(Controller):
    path = "/v1/schools"
    tags = ["schools"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Register a school",
        description="Bureau admins only. The code (学校代码) is unique in the county and never"
        " changes. Answers 201 with the school, its `Location` and its version as `ETag`.",
        response_headers=CREATED,
        problems=gives(SchoolCodeTakenError(school_code="3311270001")),
    )
    async def register(self, *, call: Call, data: JSONBody[RegisterSchool]) -> Response[SchoolView]:
        return await created(call, register_school, School, data, school_view, at=self.path)

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
    ) -> Response[SchoolPage]:
        after = None if cursor is None else decode_cursor(cursor, _AFTER)

        async def listed() -> SchoolPage:
            async with reading(services, ctx) as conn:
                rows = await queries.schools(
                    conn,
                    ctx.tenant_id,
                    district=district,
                    location=location,
                    stage=stage,
                    is_open=is_open,
                    after=after,
                    limit=limit + 1,
                )
            items, next_cursor = page_of(rows, limit, lambda row: (row.code, row.school_id))
            return SchoolPage(
                items=[school_view(row, ctx.lang) for row in items], next_cursor=next_cursor
            )

        return json_answer(await services.read_cache.answer(ctx, listed), SchoolPage)

    @query(
        "/{school_id:uuid}",
        summary="A school as it stands now",
        description="Rebuilt from its events, so exact the moment a command returns; its"
        " version is the `ETag` to send as `If-Match`.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, school_id: FromPath[UUID]
    ) -> Response[SchoolView]:
        return await read_tagged(services, ctx, School, school_id, school_view)

    @command(
        "/{school_id:uuid}/rename",
        summary="Rename a school",
        description="Bureau admins only; the old name stays in the school's history.",
        status_code=200,
        response_headers=CHANGED,
        problems=gives(
            SchoolUnchangedError(school_id=LEAD, name="城关第一小学"),
            SchoolClosedError(school_id=LEAD, closed_on="2024-07-31"),
        ),
    )
    async def rename(
        self, *, call: Call, school_id: FromPath[UUID], data: JSONBody[RenameSchool]
    ) -> Response[SchoolView]:
        return await changed(call, rename_school, School, school_id, data, school_view)

    @command(
        "/{school_id:uuid}/close",
        summary="Close a school",
        description="Bureau admins only. A closed school keeps its records but joins no"
        " community and takes no new actions.",
        status_code=200,
        response_headers=CHANGED,
        problems=gives(SchoolClosedError(school_id=LEAD, closed_on="2024-07-31")),
    )
    async def close(
        self, *, call: Call, school_id: FromPath[UUID], data: JSONBody[CloseSchool]
    ) -> Response[SchoolView]:
        return await changed(call, close_school, School, school_id, data, school_view)
