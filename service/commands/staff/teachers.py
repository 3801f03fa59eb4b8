"""Commands on teachers (教师): register, transfer, change, leave, erase.

Personal data (name, phone, ID number) is sealed with the teacher's own key before the domain
sees it; erasure destroys that key, then records the fact.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import BackboneLevel, Gender, Post, Subject, TeacherTitle
from domain.community.school import School
from domain.staff.errors import TeacherErasedError
from domain.staff.teacher import (
    FIRST_BIRTH_YEAR,
    ID_NUMBER_LIMIT,
    LAST_BIRTH_YEAR,
    NAME_LIMIT,
    PHONE_LIMIT,
    REASON_LIMIT,
    Teacher,
)
from infra.crypto import KeyErasedError, PersonalData
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced

if TYPE_CHECKING:
    from infra.crypto import Keyring
    from service.command import Env

Name = Annotated[
    RequiredText, msgspec.Meta(min_length=1, max_length=NAME_LIMIT, examples=["欧阳明远"])
]
Phone = Annotated[str, msgspec.Meta(max_length=PHONE_LIMIT, pattern=r"^\+?[0-9][0-9 -]{2,}$")]
IdNumber = Annotated[
    str, msgspec.Meta(max_length=ID_NUMBER_LIMIT, pattern=r"^[0-9]{15}([0-9]{2}[0-9Xx])?$")
]
Subjects = Annotated[list[Subject], msgspec.Meta(max_length=30)]
Posts = Annotated[list[Post], msgspec.Meta(max_length=20)]
BirthYear = Annotated[int, msgspec.Meta(ge=FIRST_BIRTH_YEAR, le=LAST_BIRTH_YEAR)]


class RegisterTeacher(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    phone: Phone | None = None
    id_number: IdNumber | None = None
    school_id: UUID
    gender: Gender
    birth_year: BirthYear
    subjects: Subjects = []
    title: TeacherTitle | None = None
    backbone_level: BackboneLevel | None = None
    posts: Posts = []


class ChangePersonalData(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The whole of it, sealed anew: a field left out is no longer kept."""

    name: Name
    phone: Phone | None = None
    id_number: IdNumber | None = None


class TransferTeacher(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    school_id: UUID
    transferred_on: date


class ChangeTitle(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    title: TeacherTitle
    changed_on: date


class ChangeBackboneLevel(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    backbone_level: BackboneLevel | None  # null: no longer a backbone teacher
    changed_on: date


class ChangePosts(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    posts: Posts
    changed_on: date


class LeaveStaff(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    left_on: date
    reason: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]


class EraseTeacher(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """No body: an erasure carries no free text (it would outlive the key)."""


def keyring_of(env: Env) -> Keyring:
    if env.keyring is None:  # pragma: no cover - every Env of the service has one
        raise RuntimeError("sealing personal data needs the keyring")
    return env.keyring


async def sealed(env: Env, teacher_id: UUID, cmd: RegisterTeacher | ChangePersonalData) -> bytes:
    """The personal data of the body, sealed with the teacher's key (made on first use)."""
    data = PersonalData(name=cmd.name.strip(), phone=cmd.phone, id_number=cmd.id_number)
    try:
        return await keyring_of(env).seal(env.tenant_id, teacher_id, data)
    except KeyErasedError:  # the key went, the Erased event did not follow (yet)
        raise TeacherErasedError(teacher_id=teacher_id) from None


async def register_teacher(env: Env, cmd: RegisterTeacher) -> Decision[Teacher]:
    school = await referenced(env, School, "school_id", cmd.school_id)
    teacher_id = uuid4()
    teacher = Teacher.register(
        id=teacher_id,
        school=school,
        personal=await sealed(env, teacher_id, cmd),
        gender=cmd.gender,
        birth_year=cmd.birth_year,
        subjects=cmd.subjects,
        title=cmd.title,
        backbone_level=cmd.backbone_level,
        posts=cmd.posts,
        by=env.by,
    )
    return Decision(teacher)


async def change_personal_data(
    env: Env, teacher: Teacher, cmd: ChangePersonalData
) -> Decision[Teacher]:
    teacher.check_can_serve()  # an erased teacher gets no new key
    teacher.change_personal_data(await sealed(env, teacher.id, cmd), by=env.by)
    return Decision(teacher)


async def transfer_teacher(env: Env, teacher: Teacher, cmd: TransferTeacher) -> Decision[Teacher]:
    school = await referenced(env, School, "school_id", cmd.school_id)
    teacher.transfer(school, cmd.transferred_on, by=env.by)
    return Decision(teacher)


async def change_title(env: Env, teacher: Teacher, cmd: ChangeTitle) -> Decision[Teacher]:
    teacher.change_title(cmd.title, cmd.changed_on, by=env.by)
    return Decision(teacher)


async def change_backbone_level(
    env: Env, teacher: Teacher, cmd: ChangeBackboneLevel
) -> Decision[Teacher]:
    teacher.change_backbone_level(cmd.backbone_level, cmd.changed_on, by=env.by)
    return Decision(teacher)


async def change_posts(env: Env, teacher: Teacher, cmd: ChangePosts) -> Decision[Teacher]:
    teacher.change_posts(cmd.posts, cmd.changed_on, by=env.by)
    return Decision(teacher)


async def leave_staff(env: Env, teacher: Teacher, cmd: LeaveStaff) -> Decision[Teacher]:
    teacher.leave(cmd.left_on, cmd.reason, by=env.by)
    return Decision(teacher)


async def erase_teacher(env: Env, teacher: Teacher, _: EraseTeacher) -> Decision[Teacher]:
    """Destroy the key, then record the fact; a teacher erased already is refused (409)."""
    teacher.erase(by=env.by)
    await keyring_of(env).erase(env.tenant_id, teacher.id)
    return Decision(teacher)
