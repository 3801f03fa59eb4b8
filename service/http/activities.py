"""Community actions (教共体活动): record, correct, void, read. A wrong record is never edited."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response
from litestar.params import FromPath, JSONBody

from domain.activity import Activity
from infra.tenancy import Role
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
    IdempotencyKey,
    IfMatch,
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
from service.services import Shared
from service.views import ActivityView, activity_view

WRITERS = (Role.ADMIN, Role.RECORDER)


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
