"""Schools' inboxes: what workers tell a school (a lead school hears of its community's actions)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response
from litestar.params import FromPath, FromQuery

from infra.inbox import InboxPage, list_inbox, mark_read
from service.access import NOT_YOUR_INBOX, inbox_of
from service.context import Caller, reading
from service.http.common import Cursor, Limit, command, gives, query
from service.problems import ApiError
from service.services import Shared

_BIGINT = 2**63 - 1


class InboxController(Controller):
    path = "/v1/inbox"
    tags = ["inbox"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        summary="Notifications, newest first",
        description="A recorder gets its school's; the bureau gets a school's with `school`, or"
        " the whole county's. Paged with `cursor`.",
        problems=gives(NOT_YOUR_INBOX),
    )
    async def list_notifications(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: FromQuery[UUID | None] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> InboxPage:
        school_id = inbox_of(ctx, school)
        async with reading(services, ctx) as conn:
            return await list_inbox(
                conn, ctx.tenant_id, school_id=school_id, limit=limit, cursor=cursor
            )

    @command(
        "/{notification_id:int}/read",
        summary="Mark a notification read",
        description="Keeps the first time it was read. A recorder marks its own school's.",
        status_code=204,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, notification_id: FromPath[int]
    ) -> Response[None]:
        found = False
        if 0 < notification_id <= _BIGINT:  # ids are bigints; a larger one names nothing
            async with reading(services, ctx) as conn:
                found = await mark_read(conn, ctx.tenant_id, notification_id, inbox_of(ctx, None))
        if not found:
            raise ApiError(404, "not_found", "未找到该通知。", "No such notification.")
        return Response(None, status_code=204)
