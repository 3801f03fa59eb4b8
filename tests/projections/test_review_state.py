"""The review read models: folded as an in-memory replay folds them; SQL and Python agree."""

from __future__ import annotations

import random
from datetime import date
from uuid import UUID, uuid4

import asyncpg

from domain.codes import ReviewLevel, ReviewState
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review
from infra.db import tenant_transaction
from infra.event_store import EventStore, WriteContext, read_tenant
from projections.community.activity_list import ActivityRow
from projections.review import queries
from projections.review.review_state import activity_review, review_policy
from projections.runner import ProjectionRunner
from tests.conftest import new_tenant
from tests.projections.history import write_history
from tests.projections.test_runner import fold_all

LEVELS = (ReviewLevel.SCHOOL, ReviewLevel.COMMUNITY)


async def review_at_random(store: EventStore, tenant_id: UUID, activities: list[UUID]) -> None:
    """Levels that apply from the autumn of 2023, and reviews at every stage of the way."""
    rng, person = random.Random(5), uuid4()
    ctx = WriteContext(tenant_id=tenant_id, actor_id=uuid4(), user_id=person, role="admin")
    policy = ReviewPolicy.adopt(
        id=policy_id(tenant_id), levels=LEVELS, applies_from=date(2023, 9, 1), by=person
    )
    await store.save(policy, ctx)
    for activity in activities[: len(activities) * 2 // 3]:
        review = Review.open(activity_id=activity, levels=LEVELS, by=person)
        for _ in range(rng.randrange(4)):
            awaiting = review.awaiting
            if review.state is ReviewState.APPROVED:
                break
            if awaiting is None:
                review.resubmit(LEVELS[: rng.randrange(3)], 9, "", by=person)
            elif rng.random() < 0.3:
                review.send_back(awaiting, 1, "缺签到表", by=person)
            else:
                review.approve(awaiting, 1, "", by=person)
        await store.save(review, ctx)


async def test_review_rows_are_what_a_replay_gives_and_each_state_filter_agrees_with_standing(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    history = await write_history(store, tenant_id, seed=4, activities=30)
    await review_at_random(store, tenant_id, history.activities)
    await fold_all(ProjectionRunner(system_pool, batch=7), tenant_id)

    async with tenant_transaction(app_pool, tenant_id) as conn:
        events = [store.decode(e) for e in await read_tenant(conn, tenant_id, limit=10_000)]
        rows = {
            row["activity_id"]: row
            for row in await conn.fetch(
                "select * from activity_list where tenant_id = $1 and not is_void", tenant_id
            )
        }
        reviews = await queries.reviews_of(conn, tenant_id, list(rows))
        policy = await queries.policy(conn, tenant_id)
        by_state = {}
        for state, condition in queries.CONDITIONS.items():
            found = await conn.fetch(
                f"select activity_id from activity_list where tenant_id = $1 and not is_void"  # noqa: S608
                f" and {condition}",
                tenant_id,
            )
            by_state[state] = {row["activity_id"] for row in found}
        every_review = await queries.reviews_of(conn, tenant_id, history.activities)
        queued = {row.activity_id for row in await queries.waiting(conn, tenant_id, limit=1000)}

    replayed = activity_review.replay(events)
    assert {row.activity_id: row for row in replayed.values()} == every_review
    assert {key: every_review[key] for key in rows if key in every_review} == reviews
    assert list(review_policy.replay(events).values()) == [policy]
    expected: dict[ReviewState, set[UUID]] = {state: set() for state in ReviewState}
    for activity_id, record in rows.items():
        row = ActivityRow(
            **{f: record[f] for f in ActivityRow.__struct_fields__ if f not in {"kind", "mode"}},
            kind=record["kind"],
            mode=record["mode"],
        )
        expected[queries.standing(row, reviews.get(activity_id), policy)[0]].add(activity_id)
    assert by_state == expected
    assert queued == expected[ReviewState.PENDING]
    assert all(expected.values()), expected  # every state is met, so the check is not vacuous
