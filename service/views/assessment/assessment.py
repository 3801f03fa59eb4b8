"""The bureau's assessment record as the API shows it: points in hundredths become decimals."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from service.views.labels import text

if TYPE_CHECKING:
    from domain.assessment.record import Assessment
    from domain.codes import AssessmentGrade
    from projections.assessment.assessment_list import AssessmentRow


def points(centi: int | None) -> float | None:
    return None if centi is None else centi / 100


class RuleScoreView(msgspec.Struct, frozen=True, kw_only=True):
    rule_id: str
    points: float
    earned: float
    results: int
    met: int


class MemberScoreView(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    total: float | None


class CriterionView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    points: float
    score: float


class AssessmentView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    community_id: UUID
    community_type: str
    community_type_label: str
    school_year: str
    rule_set_id: UUID
    rule_set: str  # id@version that scored it
    as_of: date | None  # computed from compliance as known on this day (None: entered, v1)
    folded_seq: int | None  # the county's log position it was computed from
    rules: list[RuleScoreView]
    own_total: float | None
    members: list[MemberScoreView]
    project: list[CriterionView]
    computed_total: float | None
    computed_grade: str | None
    computed_grade_label: str | None
    final_grade: str | None
    final_grade_label: str | None
    reason: str
    funding: int | None  # next year's, from the final grade
    version: int


def _grade(grade: AssessmentGrade | None, lang: str) -> tuple[str | None, str | None]:
    return (None, None) if grade is None else (grade.value, text(grade, lang))


def assessment_view(found: Assessment, lang: str) -> AssessmentView:
    computed, computed_label = _grade(found.computed_grade, lang)
    final, final_label = _grade(found.final_grade, lang)
    return AssessmentView(
        id=found.id,
        community_id=found.community_id,
        community_type=found.community_type.value,
        community_type_label=text(found.community_type, lang),
        school_year=found.school_year,
        rule_set_id=found.rule_set_id,
        rule_set=found.rule_set,
        as_of=found.as_of,
        folded_seq=found.folded_seq,
        rules=[
            RuleScoreView(
                rule_id=r.rule_id,
                points=r.points / 100,
                earned=r.earned / 100,
                results=r.results,
                met=r.met,
            )
            for r in found.rules
        ],
        own_total=points(found.own_total),
        members=[
            MemberScoreView(school_id=m.school_id, total=points(m.total)) for m in found.members
        ],
        project=[
            CriterionView(name=p.name, points=p.points / 100, score=p.score / 100)
            for p in found.project
        ],
        computed_total=points(found.total),
        computed_grade=computed,
        computed_grade_label=computed_label,
        final_grade=final,
        final_grade_label=final_label,
        reason=found.reason,
        funding=found.funding,
        version=found.version,
    )


class AssessmentSummary(msgspec.Struct, frozen=True, kw_only=True):
    """An assessment as the list shows it (the read model's row): totals and grades, no detail."""

    id: UUID
    community_id: UUID
    community_type: str
    community_type_label: str
    school_year: str
    rule_set_id: UUID
    rule_set: str
    as_of: date | None
    folded_seq: int | None
    computed_total: float | None
    computed_grade: str | None
    computed_grade_label: str | None
    final_grade: str | None
    final_grade_label: str | None
    reason: str
    funding: int | None
    recorded_at: datetime
    version: int


def assessment_summary(row: AssessmentRow, lang: str) -> AssessmentSummary:
    computed, computed_label = _grade(row.computed_grade, lang)
    final, final_label = _grade(row.final_grade, lang)
    return AssessmentSummary(
        id=row.assessment_id,
        community_id=row.community_id,
        community_type=row.community_type.value,
        community_type_label=text(row.community_type, lang),
        school_year=row.school_year,
        rule_set_id=row.rule_set_id,
        rule_set=row.rule_set,
        as_of=row.as_of,
        folded_seq=row.folded_seq,
        computed_total=points(row.total),
        computed_grade=computed,
        computed_grade_label=computed_label,
        final_grade=final,
        final_grade_label=final_label,
        reason=row.reason,
        funding=row.funding,
        recorded_at=row.recorded_at,
        version=row.version,
    )


class AssessmentPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AssessmentSummary]
    next_cursor: str | None
