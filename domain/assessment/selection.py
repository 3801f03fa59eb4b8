"""What is known on a date, and which of a community's actions a rule counts (or why not)."""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import NamedTuple, Self
from uuid import UUID

from domain.assessment.calendar import Window
from domain.assessment.codes import EvaluationMode, ExclusionReason
from domain.assessment.facts import ActionFact, CommunityFact, Facts, SchoolFact, TeacherFact
from domain.assessment.outcome import Excluded, Late
from domain.assessment.rules import Counts, Rule, RuleSetVersion

Reason = ExclusionReason
_LaneKey = tuple[UUID, str, int]  # community, kind, the rule set's grace days


class Lane(NamedTuple):
    """Actions in order, with (aligned) their days, why no rule counts each, and how late each is.

    `gone` holds the exclusion of an action no rule counts (not yet recorded, voided,
    corrected), `late` its lateness past the rule set's grace (补录): None where there is none.
    """

    actions: list[ActionFact]
    days: list[date]
    gone: list[Excluded | None]
    late: list[Late | None]


@dataclass
class View:
    """The facts as the question sees them: as known on `as_of`, or everything as happened."""

    facts: Facts
    as_of: date
    mode: EvaluationMode
    teachers: dict[UUID, TeacherFact] = field(default_factory=dict)
    schools: dict[UUID, SchoolFact] = field(default_factory=dict)
    # Ids are looked up by their numbers (`UUID.int`): hashing a UUID runs Python code, and
    # these are asked of every action.
    # Built on the first ask that needs the actions (`_index`): county-wide rules need none.
    _superseded: set[int] | None = None  # the records a known correction replaced
    _ordered: list[ActionFact] = field(default_factory=list)  # every action, `in_order`
    # (community, kind, grace days) -> its actions in order, with their days for bisecting,
    # why no rule counts each and how late each came in, aligned.
    by_kind: dict[_LaneKey, Lane] = field(default_factory=dict)  # laid out when asked
    _grouped: dict[tuple[int, str], list[ActionFact]] = field(default_factory=dict)
    # The same -> school (its number) -> the same, of the actions the school hosts, hosts at or
    # joins (split as the rules ask, so a member school's do not each scan them).
    by_school: dict[_LaneKey, dict[int, Lane]] = field(default_factory=dict)
    _of_community: dict[int, list[ActionFact]] = field(default_factory=dict)
    leads: dict[int, int] = field(default_factory=dict)  # community -> its lead school (numbers)
    # One record of each exclusion, however many rules find it: they are frozen.
    _excluded: dict[tuple[int, Reason], Excluded] = field(default_factory=dict)

    def candidates(
        self,
        community_id: UUID,
        kinds: Iterable[str],
        window: Window,
        grace_days: int,
        school: UUID | None = None,
    ) -> list[Lane]:
        """The community's actions of these kinds in `window`, as a rule about `school` sees them.

        A member school sees those it hosts, hosts at or takes part in; the lead, as the
        community (no `school`), sees all of them. A lane for each kind, in order, with why no
        rule counts each and how late each came in past `grace_days`.
        """
        if school is not None and school.int == self.leads.get(community_id.int):
            school = None
        found: list[Lane] = []
        # In the rule's order, not a set's: a string hashes differently in each process, and
        # the excluded and late records follow the lanes' order (the table's judge and a
        # route's replay run in different processes).
        for kind in dict.fromkeys(kinds):
            key = (community_id, kind, grace_days)
            lane = self._lane(key)
            if lane is not None and school is not None:
                lane = self._of_school(key, school)
            if lane is None:
                continue
            low = bisect_left(lane.days, window.starts_on)
            high = bisect_right(lane.days, window.ends_on)
            if low < high:
                actions, days, gone, late = lane
                found.append(
                    Lane(actions[low:high], days[low:high], gone[low:high], late[low:high])
                )
        return found

    def _lane(self, key: _LaneKey) -> Lane | None:
        """`key`'s actions laid out, on the first ask (a county's rules alone need none)."""
        lane = self.by_kind.get(key)
        community_id, kind, grace = key
        if lane is not None:
            return lane
        superseded = self._index()
        actions = self._grouped.get((community_id.int, kind))
        if actions is None:
            return None
        happened, as_of = self.mode == EvaluationMode.AS_HAPPENED, self.as_of
        # `gone` and `is_late`, inline and a list at a time: they are asked of every action.
        days = [a.held_on for a in actions]
        entered = [a.known_at.date() for a in actions]
        gone = [
            Excluded(a.id, Reason.RECORDED_AFTER_AS_OF)
            if not happened and on > as_of
            else Excluded(a.id, Reason.VOIDED)
            if (voided := a.voided_at) is not None and (happened or voided.date() <= as_of)
            else Excluded(a.id, Reason.CORRECTED)
            if a.id.int in superseded
            else None
            for a, on in zip(actions, entered, strict=True)
        ]
        lateness = [
            days_late(grace, (on - day).days) for on, day in zip(entered, days, strict=True)
        ]
        late = [Late(a.id, d) if d else None for a, d in zip(actions, lateness, strict=True)]
        lane = self.by_kind[key] = Lane(actions, days, gone, late)
        return lane

    def _of_school(self, key: _LaneKey, school: UUID) -> Lane | None:
        """Of `key`'s actions, those the school hosts, hosts at or takes part in.

        Split by school once per key, on the first ask: each action is looked at once, not
        once for every school that asks.
        """
        split = self.by_school.get(key)
        if split is None:
            lane = self.by_kind[key]  # laid out by the caller's ask
            where: dict[int, list[int]] = {}  # school number -> positions in the lane
            # The lead's ask is the whole lane (`relevant`): its own split is never read.
            lead = self.leads.get(key[0].int)
            for i, a in enumerate(lane.actions):
                involved = (a.host_school_id, a.place_school_id, *a.participating_school_ids)
                for number in {s.int for s in involved if s is not None} - {lead}:
                    found = where.get(number)
                    if found is None:
                        where[number] = [i]
                    else:
                        found.append(i)
            actions, days, gone, late = lane
            split = self.by_school[key] = {
                number: Lane(
                    [actions[i] for i in at],
                    [days[i] for i in at],
                    [gone[i] for i in at],
                    [late[i] for i in at],
                )
                for number, at in where.items()
            }
        return split.get(school.int)

    def gone(self, action: ActionFact) -> Reason | None:
        """Why no rule counts `action` (not yet recorded, voided, corrected), None if none."""
        if not self.known(action.known_at):
            return Reason.RECORDED_AFTER_AS_OF
        if self.known(action.voided_at):
            return Reason.VOIDED
        return Reason.CORRECTED if action.id.int in self._index() else None

    def of_community(self, community_id: UUID) -> list[ActionFact]:
        """The community's actions in order (of every kind)."""
        found = self._of_community.get(community_id.int)
        if found is None:
            self._index()
            found = self._of_community[community_id.int] = [
                a for a in self._ordered if a.community_id == community_id
            ]
        return found

    def _index(self) -> set[int]:
        """The actions in order, grouped by community and kind; the records superseded."""
        if self._superseded is not None:
            return self._superseded
        self._superseded = superseded = set()
        self._ordered = ordered = sorted(self.facts.actions, key=in_order)
        kinds = self._grouped
        for action in ordered:
            key = (action.community_id.int, action.kind)
            same = kinds.get(key)
            if same is None:
                same = kinds[key] = []
            same.append(action)
            if action.corrected_from is not None and self.known(action.known_at):
                superseded.add(action.corrected_from.int)
        return superseded

    def excluded(self, action: ActionFact, reason: Reason) -> Excluded:
        key = (id(action), reason)
        found = self._excluded.get(key)
        if found is None:
            found = self._excluded[key] = Excluded(action.id, reason)
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
    found.leads = {c.id.int: c.lead_school_id.int for c in facts.communities}
    return found


# By the day held, then the id (its number orders as its text does: fixed-width hex). An
# attrgetter: the key is asked of every action, and it runs in C.
in_order: Callable[[ActionFact], tuple[date, int]] = attrgetter("held_on", "id.int")


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


def relevant(ask: Ask) -> list[Lane]:
    """The actions a rule looks at: of its kinds, in its counting window up to `as_of`.

    For a member school, only those it hosts, hosts at, or takes part in (`View.candidates`).
    """
    counts, scope = ask.rule.counts, ask.scope
    kinds = (*counts.kinds, *(counts.substitute.kinds if counts.substitute else ()))
    window = counting_window(counts, ask.period)
    window = Window(window.starts_on, min(window.ends_on, ask.view.as_of))
    return ask.view.candidates(
        scope.community.id, kinds, window, ask.version.grace_days, scope.school_id
    )


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


@dataclass(frozen=True)
class Sieve:
    """Which of a rule's checks can exclude one of its relevant actions: the others are skipped.

    Made once per question, since a question asks it of every action it looks at.
    """

    review: bool
    mode: bool  # without modes or a substitute, every relevant action is of the rule's kinds
    place: bool
    host: bool
    conditions: bool
    presenters: bool
    joint: bool
    position: bool

    @property
    def any(self) -> bool:
        """Whether any check but the record's own (gone) can exclude an action."""
        return (
            self.review or self.mode or self.place or self.host or self.conditions
            or self.presenters or self.joint or self.position
        )  # fmt: skip

    @classmethod
    def of(cls, version: RuleSetVersion, counts: Counts) -> Self:
        return cls(
            review=version.require_approval,
            mode=bool(counts.modes) or counts.substitute is not None,
            place=counts.place != "any",
            host=counts.host != "any",
            conditions=bool(
                counts.min_evidence
                or counts.sign_in_sheet
                or counts.all_present
                or counts.no_late
                or counts.min_reflection
                or counts.reflection_each
            ),
            presenters=counts.presenters is not None or counts.distinct_presenter_schools > 0,
            joint=counts.joint,
            position=counts.position is not None,
        )


def rule_exclusion(ask: Ask, action: ActionFact, sieve: Sieve) -> Reason | None:  # noqa: PLR0911 (the reasons in naming order)
    """Why the rule does not count the relevant `action`, a record still standing."""
    view, scope, counts = ask.view, ask.scope, ask.rule.counts
    if sieve.review and (found := _review(view, ask.version, action)) is not None:
        return found
    if sieve.mode and (found := _mode(counts, action)) is not None:
        return found
    if sieve.place and not scope.wants_side(
        counts.place, action.place_school_id or action.host_school_id
    ):
        return Reason.WRONG_PLACE
    if sieve.host and not scope.wants_side(counts.host, action.host_school_id):
        return Reason.WRONG_HOST
    if sieve.joint and not _joint(scope, action):
        return Reason.NOT_JOINT
    if sieve.conditions and (found := _conditions(counts, action)) is not None:
        return found
    if sieve.position and (found := _position(counts, action, ask.period)) is not None:
        return found
    return _presenters(view, counts, action) if sieve.presenters else None


def is_late(version: RuleSetVersion, held_on: date, known_at: datetime) -> int:
    """Days a record was entered after its grace (补录), 0 when on time."""
    return days_late(version.grace_days, (known_at.date() - held_on).days)


def days_late(grace_days: int, lag: int) -> int:
    """`is_late` of a record entered `lag` days after it happened."""
    return max(0, lag - grace_days)
