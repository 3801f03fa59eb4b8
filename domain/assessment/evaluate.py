"""Evaluation, pure: (rule-set version, facts, period asked, as_of, mode) → results.

One result per community x rule x period (x member school for `each_member` rules; county-wide
rules have no community). Status (`docs/rules.md`, "Status"):

- `not_applicable`: the rule is not for this community's type, school role or stage;
- `open` when the period has not started; after it ended, `met` or `missed`;
- within it: `met` once the requirement is reached; `missed` if it can no longer be (above a
  maximum, an ineligible person); `at_risk` when done / required < elapsed - margin, where
  elapsed = days gone (as_of included) / days of the period and the margin is the rule set's
  `at_risk_margin`; else `open`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from domain.assessment import eval_actions as actions
from domain.assessment import eval_county as county
from domain.assessment import eval_people as people
from domain.assessment.calendar import Window, periods
from domain.assessment.codes import CommunityRole, EvaluationMode, Strictness
from domain.assessment.facts import CommunityFact, Facts
from domain.assessment.measures import (
    Count,
    Coverage,
    Eligibility,
    FollowUp,
    Money,
    PerPerson,
    Ratio,
    Rotation,
    Staffing,
    Symmetry,
    Trend,
)
from domain.assessment.outcome import Outcome, Result
from domain.assessment.roster import stage_of
from domain.assessment.rules import PeriodSpec, Rule, RuleSetVersion
from domain.assessment.selection import Ask, Scope, View, view_of
from domain.codes import ComplianceStatus
from domain.periods import LATEST

Status = ComplianceStatus


def status_of(out: Outcome, period: Window, as_of: date, margin: float) -> ComplianceStatus:
    if as_of < period.starts_on:
        return Status.OPEN
    reached = out.done >= out.required
    over_max = out.maximum is not None and out.done > out.maximum
    if over_max or (out.final and not reached):
        return Status.MISSED
    if as_of > period.ends_on:
        return Status.MET if reached else Status.MISSED
    if reached:
        return Status.MET
    elapsed = ((as_of - period.starts_on).days + 1) / period.days
    progress = out.done / out.required if out.required else 1.0
    return Status.AT_RISK if progress < elapsed - margin else Status.OPEN


def _score(version: RuleSetVersion, rule: Rule, out: Outcome, status: ComplianceStatus) -> float:
    points = rule.score.points
    fraction = min(1.0, out.done / out.required) if out.required else 1.0
    if status == Status.MET:
        return points
    earned = points * fraction if rule.score.partial else 0.0
    if rule.strictness == Strictness.TARGET:
        earned = max(earned, points * version.target_credit)
    return earned


_ACTION_MEASURES: dict[type, Callable[[Ask, Any], Outcome]] = {
    Count: actions.count,
    PerPerson: actions.per_person,
    Coverage: actions.coverage,
    FollowUp: actions.follow_up,
    Rotation: actions.rotation,
    Eligibility: people.eligibility,
    Staffing: people.staffing,
    Money: people.money,
    Trend: county.trend,
}


def _measure(ask: Ask) -> Outcome:
    m = ask.rule.measure
    if isinstance(m, Symmetry):
        if m.source == "actions":
            return actions.symmetry_of_actions(ask, m)
        return people.symmetry_of_assignments(ask, m)
    if isinstance(m, Ratio):
        return county.ratio(ask.view, ask.period, m)
    return _ACTION_MEASURES[type(m)](ask, m)


@dataclass(frozen=True)
class _Where:
    community: CommunityFact | None
    school: UUID | None
    period: Window


def _result(
    version: RuleSetVersion, rule: Rule, where: _Where, out: Outcome | None, as_of: date
) -> Result:
    period = where.period
    status = (
        Status.NOT_APPLICABLE
        if out is None
        else status_of(out, period, as_of, version.at_risk_margin)
    )
    out = out or Outcome(required=0, done=0)
    counted = {record_id.int for record_id in out.counted}  # a number hashes in C, a UUID not
    return Result(
        rule_id=rule.id,
        community_id=where.community.id if where.community is not None else None,
        school_id=where.school,
        period=period,
        required=out.required,
        done=out.done,
        maximum=out.maximum,
        status=status,
        counted=tuple(out.counted),
        excluded=tuple(out.excluded),
        late=tuple(late for late in out.late if late.record_id.int in counted),
        version=version.label,
        strictness=rule.strictness,
        points=0.0 if status == Status.NOT_APPLICABLE else rule.score.points,
        score=0.0 if status == Status.NOT_APPLICABLE else _score(version, rule, out, status),
        assessor=rule.assessor,
    )


def _scopes(rule: Rule, community: CommunityFact, period: Window) -> list[Scope]:
    if rule.scope == "each_member":
        ids = sorted(
            {
                m.school_id
                for m in community.members
                if m.joined_on <= period.ends_on
                and (m.left_on is None or m.left_on > period.starts_on)
            },
            key=str,
        )
        return [Scope(community, i) for i in ids]
    if rule.scope == "lead":
        return [Scope(community, community.lead_school_id)]
    return [Scope(community, None)]


def _applies(view: View, rule: Rule, scope: Scope) -> bool:
    wanted = rule.applies_to
    community = scope.community
    if wanted.community_types and community.type not in wanted.community_types:
        return False
    school = scope.school_id or community.lead_school_id
    role = community.role_of(school) if scope.school_id is not None else CommunityRole.LEAD
    if wanted.roles and scope.school_id is not None and role not in wanted.roles:
        return False
    return not wanted.stages or stage_of(view, school) in wanted.stages


def evaluate(
    version: RuleSetVersion,
    facts: Facts,
    asked: Window,
    as_of: date,
    mode: EvaluationMode = EvaluationMode.AS_KNOWN,
    *,
    view: View | None = None,
) -> list[Result]:
    """Every result of `version`'s rules for the periods that overlap `asked`.

    `view`: the facts' view as of `as_of` in `mode`, when several versions judge the same facts.
    """
    view = view or view_of(facts, as_of, mode)
    in_force = Window(version.in_force_from, version.in_force_to or LATEST)
    communities = sorted(
        (c for c in facts.communities if view.known(c.known_at)), key=lambda c: str(c.id)
    )
    results: list[Result] = []
    # Many rules share a period grain: each community's periods of one are walked once.
    walked: dict[tuple[PeriodSpec, UUID], list[Window]] = {}
    for rule in version.rules:
        if rule.scope == "county":
            for period in periods(rule.period, None, in_force, asked):
                out = (
                    county.ratio(view, period, rule.measure)
                    if isinstance(rule.measure, Ratio)
                    else None
                )
                results.append(_result(version, rule, _Where(None, None, period), out, as_of))
            continue
        for community in communities:
            key = (rule.period, community.id)
            found = walked.get(key)
            if found is None:
                found = walked[key] = periods(rule.period, community, in_force, asked)
            for period in found:
                for scope in _scopes(rule, community, period):
                    ask = Ask(view, version, rule, scope, period)
                    out = _measure(ask) if _applies(view, rule, scope) else None
                    where = _Where(community, scope.school_id, period)
                    results.append(_result(version, rule, where, out, as_of))
    return results


def in_force(versions: Sequence[RuleSetVersion], day: date) -> RuleSetVersion | None:
    """The version that judges a period ending on `day`: the latest in force then."""
    found = [v for v in versions if v.in_force_on(day)]
    return max(found, key=lambda v: (v.in_force_from, v.version)) if found else None
