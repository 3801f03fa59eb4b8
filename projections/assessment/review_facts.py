"""Review (审核) in the compliance facts: when each action's record was approved, or returned.

A record's `approved_at` is when the last of its round's levels approved that version (the
step's `recorded_at`), `returned_at` when it was returned. An action the county's levels do not
cover (none set, or held before `applies_from`) is approved from when it became so: when it was
recorded, or when a change of the levels let it through. A correction is a new record that
waits for the levels again unless the action needs no review (the service reopens the review).
A change of the levels moves only actions no step has been taken on, as the review queue does:
one it sends to the queue is no longer approved, on any date (a record has one approval time).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from domain.community.activity import Activity
from domain.review.policy import ReviewPolicy
from domain.review.review import Review
from projections.assessment.actions import amended

if TYPE_CHECKING:
    from datetime import date, datetime
    from uuid import UUID

    from domain.codes import ReviewLevel
    from projections.assessment.actions import Action


@dataclass
class _Round:
    """An action's review as its events stand: this round's levels and how far it came."""

    levels: tuple[ReviewLevel, ...]
    passed: int = 0
    returned: bool = False

    @property
    def approved(self) -> bool:
        return not self.returned and self.passed >= len(self.levels)


@dataclass
class Reviews:
    """The county's levels, each action's round, and the action version of each record."""

    levels: tuple[ReviewLevel, ...] = ()
    applies_from: date | None = None
    rounds: dict[UUID, _Round] = field(default_factory=dict)  # by action
    reviewed: dict[UUID, UUID] = field(default_factory=dict)  # review stream -> its action
    # The action version of each record of a corrected action (one never corrected: [1]).
    record_versions: dict[UUID, list[int]] = field(default_factory=dict)

    def apply(self, actions: dict[UUID, Action], event: Any, at: datetime) -> None:  # noqa: ANN401
        handler = _HANDLERS[type(event)]
        handler(self, actions, event, at)

    def needs_review(self, held_on: date) -> bool:
        return bool(self.levels) and (self.applies_from is None or held_on >= self.applies_from)


def _set(action: Action, index: int, approved_at: datetime | None) -> None:
    record = action.versions[index]
    if record.approved_at != approved_at:
        # A new record, as `replace` makes it: a county without levels sets this on every
        # action it records.
        action.versions[index] = amended(record, approved_at=approved_at)


def _record_of(reviews: Reviews, activity_id: UUID, activity_version: int) -> int:
    """The index of the record a step saw: the last one at or before `activity_version`."""
    versions = reviews.record_versions.get(activity_id, [1])
    return max(0, bisect_right(versions, activity_version) - 1)


def _unreviewed(reviews: Reviews, action: Action, at: datetime, *, fresh: bool = False) -> None:
    """The latest record of an action no step was taken on, as the county's levels say.

    `fresh`: the record was built by this very event, so no judgement's facts hold it yet and it
    is set in place (nine in ten of a county's events; a copy each was a tenth of the fold).
    """
    latest = action.versions[-1]
    approved_at = None if reviews.needs_review(latest.held_on) else latest.approved_at or at
    if fresh:
        object.__setattr__(latest, "approved_at", approved_at)
    else:
        _set(action, -1, approved_at=approved_at)


def _recorded(
    reviews: Reviews, actions: dict[UUID, Action], e: Activity.Recorded, at: datetime
) -> None:
    _unreviewed(reviews, actions[e.originator_id], at, fresh=True)  # its record is version 1


def _corrected(
    reviews: Reviews, actions: dict[UUID, Action], e: Activity.Corrected, at: datetime
) -> None:
    reviews.record_versions.setdefault(e.originator_id, [1]).append(e.originator_version)
    action = actions[e.originator_id]
    found = reviews.rounds.get(e.originator_id)
    if found is None:
        _unreviewed(reviews, action, at, fresh=True)  # the correction's record, just built
    elif found.approved and not reviews.needs_review(action.versions[-1].held_on):
        _set(action, -1, approved_at=at)  # the levels no longer cover it: nothing reopens it


def _opened(reviews: Reviews, actions: dict[UUID, Action], e: Review.Opened, _: datetime) -> None:
    reviews.rounds[e.activity_id] = _Round(e.levels)
    reviews.reviewed[e.originator_id] = e.activity_id
    action = actions.get(e.activity_id)
    if action is not None:
        _set(action, -1, approved_at=None)


def _approved(
    reviews: Reviews, actions: dict[UUID, Action], e: Review.Approved, at: datetime
) -> None:
    activity_id = reviews.reviewed[e.originator_id]
    found = reviews.rounds[activity_id]
    found.passed += 1
    if found.approved and activity_id in actions:
        index = _record_of(reviews, activity_id, e.activity_version)
        _set(actions[activity_id], index, approved_at=at)


def _returned(
    reviews: Reviews, actions: dict[UUID, Action], e: Review.Returned, at: datetime
) -> None:
    activity_id = reviews.reviewed[e.originator_id]
    reviews.rounds[activity_id].returned = True
    if activity_id in actions:
        index = _record_of(reviews, activity_id, e.activity_version)
        versions = actions[activity_id].versions
        versions[index] = amended(versions[index], returned_at=at)


def _next_round(
    reviews: Reviews,
    actions: dict[UUID, Action],
    e: Review.Resubmitted | Review.Reopened,
    at: datetime,
) -> None:
    activity_id = reviews.reviewed[e.originator_id]
    reviews.rounds[activity_id] = found = _Round(e.levels)
    if activity_id in actions:
        index = _record_of(reviews, activity_id, e.activity_version)
        _set(actions[activity_id], index, approved_at=at if found.approved else None)


def _policy(
    reviews: Reviews,
    actions: dict[UUID, Action],
    e: ReviewPolicy.Adopted | ReviewPolicy.Changed,
    at: datetime,
) -> None:
    reviews.levels, reviews.applies_from = e.levels, e.applies_from
    for activity_id, action in actions.items():
        if activity_id not in reviews.rounds:
            _unreviewed(reviews, action, at)


_HANDLERS: dict[type, Any] = {
    Activity.Recorded: _recorded,
    Activity.Corrected: _corrected,
    ReviewPolicy.Adopted: _policy,
    ReviewPolicy.Changed: _policy,
    Review.Opened: _opened,
    Review.Approved: _approved,
    Review.Returned: _returned,
    Review.Resubmitted: _next_round,
    Review.Reopened: _next_round,
}

HANDLED = frozenset(_HANDLERS)  # looked up for every event the fold gets
