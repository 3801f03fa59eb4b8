"""Community actions (教共体活动): record, correct, void, read. A wrong record is never edited."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.activity import Activity
from domain.codes import ActivityKind
from infra.db import tenant_transaction
from infra.tenancy import Role
from projections.community import queries
from service.commands.activities import (
    CorrectActivity,
    RecordActivity,
    VoidActivity,
    correct_activity,
    record_activity,
    void_activity,
)
from service.context import Caller
from service.http.common import (
    AUTHENTICATED,
    Cursor,
    IdempotencyKey,
    IfMatch,
    Limit,
    PeriodFilter,
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
from service.summaries import ActivityPage
from service.views import ActivityView, activity_summary, activity_view

WRITERS = (Role.ADMIN, Role.RECORDER)
_AFTER = msgspec.json.Decoder(tuple[date, UUID])


class ActivityController(Controller):
    path = "/v1/activities"
    tags = ["activities"]  # noqa: RUF012 - Litestar's declared attribute
    dependencies = AUTHENTICATED

    @command(
        summary="Record an action",
        description="A school's recorder records its own school's actions (it must be the host);"
        " the bureau's admin records any. The lead school is notified.",
    )
    async def record(
        self,
        *,
        services: Shared,
        ctx: Caller,
        data: JSONBody[RecordActivity],
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[ActivityView]:
        ctx.require(*WRITERS)
        appended = await run_command(
            services,
            ctx,
            name="record_activity",
            target=None,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: record_activity(
                services.store,
                write,
                data,
                today=today(services),
                recorder_school=ctx.school_id,
            ),
        )
        activity = await after(services, Activity, ctx, appended)
        return answer(
            activity_view(activity, ctx.lang), appended, created_at=f"{self.path}/{activity.id}"
        )

    @query(
        summary="The county's actions",
        description="The latest held first, paged; corrections applied, voided ones left out"
        " unless asked for. Lists are folded from the records and may trail them by a moment.",
    )
    async def list_activities(
        self,
        *,
        services: Shared,
        ctx: Caller,
        community: FromQuery[UUID | None] = None,
        school: Annotated[UUID | None, QueryParameter(description="Hosted or took part in")] = None,
        kind: FromQuery[ActivityKind | None] = None,
        semester: Annotated[
            str | None, QueryParameter(description="e.g. 2023-spring", max_length=20)
        ] = None,
        school_year: Annotated[
            str | None, QueryParameter(description="e.g. 2022-2023", max_length=20)
        ] = None,
        include_void: FromQuery[bool] = False,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> ActivityPage:
        ctx.require(*READERS)
        period = PeriodFilter.of(semester=semester, school_year=school_year)
        async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
            rows = await queries.activities(
                conn,
                ctx.tenant_id,
                community_id=community,
                school_id=school,
                kind=kind,
                school_year=period.school_year,
                term=period.term,
                include_void=include_void,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
        items, next_cursor = page_of(rows, limit, lambda row: (row.held_on, row.activity_id))
        return ActivityPage(
            items=[activity_summary(row, ctx.lang) for row in items], next_cursor=next_cursor
        )

    @query("/{activity_id:uuid}", summary="An action as it stands now (after corrections)")
    async def read(
        self, *, services: Shared, ctx: Caller, activity_id: FromPath[UUID]
    ) -> Response[ActivityView]:
        ctx.require(*READERS)
        activity = await services.store.get(Activity, ctx.tenant_id, activity_id)
        return tagged(activity_view(activity, ctx.lang), activity.version)

    @command(
        "/{activity_id:uuid}/corrections",
        summary="Correct an action",
        description="Give the fields to change and a reason; the record keeps its history.",
        status_code=200,
    )
    async def correct(
        self,
        *,
        services: Shared,
        ctx: Caller,
        activity_id: FromPath[UUID],
        data: JSONBody[CorrectActivity],
        if_match: IfMatch = None,
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[ActivityView]:
        ctx.require(*WRITERS)
        expected = expected_version(if_match)
        appended = await run_command(
            services,
            ctx,
            name="correct_activity",
            target=activity_id,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: correct_activity(
                services.store,
                write,
                activity_id,
                data,
                expected=expected,
                today=today(services),
                recorder_school=ctx.school_id,
            ),
        )
        activity = await after(services, Activity, ctx, appended)
        return answer(activity_view(activity, ctx.lang), appended)

    @command(
        "/{activity_id:uuid}/void",
        summary="Void an action",
        description="A wrong record stops counting; it stays in the ledger with the reason.",
        status_code=200,
    )
    async def void(
        self,
        *,
        services: Shared,
        ctx: Caller,
        activity_id: FromPath[UUID],
        data: JSONBody[VoidActivity],
        if_match: IfMatch = None,
        idempotency_key_header: IdempotencyKey = None,
    ) -> Response[ActivityView]:
        ctx.require(*WRITERS)
        expected = expected_version(if_match)
        appended = await run_command(
            services,
            ctx,
            name="void_activity",
            target=activity_id,
            body=data,
            key_header=idempotency_key_header,
            act=lambda write: void_activity(
                services.store,
                write,
                activity_id,
                data,
                expected=expected,
                recorder_school=ctx.school_id,
            ),
        )
        activity = await after(services, Activity, ctx, appended)
        return answer(activity_view(activity, ctx.lang), appended)
