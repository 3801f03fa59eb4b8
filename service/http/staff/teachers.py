"""Teachers (教师): register, transfer, change, leave, erase, read; names opened at read time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.codes import BackboneLevel, Subject, TeacherTitle
from domain.staff.teacher import Teacher
from infra.crypto import ERASED, PersonalData
from infra.paging import decode_cursor, page_of
from infra.tenancy import Role
from projections.staff import queries
from projections.staff.teacher_list import teacher_row
from service.commands.staff.teachers import (
    ChangeBackboneLevel,
    ChangePersonalData,
    ChangePosts,
    ChangeTitle,
    EraseTeacher,
    LeaveStaff,
    RegisterTeacher,
    TransferTeacher,
    change_backbone_level,
    change_personal_data,
    change_posts,
    change_title,
    erase_teacher,
    leave_staff,
    register_teacher,
    transfer_teacher,
)
from service.context import Caller, reading
from service.http.common import (
    CHANGED,
    CREATED,
    TAGGED,
    Call,
    Cursor,
    Limit,
    answer,
    change_of,
    command,
    creation,
    query,
    tagged,
)
from service.services import Shared
from service.views.staff.teacher import TeacherPage, TeacherView, teacher_view

if TYPE_CHECKING:
    from infra.db import Connection
    from infra.event_store import Appended
    from service.context import RequestContext
    from service.services import Services

_AFTER = msgspec.json.Decoder(tuple[datetime, UUID])


async def named(
    services: Services, ctx: RequestContext, teacher: Teacher, conn: Connection | None = None
) -> TeacherView:
    """The teacher's view with their personal data opened (or erased)."""
    row = teacher_row(teacher)
    personal = (
        ERASED
        if row.personal is None
        else await services.keyring.open(
            ctx.tenant_id, teacher.id, row.personal, PersonalData, conn=conn
        )
    )
    return teacher_view(row, personal, ctx.lang, private=ctx.role is Role.ADMIN)


async def _changed(call: Call, done: tuple[Teacher, Appended]) -> Response[TeacherView]:
    teacher, appended = done
    return answer(await named(call.services, call.ctx, teacher), appended)


class TeacherController(Controller):
    path = "/v1/teachers"
    tags = ["teachers"]  # noqa: RUF012 - Litestar's declared attribute

    @command(
        summary="Register a teacher",
        description="Name, phone and ID number are sealed with a key of the teacher's own"
        " before they are recorded; admins only.",
        response_headers=CREATED,
    )
    async def register(
        self, *, call: Call, data: JSONBody[RegisterTeacher]
    ) -> Response[TeacherView]:
        teacher, appended = await creation(call, register_teacher, Teacher, data)
        view = await named(call.services, call.ctx, teacher)
        return answer(view, appended, created_at=f"{self.path}/{teacher.id}")

    @query(
        summary="The county's teachers",
        description="In the order they were registered, paged; those who left only with"
        " `include_left`. Names are opened for the answer; an erased teacher shows as such."
        " Phone and ID number are shown to admins only.",
    )
    async def list_teachers(
        self,
        *,
        services: Shared,
        ctx: Caller,
        school: FromQuery[UUID | None] = None,
        subject: FromQuery[Subject | None] = None,
        title: FromQuery[TeacherTitle | None] = None,
        backbone_level: FromQuery[BackboneLevel | None] = None,
        include_left: Annotated[bool, QueryParameter(description="Also those who left")] = False,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> TeacherPage:
        async with reading(services, ctx) as conn:
            rows = await queries.teachers(
                conn,
                ctx.tenant_id,
                school_id=school,
                subject=subject,
                title=title,
                backbone_level=backbone_level,
                include_left=include_left,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
            items, next_cursor = page_of(rows, limit, lambda row: (row.registered_at, row.id))
            opened = await services.keyring.open_many(
                ctx.tenant_id, {row.id: row.personal for row in items}, PersonalData, conn=conn
            )
        private = ctx.role is Role.ADMIN
        return TeacherPage(
            items=[teacher_view(row, opened[row.id], ctx.lang, private=private) for row in items],
            next_cursor=next_cursor,
        )

    @query(
        "/{teacher_id:uuid}",
        summary="A teacher as they stand now",
        description="Rebuilt from its events, personal data opened for who may read it; its"
        " version is the `ETag` to send as `If-Match`.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, teacher_id: FromPath[UUID]
    ) -> Response[TeacherView]:
        async with reading(services, ctx) as conn:
            teacher = await services.store.get(Teacher, ctx.tenant_id, teacher_id, conn=conn)
            view = await named(services, ctx, teacher, conn)
        return tagged(view, teacher.version)

    @command(
        "/{teacher_id:uuid}/transfer",
        summary="Move to another school",
        description="From `transferred_on`; the teacher's history keeps the school before.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def transfer(
        self, *, call: Call, teacher_id: FromPath[UUID], data: JSONBody[TransferTeacher]
    ) -> Response[TeacherView]:
        return await _changed(
            call, await change_of(call, transfer_teacher, Teacher, teacher_id, data)
        )

    @command(
        "/{teacher_id:uuid}/title",
        summary="A new title (职称)",
        description="初级, 中级 or 高级 from `changed_on`; the older title stays in the history.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def title(
        self, *, call: Call, teacher_id: FromPath[UUID], data: JSONBody[ChangeTitle]
    ) -> Response[TeacherView]:
        return await _changed(call, await change_of(call, change_title, Teacher, teacher_id, data))

    @command(
        "/{teacher_id:uuid}/backbone-level",
        summary="A new 骨干 level, or none",
        description="School, county, city or province 骨干 from `changed_on`, or none.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def backbone_level(
        self, *, call: Call, teacher_id: FromPath[UUID], data: JSONBody[ChangeBackboneLevel]
    ) -> Response[TeacherView]:
        return await _changed(
            call, await change_of(call, change_backbone_level, Teacher, teacher_id, data)
        )

    @command(
        "/{teacher_id:uuid}/posts",
        summary="The posts held (职务)",
        description="Every post the teacher holds from `changed_on` (the list replaces the last).",
        status_code=200,
        response_headers=CHANGED,
    )
    async def posts(
        self, *, call: Call, teacher_id: FromPath[UUID], data: JSONBody[ChangePosts]
    ) -> Response[TeacherView]:
        return await _changed(call, await change_of(call, change_posts, Teacher, teacher_id, data))

    @command(
        "/{teacher_id:uuid}/personal-data",
        summary="Replace the personal data",
        description="Name, phone and ID number, sealed anew with the teacher's key.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def personal_data(
        self, *, call: Call, teacher_id: FromPath[UUID], data: JSONBody[ChangePersonalData]
    ) -> Response[TeacherView]:
        return await _changed(
            call, await change_of(call, change_personal_data, Teacher, teacher_id, data)
        )

    @command(
        "/{teacher_id:uuid}/leave",
        summary="The teacher leaves the county's staff",
        description="From `left_on`, with the reason (退休, 调出…); the record stays.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def leave(
        self, *, call: Call, teacher_id: FromPath[UUID], data: JSONBody[LeaveStaff]
    ) -> Response[TeacherView]:
        return await _changed(call, await change_of(call, leave_staff, Teacher, teacher_id, data))

    @command(
        "/{teacher_id:uuid}/erase",
        summary="Erase the teacher's personal data",
        description="Destroys the teacher's key, then records the erasure: the events stay"
        " (the chain still verifies) and no read shows the name again. No body.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def erase(self, *, call: Call, teacher_id: FromPath[UUID]) -> Response[TeacherView]:
        return await _changed(
            call, await change_of(call, erase_teacher, Teacher, teacher_id, EraseTeacher())
        )
