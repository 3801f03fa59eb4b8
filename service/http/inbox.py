"""Schools' inboxes: what workers tell a school (a lead school hears of its community's actions)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response
from litestar.params import FromPath, FromQuery

from infra.db import tenant_transaction
from infra.tenancy import Role
from service.context import Caller
from service.http.common import AUTHENTICATED, Cursor, Limit, command, query
from service.http.community.schools import READERS
from service.inbox import InboxPage, list_inbox, mark_read
from service.problems import ApiError
from service.services import Shared

_BIGINT = 2**63 - 1


def _inbox_of(ctx: Caller, school: UUID | None) -> UUID | None:
    """A recorder reads its own school's inbox; the bureau any school's, or the county's."""
    if ctx.role is not Role.RECORDER:
        return school
    if school is not None and school != ctx.school_id:
        raise ApiError(
            403,
            "not_your_school",
            "只能查看本校的通知。",
            "A school's recorder reads only its own school's inbox.",
        )
    return ctx.school_id


class InboxController(Controller):
    path = "/v1/inbox"
    tags = ["inbox"]  # noqa: RUF012 - Litestar's declared attribute
    dependencies = AUTHENTICATED

    @query(
        summary="Notifications, newest first",
        description="A recorder gets its school's; the bureau gets a school's with `school`, or"
        " the whole county's. Paged with `cursor`.",
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
        ctx.require(*READERS)
        school_id = _inbox_of(ctx, school)
        async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
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
        ctx.require(Role.ADMIN, Role.RECORDER)
        found = False
        if 0 < notification_id <= _BIGINT:  # ids are bigints; a larger one names nothing
            async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
                school_id = _inbox_of(ctx, None)
                found = await mark_read(conn, ctx.tenant_id, notification_id, school_id)
        if not found:
            raise ApiError(404, "not_found", "未找到该通知。", "No such notification.")
        return Response(None, status_code=204)
