"""Measures over a community's actions and research records: counts, quotas, coverage, links."""

from collections import Counter
from itertools import compress
from uuid import UUID

from domain.assessment.calendar import sub_periods
from domain.assessment.facts import ActionFact, PaperFact, ProjectFact
from domain.assessment.measures import Count, Coverage, FollowUp, PerPerson, Rotation, Symmetry
from domain.assessment.outcome import Excluded, Late, Outcome
from domain.assessment.roster import roster_of, stage_of, stage_subjects
from domain.assessment.selection import (
    Ask,
    Reason,
    Sieve,
    in_order,
    is_late,
    relevant,
    rule_exclusion,
    side_of,
)
from domain.codes import ResearchLevel

_LEVELS = list(ResearchLevel)


def sift(ask: Ask) -> tuple[list[ActionFact], Outcome]:
    """The counted actions in order, with an outcome holding the excluded and the late ones."""
    view, counts = ask.view, ask.rule.counts
    sieve = Sieve.of(ask.version, counts)
    counted: list[ActionFact] = []
    out = Outcome(required=0, done=0)
    excluded, late = out.excluded, out.late
    runs = relevant(ask)
    for actions, _, gone, lateness in runs:
        if not sieve.any:  # only the records' own reasons: taken a lane at a time
            standing = [g is None for g in gone]
            excluded.extend(filter(None, gone))
            counted.extend(compress(actions, standing))
            late.extend(filter(None, compress(lateness, standing)))
            continue
        for action, was_gone, entered in zip(actions, gone, lateness, strict=True):
            if was_gone is not None:
                excluded.append(was_gone)
                continue
            reason = rule_exclusion(ask, action, sieve)
            if reason is not None:
                excluded.append(view.excluded(action, reason))
                continue
            counted.append(action)
            if entered is not None:
                late.append(entered)
    if len(runs) > 1:
        counted.sort(key=in_order)  # each kind's come in order: several kinds', one after another
    return counted, out


def _research_reason(  # noqa: PLR0911 (the reasons in naming order)
    ask: Ask, record: ProjectFact | PaperFact, owners: tuple[UUID, ...]
) -> Reason | None:
    view, counts, community = ask.view, ask.rule.counts, ask.scope.community
    members = {m.school_id for m in community.members}
    if not view.known(record.known_at):
        return Reason.RECORDED_AFTER_AS_OF
    if counts.level_min is not None and _LEVELS.index(record.level) < _LEVELS.index(
        counts.level_min
    ):
        return Reason.BELOW_LEVEL
    if isinstance(record, PaperFact) and counts.outcomes and record.outcome not in counts.outcomes:
        return Reason.BELOW_LEVEL
    if counts.owner == "joint" and not (
        community.lead_school_id in owners and members & set(owners)
    ):
        return Reason.NOT_JOINT
    if counts.owner == "member" and not members & set(owners):
        return Reason.WRONG_HOST
    if (
        isinstance(record, ProjectFact)
        and counts.member_participant
        and not any(
            (t := view.teachers.get(p)) is not None and t.school_id in members
            for p in record.participant_ids
        )
    ):
        return Reason.NOT_JOINT
    return None


def _research(ask: Ask) -> tuple[list[ProjectFact | PaperFact], Outcome]:
    view, version, rule, scope, period = ask.view, ask.version, ask.rule, ask.scope, ask.period
    counts, out = rule.counts, Outcome(required=0, done=0)
    records: list[ProjectFact | PaperFact] = []
    source = view.facts.projects if counts.source == "projects" else view.facts.papers
    community = scope.community
    for record in source:
        if record.community_id != community.id or not period.contains(record.on):
            continue
        if record.on > view.as_of:
            continue
        owners = record.owner_school_ids if isinstance(record, ProjectFact) else (record.school_id,)
        if (
            scope.school_id not in {None, community.lead_school_id}
            and scope.school_id not in owners
        ):
            continue
        if isinstance(record, ProjectFact) and counts.stages and record.stage not in counts.stages:
            continue
        if isinstance(record, ProjectFact) and counts.theme and record.theme != counts.theme:
            continue
        reason = _research_reason(ask, record, owners)
        if reason is not None:
            out.excluded.append(Excluded(record.id, reason))
            continue
        records.append(record)
        days = is_late(version, record.on, record.known_at)
        if days:
            out.late.append(Late(record.id, days))
    return records, out


def count(ask: Ask, measure: Count) -> Outcome:
    view, rule, scope = ask.view, ask.rule, ask.scope
    school = scope.school_id or scope.community.lead_school_id
    minimum = measure.threshold.minimum(stage_of(view, school))
    if rule.counts.source != "actions":
        records, out = _research(ask)
        ids = [r.id for r in records]
    else:
        actions, out = sift(ask)
        ids = [a.id for a in actions]
    out.required, out.done, out.maximum, out.counted = minimum, len(ids), measure.threshold.max, ids
    return out


def per_person(ask: Ask, measure: PerPerson) -> Outcome:
    view, scope, period = ask.view, ask.scope, ask.period
    actions, out = sift(ask)
    people = roster_of(view, measure.roster, scope, period)
    tally: Counter[UUID] = Counter()
    for action in actions:
        if measure.role == "presenter":
            found = set(action.presenter_ids)
        elif measure.role == "participant":
            found = set(action.participant_ids) | set(action.presenter_ids)
        else:
            found = {r.person_id for r in action.reflections}
        tally.update(found & people)
    minimum = measure.threshold.minimum(None)
    out.required = len(people)
    out.done = sum(1 for p in people if tally[p] >= minimum)
    out.counted = [a.id for a in actions]
    return out


def coverage(ask: Ask, measure: Coverage) -> Outcome:
    view, scope, period = ask.view, ask.scope, ask.period
    actions, out = sift(ask)
    teachers = measure.of == "teachers"
    # Teachers by their ids' numbers: a UUID hashes in Python, and every action's are looked up.
    wanted: set[object]
    if teachers and measure.roster is not None:
        wanted = {p.int for p in roster_of(view, measure.roster, scope, period)}
    else:
        school = scope.school_id or scope.community.lead_school_id
        wanted = set(measure.subjects or stage_subjects(stage_of(view, school)))
    covered: set[object] = set()
    for action in actions:
        items: set[object]
        if teachers:
            items = {p.int for p in (*action.participant_ids, *action.presenter_ids)}
        else:
            items = set(action.subjects)
        new = (items & wanted) - covered
        if new:
            covered |= new
            out.counted.append(action.id)
        else:
            out.excluded.append(view.excluded(action, Reason.SUBJECT_ALREADY_COVERED))
    out.required, out.done = len(wanted), len(covered)
    return out


def follow_up(ask: Ask, measure: FollowUp) -> Outcome:
    view, scope = ask.view, ask.scope
    actions, out = sift(ask)
    followers: dict[UUID, list[ActionFact]] = {}
    for action in view.of_community(scope.community.id):
        if (
            action.follow_up_of is not None
            and action.kind in measure.kinds
            and view.gone(action) is None
            and action.held_on <= view.as_of
        ):
            followers.setdefault(action.follow_up_of, []).append(action)
    for trigger in actions:
        found = [
            f
            for f in followers.get(trigger.id, [])
            if 0 <= (f.held_on - trigger.held_on).days <= measure.within_days
        ]
        if found:
            out.counted.extend([trigger.id, *(f.id for f in found)])
            out.done += 1
        else:
            out.excluded.append(Excluded(trigger.id, Reason.NO_FOLLOW_UP))
    out.required = len(actions)
    return out


def rotation(ask: Ask, measure: Rotation) -> Outcome:
    scope, period = ask.scope, ask.period
    actions, out = sift(ask)
    slots = sub_periods(measure.every, period)
    for index, slot in enumerate(slots):
        expected = measure.order[index % len(measure.order)]
        hit = False
        for action in actions:
            if not slot.contains(action.held_on):
                continue
            if side_of(scope.community, action.host_school_id) == expected:
                out.counted.append(action.id)
                hit = True
            else:
                out.excluded.append(Excluded(action.id, Reason.WRONG_HOST))
        out.done += hit
    out.required = len(slots)
    return out


def symmetry_of_actions(ask: Ask, measure: Symmetry) -> Outcome:
    scope = ask.scope
    actions, out = sift(ask)
    hosted = Counter(side_of(scope.community, a.host_school_id) for a in actions)
    out.counted = [a.id for a in actions]
    out.required = 2
    out.done = sum(
        1
        for side in ("lead", "member")
        if hosted[side] >= measure.min_each
        and (measure.max_each is None or hosted[side] <= measure.max_each)
    )
    out.final = measure.max_each is not None and any(
        hosted[s] > measure.max_each for s in ("lead", "member")
    )
    return out
