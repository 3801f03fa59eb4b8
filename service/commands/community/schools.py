"""Commands on schools (学校): register, rename, close."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import msgspec

from domain.codes import SchoolLocation, SchoolStage
from domain.community.school import CODE_LIMIT, DISTRICT_LIMIT, NAME_LIMIT, REASON_LIMIT, School
from service.body import RequiredText
from service.command import Decision
from service.errors import SchoolCodeTakenError

if TYPE_CHECKING:
    from service.command import Env

Name = Annotated[
    RequiredText, msgspec.Meta(min_length=1, max_length=NAME_LIMIT, examples=["城关中心小学"])
]
Reason = Annotated[str, msgspec.Meta(max_length=REASON_LIMIT)]


class RegisterSchool(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    code: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=CODE_LIMIT,
            pattern=r"^[A-Za-z0-9_-]+$",
            description="学校代码: unique in the county; it never changes",
            examples=["3311270001"],
        ),
    ]
    stage: SchoolStage
    location: SchoolLocation
    district: Annotated[str, msgspec.Meta(max_length=DISTRICT_LIMIT)] = ""


class RenameSchool(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    reason: Reason = ""


class CloseSchool(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    closed_on: date
    reason: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]


async def register_school(env: Env, cmd: RegisterSchool) -> Decision[School]:
    school = School.register(
        namespace=env.tenant_id,
        name=cmd.name,
        code=cmd.code,
        stage=cmd.stage,
        location=cmd.location,
        district=cmd.district,
        by=env.by,
    )
    # The code names the stream: a conflict means the code is registered already.
    return Decision(school, if_exists=SchoolCodeTakenError(school_code=cmd.code))


async def rename_school(env: Env, school: School, cmd: RenameSchool) -> Decision[School]:
    school.rename(cmd.name, cmd.reason, by=env.by)
    return Decision(school)


async def close_school(env: Env, school: School, cmd: CloseSchool) -> Decision[School]:
    school.close(cmd.closed_on, cmd.reason, by=env.by)
    return Decision(school)
