"""The bureau's record of a community's school year: the computed assessment and its grade.

Until the compliance read model is on main, the evaluation's results of the year come in the
body as the bureau sees them (domain/assessment/entered.py); the assessment is computed here
from them under the published rule-set version (README).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import msgspec

from domain.assessment.assessment import Criterion, Unit, assess
from domain.assessment.calendar import Window
from domain.assessment.entered import Entered, results_of
from domain.assessment.record import CRITERION_LIMIT, MAX_CRITERIA, REASON_LIMIT, Assessment
from domain.assessment.rule_set import RuleSet
from domain.codes import AssessmentGrade, ComplianceStatus
from domain.community.community import Community
from domain.periods import SchoolYear
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced
from service.errors import AssessmentExistsError

if TYPE_CHECKING:
    from service.command import Env

MAX_RESULTS = 5000
MAX_POINTS = 1000
Points = Annotated[float, msgspec.Meta(ge=0, le=MAX_POINTS)]


class ResultIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    rule_id: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.-]{1,100}$")]
    school_id: UUID | None = None  # the member (or lead) school a per-school rule judged
    status: ComplianceStatus
    score: Points = 0


class CriterionIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[
        RequiredText,
        msgspec.Meta(min_length=1, max_length=CRITERION_LIMIT, examples=["成员校提升"]),
    ]
    points: Annotated[float, msgspec.Meta(gt=0, le=MAX_POINTS)]
    score: Points


class RecordAssessment(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    community_id: UUID
    school_year: Annotated[
        str, msgspec.Meta(pattern=r"^[0-9]{4}-[0-9]{4}$", examples=["2022-2023"])
    ]
    rule_set_id: UUID  # a published rule-set version
    results: Annotated[list[ResultIn], msgspec.Meta(max_length=MAX_RESULTS)] = []
    project: Annotated[list[CriterionIn], msgspec.Meta(max_length=MAX_CRITERIA)] = []
    grade: AssessmentGrade  # the bureau's final grade
    reason: Annotated[str, msgspec.Meta(max_length=REASON_LIMIT)] = ""  # when it differs


async def record_assessment(env: Env, cmd: RecordAssessment) -> Decision[Assessment]:
    year = SchoolYear.parse(cmd.school_year)
    community = await referenced(env, Community, "community_id", cmd.community_id)
    rule_set = await referenced(env, RuleSet, "rule_set_id", cmd.rule_set_id)
    version = rule_set.published_rules()
    members = tuple(
        sorted(
            school
            for school, stints in community.stints.items()
            if any(
                s.joined_on <= year.ends_on and (s.left_on is None or s.left_on > year.starts_on)
                for s in stints
            )
        )
    )
    unit = Unit(community.id, community.type, community.lead_school_id, members)
    window = Window.of_school_year(year.code)
    entered = (Entered(r.rule_id, r.school_id, r.status, r.score) for r in cmd.results)
    results = results_of(version, community.id, window, entered)
    criteria = tuple(Criterion(c.name, c.points, c.score) for c in cmd.project)
    assessment = Assessment.record(
        namespace=env.tenant_id,
        school_year=year.code,
        rule_set_id=rule_set.id,
        rules=version,
        computed=assess(version, unit, results, criteria),
        grade=cmd.grade,
        reason=cmd.reason,
        by=env.actor_id,
    )
    exists = AssessmentExistsError(community_id=community.id, school_year=year.code)
    return Decision(assessment, if_exists=exists)
