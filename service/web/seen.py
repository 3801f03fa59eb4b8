"""The county's actions as a page sees them as of a day: from the compliance facts' records.

Each action's versions are records stamped when recorded (`known_at`), so as known on D an
action counts once its first record was in by D, in its latest version known by D, unless voided
by D; as happened every record counts. Either way only actions held by D. Late entries (补录)
carry their delay: the days after the grace of the rule-set version in force on the day held
(after the day itself when none is), as the rules count it (domain.assessment.selection.is_late).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING
from uuid import UUID

from domain.assessment.evaluate import in_force
from domain.assessment.selection import is_late
from domain.periods import semester_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date

    from domain.assessment.facts import ActionFact
    from domain.assessment.rules import RuleSetVersion
    from projections.assessment.facts import CountyFacts
    from service.web.when import When


@dataclass(frozen=True)
class Seen:
    """One action as of the day: its latest version then, and how late its first record was."""

    activity_id: UUID
    community_id: UUID
    kind: str
    held_on: date
    school_ids: tuple[UUID, ...]  # the host, then the participating schools
    late_days: int
    semester: str | None  # its code (2023-spring); None in the summer break


class Seeing(dict[UUID, Seen]):
    """The actions as of a day by id, the latest held first; its tallies worked out once."""

    @cached_property
    def by_community(self) -> dict[UUID, list[Seen]]:
        found: dict[UUID, list[Seen]] = {}
        for seen in self.values():
            found.setdefault(seen.community_id, []).append(seen)
        return found

    @cached_property
    def kinds(self) -> dict[tuple[UUID | None, str | None], Counter[str]]:
        """(community or None for all, semester or None for all) -> actions by kind."""
        found: dict[tuple[UUID | None, str | None], Counter[str]] = {}
        for s in self.values():
            for key in ((None, None), (None, s.semester), (s.community_id, None)):
                found.setdefault(key, Counter())[s.kind] += 1
        return found

    def kind_counts(
        self, community_id: UUID | None = None, semester: str | None = None
    ) -> Counter[str]:
        return self.kinds.get((community_id, semester), Counter())

    @cached_property
    def semesters(self) -> Counter[str]:
        return Counter(s.semester for s in self.values() if s.semester is not None)


def seen_actions(
    records: Iterable[ActionFact], when: When, versions: Sequence[RuleSetVersion] = ()
) -> Seeing:
    """The actions as of `when`, by id; `versions` (the rules known then) say what is late."""
    root: dict[UUID, UUID] = {}
    first: dict[UUID, ActionFact] = {}
    latest: dict[UUID, ActionFact] = {}
    voided: set[UUID] = set()
    for record in records:  # an action's corrections come after the record they correct
        action = record.id if record.corrected_from is None else root[record.corrected_from]
        root[record.id] = action
        if not when.knows(record.known_at):
            continue
        first.setdefault(action, record)
        latest[action] = record
        if when.knows(record.voided_at):
            voided.add(action)
    found: list[Seen] = []
    for action, record in latest.items():
        if action in voided or record.held_on > when.day:
            continue
        entered = first[action]
        version = in_force(versions, entered.held_on)
        late = (
            is_late(version, entered.held_on, entered.known_at)
            if version is not None
            else max(0, (entered.known_at.date() - entered.held_on).days)
        )
        semester = semester_of(record.held_on)
        found.append(
            Seen(
                activity_id=action,
                community_id=record.community_id,
                kind=record.kind,
                held_on=record.held_on,
                school_ids=(record.host_school_id, *record.participating_school_ids),
                late_days=late,
                semester=None if semester is None else semester.code,
            )
        )
    # As the lists order them: the latest held first (then by id), so a page takes the first.
    found.sort(key=lambda s: (s.held_on, s.activity_id), reverse=True)
    return Seeing((s.activity_id, s) for s in found)


KEPT = 16  # (county, last event, day, mode) answers kept; events never change, so none goes stale
_kept: OrderedDict[tuple[UUID, int, date, str], Seeing] = OrderedDict()


def seen_of(
    tenant_id: UUID, fold: CountyFacts, when: When, versions: Sequence[RuleSetVersion]
) -> Seeing:
    """The county's actions as of `when`, kept until its next event (the same question again)."""
    key = (tenant_id, fold.last_seq, when.day, when.mode.value)
    found = _kept.get(key)
    if found is None:
        found = _kept[key] = seen_actions(fold.facts().actions, when, versions)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    else:
        _kept.move_to_end(key)
    return found


def first_ids(seen: Iterable[Seen], limit: int) -> list[UUID]:
    """The ids of the first `limit` of an ordered Seeing's actions (the latest held)."""
    return [s.activity_id for s in islice(seen, limit)]
