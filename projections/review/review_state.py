"""The county's review levels, and where each action stands in its review, one row each.

An action with no review row has had no step yet: it waits at the first of the county's
levels, or counts as approved when the county has none or it was held before they apply
(`projections/review/queries.py` says so in SQL).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.codes import ReviewLevel, ReviewState
from domain.review.policy import ReviewPolicy
from domain.review.review import Review
from projections.base import Projection


class PolicyRow(msgspec.Struct, frozen=True, kw_only=True):
    policy_id: UUID
    levels: tuple[ReviewLevel, ...]
    applies_from: date | None
    version: int


class ReviewRow(msgspec.Struct, frozen=True, kw_only=True):
    review_id: UUID
    activity_id: UUID
    state: ReviewState
    levels: tuple[ReviewLevel, ...]  # this round's
    level: ReviewLevel | None  # the level it waits at, None unless pending
    round: int
    version: int


def evolve_policy(row: PolicyRow | None, event: Any) -> PolicyRow | None:  # noqa: ANN401
    match event:
        case ReviewPolicy.Adopted() | ReviewPolicy.Changed():
            return PolicyRow(
                policy_id=event.originator_id,
                levels=event.levels,
                applies_from=event.applies_from,
                version=event.originator_version,
            )
        case _:
            return row


def evolve_review(row: ReviewRow | None, event: Any) -> ReviewRow | None:  # noqa: ANN401
    match event:
        case Review.Opened():
            return ReviewRow(
                review_id=event.originator_id,
                activity_id=event.activity_id,
                state=ReviewState.PENDING,
                levels=event.levels,
                level=event.levels[0],
                round=1,
                version=event.originator_version,
            )
        case Review.Approved() if row is not None:
            passed = row.levels.index(event.level) + 1
            done = passed == len(row.levels)
            return msgspec.structs.replace(
                row,
                state=ReviewState.APPROVED if done else ReviewState.PENDING,
                level=None if done else row.levels[passed],
                version=event.originator_version,
            )
        case Review.Returned() if row is not None:
            return msgspec.structs.replace(
                row, state=ReviewState.RETURNED, level=None, version=event.originator_version
            )
        case Review.Resubmitted() | Review.Reopened() if row is not None:
            return msgspec.structs.replace(
                row,
                state=ReviewState.PENDING if event.levels else ReviewState.APPROVED,
                levels=event.levels,
                level=event.levels[0] if event.levels else None,
                round=row.round + 1,
                version=event.originator_version,
            )
        case _:
            return row


review_policy = Projection(
    name="review_policy",
    aggregate=ReviewPolicy,
    row_type=PolicyRow,
    key="policy_id",
    evolve=evolve_policy,
)

activity_review = Projection(
    name="activity_review",
    aggregate=Review,
    row_type=ReviewRow,
    key="review_id",
    evolve=evolve_review,
)
