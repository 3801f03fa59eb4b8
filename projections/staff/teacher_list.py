"""The county's teachers as they stand, one row each; personal data only as sealed.

The row keeps the sealed bytes of the events (the service opens them at read time with the
teacher's key) and drops them on `Erased`, so after an erasure no table holds them at all.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from domain.codes import BackboneLevel, Gender, Post, Subject, TeacherTitle
from domain.staff.teacher import Teacher
from projections.base import Projection

if TYPE_CHECKING:
    from collections.abc import Callable


class TeacherRow(msgspec.Struct, frozen=True, kw_only=True):
    teacher_id: UUID
    school_id: UUID
    personal: bytes | None  # sealed; None once erased
    gender: Gender
    birth_year: int
    subjects: tuple[Subject, ...]
    title: TeacherTitle | None
    backbone_level: BackboneLevel | None
    posts: tuple[Post, ...]
    registered_at: datetime
    left_on: date | None
    is_erased: bool
    version: int

    @property
    def id(self) -> UUID:
        return self.teacher_id


def teacher_row(teacher: Teacher) -> TeacherRow:
    """The row of a teacher as its aggregate stands (the list's row once folded)."""
    return TeacherRow(
        teacher_id=teacher.id,
        school_id=teacher.school_id,
        personal=teacher.personal,
        gender=teacher.gender,
        birth_year=teacher.birth_year,
        subjects=teacher.subjects,
        title=teacher.title,
        backbone_level=teacher.backbone_level,
        posts=teacher.posts,
        registered_at=teacher.created_on,
        left_on=teacher.left_on,
        is_erased=teacher.is_erased,
        version=teacher.version,
    )


# What each later event changes in the row; an erasure drops the sealed personal data.
_CHANGES: dict[type, Callable[[Any], dict[str, Any]]] = {
    Teacher.Transferred: lambda e: {"school_id": e.school_id},
    Teacher.TitleChanged: lambda e: {"title": e.title},
    Teacher.BackboneLevelChanged: lambda e: {"backbone_level": e.backbone_level},
    Teacher.PostsChanged: lambda e: {"posts": e.posts},
    Teacher.PersonalDataChanged: lambda e: {"personal": e.personal},
    Teacher.Left: lambda e: {"left_on": e.left_on},
    Teacher.Erased: lambda _: {"personal": None, "is_erased": True},
}


def evolve(row: TeacherRow | None, event: Any) -> TeacherRow | None:  # noqa: ANN401 - any event
    if isinstance(event, Teacher.Registered):
        return TeacherRow(
            teacher_id=event.originator_id,
            school_id=event.school_id,
            personal=event.personal,
            gender=event.gender,
            birth_year=event.birth_year,
            subjects=event.subjects,
            title=event.title,
            backbone_level=event.backbone_level,
            posts=event.posts,
            registered_at=event.timestamp,
            left_on=None,
            is_erased=False,
            version=event.originator_version,
        )
    change = _CHANGES.get(type(event))
    if row is None or change is None:
        return row
    return msgspec.structs.replace(row, version=event.originator_version, **change(event))


teacher_list = Projection(
    name="teacher_list", aggregate=Teacher, row_type=TeacherRow, key="teacher_id", evolve=evolve
)
