"""Staff assignments (支教/轮岗/挂职, 跟岗, 跟班, 互派交流): arrange, replace, end early, read."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.codes import AssignmentKind
from domain.periods import check_in_range
from domain.staff.assignment import Assignment
from infra.paging import decode_cursor, page_of
from projections.staff import queries
from service.commands.staff.assignments import (
    ArrangeAssignment,
    EndAssignment,
    ReplacePerson,
    arrange_assignment,
    end_assignment,
    replace_person,
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
    read_tagged,
)
from service.services import Shared
from service.views.staff.assignment import (
    AssignmentPage,
    AssignmentView,
    assignment_summary,
    assignment_view,
)

_AFTER = msgspec.json.Decoder(tuple[date, UUID])


class AssignmentController(Controller):
    path = "/v1/assignments"
    tags = ["assignments"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Arrange an assignment",
        description="A person of one school serves at another for a term. No two full-time"
        " assignments of one person may overlap; eligibility is recorded, judged by the rules.",
        response_headers=CREATED,
    )
    async def arrange(
        self, *, call: Call, data: JSONBody[ArrangeAssignment]
    ) -> Response[AssignmentView]:
        return await created(
            call, arrange_assignment, Assignment, data, assignment_view, at=self.path
        )

    @query(
        summary="The county's assignments",
        description="The latest to start first, paged. Lists are folded from the records and"
        " may trail them by a moment.",
    )
    async def list_assignments(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community: FromQuery[UUID | None] = None,
        school: Annotated[UUID | None, QueryParameter(description="Sending or host")] = None,
        from_school: FromQuery[UUID | None] = None,
        to_school: FromQuery[UUID | None] = None,
        person: Annotated[UUID | None, QueryParameter(description="Filled it, ever")] = None,
        kind: FromQuery[AssignmentKind | None] = None,
        active_on: FromQuery[date | None] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> AssignmentPage:
        check_in_range("active_on", active_on)
        async with reading(services, ctx) as conn:
            rows = await queries.assignments(
                conn,
                ctx.tenant_id,
                community_id=community,
                school_id=school,
                from_school_id=from_school,
                to_school_id=to_school,
                teacher_id=person,
                kind=kind,
                active_on=active_on,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.starts_on, row.assignment_id))
        return AssignmentPage(
            items=[assignment_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query(
        "/{assignment_id:uuid}",
        summary="An assignment as it stands now, every holder",
        description="Rebuilt from its events, with every holder of its place and since when;"
        " its version is the `ETag` to send as `If-Match`.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, assignment_id: FromPath[UUID]
    ) -> Response[AssignmentView]:
        return await read_tagged(services, ctx, Assignment, assignment_id, assignment_view)

    @command(
        "/{assignment_id:uuid}/replacement",
        summary="Replace the person",
        description="After the first year, either side sends another person for the rest of"
        " the term.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def replace(
        self, *, call: Call, assignment_id: FromPath[UUID], data: JSONBody[ReplacePerson]
    ) -> Response[AssignmentView]:
        return await changed(call, replace_person, Assignment, assignment_id, data, assignment_view)

    @command(
        "/{assignment_id:uuid}/end",
        summary="End the assignment early",
        description="The last day served and why.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def end(
        self, *, call: Call, assignment_id: FromPath[UUID], data: JSONBody[EndAssignment]
    ) -> Response[AssignmentView]:
        return await changed(call, end_assignment, Assignment, assignment_id, data, assignment_view)
