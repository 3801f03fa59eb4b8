"""The shared quality database's rows, each with the change from the year before."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from service.views.community.activity import SubjectView
from service.views.labels import text
from service.views.quality.sitting import semester_code

if TYPE_CHECKING:
    from projections.quality.queries import ComparedRow


class Figures(msgspec.Struct, frozen=True, kw_only=True):
    school_year: str
    students: int
    pass_rate: float
    good_rate: float
    mean: float
    full_marks: int


class QualityResult(msgspec.Struct, frozen=True, kw_only=True):
    """Figures of a school, subject and grade in a period (school year and term).

    The changes are in percentage points (and points of the mean) from the same grade, subject
    and term one school year before; None without figures then, and the mean's also when the
    full marks differ.
    """

    school_id: UUID
    subject: SubjectView
    grade: int
    school_year: str
    term: str
    semester: str | None
    sitting_id: UUID
    sitting_kind: str
    sitting_kind_label: str
    held_on: date
    students: int
    pass_rate: float
    good_rate: float
    mean: float
    full_marks: int
    year_before: Figures | None
    pass_rate_change: float | None
    good_rate_change: float | None
    mean_change: float | None


def quality_result(found: ComparedRow, lang: str) -> QualityResult:
    row, before = found.row, found.year_before
    same_marks = before is not None and before.full_marks == row.full_marks
    return QualityResult(
        school_id=row.school_id,
        subject=SubjectView(code=row.subject.value, label=text(row.subject, lang)),
        grade=row.grade,
        school_year=row.school_year,
        term=row.term,
        semester=semester_code(row.school_year, row.term),
        sitting_id=row.sitting_id,
        sitting_kind=row.sitting_kind.value,
        sitting_kind_label=text(row.sitting_kind, lang),
        held_on=row.held_on,
        students=row.students,
        pass_rate=row.pass_rate / 100,
        good_rate=row.good_rate / 100,
        mean=row.mean / 100,
        full_marks=row.full_marks,
        year_before=None
        if before is None
        else Figures(
            school_year=before.school_year,
            students=before.students,
            pass_rate=before.pass_rate / 100,
            good_rate=before.good_rate / 100,
            mean=before.mean / 100,
            full_marks=before.full_marks,
        ),
        pass_rate_change=None if before is None else (row.pass_rate - before.pass_rate) / 100,
        good_rate_change=None if before is None else (row.good_rate - before.good_rate) / 100,
        mean_change=(row.mean - before.mean) / 100 if before is not None and same_marks else None,
    )


class QualityPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[QualityResult]
    next_cursor: str | None
