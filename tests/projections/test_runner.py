"""The runner keeps the tables equal to a fold from zero, whatever cuts it short."""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest

from domain.codes import ActivityKind, SchoolLocation, SchoolStage
from domain.community.activity import Activity
from domain.community.community import Community
from domain.community.school import School
from infra.db import tenant_transaction
from infra.event_store import AppendRequest, EventStore, NewEvent, read_tenant
from projections import tables
from projections.community.activity_counts import ActivityCount, activity_counts
from projections.community.queries import activity_count_rows
from projections.read_models import PROJECTIONS
from projections.runner import ProjectionRunner
from projections.status import projection_lag, tenant_lag
from tests.conftest import new_tenant
from tests.infra.outbox_support import eventually
from tests.projections.history import (
    TODAY,
    activity_facts,
    one_more_change,
    snapshot,
    write_history,
    writer,
)


async def fold_all(runner: ProjectionRunner, *tenants: UUID) -> None:
    while await runner.catch_up(tenants):
        pass


async def replayed(store: EventStore, app_pool: asyncpg.Pool, tenant_id: UUID) -> dict[str, Any]:
    """The projections replayed in memory from the county's whole log."""
    async with tenant_transaction(app_pool, tenant_id) as conn:
        recorded = await read_tenant(conn, tenant_id, 0, limit=100_000)
    events = [store.decode(event) for event in recorded]
    return {projection.name: projection.replay(events) for projection in PROJECTIONS}


async def counts_of(pool: asyncpg.Pool, tenant_id: UUID) -> Counter[ActivityCount]:
    async with tenant_transaction(pool, tenant_id) as conn:
        return await activity_count_rows(conn, tenant_id)


async def test_the_tables_hold_what_an_in_memory_replay_of_the_log_gives(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    history = await write_history(store, tenant_id, seed=3, activities=30)
    await fold_all(ProjectionRunner(system_pool, batch=25), tenant_id)

    memory = await replayed(store, app_pool, tenant_id)
    activities = memory["activity_list"]
    assert len(activities) == 30
    voided = [row for row in activities.values() if row.is_void]
    assert len(voided) == 30 // 5
    counts = await counts_of(app_pool, tenant_id)
    assert counts == activity_counts.of(activities.values())
    assert sum(counts.values()) == 30 - len(voided)  # voided actions no longer count
    assert {key.community_id for key in counts} == {history.community_id}

    roster = memory["community_roster"][history.community_id]
    assert [s.school_id for s in roster.stints] == history.schools[1:]
    assert [s.school_id for s in roster.stints if s.left_on] == [history.schools[3]]
    assert memory["school_list"][history.schools[2]].name == "第二中心小学"

    tables = await snapshot(app_pool, tenant_id)
    assert len(tables["activity_list"]) == 30
    assert len(tables["school_list"]) == 5
    async with tenant_transaction(app_pool, tenant_id) as conn:
        events = len(await read_tenant(conn, tenant_id))
        assert await tenant_lag(conn, tenant_id) == (events, 0)


async def test_a_correction_moves_the_count_and_a_void_takes_it_away(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    history = await write_history(store, tenant_id, activities=0)
    assert history.community_id is not None
    runner = ProjectionRunner(system_pool)
    community = await store.get(Community, tenant_id, history.community_id)
    ctx = writer(tenant_id)
    facts = replace(
        activity_facts(random.Random(1), community),
        kind=ActivityKind.SENDING_LESSONS,
        held_on=date(2023, 3, 15),
    )
    activity = Activity.record(
        id=uuid4(), community=community, facts=facts, today=TODAY, by=ctx.actor_id
    )
    await store.save(activity, ctx)
    await fold_all(runner, tenant_id)

    def key(term: str, kind: ActivityKind = ActivityKind.SENDING_LESSONS) -> ActivityCount:
        return ActivityCount(
            community_id=community.id, school_year="2022-2023", term=term, kind=kind
        )

    assert await counts_of(app_pool, tenant_id) == {key("spring"): 1}
    moved = replace(facts, held_on=date(2023, 8, 20), kind=ActivityKind.PUBLIC_LESSON)
    activity.correct(community, moved, "日期和类型有误", TODAY, by=ctx.actor_id)
    await store.save(activity, ctx)
    await fold_all(runner, tenant_id)
    assert await counts_of(app_pool, tenant_id) == {key("summer", ActivityKind.PUBLIC_LESSON): 1}
    activity.void("重复登记", by=ctx.actor_id)
    await store.save(activity, ctx)
    await fold_all(runner, tenant_id)
    assert await counts_of(app_pool, tenant_id) == {}


async def test_cancelled_at_random_points_the_runner_ends_where_a_rebuild_from_zero_does(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    history = await write_history(store, tenant_id, seed=11, activities=40)
    rng = random.Random(7)
    cut_short = 0
    for _ in range(80):
        runner = ProjectionRunner(system_pool, batch=rng.randint(1, 6))  # as a fresh process
        task = asyncio.create_task(fold_all(runner, tenant_id))
        await asyncio.sleep(rng.uniform(0, 0.004))
        cut_short += not task.done()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        for _ in range(rng.randint(0, 3)):  # the county goes on meanwhile
            await one_more_change(store, history, rng)
    assert cut_short >= 60, cut_short  # most rounds were cancelled before they caught up
    await fold_all(ProjectionRunner(system_pool, batch=5), tenant_id)
    folded = await snapshot(app_pool, tenant_id)

    rebuilt = await ProjectionRunner(system_pool).rebuild(tenant_id)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert rebuilt == len(await read_tenant(conn, tenant_id, limit=10_000))
    assert await snapshot(app_pool, tenant_id) == folded
    memory = await replayed(store, app_pool, tenant_id)
    assert await counts_of(app_pool, tenant_id) == activity_counts.of(
        memory["activity_list"].values()
    )
    assert len(folded["activity_list"]) == len(history.activities)


async def test_two_runners_at_once_apply_each_event_once(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    await write_history(store, tenant_id, seed=13, activities=40)
    runners = [ProjectionRunner(system_pool, batch=3) for _ in range(3)]
    await asyncio.gather(*(fold_all(runner, tenant_id) for runner in runners))
    await fold_all(runners[0], tenant_id)
    folded = await snapshot(app_pool, tenant_id)
    await runners[0].rebuild(tenant_id)
    assert await snapshot(app_pool, tenant_id) == folded


async def test_a_rebuild_of_one_county_leaves_the_others_alone(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    first, second = await new_tenant(app_pool), await new_tenant(app_pool)
    await write_history(store, first, seed=1, activities=10)
    await write_history(store, second, seed=2, activities=10)
    runner = ProjectionRunner(system_pool)
    await fold_all(runner, first, second)
    before = await snapshot(app_pool, second)
    async with system_pool.acquire() as conn:
        checkpoint = await conn.fetchval(
            "select max(updated_at) from projection_checkpoints where tenant_id = $1", second
        )
    await runner.rebuild(first)
    assert await snapshot(app_pool, second) == before
    async with system_pool.acquire() as conn:
        assert checkpoint == await conn.fetchval(
            "select max(updated_at) from projection_checkpoints where tenant_id = $1", second
        )


async def test_a_county_whose_event_cannot_be_folded_stops_alone_and_is_logged(
    store: EventStore,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    broken, healthy = await new_tenant(app_pool), await new_tenant(app_pool)
    garbage = NewEvent("domain.school:School.Registered", 1, b"not an event")
    await store.append(
        AppendRequest(
            stream_id=uuid4(),
            stream_type="domain.school:School",
            expected_version=0,
            events=[garbage],
            context=writer(broken),
        )
    )
    await write_history(store, healthy, activities=5)
    runner = ProjectionRunner(system_pool)
    with caplog.at_level(logging.ERROR):
        await runner.catch_up([broken, healthy])
        await runner.catch_up([broken, healthy])  # held back: not logged again at once
    errors = [r for r in caplog.records if str(broken) in r.getMessage()]
    assert len(errors) == 1
    async with tenant_transaction(app_pool, healthy) as conn:
        assert (await tenant_lag(conn, healthy))[1] == 0
    async with tenant_transaction(app_pool, broken) as conn:
        assert await tenant_lag(conn, broken) == (0, 1)


async def test_lag_counts_the_events_not_yet_folded(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    ctx = writer(tenant_id)
    for code in ("L1", "L2", "L3"):
        school = School.register(
            namespace=tenant_id,
            name=code,
            code=code,
            stage=SchoolStage.JUNIOR,
            location=SchoolLocation.TOWN,
            district="",
            by=ctx.actor_id,
        )
        await store.save(school, ctx)
    async with app_pool.acquire() as conn:
        total = await projection_lag(conn)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert await tenant_lag(conn, tenant_id) == (0, 3)
    assert total >= 3  # other tests' counties may be behind too
    await fold_all(ProjectionRunner(system_pool), tenant_id)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert await tenant_lag(conn, tenant_id) == (3, 0)


async def test_an_append_wakes_the_running_runner_before_its_next_poll(
    app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    store = EventStore(app_pool)
    runner = ProjectionRunner(system_pool, poll_seconds=3600)  # it would not look again today
    store.on_append(runner.wake)
    task = asyncio.create_task(runner.run_forever())
    try:
        await asyncio.sleep(0.2)  # its first round has found nothing and it waits
        history = await write_history(store, tenant_id, activities=1)

        async def folded() -> bool:
            async with tenant_transaction(app_pool, tenant_id) as conn:
                return (await tenant_lag(conn, tenant_id))[1] == 0

        await eventually(folded, within=10)
        memory = await replayed(store, app_pool, tenant_id)
        assert history.activities[0] in memory["activity_list"]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await store.close()


async def test_many_rows_at_once_go_through_copy_and_end_as_row_by_row_writes_do(
    store: EventStore,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tenant_id = await new_tenant(app_pool)
    history = await write_history(store, tenant_id, seed=17, activities=150)
    runner = ProjectionRunner(system_pool, batch=1000)
    await fold_all(runner, tenant_id)  # new rows, staged
    rng = random.Random(5)
    for _ in range(120):  # corrections and voids of rows already there, staged again
        await one_more_change(store, history, rng)
    await fold_all(runner, tenant_id)
    staged = await snapshot(app_pool, tenant_id)
    assert len(staged["activity_list"]) == len(history.activities) > tables.STAGED

    monkeypatch.setattr(tables, "STAGED", 1_000_000)  # every write row by row
    await ProjectionRunner(system_pool).rebuild(tenant_id)
    assert await snapshot(app_pool, tenant_id) == staged
    memory = await replayed(store, app_pool, tenant_id)
    assert await counts_of(app_pool, tenant_id) == activity_counts.of(
        memory["activity_list"].values()
    )
