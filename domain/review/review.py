"""The Review aggregate: one action's way through the county's review levels (审核).

Its first step opens it with the levels in force then; each level approves or returns the
action with a reason; a returned action, once corrected, is resubmitted and goes through the
levels in force at that time from the first. Every step names the person who took it.
Correcting an action whose current round has approvals (approved, or part way) reopens it: the
corrected version goes through the levels in force then, from the first (`Reopened`).
"""

from typing import Self
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.codes import ReviewLevel, ReviewState
from domain.review.errors import (
    NotAwaitingReviewError,
    NotCorrectedError,
    NotReturnedError,
    ReviewNotRequiredError,
    WrongReviewLevelError,
)

NOTE_LIMIT = 500
REASON_LIMIT = 500


def review_id(activity_id: UUID) -> UUID:
    """The stream of an action's review."""
    return uuid5(activity_id, "review")


class Review(Aggregate):
    """How far an action has come through its review levels."""

    class Opened(Aggregate.Created):
        activity_id: UUID
        levels: tuple[ReviewLevel, ...]  # in force when the first step was taken
        opened_by: UUID

    class Approved(Aggregate.Event):
        level: ReviewLevel
        activity_version: int  # the version of the action that was approved
        note: str
        approved_by: UUID

    class Returned(Aggregate.Event):
        level: ReviewLevel
        activity_version: int
        reason: str
        returned_by: UUID

    class Resubmitted(Aggregate.Event):
        levels: tuple[ReviewLevel, ...]  # in force now; none: approved at once
        activity_version: int  # the corrected version
        note: str
        resubmitted_by: UUID

    class Reopened(Aggregate.Event):
        levels: tuple[ReviewLevel, ...]  # in force at the correction
        activity_version: int  # the correction's version, which the levels approve again
        reopened_by: UUID | None  # the person who corrected; None for a token of no person

    @classmethod
    def open(
        cls,
        *,
        activity_id: UUID,
        levels: tuple[ReviewLevel, ...],
        by: UUID,
    ) -> Self:
        if not levels:
            raise ReviewNotRequiredError(activity_id=activity_id)
        return cls(id=review_id(activity_id), activity_id=activity_id, levels=levels, opened_by=by)

    @event(Opened)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        activity_id: UUID,
        levels: tuple[ReviewLevel, ...],
        opened_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.activity_id = activity_id
        self.levels = levels
        self.round = 1
        self.passed = 0  # levels approved in this round
        self.state = ReviewState.PENDING
        self.returned_at: int | None = None  # the action's version when it was returned
        self.return_reason: str | None = None
        self.approved_versions: list[int] = []  # the action's versions approved this round

    @property
    def awaiting(self) -> ReviewLevel | None:
        """The level it waits at, None unless pending."""
        return self.levels[self.passed] if self.state is ReviewState.PENDING else None

    def approve(self, level: ReviewLevel, activity_version: int, note: str, by: UUID) -> None:
        self._check_awaiting(level)
        note = optional(note, field="note", limit=NOTE_LIMIT)
        self._approved(level=level, activity_version=activity_version, note=note, approved_by=by)

    def send_back(self, level: ReviewLevel, activity_version: int, reason: str, by: UUID) -> None:
        """Return the action to its school with the reason it must be corrected."""
        self._check_awaiting(level)
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._returned(
            level=level, activity_version=activity_version, reason=reason, returned_by=by
        )

    def resubmit(
        self, levels: tuple[ReviewLevel, ...], activity_version: int, note: str, by: UUID
    ) -> None:
        """Send a corrected action through the levels in force now, from the first."""
        if self.state is not ReviewState.RETURNED:
            raise NotReturnedError(activity_id=self.activity_id, state=self.state.value)
        if self.returned_at is not None and activity_version <= self.returned_at:
            raise NotCorrectedError(activity_id=self.activity_id)
        note = optional(note, field="note", limit=NOTE_LIMIT)
        self._resubmitted(
            levels=levels, activity_version=activity_version, note=note, resubmitted_by=by
        )

    def needs_reopening(self, activity_version: int) -> bool:
        """Whether a correction (now at `activity_version`) undoes approvals of this round."""
        return self.state is not ReviewState.RETURNED and any(
            v < activity_version for v in self.approved_versions
        )

    def reopen(
        self, levels: tuple[ReviewLevel, ...], activity_version: int, by: UUID | None
    ) -> None:
        """The corrected version needs `levels` again; no-op unless `needs_reopening`."""
        if levels and self.needs_reopening(activity_version):
            self._reopened(levels=levels, activity_version=activity_version, reopened_by=by)

    def _check_awaiting(self, level: ReviewLevel) -> None:
        expected = self.awaiting
        if expected is None:
            raise NotAwaitingReviewError(activity_id=self.activity_id, state=self.state.value)
        if level is not expected:
            raise WrongReviewLevelError(
                activity_id=self.activity_id, level=level.value, expected=expected.value
            )

    @event(Approved)
    def _approved(
        self,
        *,
        level: ReviewLevel,  # noqa: ARG002 (the level awaited; kept in the event)
        activity_version: int,
        note: str,  # noqa: ARG002 (kept in the event only)
        approved_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.approved_versions.append(activity_version)
        self.passed += 1
        if self.passed == len(self.levels):
            self.state = ReviewState.APPROVED

    @event(Returned)
    def _returned(
        self,
        *,
        level: ReviewLevel,  # noqa: ARG002 (the level awaited; kept in the event)
        activity_version: int,
        reason: str,
        returned_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.state = ReviewState.RETURNED
        self.returned_at = activity_version
        self.return_reason = reason

    @event(Resubmitted)
    def _resubmitted(
        self,
        *,
        levels: tuple[ReviewLevel, ...],
        activity_version: int,
        note: str,  # noqa: ARG002 (kept in the event only)
        resubmitted_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self._next_round(levels)
        self.return_reason = None
        if not levels:  # approved at once, this version
            self.approved_versions = [activity_version]

    @event(Reopened)
    def _reopened(
        self,
        *,
        levels: tuple[ReviewLevel, ...],
        activity_version: int,  # noqa: ARG002 (kept in the event only)
        reopened_by: UUID | None,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self._next_round(levels)

    def _next_round(self, levels: tuple[ReviewLevel, ...]) -> None:
        self.levels = levels
        self.round += 1
        self.passed = 0
        self.approved_versions = []
        self.state = ReviewState.PENDING if levels else ReviewState.APPROVED
