"""A year's results as the bureau enters them (rule, school, status, score), checked as Results.

Until the compliance read model is on main, the assessment route takes the year's results in
its body; each must name a rule of the version and score no more than the rule's points.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from domain.assessment.calendar import Window
from domain.assessment.codes import Strictness
from domain.assessment.errors import ResultAbovePointsError, UnknownResultRuleError
from domain.assessment.outcome import Result
from domain.assessment.rules import RuleSetVersion
from domain.codes import ComplianceStatus


@dataclass(frozen=True)
class Entered:
    rule_id: str
    school_id: UUID | None
    status: ComplianceStatus
    score: float


def results_of(
    version: RuleSetVersion, community_id: UUID, year: Window, entered: Iterable[Entered]
) -> list[Result]:
    points = {rule.id: rule.score.points for rule in version.rules}
    results = []
    for one in entered:
        if one.rule_id not in points:
            raise UnknownResultRuleError(rule_id=one.rule_id, rule_set=version.label)
        worth = 0.0 if one.status == ComplianceStatus.NOT_APPLICABLE else points[one.rule_id]
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
