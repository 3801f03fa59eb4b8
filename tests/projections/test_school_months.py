"""Actions per school and month: a tally of the action list, one count per school involved."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from domain.codes import CommunityType
from domain.community.activity import Activity
from domain.community.community import Community
from domain.community.school import School
from infra.db import tenant_transaction
from infra.event_store import read_tenant
from projections.community.activity_list import activity_list
from projections.community.queries import school_month_rows
from projections.community.school_months import SchoolMonth, SchoolMonthRow, school_months
from projections.runner import ProjectionRunner
from projections.tables import row_of
from tests.conftest import new_tenant
from tests.projections.history import (
    ENDS_ON,
    STARTS_ON,
    TODAY,
    activity_facts,
    one_more_change,
    write_history,
    writer,
)

if TYPE_CHECKING:
    import asyncpg

    from infra.event_store import EventStore


async def fold_all(runner: ProjectionRunner, *tenants: UUID) -> None:
    while await runner.catch_up(tenants):
        pass


async def counts(
    pool: asyncpg.Pool, tenant_id: UUID, **filters: Any
) -> dict[tuple[UUID, str], int]:
    async with tenant_transaction(pool, tenant_id) as conn:
        rows = await school_month_rows(conn, tenant_id, **filters)
    return {(row.school_id, row.month.strftime("%Y-%m")): row.count for row in rows}


async def tables(pool: asyncpg.Pool, tenant_id: UUID) -> Counter[Any]:
    """The counts as the table holds them, by key."""
    async with tenant_transaction(pool, tenant_id) as conn:
        records = await conn.fetch("select * from school_months where tenant_id = $1", tenant_id)
    found = (row_of(r, SchoolMonthRow) for r in records)
    return Counter(
        {
            SchoolMonth(
                school_id=row.school_id, month=row.month, school_year=row.school_year,
                term=row.term,
            ): row.count
            for row in found
        }
    )  # fmt: skip


async def replayed(store: EventStore, app_pool: asyncpg.Pool, tenant_id: UUID) -> Counter[Any]:
    """The tally of the action list's rows replayed in memory from the first event."""
    async with tenant_transaction(app_pool, tenant_id) as conn:
        recorded = await read_tenant(conn, tenant_id, 0, limit=100_000)
    rows = activity_list.replay(store.decode(event) for event in recorded)
    return school_months.of(rows.values())


async def test_an_action_counts_for_each_school_it_involves_across_communities_and_moves(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    history = await write_history(store, tenant_id, activities=0)
    assert history.community_id is not None
    ctx = writer(tenant_id)
    s0, s1, s2, s3, _ = history.schools
    first = await store.get(Community, tenant_id, history.community_id)
    lead = await store.get(School, tenant_id, s1)
    member = await store.get(School, tenant_id, s2)
    second = Community.form(
        id=uuid4(),
        name="青山教共体",
        type=CommunityType.CO_BUILT,
        lead=lead,
        members=[member],
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        agreement="协议",
        by=ctx.actor_id,
    )
    await store.save(second, ctx)
    rng = random.Random(2)

    async def record(
        community: Community, host: UUID, others: tuple[UUID, ...], day: date
    ) -> Activity:
        facts = replace(
            activity_facts(rng, community),
            host_school_id=host,
            participating_school_ids=others,
            held_on=day,
            participants=(),
        )
        activity = Activity.record(
            id=uuid4(), community=community, facts=facts, today=TODAY, by=ctx.actor_id
        )
        await store.save(activity, ctx)
        return activity

    moved = await record(first, s0, (s2,), date(2023, 3, 15))
    voided = await record(second, s1, (s2,), date(2023, 3, 20))
    await record(first, s0, (s1,), date(2023, 4, 2))
    runner = ProjectionRunner(system_pool)
    await fold_all(runner, tenant_id)
    assert await counts(app_pool, tenant_id) == {
        (s0, "2023-03"): 1,
        (s0, "2023-04"): 1,
        (s1, "2023-03"): 1,
        (s1, "2023-04"): 1,
        (s2, "2023-03"): 2,  # once in each community
    }

    correction = replace(moved.facts, held_on=date(2023, 8, 10), participating_school_ids=(s3,))
    moved.correct(first, correction, "日期和学校有误", TODAY, by=ctx.actor_id)
    await store.save(moved, ctx)
    voided.void("重复登记", by=ctx.actor_id)
    await store.save(voided, ctx)
    await fold_all(runner, tenant_id)
    assert await counts(app_pool, tenant_id) == {
        (s0, "2023-04"): 1,
        (s0, "2023-08"): 1,
        (s1, "2023-04"): 1,
        (s3, "2023-08"): 1,
    }
    summer = await counts(app_pool, tenant_id, school_year="2022-2023", term="summer")
    assert summer == {(s0, "2023-08"): 1, (s3, "2023-08"): 1}
    assert await counts(app_pool, tenant_id, school_id=s1, term="spring") == {(s1, "2023-04"): 1}
    assert await tables(app_pool, tenant_id) == await replayed(store, app_pool, tenant_id)


async def test_cancelled_at_random_points_the_counts_end_where_a_rebuild_and_a_replay_do(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    history = await write_history(store, tenant_id, seed=17, activities=40)
    rng = random.Random(19)
    cut_short = 0
    for _ in range(60):
        runner = ProjectionRunner(system_pool, [activity_list], batch=rng.randint(1, 6))
        task = asyncio.create_task(fold_all(runner, tenant_id))
        await asyncio.sleep(rng.uniform(0, 0.004))
        cut_short += not task.done()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        for _ in range(rng.randint(0, 3)):  # the county goes on meanwhile
            await one_more_change(store, history, rng)
    assert cut_short >= 40, cut_short  # most rounds were cancelled before they caught up
    await fold_all(ProjectionRunner(system_pool, [activity_list], batch=5), tenant_id)
    folded = await tables(app_pool, tenant_id)

    memory = await replayed(store, app_pool, tenant_id)
    assert folded == memory
    assert 0 not in folded.values()  # a count that reaches zero goes
    assert sum(folded.values()) > len(history.activities) // 2
    await ProjectionRunner(system_pool, [activity_list]).rebuild(tenant_id)
    assert await tables(app_pool, tenant_id) == folded
