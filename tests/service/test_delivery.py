"""Exactly once while jobs deliver their county's rows in batches: redispatched, or killed."""

import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import UUID, uuid4

import asyncpg
import pytest
from arq.constants import in_progress_key_prefix
from redis.asyncio import Redis

from infra.outbox import OutboxDispatcher, job_id
from service.jobs import build_worker, close_worker
from tests.conftest import new_tenant
from tests.infra.outbox_support import (
    Isolated,
    activity_payload,
    drop_queue,
    eventually,
    isolated_database,
    notifications,
    outbox_rows,
    record_activity,
)
from tests.service.processes import first_line, jgt_env, jgt_process


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


@pytest.fixture
async def queue_name(redis_url: str) -> AsyncIterator[str]:
    name = f"jgt:test:{uuid4().hex}"
    yield name
    await drop_queue(redis_url, name)


async def counties_with_rows(world: Isolated, counties: int, rows: int) -> dict[UUID, UUID]:
    """`counties` counties with `rows` recorded activities each; their lead schools."""
    lead_schools = {await new_tenant(world.app_pool, f"县 {n}"): uuid4() for n in range(counties)}
    for _ in range(rows):
        for county, lead_school in lead_schools.items():
            await record_activity(world.store, county, activity_payload(lead_school))
    return lead_schools


async def assert_delivered_exactly_once(world: Isolated, lead_schools: dict[UUID, UUID]) -> None:
    for county, lead_school in lead_schools.items():
        rows = await outbox_rows(world.system_pool, county)
        delivered = await notifications(world.app_pool, county)
        assert all(row["done_at"] is not None for row in rows)
        assert [n["notification_id"] for n in delivered] == [row["outbox_id"] for row in rows]
        assert {n["school_id"] for n in delivered} == {lead_school}


async def drain(world: Isolated, redis_url: str, queue_name: str) -> None:
    """An impatient dispatcher (hands every pending row over again each round) and a worker."""
    dispatcher = OutboxDispatcher(
        world.system_pool, redis_url, queue_name, redispatch_after=timedelta(0), batch=7
    )
    worker = build_worker(
        database_url=world.database.app_url, redis_url=redis_url, queue_name=queue_name
    )
    work = asyncio.create_task(worker.async_run())

    async def done() -> bool:
        await dispatcher.dispatch_once()
        async with world.system_pool.acquire() as conn:
            return not await conn.fetchval("select count(*) from outbox where done_at is null")

    async def idle() -> bool:  # jobs of rows done meanwhile end at once
        running = any(not task.done() for task in worker.tasks.values())
        due = await worker.pool.zcount(queue_name, "-inf", time.time() * 1000)
        return not running and not due

    try:
        await eventually(done, within=60)
        await eventually(
            idle, within=30
        )  # stopping a worker amid a job leaves its Redis pipeline open
    finally:
        await close_worker(worker)
        await asyncio.gather(work, return_exceptions=True)
        await dispatcher.close()


async def test_rows_handed_over_again_and_again_while_batches_deliver_are_delivered_once(
    world: Isolated, redis_url: str, queue_name: str
) -> None:
    lead_schools = await counties_with_rows(world, counties=3, rows=40)
    impatient = OutboxDispatcher(
        world.system_pool, redis_url, queue_name, redispatch_after=timedelta(0), batch=1000
    )
    try:  # every row handed over twice before any job runs; more while they run
        assert [await impatient.dispatch_once() for _ in range(2)] == [120, 120]
    finally:
        await impatient.close()

    await drain(world, redis_url, queue_name)

    await assert_delivered_exactly_once(world, lead_schools)
    for county in lead_schools:
        assert all(row["attempts"] >= 2 for row in await outbox_rows(world.system_pool, county))


async def test_a_worker_killed_mid_batch_leaves_the_batch_undone_and_it_is_delivered_once_later(
    world: Isolated, redis_url: str, queue_name: str
) -> None:
    lead_schools = await counties_with_rows(world, counties=2, rows=30)
    stuck, other = list(lead_schools)
    stuck_rows = await outbox_rows(world.system_pool, stuck)
    blocker = await asyncpg.connect(world.database.app_url)
    watcher = await asyncpg.connect(world.database.owner_url)
    try:
        # A notification that is being inserted, not yet committed, by someone else: the
        # worker's batch for `stuck` waits for it inside its transaction.
        blocking = blocker.transaction()
        await blocking.start()
        await blocker.execute("select set_config('jgt.tenant_id', $1, true)", str(stuck))
        await blocker.execute(
            "insert into notifications (tenant_id, notification_id, school_id, kind, payload)"
            " values ($1, $2, $3, 'activity_recorded', '{}')",
            stuck,
            stuck_rows[-1]["outbox_id"],
            uuid4(),
        )
        env = jgt_env(
            world.database.owner_url, redis_url, JGT_QUEUE_NAME=queue_name, JGT_POLL_SECONDS="0.05"
        )
        async with jgt_process(env, "worker") as process:
            await first_line(process)

            async def batch_waits_and_other_county_is_done() -> bool:
                waiting = await watcher.fetchval(
                    "select count(*) from pg_stat_activity where datname = current_database()"
                    " and wait_event_type = 'Lock' and query like 'insert into notifications%'"
                )
                other_pending = await watcher.fetchval(
                    "select count(*) from outbox where tenant_id = $1 and done_at is null", other
                )
                return bool(waiting) and not other_pending

            await eventually(batch_waits_and_other_county_is_done, within=60)
            process.send_signal(signal.SIGKILL)
            await process.wait()
        await blocking.rollback()

        async def killed_batch_undone() -> bool:  # its server process notices the kill
            return not await watcher.fetchval(
                "select count(*) from pg_stat_activity where datname = current_database()"
                " and query like 'insert into notifications%' and state <> 'idle'"
            )

        await eventually(killed_batch_undone)
        # The killed batch held the blocked row: nothing of it was kept. A job that ran beside
        # it (its own row locked first, the others skipped as locked) may have finished that
        # row alone; whatever is done has its notification, whatever is not has none.
        rows = await outbox_rows(world.system_pool, stuck)
        assert rows[-1]["done_at"] is None
        done = [row["outbox_id"] for row in rows if row["done_at"] is not None]
        delivered = [n["notification_id"] for n in await notifications(world.app_pool, stuck)]
        assert sorted(delivered) == sorted(done)
    finally:
        with contextlib.suppress(asyncpg.InterfaceError):
            await blocker.close()
        await watcher.close()
    # The killed worker's jobs stay "in progress" until arq's timeout lets them run again.
    redis = Redis.from_url(redis_url)
    try:
        ids = [
            row["outbox_id"]
            for county in lead_schools
            for row in await outbox_rows(world.system_pool, county)
        ]
        keys = [f"{in_progress_key_prefix}{job_id(outbox_id)}" for outbox_id in ids]
        await redis.delete(*keys)
    finally:
        await redis.aclose()

    await drain(world, redis_url, queue_name)

    await assert_delivered_exactly_once(world, lead_schools)
