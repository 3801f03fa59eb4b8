"""A teacher (教师): as one record and as the list shows it, named once opened, or erased."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.codes import Label
from infra.crypto import PersonalData
from service.views.labels import in_language, text

if TYPE_CHECKING:
    from infra.crypto import Erased
    from projections.staff.teacher_list import TeacherRow

ERASED_LABEL = Label("已删除", "Erased")


class CodeView(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str


class TeacherView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str | None  # null once erased
    display_name: str  # the name, or 已删除 / Erased
    phone: str | None  # the county's admins only
    id_number: str | None  # the county's admins only
    erased: bool
    school_id: UUID
    gender: str
    gender_label: str
    birth_year: int
    subjects: list[CodeView]
    title: str | None
    title_label: str | None
    backbone_level: str | None
    backbone_level_label: str | None
    posts: list[CodeView]
    left_on: date | None
    version: int


def teacher_view(
    row: TeacherRow, personal: PersonalData | Erased, lang: str, *, private: bool
) -> TeacherView:
    """A teacher with their personal data as opened; phone and ID number only if `private`."""
    known = personal if isinstance(personal, PersonalData) else None
    name = None if known is None or row.is_erased else known.name
    return TeacherView(
        id=row.teacher_id,
        name=name,
        display_name=in_language(ERASED_LABEL, lang) if name is None else name,
        phone=known.phone if known is not None and name is not None and private else None,
        id_number=known.id_number if known is not None and name is not None and private else None,
        erased=name is None,
        school_id=row.school_id,
        gender=row.gender.value,
        gender_label=text(row.gender, lang),
        birth_year=row.birth_year,
        subjects=[CodeView(code=s.value, label=text(s, lang)) for s in row.subjects],
        title=None if row.title is None else row.title.value,
        title_label=None if row.title is None else text(row.title, lang),
        backbone_level=None if row.backbone_level is None else row.backbone_level.value,
        backbone_level_label=(
            None if row.backbone_level is None else text(row.backbone_level, lang)
        ),
        posts=[CodeView(code=p.value, label=text(p, lang)) for p in row.posts],
        left_on=row.left_on,
        version=row.version,
    )


class TeacherPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[TeacherView]
    next_cursor: str | None
