"""Commands of review before counting (审核): set the county's levels; approve, return, resubmit.

Every step is taken by a person (a token issued to a user): "who approved" outlives the token.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import msgspec

from domain.codes import ReviewLevel, ReviewState
from domain.community.activity import Activity
from domain.community.community import Community
from domain.community.errors import ActivityVoidedError
from domain.review.errors import NotReturnedError, ReviewNotRequiredError
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import NOTE_LIMIT, REASON_LIMIT, Review, review_id
from infra.event_store import AggregateNotFoundError, StreamConflictError
from service.access import act_for_school, review_at
from service.body import RequiredText
from service.command import Decision
from service.errors import PersonRequiredError

if TYPE_CHECKING:
    from uuid import UUID

    from infra.db import Connection
    from infra.event_store import EventStore, WriteContext
    from service.command import Env

Note = Annotated[str, msgspec.Meta(max_length=NOTE_LIMIT)]
Reason = Annotated[
    RequiredText,
    msgspec.Meta(min_length=1, max_length=REASON_LIMIT, examples=["签到表缺少两所成员校的签名"]),
]


class SetReviewLevels(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The levels that approve an action before it counts, in order; none: every action counts."""

    levels: Annotated[list[ReviewLevel], msgspec.Meta(max_length=3)]
    # Actions held before this day count without review; left out: every action is reviewed.
    applies_from: date | None = None


class ApproveActivity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    level: ReviewLevel  # the level the action awaits: a stale approval is refused
    note: Note = ""


class ReturnActivity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    level: ReviewLevel
    reason: Reason


class ResubmitActivity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    note: Note = ""


def person(env: Env) -> UUID:
    """The person acting; a token issued to no user may not take a review step."""
    if env.user_id is None:
        raise PersonRequiredError
    return env.user_id


async def set_review_levels(
    env: Env, policy: ReviewPolicy | None, cmd: SetReviewLevels
) -> Decision[ReviewPolicy]:
    by, levels = person(env), tuple(cmd.levels)
    if policy is None:
        policy = ReviewPolicy.adopt(
            id=policy_id(env.tenant_id), levels=levels, applies_from=cmd.applies_from, by=by
        )
    else:
        policy.change(levels, cmd.applies_from, by=by)
    return Decision(policy)


async def policy_of(
    store: EventStore, tenant_id: UUID, conn: Connection | None = None
) -> ReviewPolicy | None:
    """The county's review levels as its events stand; None before it first set them."""
    try:
        return await store.get(ReviewPolicy, tenant_id, policy_id(tenant_id), conn=conn)
    except AggregateNotFoundError:
        return None


async def current_policy(env: Env) -> ReviewPolicy | None:
    return await policy_of(env.store, env.tenant_id)


def levels_for(policy: ReviewPolicy | None, activity: Activity) -> tuple[ReviewLevel, ...]:
    """The levels an action needs now: none when the county has none or they do not apply."""
    if policy is None or not policy.needs_review(activity.facts.held_on):
        return ()
    return policy.levels


async def _reviewed(env: Env, review: Review | None, activity_id: UUID) -> tuple[Review, Activity]:
    """The action (never a voided one) and its review, opened by this first step if need be."""
    activity = await env.store.get(Activity, env.tenant_id, activity_id)
    if activity.is_void:
        raise ActivityVoidedError(activity_id=activity.id)
    if review is None:
        levels = levels_for(await current_policy(env), activity)
        if not levels:
            raise ReviewNotRequiredError(activity_id=activity.id)
        review = Review.open(activity_id=activity.id, levels=levels, by=person(env))
    return review, activity


async def _may_review(env: Env, level: ReviewLevel, activity: Activity) -> None:
    lead = None
    if level is ReviewLevel.COMMUNITY:
        community = await env.store.get(Community, env.tenant_id, activity.community_id)
        lead = community.lead_school_id
    review_at(env, level, host_school_id=activity.facts.host_school_id, lead_school_id=lead)


async def approve_activity(
    env: Env, review: Review | None, cmd: ApproveActivity, activity_id: UUID
) -> Decision[Review]:
    by = person(env)
    review, activity = await _reviewed(env, review, activity_id)
    await _may_review(env, cmd.level, activity)
    review.approve(cmd.level, activity.version, cmd.note, by=by)
    return Decision(review)


async def return_activity(
    env: Env, review: Review | None, cmd: ReturnActivity, activity_id: UUID
) -> Decision[Review]:
    by = person(env)
    review, activity = await _reviewed(env, review, activity_id)
    await _may_review(env, cmd.level, activity)
    review.send_back(cmd.level, activity.version, cmd.reason, by=by)
    return Decision(review)


async def resubmit_activity(
    env: Env, review: Review | None, cmd: ResubmitActivity, activity_id: UUID
) -> Decision[Review]:
    by = person(env)
    activity = await env.store.get(Activity, env.tenant_id, activity_id)
    act_for_school(env, activity.facts.host_school_id)
    if activity.is_void:
        raise ActivityVoidedError(activity_id=activity.id)
    levels = levels_for(await current_policy(env), activity)
    if review is None:
        state = ReviewState.PENDING if levels else ReviewState.APPROVED
        raise NotReturnedError(activity_id=activity.id, state=state.value)
    review.resubmit(levels, activity.version, cmd.note, by=by)
    return Decision(review)


async def reopen_review(store: EventStore, write: WriteContext, activity: Activity) -> bool:
    """After a correction, the review needs the levels again if it had approved a version before.

    `activity` stands at the correction's version; `write` carries no Idempotency-Key (the
    correction's is its own). Its own append after the correction's (a stream each): a retry of
    the correction with the same key runs it again and finds it done, and compliance does not
    wait for it (a corrected record counts only once its version is approved). Whether it
    reopened.
    """
    for _ in range(3):  # an approval landing at the same time: decide again on the new one
        try:
            review = await store.get(Review, write.tenant_id, review_id(activity.id))
        except AggregateNotFoundError:
            return False
        levels = levels_for(await policy_of(store, write.tenant_id), activity)
        if not levels or not review.needs_reopening(activity.version):
            return False
        review.reopen(levels, activity.version, by=write.user_id)
        try:
            await store.save(review, write)
        except StreamConflictError:
            continue
        return True
    return False
