"""What is known on a date, and which of a community's actions a rule counts (or why not)."""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.assessment.calendar import Window
from domain.assessment.codes import EvaluationMode, ExclusionReason
from domain.assessment.facts import ActionFact, CommunityFact, Facts, SchoolFact, TeacherFact
from domain.assessment.rules import Counts, Rule, RuleSetVersion

Reason = ExclusionReason


@dataclass
class View:
    """The facts as the question sees them: as known on `as_of`, or everything as happened."""

    facts: Facts
    as_of: date
    mode: EvaluationMode
    teachers: dict[UUID, TeacherFact] = field(default_factory=dict)
    schools: dict[UUID, SchoolFact] = field(default_factory=dict)
    superseded: set[UUID] = field(default_factory=set)
    by_community: dict[UUID, list[ActionFact]] = field(default_factory=dict)
    # (community, kind) -> its actions by the day they happened, and those days, for bisecting.
    by_kind: dict[tuple[UUID, str], list[ActionFact]] = field(default_factory=dict)
    days: dict[tuple[UUID, str], list[date]] = field(default_factory=dict)
    # (community, kind, school) -> the same, of the actions the school hosts, hosts at or joins
    # (filled as the rules ask, so that a member school's rules do not each scan the community's).
    by_school: dict[tuple[UUID, str, UUID], list[ActionFact]] = field(default_factory=dict)
    school_days: dict[tuple[UUID, str, UUID], list[date]] = field(default_factory=dict)
    _split: set[tuple[UUID, str]] = field(default_factory=set)  # the keys split by school
    _gone: dict[int, Reason | None] = field(default_factory=dict)

    def candidates(
        self, community_id: UUID, kinds: Iterable[str], window: Window, school: UUID | None = None
    ) -> list[ActionFact]:
        """The community's actions of these kinds within `window` (involving `school`, if given)."""
        found: list[ActionFact] = []
        for kind in set(kinds):
            key = (community_id, kind)
            if key not in self.days:
                continue
            actions, days = self.by_kind[key], self.days[key]
            if school is not None:
                actions, days = self._of_school(key, school)
            low, high = bisect_left(days, window.starts_on), bisect_right(days, window.ends_on)
            found.extend(actions[low:high])
        return found

    def _of_school(
        self, key: tuple[UUID, str], school: UUID
    ) -> tuple[list[ActionFact], list[date]]:
        """Of `key`'s actions, those the school hosts, hosts at or takes part in.

        Split by school once per key, on the first ask: each action is looked at once, not
        once for every school that asks.
        """
        if key not in self._split:
            self._split.add(key)
            split: dict[UUID, list[ActionFact]] = {}
            for action in self.by_kind[key]:
                involved = (action.host_school_id, action.place_school_id)
                for school_id in dict.fromkeys((*involved, *action.participating_school_ids)):
                    if school_id is not None:
                        split.setdefault(school_id, []).append(action)
            for school_id, found in split.items():
                self.by_school[(*key, school_id)] = found
                self.school_days[(*key, school_id)] = [a.held_on for a in found]
        mine = self.by_school.get((*key, school))
        if mine is None:
            return [], []
        return mine, self.school_days[(*key, school)]

    def gone(self, action: ActionFact) -> Reason | None:
        """Why no rule counts `action` (not yet recorded, voided, corrected), None if none."""
        # Asked of each action by every rule that looks at it: answered once per view, by the
        # record's identity (the view holds the facts, so no id is reused meanwhile).
        key = id(action)
        if key in self._gone:
            return self._gone[key]
        found = None
        if not self.known(action.known_at):
            found = Reason.RECORDED_AFTER_AS_OF
        elif self.known(action.voided_at):
            found = Reason.VOIDED
        elif action.id in self.superseded:
            found = Reason.CORRECTED
        self._gone[key] = found
        return found

    def known(self, at: datetime | None) -> bool:
        """Whether something stamped `at` is known: always as happened, by `as_of` as known."""
        if at is None:
            return False
        return self.mode == EvaluationMode.AS_HAPPENED or at.date() <= self.as_of


def view_of(facts: Facts, as_of: date, mode: EvaluationMode) -> View:
    found = View(facts, as_of, mode)
    found.teachers = {t.id: t for t in facts.teachers if found.known(t.known_at)}
    found.schools = {s.id: s for s in facts.schools if found.known(s.known_at)}
    for action in sorted(facts.actions, key=lambda a: a.held_on):
        found.by_community.setdefault(action.community_id, []).append(action)
        found.by_kind.setdefault((action.community_id, action.kind), []).append(action)
        if action.corrected_from is not None and found.known(action.known_at):
            found.superseded.add(action.corrected_from)
    found.days = {key: [a.held_on for a in actions] for key, actions in found.by_kind.items()}
    return found


def involves(action: ActionFact, school_id: UUID) -> bool:
    return school_id in (action.host_school_id, action.place_school_id) or (
        school_id in action.participating_school_ids
    )


def side_of(community: CommunityFact, school_id: UUID | None) -> str | None:
    return None if school_id is None else community.sides.get(school_id)


def counting_window(counts: Counts, period: Window) -> Window:
    """Where an action must fall to be listed: the period, or just before it (before_start)."""
    if counts.position is not None and counts.position.part == "before_start":
        start = period.starts_on - timedelta(days=counts.position.days)
        return Window(start, period.ends_on, period.code)
    return period


@dataclass(frozen=True)
class Scope:
    """Whom a result is about: the community, its lead, or one member school."""

    community: CommunityFact
    school_id: UUID | None  # None: the community as a whole

    def wants_side(self, side: str, school_id: UUID | None) -> bool:
        if side == "any":
            return True
        if (
            side == "member"
            and self.school_id is not None
            and self.school_id != self.community.lead_school_id
        ):
            return school_id == self.school_id
        return side_of(self.community, school_id) == side


@dataclass(frozen=True)
class Ask:
    """One question: a rule of a version, about a scope, for a period, on the view."""

    view: View
    version: RuleSetVersion
    rule: Rule
    scope: Scope
    period: Window


def relevant(ask: Ask) -> list[ActionFact]:
    """The actions a rule looks at: of its kinds, in its counting window up to `as_of`.

    For a member school, only those it hosts, hosts at, or takes part in.
    """
    counts, scope = ask.rule.counts, ask.scope
    kinds = (*counts.kinds, *(counts.substitute.kinds if counts.substitute else ()))
    window = counting_window(counts, ask.period)
    window = Window(window.starts_on, min(window.ends_on, ask.view.as_of))
    school = scope.school_id
    if school is None or school == scope.community.lead_school_id:
        return ask.view.candidates(scope.community.id, kinds, window)
    return ask.view.candidates(scope.community.id, kinds, window, school)


def _review(view: View, version: RuleSetVersion, action: ActionFact) -> Reason | None:
    if not version.require_approval:
        return None
    approved = action.approved_at if view.known(action.approved_at) else None
    returned = action.returned_at if view.known(action.returned_at) else None
    if returned is not None and (approved is None or returned > approved):
        return Reason.RETURNED_IN_REVIEW
    return None if approved is not None else Reason.NOT_APPROVED


def _mode(counts: Counts, action: ActionFact) -> Reason | None:
    sub = counts.substitute
    by_kind = action.kind not in counts.kinds
    by_mode = bool(counts.modes) and action.mode not in counts.modes
    if not by_kind and not by_mode:
        return None
    allowed = sub is not None and (
        (by_kind and action.kind in sub.kinds and (not sub.modes or action.mode in sub.modes))
        or (not by_kind and action.mode in sub.modes)
    )
    if not allowed:
        return Reason.WRONG_MODE
    assert sub is not None  # noqa: S101 (allowed implies it)
    if sub.needs_reason and not action.substitution_reason.strip():
        return Reason.SUBSTITUTE_WITHOUT_REASON
    return None


def _joint(scope: Scope, action: ActionFact) -> bool:
    schools = {action.host_school_id, *action.participating_school_ids}
    community = scope.community
    if community.lead_school_id not in schools:
        return False
    if scope.school_id is not None and scope.school_id != community.lead_school_id:
        return scope.school_id in schools
    return any(m.school_id in schools for m in community.members)


def _conditions(counts: Counts, action: ActionFact) -> Reason | None:
    if action.evidence_count < counts.min_evidence or (
        counts.sign_in_sheet and not action.sign_in_sheet
    ):
        return Reason.MISSING_EVIDENCE
    seen = action.attendance
    if counts.all_present and (seen is None or seen.present + seen.written_leave < seen.expected):
        return Reason.ATTENDANCE
    if counts.no_late and (seen is None or seen.late or seen.left_early):
        return Reason.ATTENDANCE
    if counts.min_reflection and any(
        r.characters < counts.min_reflection for r in action.reflections
    ):
        return Reason.SHORT_REFLECTION
    if counts.reflection_each and not set(action.participant_ids) <= {
        r.person_id for r in action.reflections
    }:
        return Reason.SHORT_REFLECTION
    return None


def _position(counts: Counts, action: ActionFact, period: Window) -> Reason | None:
    position = counts.position
    if position is None:
        return None
    day, days = action.held_on, timedelta(days=position.days - 1)
    inside = {
        "start": day <= period.starts_on + days,
        "end": day >= period.ends_on - days,
        "middle": abs((day - period.starts_on).days - period.days // 2) <= position.days // 2,
        "before_start": day < period.starts_on,
    }[position.part]
    return None if inside else Reason.WRONG_POSITION


def _presenters(view: View, counts: Counts, action: ActionFact) -> Reason | None:
    people = [view.teachers.get(p) for p in action.presenter_ids]
    if counts.presenters is not None and (
        not people
        or any(t is None or not counts.presenters.holds(t, action.held_on) for t in people)
    ):
        return Reason.INELIGIBLE
    if counts.distinct_presenter_schools:
        schools = {t.school_id for t in people if t is not None}
        if len(schools) < counts.distinct_presenter_schools:
            return Reason.INELIGIBLE
    return None


def exclusion(ask: Ask, action: ActionFact) -> Reason | None:
    """Why the relevant `action` does not count, or None when it counts."""
    view, version, rule, scope, period = ask.view, ask.version, ask.rule, ask.scope, ask.period
    gone = view.gone(action)
    if gone is not None:
        return gone
    counts = rule.counts
    found = _review(view, version, action) or _mode(counts, action)
    if found is not None:
        return found
    if not scope.wants_side(counts.place, action.place_school_id or action.host_school_id):
        return Reason.WRONG_PLACE
    if not scope.wants_side(counts.host, action.host_school_id):
        return Reason.WRONG_HOST
    if counts.joint and not _joint(scope, action):
        return Reason.NOT_JOINT
    return (
        _conditions(counts, action)
        or _position(counts, action, period)
        or _presenters(view, counts, action)
    )


def is_late(version: RuleSetVersion, held_on: date, known_at: datetime) -> int:
    """Days a record was entered after its grace (补录), 0 when on time."""
    deadline = held_on + timedelta(days=version.grace_days)
    return max(0, (known_at.date() - deadline).days)
