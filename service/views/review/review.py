"""Answers of review before counting: the county's levels, one action's review, the queue."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from domain.codes import ReviewLevel, ReviewState
from domain.review.review import Review
from service.views.community.activity import ActivitySummary, activity_summary
from service.views.labels import text
from service.views.people import ActedBy, acted_by

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from domain.review.policy import ReviewPolicy
    from infra.users import Acting
    from projections.community.activity_list import ActivityRow
    from projections.review.review_state import PolicyRow, ReviewRow


class LevelView(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str


def level_view(level: ReviewLevel | None, lang: str) -> LevelView | None:
    return None if level is None else LevelView(code=level.value, label=text(level, lang))


class PolicyView(msgspec.Struct, frozen=True, kw_only=True):
    """The county's review levels; with none, every action counts as approved."""

    levels: list[LevelView]
    applies_from: date | None  # actions held before it count without review
    every_action_counts: bool  # no levels: nothing waits for review
    version: int  # 0 before the county first set its levels


def policy_view(policy: ReviewPolicy, lang: str) -> PolicyView:
    return _policy(policy.levels, policy.applies_from, policy.version, lang)


def policy_row_view(row: PolicyRow | None, lang: str) -> PolicyView:
    if row is None:
        return _policy((), None, 0, lang)
    return _policy(row.levels, row.applies_from, row.version, lang)


def _policy(
    levels: Sequence[ReviewLevel], applies_from: date | None, version: int, lang: str
) -> PolicyView:
    return PolicyView(
        levels=[LevelView(code=level.value, label=text(level, lang)) for level in levels],
        applies_from=applies_from,
        every_action_counts=not levels,
        version=version,
    )


class StepView(msgspec.Struct, frozen=True, kw_only=True):
    step: str  # opened, approved, returned, resubmitted, reopened (by a correction)
    level: LevelView | None
    by: ActedBy | None  # the person; None: a correction by a token of no person reopened it
    at: datetime
    activity_version: int | None
    note: str
    reason: str


class ReviewStatus(msgspec.Struct, frozen=True, kw_only=True):
    """Where an action stands in its review (a step's answer)."""

    activity_id: UUID
    state: str
    state_label: str
    awaiting: LevelView | None  # the level it waits at
    levels: list[LevelView]  # of this round (before any step: the county's levels now)
    round: int  # 0 before the first step
    version: int  # of the review's own record (0 before the first step)


class ReviewView(ReviewStatus, frozen=True, kw_only=True):
    """Where an action stands in its review, and every step with who took it and when."""

    steps: list[StepView]


def review_status(review: Review, lang: str) -> ReviewStatus:
    return ReviewStatus(
        activity_id=review.activity_id,
        state=review.state.value,
        state_label=text(review.state, lang),
        awaiting=level_view(review.awaiting, lang),
        levels=[LevelView(code=level.value, label=text(level, lang)) for level in review.levels],
        round=review.round,
        version=review.version,
    )


_BY = ("opened_by", "approved_by", "returned_by", "resubmitted_by", "reopened_by")


def step_view(event: Any, known: Mapping[UUID, Acting | str], lang: str) -> StepView:  # noqa: ANN401
    by = next(getattr(event, name) for name in _BY if hasattr(event, name))
    kinds: dict[type, str] = {
        Review.Opened: "opened",
        Review.Approved: "approved",
        Review.Returned: "returned",
        Review.Resubmitted: "resubmitted",
        Review.Reopened: "reopened",
    }
    kind = kinds[type(event)]
    return StepView(
        step=kind,
        level=level_view(getattr(event, "level", None), lang),
        by=None if by is None else acted_by(by, known, lang),
        at=event.timestamp,
        activity_version=getattr(event, "activity_version", None),
        note=getattr(event, "note", ""),
        reason=getattr(event, "reason", ""),
    )


def step_people(events: Sequence[Any]) -> list[UUID]:
    found = (getattr(e, name) for e in events for name in _BY if hasattr(e, name))
    return [person for person in found if person is not None]


def review_view(
    activity_id: UUID,
    review: Review | None,
    steps: list[StepView],
    *,
    waiting: tuple[ReviewState, tuple[ReviewLevel, ...]],
    lang: str,
) -> ReviewView:
    """`waiting` is the state and levels before the first step (no review record yet)."""
    if review is not None:
        return ReviewView(**msgspec.structs.asdict(review_status(review, lang)), steps=steps)
    state, levels = waiting
    awaiting = levels[0] if state is ReviewState.PENDING and levels else None
    return ReviewView(
        activity_id=activity_id,
        state=state.value,
        state_label=text(state, lang),
        awaiting=level_view(awaiting, lang),
        levels=[LevelView(code=level.value, label=text(level, lang)) for level in levels],
        round=0,
        steps=steps,
        version=0,
    )


class QueueItem(ActivitySummary, frozen=True, kw_only=True):
    review_state: str
    awaiting: LevelView | None
    round: int


class QueuePage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[QueueItem]
    next_cursor: str | None


def queue_item(
    row: ActivityRow,
    review: ReviewRow | None,
    state: tuple[ReviewState, ReviewLevel | None],
    lang: str,
) -> QueueItem:
    return QueueItem(
        **msgspec.structs.asdict(activity_summary(row, lang)),
        review_state=state[0].value,
        awaiting=level_view(state[1], lang),
        round=0 if review is None else review.round,
    )
