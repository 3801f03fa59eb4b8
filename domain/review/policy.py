"""The county's review levels (审核层级): which levels approve an action before it counts.

One stream per county. No levels (or no policy at all): every action counts as recorded. An
action held before `applies_from` counts without review, so a county that starts reviewing
mid-year does not send its past back to the queue.
"""

from datetime import date
from typing import Self
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.codes import ReviewLevel
from domain.periods import check_in_range
from domain.review.errors import LevelsOrderError, LevelsUnchangedError

ORDER = tuple(ReviewLevel)  # school, community, county


def policy_id(tenant_id: UUID) -> UUID:
    """The stream of a county's review levels."""
    return uuid5(tenant_id, "review-policy")


def check_levels(levels: tuple[ReviewLevel, ...]) -> tuple[ReviewLevel, ...]:
    """The levels, each once and in the order school → community → county (or fewer)."""
    positions = [ORDER.index(level) for level in levels]
    if positions != sorted(set(positions)):
        raise LevelsOrderError(levels=", ".join(level.value for level in levels) or "-")
    return levels


class ReviewPolicy(Aggregate):
    """The county's review levels as set by its admin; each setting an event."""

    class Adopted(Aggregate.Created):
        levels: tuple[ReviewLevel, ...]
        applies_from: date | None  # None: every action, whenever held
        set_by: UUID  # the person

    class Changed(Aggregate.Event):
        levels: tuple[ReviewLevel, ...]
        applies_from: date | None
        set_by: UUID

    @classmethod
    def adopt(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        levels: tuple[ReviewLevel, ...],
        applies_from: date | None,
        by: UUID,
    ) -> Self:
        check_in_range("applies_from", applies_from)
        return cls(id=id, levels=check_levels(levels), applies_from=applies_from, set_by=by)

    @event(Adopted)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        levels: tuple[ReviewLevel, ...],
        applies_from: date | None,
        set_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.levels = levels
        self.applies_from = applies_from

    def change(self, levels: tuple[ReviewLevel, ...], applies_from: date | None, by: UUID) -> None:
        check_in_range("applies_from", applies_from)
        levels = check_levels(levels)
        if (levels, applies_from) == (self.levels, self.applies_from):
            raise LevelsUnchangedError
        self._changed(levels=levels, applies_from=applies_from, set_by=by)

    def needs_review(self, held_on: date) -> bool:
        """Whether an action held on `held_on` waits for the levels before it counts."""
        return bool(self.levels) and (self.applies_from is None or held_on >= self.applies_from)

    @event(Changed)
    def _changed(
        self,
        *,
        levels: tuple[ReviewLevel, ...],
        applies_from: date | None,
        set_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.levels = levels
        self.applies_from = applies_from
