"""The demo county's review (审核): levels 校 → 共同体, most actions approved, one returned."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.codes import ReviewLevel
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review, review_id
from service.command import change_or_create
from service.commands.review.review import (
    ApproveActivity,
    ReturnActivity,
    SetReviewLevels,
    approve_activity,
    return_activity,
    set_review_levels,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from service.command import Env

LEVELS = (ReviewLevel.SCHOOL, ReviewLevel.COMMUNITY)


async def review_demo(writer: Env, activities: Sequence[UUID]) -> None:
    """The bureau's person approves all but the last two; one goes back, the last one waits."""
    target = policy_id(writer.tenant_id)
    levels = SetReviewLevels(levels=list(LEVELS))
    await change_or_create(writer, None, set_review_levels, ReviewPolicy, target, levels)
    *approved, returned, _ = activities
    for activity in approved:
        for level in LEVELS:
            await change_or_create(
                writer,
                None,
                approve_activity,
                Review,
                review_id(activity),
                ApproveActivity(level=level),
                activity,
            )
    back = ReturnActivity(level=ReviewLevel.SCHOOL, reason="签到表照片不清晰，请补拍后重新提交")
    await change_or_create(
        writer, None, return_activity, Review, review_id(returned), back, returned
    )
