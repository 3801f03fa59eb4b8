import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from arq.connections import RedisSettings, create_pool
from click.testing import CliRunner

from infra.embedded import EmbeddedValkey
from infra.inbox import list_inbox
from infra.outbox import OutboxDispatcher, job_id
from service.app import create_app
from service.background import run_background
from service.cli import main
from service.jobs import JobContext, RoundWorker, build_worker, close_worker, notify_lead_school
from service.runtime import Urls
from service.services import open_services
from service.settings import Settings
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
from tests.service.processes import first_line, jgt_env, jgt_process, stop_cleanly


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


@pytest.fixture
async def queue_name(redis_url: str) -> AsyncIterator[str]:
    name = f"jgt:test:{uuid4().hex}"
    yield name
    await drop_queue(redis_url, name)


async def run_burst(world: Isolated, redis_url: str, queue_name: str) -> RoundWorker:
    """A worker that runs what is queued and stops."""
    worker = build_worker(
        database_url=world.database.app_url,
        redis_url=redis_url,
        queue_name=queue_name,
        burst=True,
        poll_seconds=0.05,
    )
    try:
        await worker.async_run()
    finally:
        await close_worker(worker)
    return worker


async def test_a_job_dispatched_twice_runs_once(
    world: Isolated, redis_url: str, queue_name: str
) -> None:
    county, lead_school = await new_tenant(world.app_pool), uuid4()
    await record_activity(world.store, county, activity_payload(lead_school))
    dispatcher = OutboxDispatcher(world.system_pool, redis_url, queue_name)
    again = OutboxDispatcher(
        world.system_pool, redis_url, queue_name, redispatch_after=timedelta(0)
    )
    try:
        assert await dispatcher.dispatch_once() == 1
        assert await again.dispatch_once() == 1  # as if the first hand-over had been lost

        worker = await run_burst(world, redis_url, queue_name)

        assert await again.dispatch_once() == 0  # done rows are never handed over again
    finally:
        await dispatcher.close()
        await again.close()
    assert (worker.jobs_complete, worker.jobs_failed, worker.jobs_retried) == (1, 0, 0)
    [row] = await outbox_rows(world.system_pool, county)
    assert row["done_at"] is not None
    assert row["attempts"] == 2
    [notification] = await notifications(world.app_pool, county)
    assert (notification["notification_id"], notification["school_id"]) == (
        row["outbox_id"],
        lead_school,
    )


async def test_the_job_delivers_once_when_run_twice(world: Isolated) -> None:
    county, lead_school = await new_tenant(world.app_pool), uuid4()
    payload = activity_payload(lead_school, "集体备课：八年级数学")
    await record_activity(world.store, county, payload)
    [row] = await outbox_rows(world.system_pool, county)
    ctx: JobContext = {"pool": world.app_pool, "job_try": 1}
    kwargs = {"tenant_id": str(county), "outbox_id": row["outbox_id"], "payload": payload}

    assert await notify_lead_school(ctx, **kwargs) is True
    [first] = await outbox_rows(world.system_pool, county)
    assert await notify_lead_school(ctx, **kwargs) is False

    [second] = await outbox_rows(world.system_pool, county)
    assert second["done_at"] == first["done_at"] is not None
    assert len(await notifications(world.app_pool, county)) == 1


async def test_a_job_lost_in_redis_is_dispatched_again_and_delivers_once(
    world: Isolated, redis_url: str, queue_name: str
) -> None:
    county = await new_tenant(world.app_pool)
    await record_activity(world.store, county)
    dispatcher = OutboxDispatcher(
        world.system_pool, redis_url, queue_name, redispatch_after=timedelta(0)
    )
    redis = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        assert await dispatcher.dispatch_once() == 1
        [row] = await outbox_rows(world.system_pool, county)
        # Redis restarted without its data: the job and its place in the queue are gone.
        await redis.delete(f"arq:job:{job_id(row['outbox_id'])}", queue_name)
        assert await run_burst(world, redis_url, queue_name) is not None
        assert await notifications(world.app_pool, county) == []

        assert await dispatcher.dispatch_once() == 1
        worker = await run_burst(world, redis_url, queue_name)
    finally:
        await redis.aclose(close_connection_pool=True)
        await dispatcher.close()
    assert worker.jobs_complete == 1
    assert len(await notifications(world.app_pool, county)) == 1


async def test_with_redis_stopped_a_command_succeeds_and_its_notification_arrives_once_it_is_back(
    world: Isolated, queue_name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    valkey = EmbeddedValkey(tmp_path / "valkey")
    redis_url = valkey.url
    valkey.stop()
    county, lead_school = await new_tenant(world.app_pool), uuid4()
    dispatcher = OutboxDispatcher(
        world.system_pool, redis_url, queue_name, poll_seconds=0.05, max_backoff_seconds=0.2
    )
    task: asyncio.Task[None] | None = None
    try:
        await record_activity(world.store, county, activity_payload(lead_school))
        [row] = await outbox_rows(world.system_pool, county)
        assert (row["enqueued_at"], row["done_at"]) == (None, None)

        with caplog.at_level(logging.WARNING, logger="infra.outbox"):
            assert await dispatcher.dispatch_once() == 0  # enqueues nothing, raises nothing
            task = asyncio.create_task(dispatcher.run_forever())
            await asyncio.sleep(0.5)  # a few failed rounds
            [row] = await outbox_rows(world.system_pool, county)
            assert (row["enqueued_at"], row["attempts"]) == (None, 0)

            valkey = EmbeddedValkey(tmp_path / "valkey")  # back, on the same socket

            async def enqueued() -> bool:
                [row] = await outbox_rows(world.system_pool, county)
                return row["enqueued_at"] is not None

            await eventually(enqueued)
        worker = await run_burst(world, redis_url, queue_name)
    finally:
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await dispatcher.close()
        valkey.stop()
    assert worker.jobs_complete == 1
    [notification] = await notifications(world.app_pool, county)
    assert notification["school_id"] == lead_school
    [row] = await outbox_rows(world.system_pool, county)
    assert row["done_at"] is not None
    messages = [record.getMessage() for record in caplog.records]
    assert sum("unreachable" in message for message in messages) == 1
    assert sum("reachable again" in message for message in messages) == 1


async def test_each_county_gets_its_own_notifications(
    world: Isolated, redis_url: str, queue_name: str
) -> None:
    counties = [await new_tenant(world.app_pool, f"县 {n}") for n in range(3)]
    lead_schools = {county: uuid4() for county in counties}
    for county in counties:
        await record_activity(world.store, county, activity_payload(lead_schools[county]))
    dispatcher = OutboxDispatcher(world.system_pool, redis_url, queue_name)
    try:
        assert await dispatcher.dispatch_once() == 3
    finally:
        await dispatcher.close()
    worker = await run_burst(world, redis_url, queue_name)
    assert worker.jobs_complete == 3

    for county in counties:
        [notification] = await notifications(world.app_pool, county)
        assert notification["tenant_id"] == county
        assert notification["school_id"] == lead_schools[county]
    county_a, county_b = counties[:2]
    async with world.app_pool.acquire() as conn, conn.transaction():
        await conn.execute("select set_config('jgt.tenant_id', $1, true)", str(county_a))
        others = await list_inbox(
            conn, county_b, school_id=lead_schools[county_b], limit=10, cursor=None
        )
        assert others.items == []
        assert (
            await conn.fetchval(
                "select count(*) from notifications where tenant_id <> $1", county_a
            )
            == 0
        )


async def test_a_bad_payload_fails_its_job_and_the_row_keeps_the_reason(
    world: Isolated, redis_url: str, queue_name: str
) -> None:
    county = await new_tenant(world.app_pool)
    payload = activity_payload(uuid4())
    payload["held_on"] = "2024-02-30"
    await record_activity(world.store, county, payload)
    dispatcher = OutboxDispatcher(world.system_pool, redis_url, queue_name)
    try:
        assert await dispatcher.dispatch_once() == 1
    finally:
        await dispatcher.close()
    worker = await run_burst(world, redis_url, queue_name)
    assert (worker.jobs_complete, worker.jobs_failed) == (0, 1)
    [row] = await outbox_rows(world.system_pool, county)
    assert row["done_at"] is None  # still pending: nothing was delivered
    assert "bad payload" in row["last_error"]
    assert "held_on" in row["last_error"]
    assert await notifications(world.app_pool, county) == []


def services_urls(world: Isolated, redis_url: str) -> Urls:
    database = world.database
    return Urls(
        owner=database.owner_url, app=database.app_url, system=database.system_url, redis=redis_url
    )


async def test_run_background_delivers_and_stops_cleanly(
    world: Isolated, redis_url: str, queue_name: str, tmp_path: Path
) -> None:
    before = asyncio.all_tasks()
    settings = Settings(data_dir=tmp_path, queue_name=queue_name, poll_seconds=0.05)
    county, lead_school = await new_tenant(world.app_pool), uuid4()
    async with (
        open_services(settings, services_urls(world, redis_url)) as services,
        run_background(services),
    ):
        await record_activity(services.store, county, activity_payload(lead_school))

        async def delivered() -> bool:
            return len(await notifications(world.app_pool, county)) == 1

        await eventually(delivered)
    assert asyncio.all_tasks() == before  # nothing left running
    [row] = await outbox_rows(world.system_pool, county)
    assert row["done_at"] is not None


# /healthz infers its `services` dependency, which Litestar deprecates: not this test's concern.
@pytest.mark.filterwarnings("ignore::litestar.exceptions.LitestarDeprecationWarning")
async def test_the_app_runs_the_background_work_in_its_lifespan(
    world: Isolated, redis_url: str, queue_name: str, tmp_path: Path
) -> None:
    before = asyncio.all_tasks()
    settings = Settings(data_dir=tmp_path, queue_name=queue_name, poll_seconds=0.05)
    app = create_app(settings, services_urls(world, redis_url))
    county = await new_tenant(world.app_pool)
    async with app.lifespan():  # as uvicorn runs it, in this event loop
        await record_activity(app.state.services.store, county)

        async def delivered() -> bool:
            return len(await notifications(world.app_pool, county)) == 1

        await eventually(delivered)
    assert asyncio.all_tasks() == before


async def test_run_background_starts_without_redis_and_delivers_once_it_is_up(
    world: Isolated, queue_name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    valkey = EmbeddedValkey(tmp_path / "valkey")
    redis_url = valkey.url
    valkey.stop()
    before = asyncio.all_tasks()
    settings = Settings(data_dir=tmp_path, queue_name=queue_name, poll_seconds=0.05)
    county = await new_tenant(world.app_pool)
    try:
        with caplog.at_level(logging.WARNING):
            async with (
                open_services(settings, services_urls(world, redis_url)) as services,
                run_background(services, max_backoff_seconds=0.2),
            ):
                await record_activity(services.store, county)
                await asyncio.sleep(0.5)  # both retry a few times
                assert await notifications(world.app_pool, county) == []
                valkey = EmbeddedValkey(tmp_path / "valkey")

                async def delivered() -> bool:
                    return len(await notifications(world.app_pool, county)) == 1

                await eventually(delivered)
    finally:
        valkey.stop()
    assert asyncio.all_tasks() == before
    outages = [r.name for r in caplog.records if "unreachable" in r.getMessage()]
    assert sorted(outages) == ["infra.outbox", "service.background"]  # one line each


async def test_run_background_outlives_a_redis_restart(
    world: Isolated, queue_name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    valkey = EmbeddedValkey(tmp_path / "valkey")
    settings = Settings(data_dir=tmp_path, queue_name=queue_name, poll_seconds=0.05)
    county = await new_tenant(world.app_pool)

    def delivered(count: int) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            return len(await notifications(world.app_pool, county)) == count

        return check

    try:
        with caplog.at_level(logging.WARNING):
            async with (
                open_services(settings, services_urls(world, valkey.url)) as services,
                run_background(services, max_backoff_seconds=0.2),
            ):
                await record_activity(services.store, county)
                await eventually(delivered(1))
                valkey.stop()
                await record_activity(services.store, county)  # the command still succeeds
                await asyncio.sleep(0.5)
                valkey = EmbeddedValkey(tmp_path / "valkey")
                await eventually(delivered(2))
    finally:
        valkey.stop()
    rows = await outbox_rows(world.system_pool, county)
    assert all(row["done_at"] is not None for row in rows)
    outages = [r.name for r in caplog.records if "unreachable" in r.getMessage()]
    assert sorted(outages) == ["infra.outbox", "service.background"]


async def test_jgt_worker_delivers_and_stops_on_sigterm_and_ctrl_c(
    world: Isolated, redis_url: str, queue_name: str
) -> None:
    env = jgt_env(
        world.database.owner_url, redis_url, JGT_QUEUE_NAME=queue_name, JGT_POLL_SECONDS="0.05"
    )
    for stop in (signal.SIGTERM, signal.SIGINT):
        county, lead_school = await new_tenant(world.app_pool), uuid4()
        async with jgt_process(env, "worker") as process:
            first = await first_line(process)
            assert first.startswith(f"jiaogongti worker on queue {queue_name}"), first
            await record_activity(world.store, county, activity_payload(lead_school))

            async def delivered(county: UUID = county) -> bool:
                return len(await notifications(world.app_pool, county)) == 1

            await eventually(delivered)
            rest = await stop_cleanly(process, stop)
        assert ("stopped" in rest) == (stop == signal.SIGINT), rest  # Ctrl-C is said so


def test_help_names_the_worker_command() -> None:
    result = CliRunner().invoke(main, ["worker", "--help"], env={"DATABASE_URL": ""})
    assert result.exit_code == 0
    assert "outbox" in result.output
