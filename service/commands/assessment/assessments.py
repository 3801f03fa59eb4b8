"""The bureau's record of a community's school year: the computed assessment and its grade.

Until the compliance read model is on main, the evaluation's results of the year come in the
body as the bureau sees them (rule, school, status, score); they are checked against the
published rule-set version and the assessment is computed here from them (README).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import msgspec

from domain.assessment.assessment import Criterion, Unit, assess
from domain.assessment.calendar import Window
from domain.assessment.codes import RuleSetState, Strictness
from domain.assessment.errors import (
    ResultAbovePointsError,
    RuleSetNotPublishedError,
    UnknownResultRuleError,
)
from domain.assessment.outcome import Result
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
    from domain.assessment.rules import RuleSetVersion
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


def results_of(
    version: RuleSetVersion, community_id: UUID, year: Window, found: list[ResultIn]
) -> list[Result]:
    points = {rule.id: rule.score.points for rule in version.rules}
    results = []
    for one in found:
        if one.rule_id not in points:
            raise UnknownResultRuleError(rule_id=one.rule_id, rule_set=version.label)
        worth = points[one.rule_id]
        if one.status == ComplianceStatus.NOT_APPLICABLE:
            worth = 0.0
        if one.score > worth:
            raise ResultAbovePointsError(rule_id=one.rule_id, score=one.score, points=worth)
        results.append(
            Result(
                rule_id=one.rule_id,
                community_id=community_id,
                school_id=one.school_id,
                period=year,
                required=0,
                done=0,
                maximum=None,
                status=one.status,
                counted=(),
                excluded=(),
                late=(),
                version=version.label,
                strictness=Strictness.HARD,
                points=worth,
                score=one.score,
                assessor="bureau",
            )
        )
    return results


async def record_assessment(env: Env, cmd: RecordAssessment) -> Decision[Assessment]:
    year = SchoolYear.parse(cmd.school_year)
    community = await referenced(env, Community, "community_id", cmd.community_id)
    rule_set = await referenced(env, RuleSet, "rule_set_id", cmd.rule_set_id)
    if rule_set.state != RuleSetState.PUBLISHED:
        raise RuleSetNotPublishedError(rule_set=rule_set.label)
    version = rule_set.rules
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
    results = results_of(version, community.id, window, cmd.results)
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
