"""The assessment of a school year by community type, pure: results → scores, total, grade.

Formulas (README, "Assessment by community type and county KPIs"):

- a rule's earned points = its points x Σ score / Σ points over its applicable results of the
  year (every period, every member school); a result's score is the evaluation's (full when met,
  the fraction done x points for a `partial` rule, 0 when missed, `target_credit` for a target);
- a unit's total = 100 x Σ earned / Σ points over the rules that apply to it (`not_applicable`
  results are out of both sums); nothing applicable: no total and no grade;
- 融合型: the community is one unit; 共建型: the lead's total = `lead_own` x its own total +
  `members` x the mean of its members' totals (a side without results leaves the other alone);
  协作型: the total is the bureau's project score, 100 x Σ criterion scores / Σ criterion points.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from domain.assessment.outcome import Result
from domain.assessment.rules import RuleSetVersion
from domain.codes import AssessmentGrade, CommunityType, ComplianceStatus

FULL = 100.0


@dataclass(frozen=True)
class RuleScore:
    rule_id: str
    points: float  # what the rule is worth in the unit
    earned: float
    results: int  # applicable results it was built from
    met: int


@dataclass(frozen=True)
class UnitScore:
    rules: tuple[RuleScore, ...]
    total: float | None  # 0-100; None when no rule applies

    @property
    def maximum(self) -> float:
        return sum(rule.points for rule in self.rules)


@dataclass(frozen=True)
class MemberScore:
    school_id: UUID
    score: UnitScore


@dataclass(frozen=True)
class Criterion:
    """One criterion of a 协作型 project as the bureau scored it."""

    name: str
    points: float
    score: float


@dataclass(frozen=True)
class Unit:
    """The community assessed: its type, its lead school and member schools."""

    community_id: UUID
    community_type: CommunityType
    lead_id: UUID | None
    member_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class Computed:
    community_id: UUID
    community_type: CommunityType
    version: str
    own: UnitScore  # the community's own (融合型: everything; 共建型: the lead's and shared rules)
    members: tuple[MemberScore, ...]  # 共建型: each member's result
    project: tuple[Criterion, ...]  # 协作型: the bureau's scores
    total: float | None
    grade: AssessmentGrade | None


def unit_score(version: RuleSetVersion, results: Iterable[Result]) -> UnitScore:
    points = {rule.id: rule.score.points for rule in version.rules}
    grouped: dict[str, list[Result]] = {}
    for result in results:
        if result.status != ComplianceStatus.NOT_APPLICABLE and result.points > 0:
            grouped.setdefault(result.rule_id, []).append(result)
    rules = []
    for rule_id, found in sorted(grouped.items()):
        worth = points.get(rule_id, max(r.points for r in found))
        fraction = sum(min(r.score, r.points) for r in found) / sum(r.points for r in found)
        met = sum(1 for r in found if r.status == ComplianceStatus.MET)
        rules.append(RuleScore(rule_id, worth, worth * max(0.0, fraction), len(found), met))
    maximum = sum(rule.points for rule in rules)
    total = FULL * sum(rule.earned for rule in rules) / maximum if maximum > 0 else None
    return UnitScore(tuple(rules), total)


def project_total(criteria: Sequence[Criterion]) -> float | None:
    maximum = sum(c.points for c in criteria)
    if maximum <= 0:
        return None
    return FULL * sum(min(max(c.score, 0.0), c.points) for c in criteria) / maximum


def bundled(
    version: RuleSetVersion, own: UnitScore, members: Sequence[MemberScore]
) -> float | None:
    member_totals = [m.score.total for m in members if m.score.total is not None]
    if not member_totals:
        return own.total
    mean = sum(member_totals) / len(member_totals)
    if own.total is None:
        return mean
    weights = version.weights
    share = weights.lead_own + weights.members
    if share <= 0:
        return own.total
    return (weights.lead_own * own.total + weights.members * mean) / share


def assess(
    version: RuleSetVersion,
    unit: Unit,
    results: Iterable[Result],
    criteria: Sequence[Criterion] = (),
) -> Computed:
    """The computed assessment of one community from its results of the year."""
    mine = [r for r in results if r.community_id == unit.community_id]
    members: tuple[MemberScore, ...] = ()
    if unit.community_type == CommunityType.CO_BUILT:
        own = unit_score(version, (r for r in mine if r.school_id not in unit.member_ids))
        members = tuple(
            MemberScore(school, unit_score(version, (r for r in mine if r.school_id == school)))
            for school in unit.member_ids
        )
        total = bundled(version, own, members)
    else:
        own = unit_score(version, mine)
        total = own.total
    if unit.community_type == CommunityType.COLLABORATIVE:
        total = project_total(criteria)
    grade = version.grade_for(total) if total is not None else None
    return Computed(
        community_id=unit.community_id,
        community_type=unit.community_type,
        version=version.label,
        own=own,
        members=members,
        project=tuple(criteria),
        total=total,
        grade=grade,
    )
