"""How fast one `jgt worker` process drains a backlog of notifications, exactly once.

    python -m ops.bench.notify [--events 10000] [--json]

Fills the outbox with N rows through real commands (activities recorded in several counties,
each telling its community's lead school), folds the read models, then starts ONE real
`jgt worker` process (dispatcher, job worker and projection runner, as deployed) and times it
from its ready line until every row is done. Duplicates and missing notifications are counted
from the database. On `DATABASE_URL` / `REDIS_URL` when set, else embedded servers; in a fresh
database (dropped afterwards) and a queue of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import asyncpg
from redis.asyncio import Redis

from domain.community.community import Community
from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, with_user
from infra.embedded import EmbeddedValkey
from infra.event_store import EventStore
from infra.migrate import migrate
from infra.tenancy import Role, create_tenant
from ops.bench.harness import bench_main, drop_database, fresh_database, rate
from projections.runner import ProjectionRunner
from service.command import Env, create
from service.commands.community.activities import RecordActivity, record_activity
from tests.projections.history import TODAY, activity_facts, write_history, writer

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

COUNTIES, WRITERS, GIVE_UP_SECONDS = 10, 20, 600.0


async def fill(store: EventStore, counties: list[UUID], rows: int) -> None:
    """`rows` actions recorded by the real command, spread over the counties."""
    communities = []
    for tenant in counties:
        history = await write_history(store, tenant, activities=0)
        assert history.community_id is not None  # noqa: S101 - write_history forms one
        communities.append(await store.get(Community, tenant, history.community_id))
    queue = list(range(rows))

    async def one_writer(seed: int) -> None:
        rng = random.Random(seed)
        while queue:
            n = queue.pop()
            community = communities[n % len(communities)]
            facts = activity_facts(rng, community)
            command = RecordActivity(
                community_id=community.id,
                kind=facts.kind,
                title=facts.title,
                host_school_id=facts.host_school_id,
                participating_school_ids=list(facts.participating_school_ids),
                held_on=facts.held_on,
            )
            ctx = writer(counties[n % len(counties)])
            env = Env(store=store, write=ctx, role=Role.ADMIN, school_id=None, today=TODAY)
            await create(env, record_activity, command)

    await asyncio.gather(*(one_writer(seed) for seed in range(WRITERS)))


@contextlib.asynccontextmanager
async def redis_server() -> AsyncIterator[str]:
    """REDIS_URL, else an embedded Valkey in a temporary folder."""
    configured = os.environ.get("REDIS_URL")
    if configured:
        yield configured
        return
    with tempfile.TemporaryDirectory(prefix="jgt-bench-") as folder:
        valkey = EmbeddedValkey(Path(folder))
        try:
            yield valkey.url
        finally:
            valkey.stop()


async def drop_queue(redis_url: str, queue_name: str, system_pool: asyncpg.Pool) -> None:
    """Removes the run's queue, jobs and results from a Redis that may be shared."""
    async with system_pool.acquire() as conn:
        ids = [row["outbox_id"] for row in await conn.fetch("select outbox_id from outbox")]
    redis = Redis.from_url(redis_url)
    try:
        await redis.delete(queue_name, f"{queue_name}:health-check")
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            keys = [f"arq:{kind}:outbox:{i}" for i in chunk for kind in ("job", "result")]
            await redis.delete(*keys)
    finally:
        await redis.aclose()


async def pending(system_pool: asyncpg.Pool) -> int:
    async with system_pool.acquire() as conn:
        count: int = await conn.fetchval("select count(*) from outbox where done_at is null")
    return count


async def drain(owner_url: str, redis_url: str, system_pool: asyncpg.Pool) -> float:
    """Runs one `jgt worker` until the outbox is empty; the seconds from its ready line."""
    queue_name = f"jgt:bench:{uuid4().hex[:10]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("JGT_")}
    env.update(
        DATABASE_URL=owner_url, REDIS_URL=redis_url, JGT_QUEUE_NAME=queue_name,
        JGT_LOG_LEVEL="warning",
    )  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "service", "worker", env=env, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None  # noqa: S101 - asked for above
        await asyncio.wait_for(process.stdout.readline(), 60)
        started = time.perf_counter()
        # Polls the database: there is no event to wait on.
        while await pending(system_pool) and time.perf_counter() - started < GIVE_UP_SECONDS:  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        return time.perf_counter() - started
    finally:
        process.terminate()
        await process.wait()
        await drop_queue(redis_url, queue_name, system_pool)


async def count_delivered(system_pool: asyncpg.Pool) -> dict[str, int]:
    """From the database: rows done, notifications, and any activity told more than once."""
    async with system_pool.acquire() as conn:
        row = await conn.fetchrow(
            "select (select count(*) from outbox where done_at is not null) as done,"
            " (select count(*) from notifications) as notifications,"
            " (select count(*) - count(distinct payload->>'activity_id') from notifications)"
            " as duplicates,"
            " (select count(*) from outbox o where not exists (select 1 from notifications n"
            "   where n.tenant_id = o.tenant_id and n.notification_id = o.outbox_id)) as missing"
        )
    assert row is not None  # noqa: S101 - one row always
    return dict(row)


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        await migrate(owner_url)
        owner = await asyncpg.connect(owner_url)
        try:  # job ids of an earlier run may still be held by a shared Redis
            await owner.execute("select setval('outbox_id_seq', $1)", secrets.randbelow(2**40) + 1)
        finally:
            await owner.close()
        app_pool = await create_pool(with_user(owner_url, APP_ROLE), max_size=WRITERS)
        system_pool = await create_pool(with_user(owner_url, SYSTEM_ROLE), max_size=2)
        store = EventStore(app_pool)
        counties = []
        async with app_pool.acquire() as conn:
            for i in range(COUNTIES):
                async with conn.transaction():
                    counties.append(await create_tenant(conn, f"基准县{i}"))
        started = time.perf_counter()
        await fill(store, counties, events)
        fill_s = time.perf_counter() - started
        await ProjectionRunner(system_pool).catch_up()  # the worker's runner has nothing to do
        backlog = await pending(system_pool)
        async with redis_server() as redis_url:
            drain_s = await drain(owner_url, redis_url, system_pool)
        counted = await count_delivered(system_pool)
        await store.close()
        await system_pool.close()
        await app_pool.close()
        return {
            "counties": COUNTIES,
            "backlog": backlog,
            "fill_commands_per_s": rate(events, fill_s),
            "drain_s": round(drain_s, 2),
            "notifications_per_s": rate(counted["notifications"], drain_s),
            **counted,
        }
    finally:
        await drop_database(server_url, name)


def report(figures: dict[str, Any]) -> str:
    rows = [
        ("outbox rows waiting when the worker started", "backlog", ""),
        ("commands that filled it (20 writers)", "fill_commands_per_s", "/s"),
        ("one `jgt worker`: time to drain", "drain_s", "s"),
        ("one `jgt worker`: notifications delivered", "notifications_per_s", "/s"),
        ("rows done", "done", ""),
        ("notifications in the inboxes", "notifications", ""),
        ("duplicates (an activity told twice)", "duplicates", ""),
        ("rows without their notification", "missing", ""),
    ]
    lines = [f"{figures['backlog']} notifications in {figures['counties']} counties", ""]
    lines += [f"  {label:<50} {figures[key]:>10} {unit}" for label, key, unit in rows]
    return "\n".join(lines)


def main() -> None:
    bench_main(__doc__ or "", run, report, default_events=10_000)


if __name__ == "__main__":
    main()
