"""A quality test sitting (教学质量检测): whole with its results, and as the list shows it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.periods import SchoolYear, Term
from projections.quality.sitting_list import SUMMER, sitting_row
from service.views.community.activity import SubjectView
from service.views.labels import text

if TYPE_CHECKING:
    from domain.quality.sitting import Result, Sitting
    from projections.quality.sitting_list import SittingRow


def semester_code(school_year: str, term: str) -> str | None:
    """The semester (2023-spring) of a school year's term; None for the summer break."""
    if term == SUMMER:
        return None
    return SchoolYear.parse(school_year).semester(Term(term)).code


class SittingSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    kind: str
    kind_label: str
    title: str
    held_on: date
    semester: str | None  # None in August
    school_year: str
    grades: list[int]
    subjects: list[SubjectView]
    school_ids: list[UUID]
    community_id: UUID | None
    reported_school_ids: list[UUID]  # the schools with at least one result
    analyses: int
    version: int


class ResultView(msgspec.Struct, frozen=True, kw_only=True):
    """Rates in percent and the mean in points, with at most two decimals."""

    school_id: UUID
    subject: SubjectView
    grade: int
    students: int
    pass_rate: float  # 合格率
    good_rate: float  # 优良率
    mean: float
    full_marks: int


class AnalysisView(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID | None  # None: the whole sitting's
    text: str


class SittingView(SittingSummary, frozen=True, kw_only=True):
    results: list[ResultView]
    analysis_texts: list[AnalysisView]


def sitting_summary(row: SittingRow, lang: str) -> SittingSummary:
    return SittingSummary(
        id=row.sitting_id,
        kind=row.kind.value,
        kind_label=text(row.kind, lang),
        title=row.title,
        held_on=row.held_on,
        semester=semester_code(row.school_year, row.term),
        school_year=row.school_year,
        grades=list(row.grades),
        subjects=[SubjectView(code=s.value, label=text(s, lang)) for s in row.subjects],
        school_ids=list(row.school_ids),
        community_id=row.community_id,
        reported_school_ids=list(row.reported_school_ids),
        analyses=row.analyses,
        version=row.version,
    )


def result_view(result: Result, lang: str) -> ResultView:
    return ResultView(
        school_id=result.school_id,
        subject=SubjectView(code=result.subject.value, label=text(result.subject, lang)),
        grade=result.grade,
        students=result.students,
        pass_rate=result.pass_rate / 100,
        good_rate=result.good_rate / 100,
        mean=result.mean / 100,
        full_marks=result.full_marks,
    )


def sitting_view(sitting: Sitting, lang: str) -> SittingView:
    """The sitting as the event store rebuilds it: results by school, subject and grade."""
    summary = sitting_summary(sitting_row(sitting), lang)
    order = {school_id: i for i, school_id in enumerate(sitting.school_ids)}
    results = sorted(
        sitting.results.values(), key=lambda r: (order[r.school_id], r.subject, r.grade)
    )
    return SittingView(
        **msgspec.structs.asdict(summary),
        results=[result_view(r, lang) for r in results],
        analysis_texts=[AnalysisView(school_id=s, text=t) for s, t in sitting.analyses],
    )


class SittingPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[SittingSummary]
    next_cursor: str | None
