"""Commands on schools (学校): register, rename, close."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import msgspec

from domain.codes import SchoolLocation, SchoolStage
from domain.community.school import School
from domain.periods import check_in_range
from infra.event_store import StreamConflictError
from service.body import RequiredText
from service.errors import SchoolCodeTakenError

if TYPE_CHECKING:
    from uuid import UUID

    from infra.event_store import Appended, EventStore, WriteContext

Name = Annotated[
    RequiredText, msgspec.Meta(min_length=1, max_length=100, examples=["城关中心小学"])
]
Reason = Annotated[str, msgspec.Meta(max_length=500)]


class RegisterSchool(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    code: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=32,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="学校代码: unique in the county; it never changes",
            examples=["3311270001"],
        ),
    ]
    stage: SchoolStage
    location: SchoolLocation
    district: Annotated[str, msgspec.Meta(max_length=100)] = ""


class RenameSchool(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    reason: Reason = ""


class CloseSchool(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    closed_on: date
    reason: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=500)]


async def register_school(store: EventStore, ctx: WriteContext, cmd: RegisterSchool) -> Appended:
    school = School.register(
        namespace=ctx.tenant_id,
        name=cmd.name,
        code=cmd.code,
        stage=cmd.stage,
        location=cmd.location,
        district=cmd.district,
        by=ctx.actor_id,
    )
    try:
        return await store.save(school, ctx)
    except StreamConflictError as error:  # the code names the stream: it exists already
        raise SchoolCodeTakenError(school_code=cmd.code) from error


async def rename_school(
    store: EventStore,
    ctx: WriteContext,
    school_id: UUID,
    cmd: RenameSchool,
    *,
    expected: int | None,
) -> Appended:
    school = await store.get(School, ctx.tenant_id, school_id, expected_version=expected)
    school.rename(cmd.name, cmd.reason, by=ctx.actor_id)
    return await store.save(school, ctx)


async def close_school(
    store: EventStore, ctx: WriteContext, school_id: UUID, cmd: CloseSchool, *, expected: int | None
) -> Appended:
    check_in_range("closed_on", cmd.closed_on)
    school = await store.get(School, ctx.tenant_id, school_id, expected_version=expected)
    school.close(cmd.closed_on, cmd.reason, by=ctx.actor_id)
    return await store.save(school, ctx)
