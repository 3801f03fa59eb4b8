"""Measures over assignments, mentorships and money: eligibility, staffing, exchange, subsidies."""

from collections import Counter
from datetime import timedelta

from domain.assessment.calendar import Window
from domain.assessment.facts import AssignmentFact
from domain.assessment.measures import Eligibility, Money, Staffing, Symmetry
from domain.assessment.outcome import Excluded, Late, Outcome
from domain.assessment.roster import active
from domain.assessment.rules import RuleSetVersion
from domain.assessment.selection import Ask, Reason, Scope, View, is_late, side_of


def _assignments(view: View, scope: Scope, period: Window) -> list[AssignmentFact]:
    return sorted(
        (
            a
            for a in view.facts.assignments
            if a.community_id == scope.community.id
            and active(a, period)
            and a.starts_on <= view.as_of
        ),
        key=lambda a: (a.starts_on, str(a.id)),
    )


def _direction(scope: Scope, assignment: AssignmentFact) -> str | None:
    sent, host = (
        side_of(scope.community, assignment.from_school_id),
        side_of(scope.community, assignment.to_school_id),
    )
    if (sent, host) == ("lead", "member"):
        return "lead_to_member"
    if (sent, host) == ("member", "lead"):
        return "member_to_lead"
    return None


def _member_of(scope: Scope, assignment: AssignmentFact) -> bool:
    """Whether the assignment is about the scoped member school (either end), or any."""
    school = scope.school_id
    if school is None or school == scope.community.lead_school_id:
        return True
    return school in {assignment.from_school_id, assignment.to_school_id}


def _known(
    view: View, version: RuleSetVersion, found: list[AssignmentFact], out: Outcome
) -> list[AssignmentFact]:
    kept = []
    for a in found:
        if not view.known(a.known_at):
            out.excluded.append(Excluded(a.id, Reason.RECORDED_AFTER_AS_OF))
            continue
        kept.append(a)
        days = is_late(version, a.starts_on, a.known_at)
        if days:
            out.late.append(Late(a.id, days))
    return kept


def eligibility(ask: Ask, measure: Eligibility) -> Outcome:
    view, version, scope, period = ask.view, ask.version, ask.scope, ask.period
    out = Outcome(required=0, done=0, final=True)
    found = [
        a
        for a in _assignments(view, scope, period)
        if _member_of(scope, a)
        and (measure.assignment_kind is None or a.kind == measure.assignment_kind)
        and (not measure.direction or _direction(scope, a) == measure.direction)
    ]
    found = _known(view, version, found, out)
    if measure.of == "assignments":
        for a in found:
            teacher = view.teachers.get(a.person_id)
            if teacher is not None and measure.person.holds(teacher, a.starts_on):
                out.counted.append(a.id)
            else:
                out.excluded.append(Excluded(a.id, Reason.INELIGIBLE))
        out.required, out.done = len(found), len(out.counted)
        return out
    by_apprentice = {a.person_id: a for a in found}
    for m in view.facts.mentorships:
        assignment = by_apprentice.get(m.apprentice_id)
        if assignment is None or not view.known(m.known_at):
            continue
        out.required += 1
        mentor = view.teachers.get(m.mentor_id)
        ok = mentor is not None and measure.person.holds(mentor, m.starts_on)
        if ok and measure.at_host and mentor is not None:
            ok = mentor.school_id == assignment.to_school_id
        if ok:
            out.counted.append(m.id)
            out.done += 1
        else:
            out.excluded.append(Excluded(m.id, Reason.INELIGIBLE))
    return out


def staffing(ask: Ask, measure: Staffing) -> Outcome:
    view, version, scope, period = ask.view, ask.version, ask.scope, ask.period
    out = Outcome(required=sum(q.min for q in measure.roles), done=0)
    found = [
        a
        for a in _assignments(view, scope, period)
        if a.kind == measure.assignment_kind
        and _direction(scope, a) == measure.direction
        and _member_of(scope, a)
    ]
    found = _known(view, version, found, out)
    by_id = {a.id: a for a in view.facts.assignments}
    in_post: Counter[object] = Counter()
    for a in found:
        quota = next((q for q in measure.roles if q.role == a.role), None)
        if quota is None:
            continue
        replaced = by_id.get(a.replaces_id) if a.replaces_id is not None else None
        reason = None
        if quota.posts and not set(quota.posts) & set(a.posts):
            reason = Reason.MISSING_POST
        elif (
            replaced is not None
            and a.starts_on < replaced.starts_on + timedelta(days=measure.replace_after_days)
            and not a.replacement_reason.strip()
        ):
            reason = Reason.EARLY_REPLACEMENT
        elif (
            replaced is None  # a successor serves the rest of the term
            and measure.term_days
            and (a.planned_ends_on - a.starts_on).days + 1 < measure.term_days
        ):
            reason = Reason.SHORT_TERM
        elif quota.max is not None and in_post[a.role] >= quota.max:
            reason = Reason.ABOVE_MAXIMUM
        if reason is not None:
            out.excluded.append(Excluded(a.id, reason))
            continue
        in_post[a.role] += 1
        out.counted.append(a.id)
    out.done = sum(min(in_post[q.role], q.min) for q in measure.roles)
    return out


def symmetry_of_assignments(ask: Ask, measure: Symmetry) -> Outcome:
    view, version, scope, period = ask.view, ask.version, ask.scope, ask.period
    out = Outcome(required=0, done=0)
    found = [
        a
        for a in _assignments(view, scope, period)
        if (measure.assignment_kind is None or a.kind == measure.assignment_kind)
        and _direction(scope, a) is not None
        and _member_of(scope, a)
    ]
    found = _known(view, version, found, out)
    out.counted = [a.id for a in found]
    if measure.by == "subject":
        tally: Counter[tuple[object, str | None]] = Counter(
            (a.subject, _direction(scope, a)) for a in found
        )
        subjects = {a.subject for a in found}
        out.required = max(1, len(subjects))
        out.done = sum(
            1
            for s in subjects
            if tally[s, "lead_to_member"] == tally[s, "member_to_lead"]
            and tally[s, "lead_to_member"] >= measure.min_each
        )
        return out
    ways = Counter(_direction(scope, a) for a in found)
    out.required = 2
    out.done = sum(
        1
        for way in ("lead_to_member", "member_to_lead")
        if ways[way] >= measure.min_each
        and (measure.max_each is None or ways[way] <= measure.max_each)
    )
    return out


def _months(a: AssignmentFact, period: Window) -> int:
    """Whole or part months the person served within the period."""
    start = max(a.starts_on, period.starts_on)
    end = min(a.actual_ends_on or a.planned_ends_on, period.ends_on)
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def money(ask: Ask, measure: Money) -> Outcome:
    view, scope, period, as_of = ask.view, ask.scope, ask.period, ask.view.as_of
    out = Outcome(required=0, done=0)
    paid = [
        m
        for m in view.facts.money
        if m.purpose == measure.purpose and period.contains(m.paid_on) and m.paid_on <= as_of
    ]
    if measure.per == "lead_school":
        out.required = measure.amount
        targets = [m for m in paid if m.school_id == scope.community.lead_school_id]
    else:
        persons = [
            a
            for a in _assignments(view, scope, period)
            if (measure.assignment_kind is None or a.kind == measure.assignment_kind)
            and _direction(scope, a) == measure.direction
            and _member_of(scope, a)
            and view.known(a.known_at)
        ]
        months: Counter[object] = Counter()
        for a in persons:
            months[a.person_id] += _months(a, period)
        cap = measure.months_cap or None
        out.required = measure.amount * sum(min(n, cap) if cap else n for n in months.values())
        targets = [m for m in paid if m.person_id in months]
    for m in targets:
        if view.known(m.known_at):
            out.counted.append(m.id)
            out.done += m.amount
        else:
            out.excluded.append(Excluded(m.id, Reason.RECORDED_AFTER_AS_OF))
    return out
