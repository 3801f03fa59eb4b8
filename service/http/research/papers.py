"""Papers (论文): record, void, read. A wrong record is never edited."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.codes import PaperOutcome, ResearchLevel
from domain.periods import SchoolYear
from domain.research.paper import Paper
from infra.paging import decode_cursor, page_of
from projections.research import queries
from service.commands.research.papers import RecordPaper, VoidPaper, record_paper, void_paper
from service.context import Caller, reading
from service.http.common import (
    CHANGED,
    CREATED,
    SCHOOL_YEAR_PROBLEMS,
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
from service.views.research.paper import PaperPage, PaperView, paper_summary, paper_view

_AFTER = msgspec.json.Decoder(tuple[date, UUID])


class PaperController(Controller):
    path = "/v1/research/papers"
    tags = ["research"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Record a paper awarded, exchanged or published",
        description="A school's recorder records its own school's papers.",
        response_headers=CREATED,
    )
    async def record(self, *, call: Call, data: JSONBody[RecordPaper]) -> Response[PaperView]:
        return await created(call, record_paper, Paper, data, paper_view, at=self.path)

    @query(
        summary="The county's papers",
        description="The latest first, paged; voided ones left out unless asked for.",
        problems=SCHOOL_YEAR_PROBLEMS,
    )
    async def list_papers(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: FromQuery[UUID | None] = None,
        community: FromQuery[UUID | None] = None,
        level: FromQuery[ResearchLevel | None] = None,
        outcome: FromQuery[PaperOutcome | None] = None,
        school_year: Annotated[
            str | None, QueryParameter(description="e.g. 2022-2023", max_length=20)
        ] = None,
        include_void: FromQuery[bool] = False,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> PaperPage:
        year = None if school_year is None else SchoolYear.parse(school_year).code
        async with reading(services, ctx) as conn:
            rows = await queries.papers(
                conn,
                ctx.tenant_id,
                school_id=school,
                community_id=community,
                level=level,
                outcome=outcome,
                school_year=year,
                include_void=include_void,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.dated_on, row.paper_id))
        return PaperPage(
            items=[paper_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query(
        "/{paper_id:uuid}",
        summary="A paper as it stands",
        response_headers=TAGGED,
        description="Rebuilt from its events; its version is the `ETag` to send as `If-Match`.",
    )
    async def read(
        self, *, services: Shared, ctx: Caller, paper_id: FromPath[UUID]
    ) -> Response[PaperView]:
        return await read_tagged(services, ctx, Paper, paper_id, paper_view)

    @command(
        "/{paper_id:uuid}/void",
        summary="Void a paper",
        description="A wrong record stops counting; it stays in the ledger with the reason.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def void(
        self, *, call: Call, paper_id: FromPath[UUID], data: JSONBody[VoidPaper]
    ) -> Response[PaperView]:
        return await changed(call, void_paper, Paper, paper_id, data, paper_view)
