"""Mentor pairs (师徒结对): pair, end early, link public lessons, read."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.periods import check_in_range
from domain.staff.mentorship import Mentorship
from infra.paging import decode_cursor, page_of
from projections.staff import queries
from service.commands.staff.mentorships import (
    EndMentorship,
    LinkLesson,
    PairMentorship,
    end_mentorship,
    link_lesson,
    pair_mentorship,
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
from service.views.staff.mentorship import MentorshipPage, MentorshipView, mentorship_view

_AFTER = msgspec.json.Decoder(tuple[date, UUID])


class MentorshipController(Controller):
    path = "/v1/mentorships"
    tags = ["mentorships"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Pair a mentor and an apprentice",
        description="At a school, for a term.",
        response_headers=CREATED,
    )
    async def pair(self, *, call: Call, data: JSONBody[PairMentorship]) -> Response[MentorshipView]:
        return await created(call, pair_mentorship, Mentorship, data, mentorship_view, at=self.path)

    @query(
        summary="The county's mentor pairs",
        description="The latest to start first, paged. Lists are folded from the records and"
        " may trail them by a moment.",
    )
    async def list_mentorships(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: FromQuery[UUID | None] = None,
        person: Annotated[UUID | None, QueryParameter(description="Mentor or apprentice")] = None,
        active_on: FromQuery[date | None] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> MentorshipPage:
        check_in_range("active_on", active_on)
        async with reading(services, ctx) as conn:
            rows = await queries.mentorships(
                conn,
                ctx.tenant_id,
                school_id=school,
                teacher_id=person,
                active_on=active_on,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.starts_on, row.mentorship_id))
        return MentorshipPage(
            items=[mentorship_view(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query(
        "/{mentorship_id:uuid}",
        summary="A mentor pair as it stands now",
        description="Rebuilt from its events, with the apprentice's linked public lessons; its"
        " version is the `ETag` to send as `If-Match`.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, mentorship_id: FromPath[UUID]
    ) -> Response[MentorshipView]:
        return await read_tagged(services, ctx, Mentorship, mentorship_id, mentorship_view)

    @command(
        "/{mentorship_id:uuid}/end",
        summary="End the pairing early",
        description="From `ended_on`, with the reason; the pair stays in the ledger.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def end(
        self, *, call: Call, mentorship_id: FromPath[UUID], data: JSONBody[EndMentorship]
    ) -> Response[MentorshipView]:
        return await changed(call, end_mentorship, Mentorship, mentorship_id, data, mentorship_view)

    @command(
        "/{mentorship_id:uuid}/lessons",
        summary="Link a public lesson of the apprentice",
        description="A public lesson (公开汇报课) the apprentice gave within the term.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def link(
        self, *, call: Call, mentorship_id: FromPath[UUID], data: JSONBody[LinkLesson]
    ) -> Response[MentorshipView]:
        return await changed(call, link_lesson, Mentorship, mentorship_id, data, mentorship_view)
