"""Money (经费与补助): entries recorded and reversed, read, and totalled."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.codes import MoneyKind
from domain.money.entry import Entry
from infra.paging import decode_cursor, page_of
from projections.money import queries
from service.commands.money.entries import RecordEntry, ReverseEntry, record_entry, reverse_entry
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
from service.views.money.entry import (
    EntryPage,
    EntryView,
    TotalPage,
    entry_summary,
    entry_view,
    total_view,
)

_AFTER = msgspec.json.Decoder(tuple[date, UUID])
_TOTAL_AFTER = msgspec.json.Decoder(tuple[int, UUID])
Year = Annotated[int | None, QueryParameter(ge=2000, le=2099, description="The budget year")]


class EntryController(Controller):
    path = "/v1/money/entries"
    tags = ["money"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Record a payment",
        description="Funding (工作经费) to a community's lead school for a year, or a subsidy"
        " (补助) to a dispatched person for a month; amounts in fen.",
        response_headers=CREATED,
    )
    async def record(self, *, call: Call, data: JSONBody[RecordEntry]) -> Response[EntryView]:
        return await created(call, record_entry, Entry, data, entry_view, at=self.path)

    @query(
        summary="The county's payments",
        description="The latest paid first, paged; reversed ones are marked, never removed.",
    )
    async def list_entries(
        self,
        *,
        services: Shared,
        ctx: Caller,
        kind: FromQuery[MoneyKind | None] = None,
        school: FromQuery[UUID | None] = None,
        community: FromQuery[UUID | None] = None,
        person: Annotated[UUID | None, QueryParameter(description="A teacher's staff id")] = None,
        year: Year = None,
        include_reversed: FromQuery[bool] = False,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> EntryPage:
        async with reading(services, ctx) as conn:
            rows = await queries.entries(
                conn,
                ctx.tenant_id,
                kind=kind,
                school_id=school,
                community_id=community,
                teacher_id=person,
                year=year,
                include_reversed=include_reversed,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.paid_on, row.entry_id))
        return EntryPage(
            items=[entry_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query(
        "/{entry_id:uuid}",
        summary="A payment as it stands",
        response_headers=TAGGED,
        description="Rebuilt from its events; its version is the `ETag` to send as `If-Match`.",
    )
    async def read(
        self, *, services: Shared, ctx: Caller, entry_id: FromPath[UUID]
    ) -> Response[EntryView]:
        return await read_tagged(services, ctx, Entry, entry_id, entry_view)

    @command(
        "/{entry_id:uuid}/reverse",
        summary="Reverse a payment (冲销)",
        description="A wrong entry leaves every total; it stays in the ledger with the reason.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def reverse(
        self, *, call: Call, entry_id: FromPath[UUID], data: JSONBody[ReverseEntry]
    ) -> Response[EntryView]:
        return await changed(call, reverse_entry, Entry, entry_id, data, entry_view)


class MoneyTotalsController(Controller):
    path = "/v1/money/totals"
    tags = ["money"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        summary="What was paid, by year",
        description="Funding and subsidies by budget year, and by person, school or community"
        " (`by`); reversed entries left out. Latest year first, paged.",
    )
    async def totals(
        self,
        *,
        services: Shared,
        ctx: Caller,
        by: FromQuery[Literal["person", "school", "community"] | None] = None,
        year: Year = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> TotalPage:
        async with reading(services, ctx) as conn:
            found = await queries.totals(
                conn,
                ctx.tenant_id,
                by=by,
                year=year,
                after=None if cursor is None else decode_cursor(cursor, _TOTAL_AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(found, limit, queries.total_cursor)
        return TotalPage(by=by, items=[total_view(t) for t in items], next_cursor=next_cursor)
