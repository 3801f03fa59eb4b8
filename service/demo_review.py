"""The demo county's people and review (审核).

Its tokens are issued to people, one per role (generated names, no real people); its levels are
校 → 共同体, most actions approved by the bureau's person (one of them sent back, corrected and
resubmitted first), one returned, one waiting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid5

from domain.codes import ReviewLevel
from domain.community.activity import Activity
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review, review_id
from infra.event_store import WriteContext
from infra.tenancy import IssuedToken, Role, issue_token
from infra.users import create_user, find_user
from service.command import change, change_or_create
from service.commands.community.activities import CorrectActivity, correct_activity
from service.commands.review.review import (
    ApproveActivity,
    ResubmitActivity,
    ReturnActivity,
    SetReviewLevels,
    approve_activity,
    resubmit_activity,
    return_activity,
    set_review_levels,
)
from service.demo_files import at_once

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from infra.db import Connection
    from service.command import Env

LEVELS = (ReviewLevel.SCHOOL, ReviewLevel.COMMUNITY)
PEOPLE = {
    Role.ADMIN: "林晓峰",
    Role.RECORDER: "周雨桐",
    Role.SUPERVISOR: "郑立群",
    Role.AUDITOR: "吴慧敏",
}


async def issue_for(
    conn: Connection,
    tenant_id: UUID,
    role: Role,
    *,
    label: str,
    school_id: UUID | None = None,
    created_by: UUID | None = None,
) -> IssuedToken:
    """A token issued to the demo's person of `role` (made once, with the token's school).

    A demo county of before gets its people at its next start.
    """
    user_id = uuid5(tenant_id, f"demo-user-{role.value}")
    if await find_user(conn, tenant_id, user_id) is None:
        await create_user(
            conn,
            tenant_id,
            name=PEOPLE[role],
            role=role,
            school_id=school_id,
            user_id=user_id,
        )
    return await issue_token(
        conn,
        tenant_id,
        role,
        label=label,
        school_id=school_id,
        created_by=created_by,
        user_id=user_id,
    )


def written_by(issued: IssuedToken) -> WriteContext:
    """What the demo writes with a token's principal: its token and its person."""
    principal = issued.principal
    return WriteContext(
        tenant_id=principal.tenant_id,
        actor_id=principal.token_id,
        user_id=principal.user_id,
        role=principal.role.value,
    )


async def review_demo(writer: Env, activities: Sequence[UUID]) -> None:
    """The bureau's person approves all but the last two; one goes back, the last one waits."""
    target = policy_id(writer.tenant_id)
    levels = SetReviewLevels(levels=list(LEVELS))
    await change_or_create(writer, None, set_review_levels, ReviewPolicy, target, levels)
    *approved, returned, _ = activities
    await _returned_and_resubmitted(writer, approved.pop())

    async def approve(activity: UUID) -> None:
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

    await at_once(approve(activity) for activity in approved)
    back = ReturnActivity(level=ReviewLevel.SCHOOL, reason="签到表照片不清晰，请补拍后重新提交")
    await change_or_create(
        writer, None, return_activity, Review, review_id(returned), back, returned
    )


async def _returned_and_resubmitted(writer: Env, activity: UUID) -> None:
    """The 共同体 level sends one back; the school corrects it, resubmits, both approve."""
    target = review_id(activity)
    school, community = ApproveActivity(level=LEVELS[0]), ApproveActivity(level=LEVELS[1])
    await change_or_create(writer, None, approve_activity, Review, target, school, activity)
    back = ReturnActivity(level=LEVELS[1], reason="缺少活动小结，请补充后重新提交")
    await change_or_create(writer, None, return_activity, Review, target, back, activity)
    note = CorrectActivity(
        reason="补充活动小结", note="活动小结：城乡教师共同研讨，形成改进建议三条。"
    )
    await change(writer, None, correct_activity, Activity, activity, note)
    again = ResubmitActivity(note="已补充活动小结")
    await change_or_create(writer, None, resubmit_activity, Review, target, again, activity)
    for level in (school, community):
        await change_or_create(writer, None, approve_activity, Review, target, level, activity)
