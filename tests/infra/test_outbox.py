import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool

from infra.db import create_pool as create_db_pool
from infra.outbox import _LOCK_KEY, OutboxDispatcher
from tests.conftest import new_tenant
from tests.infra.outbox_support import (
    Isolated,
    activity_payload,
    drop_queue,
    eventually,
    isolated_database,
    outbox_rows,
    record_activity,
)


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


@pytest.fixture
async def queue_name(redis_url: str) -> AsyncIterator[str]:
    name = f"jgt:test:{uuid4().hex}"
    yield name
    await drop_queue(redis_url, name)


@pytest.fixture
async def arq_redis(redis_url: str, queue_name: str) -> AsyncIterator[ArqRedis]:
    redis = await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=queue_name)
    yield redis
    await redis.aclose(close_connection_pool=True)


@pytest.fixture
async def dispatcher(
    world: Isolated, redis_url: str, queue_name: str
) -> AsyncIterator[OutboxDispatcher]:
    outbox = OutboxDispatcher(world.system_pool, redis_url, queue_name)
    yield outbox
    await outbox.close()


async def test_every_tenants_rows_go_to_arq_with_the_outbox_id_as_job_id(
    world: Isolated, dispatcher: OutboxDispatcher, arq_redis: ArqRedis
) -> None:
    county_a, county_b = await new_tenant(world.app_pool), await new_tenant(world.app_pool)
    payload = activity_payload(uuid4())
    await record_activity(world.store, county_a, payload)
    await record_activity(world.store, county_b)
    await record_activity(world.store, county_a)

    assert await dispatcher.dispatch_once() == 3

    rows = {county: await outbox_rows(world.system_pool, county) for county in (county_a, county_b)}
    ids = sorted(row["outbox_id"] for county_rows in rows.values() for row in county_rows)
    jobs = {job.job_id: job for job in await arq_redis.queued_jobs()}
    assert set(jobs) == {f"outbox:{outbox_id}" for outbox_id in ids}
    scores = [jobs[f"outbox:{outbox_id}"].score or 0 for outbox_id in ids]
    assert scores == sorted(scores)  # oldest first
    assert {job.function for job in jobs.values()} == {"notify_lead_school"}
    first = rows[county_a][0]
    assert jobs[f"outbox:{first['outbox_id']}"].kwargs == {
        "tenant_id": str(county_a),
        "outbox_id": first["outbox_id"],
        "payload": payload,
        "request_id": None,  # of the events' metadata: this append came from no request
    }
    for county_rows in rows.values():  # marked with each row's tenant set (RLS WITH CHECK)
        for row in county_rows:
            assert row["enqueued_at"] is not None
            assert (row["attempts"], row["done_at"]) == (1, None)

    assert await dispatcher.dispatch_once() == 0  # handed over recently: not again yet


async def test_a_row_not_done_is_handed_over_again_and_arq_keeps_one_job(
    world: Isolated, dispatcher: OutboxDispatcher, arq_redis: ArqRedis, redis_url: str
) -> None:
    county = await new_tenant(world.app_pool)
    await record_activity(world.store, county)
    assert await dispatcher.dispatch_once() == 1
    impatient = OutboxDispatcher(
        world.system_pool, redis_url, arq_redis.default_queue_name, redispatch_after=timedelta(0)
    )
    try:
        assert await impatient.dispatch_once() == 1
    finally:
        await impatient.close()
    [row] = await outbox_rows(world.system_pool, county)
    assert row["attempts"] == 2
    assert len(await arq_redis.queued_jobs()) == 1


async def test_rounds_take_batches_oldest_first(
    world: Isolated, redis_url: str, queue_name: str, arq_redis: ArqRedis
) -> None:
    county = await new_tenant(world.app_pool)
    for _ in range(5):
        await record_activity(world.store, county)
    dispatcher = OutboxDispatcher(world.system_pool, redis_url, queue_name, batch=2)
    try:
        counts = [await dispatcher.dispatch_once() for _ in range(4)]
    finally:
        await dispatcher.close()
    assert counts == [2, 2, 1, 0]
    rows = await outbox_rows(world.system_pool, county)
    enqueued = [row["enqueued_at"] for row in rows]
    assert enqueued == sorted(enqueued)
    assert len(await arq_redis.queued_jobs()) == 5


async def test_with_redis_down_rows_wait_and_nothing_raises(
    world: Isolated, queue_name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    county = await new_tenant(world.app_pool)
    dispatcher = OutboxDispatcher(world.system_pool, f"unix://{tmp_path / 'gone.sock'}", queue_name)
    try:
        await record_activity(world.store, county)  # the command never needs Redis
        with caplog.at_level(logging.WARNING, logger="infra.outbox"):
            assert [await dispatcher.dispatch_once() for _ in range(3)] == [0, 0, 0]
    finally:
        await dispatcher.close()
    [row] = await outbox_rows(world.system_pool, county)
    assert (row["enqueued_at"], row["attempts"], row["done_at"]) == (None, 0, None)
    outages = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outages) == 1  # once per outage, not per attempt


async def test_an_append_wakes_the_dispatcher_at_once(
    world: Isolated, redis_url: str, queue_name: str
) -> None:
    county = await new_tenant(world.app_pool)
    dispatcher = OutboxDispatcher(world.system_pool, redis_url, queue_name, poll_seconds=60)
    world.store.on_append(dispatcher.wake)
    task = asyncio.create_task(dispatcher.run_forever())
    try:
        await asyncio.sleep(0.1)  # the first round found nothing; the next is a minute away
        await record_activity(world.store, county)

        async def enqueued() -> bool:
            rows = await outbox_rows(world.system_pool, county)
            return bool(rows) and all(r["enqueued_at"] for r in rows)

        await eventually(enqueued, within=5)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await dispatcher.close()


async def test_one_dispatcher_hands_rows_over_at_a_time(
    world: Isolated, dispatcher: OutboxDispatcher
) -> None:
    county = await new_tenant(world.app_pool)
    await record_activity(world.store, county)
    async with world.system_pool.acquire() as conn, conn.transaction():
        await conn.execute("select pg_advisory_xact_lock($1)", _LOCK_KEY)
        assert await dispatcher.dispatch_once() == 0  # another dispatcher is in its round
    assert await dispatcher.dispatch_once() == 1


async def test_run_forever_outlives_a_failing_database(
    world: Isolated, redis_url: str, queue_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    pool = await create_db_pool(world.database.system_url, max_size=1)
    await pool.close()  # every round fails
    dispatcher = OutboxDispatcher(pool, redis_url, queue_name, poll_seconds=0.01)
    with caplog.at_level(logging.WARNING, logger="infra.outbox"):
        task = asyncio.create_task(dispatcher.run_forever())
        await asyncio.sleep(0.3)
        assert not task.done()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    await dispatcher.close()
    outages = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outages) == 1
    assert outages[0].exc_info is not None  # what failed, with its traceback, once


@pytest.mark.parametrize(
    "statement",
    ["update outbox set done_at = now()", "update outbox set payload = '{}'", "delete from outbox"],
)
async def test_the_dispatcher_role_cannot_finish_or_change_rows(
    world: Isolated, statement: str
) -> None:
    county = await new_tenant(world.app_pool)
    await record_activity(world.store, county)
    async with world.system_pool.acquire() as conn, conn.transaction():
        await conn.execute("select set_config('jgt.tenant_id', $1, true)", str(county))
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(statement)
