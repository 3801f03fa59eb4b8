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
from typing import TYPE_CHECKING

from domain.assessment.evaluate import in_force
from domain.assessment.selection import is_late
from domain.periods import semester_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import date
    from uuid import UUID

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

    @property
    def semester(self) -> str | None:
        found = semester_of(self.held_on)
        return None if found is None else found.code


def seen_actions(
    records: Iterable[ActionFact], when: When, versions: Sequence[RuleSetVersion] = ()
) -> dict[UUID, Seen]:
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
    found: dict[UUID, Seen] = {}
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
        found[action] = Seen(
            activity_id=action,
            community_id=record.community_id,
            kind=record.kind,
            held_on=record.held_on,
            school_ids=(record.host_school_id, *record.participating_school_ids),
            late_days=late,
        )
    return found


KEPT = 16  # (county, last event, day, mode) answers kept; events never change, so none goes stale
_kept: OrderedDict[tuple[UUID, int, date, str], dict[UUID, Seen]] = OrderedDict()


def seen_of(
    tenant_id: UUID, fold: CountyFacts, when: When, versions: Sequence[RuleSetVersion]
) -> dict[UUID, Seen]:
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


def latest(seen: Iterable[Seen], limit: int) -> list[UUID]:
    """The ids of the latest held, as the lists order them (held_on, then id, descending)."""
    ordered = sorted(seen, key=lambda s: (s.held_on, s.activity_id), reverse=True)
    return [s.activity_id for s in ordered[:limit]]


def kind_counts(seen: Iterable[Seen], semester: str | None = None) -> Counter[str]:
    return Counter(s.kind for s in seen if semester is None or s.semester == semester)


def semester_counts(seen: Iterable[Seen]) -> Counter[str]:
    return Counter(s.semester for s in seen if s.semester is not None)
