"""What review before counting costs the dashboards, side by side in one run on one database.

    python -m ops.bench.review [--events 5000] [--json]

One county with about N events of real community actions; its levels are 校 → 县局, and of its
actions a third are approved, a sixth returned, the rest wait. Times, on the same folded rows:
the dashboard's counts from the tally (`counted=all`) against the counts of approved actions
computed at query time (`counted=approved`), and a page of the action list with and without the
review filter. On `DATABASE_URL` when set, else an embedded PostgreSQL; in a fresh database
that is dropped afterwards.
"""

from __future__ import annotations

import statistics
import time
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from domain.codes import ReviewLevel, ReviewState
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review
from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, tenant_transaction, with_user
from infra.event_store import EventStore, WriteContext
from infra.migrate import migrate
from infra.tenancy import create_tenant
from ops.bench.harness import bench_main, drop_database, fresh_database
from projections.community import queries
from projections.review import queries as review_queries
from projections.runner import ProjectionRunner
from tests.projections.history import write_history

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

QUERIES = 200
LEVELS = (ReviewLevel.SCHOOL, ReviewLevel.COUNTY)


async def review_some(store: EventStore, tenant: UUID, activities: list[UUID]) -> int:
    """The county's levels, and a review for half its actions; how many events that wrote."""
    person = uuid4()
    ctx = WriteContext(tenant_id=tenant, actor_id=uuid4(), user_id=person, role="admin")
    policy = ReviewPolicy.adopt(id=policy_id(tenant), levels=LEVELS, applies_from=None, by=person)
    await store.save(policy, ctx)
    written = 1
    for i, activity in enumerate(activities[: len(activities) // 2]):
        review = Review.open(activity_id=activity, levels=LEVELS, by=person)
        if i % 3 == 2:  # one in three of the reviewed is returned
            review.send_back(ReviewLevel.SCHOOL, 1, "缺签到表", by=person)
        else:
            for level in LEVELS:
                review.approve(level, 1, "", by=person)
        written += len(review.pending_events)
        await store.save(review, ctx)
    return written


async def timings(pool: Any, tenant: UUID, ask: Callable[[Any], Awaitable[object]]) -> list[float]:  # noqa: ANN401 - an asyncpg pool
    latencies = []
    for _ in range(QUERIES):
        started = time.perf_counter()
        async with tenant_transaction(pool, tenant) as conn:
            await ask(conn)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        await migrate(owner_url)
        app_pool = await create_pool(with_user(owner_url, APP_ROLE), max_size=4)
        system_pool = await create_pool(with_user(owner_url, SYSTEM_ROLE), max_size=2)
        store = EventStore(app_pool)
        async with app_pool.acquire() as conn, conn.transaction():
            tenant = await create_tenant(conn, "基准县")
        history = await write_history(store, tenant, activities=max(events * 2 // 3, 10))
        review_events = await review_some(store, tenant, history.activities)
        await ProjectionRunner(system_pool).catch_up([tenant])
        figures: dict[str, Any] = {
            "actions": len(history.activities),
            "review_events": review_events,
        }
        asked = {
            "counts_all": lambda c: queries.activity_count_rows(c, tenant),
            "counts_approved": lambda c: review_queries.approved_activity_counts(c, tenant),
            "list_page": lambda c: queries.activities(c, tenant, limit=51),
            "list_page_approved": lambda c: queries.activities(
                c, tenant, conditions=(review_queries.CONDITIONS[ReviewState.APPROVED],), limit=51
            ),
            "queue_page": lambda c: review_queries.waiting(c, tenant, limit=51),
        }
        for key, ask in asked.items():
            latencies = await timings(app_pool, tenant, ask)
            figures[f"{key}_ms_p50"] = round(statistics.median(latencies), 2)
            figures[f"{key}_ms_p95"] = round(statistics.quantiles(latencies, n=20)[-1], 2)
        await store.close()
        await system_pool.close()
        await app_pool.close()
        return figures
    finally:
        await drop_database(server_url, name)


def report(figures: dict[str, Any]) -> str:
    rows = [
        ("dashboard counts, all actions (the tally)", "counts_all"),
        ("dashboard counts, approved only (query time)", "counts_approved"),
        ("action list, a page of 50", "list_page"),
        ("action list, a page of 50 approved", "list_page_approved"),
        ("review queue, a page of 50", "queue_page"),
    ]
    lines = [f"{figures['actions']} actions, {figures['review_events']} review events", ""]
    lines.append(f"  {'':<48} {'median':>8} {'p95':>8}")
    lines += [
        f"  {label:<48} {figures[key + '_ms_p50']:>6} ms {figures[key + '_ms_p95']:>5} ms"
        for label, key in rows
    ]
    return "\n".join(lines)


def main() -> None:
    bench_main(__doc__ or "", run, report, default_events=5000)


if __name__ == "__main__":
    main()
