"""Review before counting (审核): the county's levels, each action's review, the queue."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from domain.codes import ReviewLevel, ReviewState
from domain.community.activity import Activity
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review, review_id
from infra.paging import decode_cursor, page_of
from infra.users import acting
from projections.review import queries
from service.commands.review.review import (
    ApproveActivity,
    ResubmitActivity,
    ReturnActivity,
    SetReviewLevels,
    approve_activity,
    levels_for,
    policy_of,
    resubmit_activity,
    return_activity,
    set_review_levels,
)
from service.context import Caller, reading
from service.http.common import (
    CHANGED,
    TAGGED,
    Call,
    Cursor,
    Limit,
    changed_or_created,
    command,
    query,
    tagged,
)
from service.services import Shared
from service.views.review.review import (
    PolicyView,
    QueuePage,
    ReviewStatus,
    ReviewView,
    policy_row_view,
    policy_view,
    queue_item,
    review_status,
    review_view,
    step_people,
    step_view,
)

_AFTER = msgspec.json.Decoder(tuple[date, UUID])


class ReviewLevelsController(Controller):
    path = "/v1/review-levels"
    tags = ["review"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        summary="The county's review levels",
        description="The levels (校 → 共同体 → 县局, or fewer) that approve an action before it"
        " counts. With none, every action counts as approved.",
        response_headers=TAGGED,
    )
    async def read(self, *, services: Shared, ctx: Caller) -> Response[PolicyView]:
        async with reading(services, ctx) as conn:
            policy = await policy_of(services.store, ctx.tenant_id, conn)
        if policy is None:
            return tagged(policy_row_view(None, ctx.lang), 0)
        return tagged(policy_view(policy, ctx.lang), policy.version)

    @command(
        summary="Set the county's review levels",
        description="An admin's setting, kept as an event: the levels in order, and optionally"
        " the day from which actions need them (earlier ones count without review). Actions"
        " already in review keep the levels of their round.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def set_levels(
        self, *, call: Call, data: JSONBody[SetReviewLevels]
    ) -> Response[PolicyView]:
        target = policy_id(call.ctx.tenant_id)
        return await changed_or_created(
            call, set_review_levels, ReviewPolicy, target, data, policy_view
        )


class ActivityReviewController(Controller):
    path = "/v1/activities/{activity_id:uuid}/review"
    tags = ["review"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        summary="An action's review",
        description="Where it stands, and every step with the person who took it and when.",
        response_headers=TAGGED,
    )
    async def read(
        self, *, services: Shared, ctx: Caller, activity_id: FromPath[UUID]
    ) -> Response[ReviewView]:
        async with reading(services, ctx) as conn:
            activity = await services.store.get(Activity, ctx.tenant_id, activity_id, conn=conn)
            recorded = await services.store.read_stream(
                ctx.tenant_id, review_id(activity_id), conn=conn
            )
            events = [services.store.decode(event) for event in recorded]
            known = await acting(conn, ctx.tenant_id, step_people(events))
            review: Review | None = None
            for event in events:
                review = event.mutate(review)
            levels = levels_for(await policy_of(services.store, ctx.tenant_id, conn), activity)
        waiting = (ReviewState.PENDING if levels else ReviewState.APPROVED, levels)
        steps = [step_view(event, known, ctx.lang) for event in events]
        view = review_view(activity_id, review, steps, waiting=waiting, lang=ctx.lang)
        return tagged(view, view.version)

    @command(
        "/approve",
        summary="Approve an action at the level it awaits",
        description="校: the host school's recorder; 共同体: the lead school's recorder; 县局: an"
        " admin (an admin at any level). Taken by a person: a token issued to a user.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def approve(
        self, *, call: Call, activity_id: FromPath[UUID], data: JSONBody[ApproveActivity]
    ) -> Response[ReviewStatus]:
        return await changed_or_created(
            call,
            approve_activity,
            Review,
            review_id(activity_id),
            data,
            review_status,
            activity_id,
        )

    @command(
        "/return",
        summary="Return an action with a reason",
        description="It goes back to its school to be corrected (the corrections route) and"
        " resubmitted; it does not count meanwhile.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def send_back(
        self, *, call: Call, activity_id: FromPath[UUID], data: JSONBody[ReturnActivity]
    ) -> Response[ReviewStatus]:
        return await changed_or_created(
            call, return_activity, Review, review_id(activity_id), data, review_status, activity_id
        )

    @command(
        "/resubmit",
        summary="Resubmit a returned action once corrected",
        description="It goes through the county's levels in force now, from the first.",
        status_code=200,
        response_headers=CHANGED,
    )
    async def resubmit(
        self, *, call: Call, activity_id: FromPath[UUID], data: JSONBody[ResubmitActivity]
    ) -> Response[ReviewStatus]:
        return await changed_or_created(
            call,
            resubmit_activity,
            Review,
            review_id(activity_id),
            data,
            review_status,
            activity_id,
        )


class ReviewQueueController(Controller):
    path = "/v1/reviews"
    tags = ["review"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        summary="The review queue",
        description="Actions awaiting review (at `level`), the longest waiting first; voided"
        " ones left out. Folded from the records: it may trail them by a moment.",
    )
    async def queue(
        self,
        *,
        services: Shared,
        ctx: Caller,
        level: FromQuery[ReviewLevel | None] = None,
        community: FromQuery[UUID | None] = None,
        school: Annotated[UUID | None, QueryParameter(description="Hosted or took part in")] = None,
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> QueuePage:
        async with reading(services, ctx) as conn:
            rows = await queries.waiting(
                conn,
                ctx.tenant_id,
                level=level,
                community_id=community,
                school_id=school,
                after=None if cursor is None else decode_cursor(cursor, _AFTER),
                limit=limit + 1,
            )
            items, next_cursor = page_of(rows, limit, lambda row: (row.held_on, row.activity_id))
            reviews = await queries.reviews_of(conn, ctx.tenant_id, [r.activity_id for r in items])
            policy = await queries.policy(conn, ctx.tenant_id)
        return QueuePage(
            items=[
                queue_item(
                    row,
                    reviews.get(row.activity_id),
                    queries.standing(row, reviews.get(row.activity_id), policy),
                    ctx.lang,
                )
                for row in items
            ],
            next_cursor=next_cursor,
        )
