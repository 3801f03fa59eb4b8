"""The stable codes the API takes and returns, with their labels (no county data: public)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
from litestar import Request, get

from domain.codes import (
    ActivityKind,
    ActivityMode,
    AssessmentGrade,
    AssignmentKind,
    AssignmentRole,
    AssignmentSide,
    BackboneLevel,
    CommendationKind,
    CommunityRole,
    CommunityType,
    ComplianceStatus,
    EligibilityBasis,
    EvaluationMode,
    ExclusionReason,
    Gender,
    GroupRole,
    MoneyKind,
    PaperOutcome,
    PeriodGrain,
    PhaseKind,
    Post,
    ProjectStage,
    Relation,
    ResearchLevel,
    ReviewLevel,
    ReviewState,
    RuleSetState,
    SchoolLocation,
    SchoolStage,
    SittingKind,
    Strictness,
    Subject,
    TeacherTitle,
)
from domain.periods import Term
from service.problems import language
from service.views.labels import text

if TYPE_CHECKING:
    from enum import StrEnum


class CodeView(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str


class Catalogue(msgspec.Struct, frozen=True, kw_only=True):
    """Every stable code of DOMAIN.md, the staff, research, quality and assessment ones too."""

    community_types: list[CodeView]
    school_stages: list[CodeView]
    school_locations: list[CodeView]
    activity_kinds: list[CodeView]
    activity_modes: list[CodeView]
    subjects: list[CodeView]
    assignment_kinds: list[CodeView]
    assignment_roles: list[CodeView]
    assignment_sides: list[CodeView]
    relations: list[CodeView]
    eligibility_bases: list[CodeView]
    posts: list[CodeView]
    teacher_titles: list[CodeView]
    backbone_levels: list[CodeView]
    genders: list[CodeView]
    research_levels: list[CodeView]
    project_stages: list[CodeView]
    paper_outcomes: list[CodeView]
    sitting_kinds: list[CodeView]
    money_kinds: list[CodeView]
    commendation_kinds: list[CodeView]
    assessment_grades: list[CodeView]
    compliance_statuses: list[CodeView]
    group_roles: list[CodeView]
    phase_kinds: list[CodeView]
    review_levels: list[CodeView]
    review_states: list[CodeView]
    terms: list[CodeView]
    period_grains: list[CodeView]
    strictness: list[CodeView]
    community_roles: list[CodeView]
    evaluation_modes: list[CodeView]
    exclusion_reasons: list[CodeView]
    rule_set_states: list[CodeView]


def _codes(codes: type[StrEnum], lang: str) -> list[CodeView]:
    return [CodeView(code=code.value, label=text(code, lang)) for code in codes]


@get("/v1/catalogue", tags=["catalogue"], summary="Codes and their labels")
async def catalogue(request: Request) -> Catalogue:  # type: ignore[type-arg]  # Litestar's generic default
    """Every code the API uses, labelled in Chinese (default) or English (Accept-Language: en)."""
    return catalogue_in(language(request))


def catalogue_in(lang: str) -> Catalogue:
    return Catalogue(
        community_types=_codes(CommunityType, lang),
        school_stages=_codes(SchoolStage, lang),
        school_locations=_codes(SchoolLocation, lang),
        activity_kinds=_codes(ActivityKind, lang),
        activity_modes=_codes(ActivityMode, lang),
        subjects=_codes(Subject, lang),
        assignment_kinds=_codes(AssignmentKind, lang),
        assignment_roles=_codes(AssignmentRole, lang),
        assignment_sides=_codes(AssignmentSide, lang),
        relations=_codes(Relation, lang),
        eligibility_bases=_codes(EligibilityBasis, lang),
        posts=_codes(Post, lang),
        teacher_titles=_codes(TeacherTitle, lang),
        backbone_levels=_codes(BackboneLevel, lang),
        genders=_codes(Gender, lang),
        research_levels=_codes(ResearchLevel, lang),
        project_stages=_codes(ProjectStage, lang),
        paper_outcomes=_codes(PaperOutcome, lang),
        sitting_kinds=_codes(SittingKind, lang),
        money_kinds=_codes(MoneyKind, lang),
        commendation_kinds=_codes(CommendationKind, lang),
        assessment_grades=_codes(AssessmentGrade, lang),
        compliance_statuses=_codes(ComplianceStatus, lang),
        group_roles=_codes(GroupRole, lang),
        phase_kinds=_codes(PhaseKind, lang),
        review_levels=_codes(ReviewLevel, lang),
        review_states=_codes(ReviewState, lang),
        terms=_codes(Term, lang),
        period_grains=_codes(PeriodGrain, lang),
        strictness=_codes(Strictness, lang),
        community_roles=_codes(CommunityRole, lang),
        evaluation_modes=_codes(EvaluationMode, lang),
        exclusion_reasons=_codes(ExclusionReason, lang),
        rule_set_states=_codes(RuleSetState, lang),
    )
