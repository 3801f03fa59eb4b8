"""A database of its own per test of the outbox, and helpers to write and inspect outbox rows.

The dispatcher reads every tenant's rows, so tests that run one cannot share a database: each
would hand the others' rows to its own queue.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from uuid import UUID, uuid4

import asyncpg
from redis.asyncio import Redis

from infra.db import (
    APP_ROLE,
    SYSTEM_ROLE,
    create_pool,
    tenant_transaction,
    with_database,
    with_user,
)
from infra.event_store import Appended, EventStore, OutboxMessage, WriteContext
from infra.migrate import migrate
from tests.conftest import Database
from tests.infra.sample import Tally

RECORDER = UUID("00000000-0000-4000-8000-0000000000aa")


@dataclass(frozen=True)
class Isolated:
    database: Database
    app_pool: asyncpg.Pool
    system_pool: asyncpg.Pool
    store: EventStore


@asynccontextmanager
async def isolated_database(server_url: str) -> AsyncIterator[Isolated]:
    name = f"jgt_test_{uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'create database "{name}"')
    finally:
        await admin.close()
    owner_url = with_database(server_url, name)
    await migrate(owner_url)
    owner = await asyncpg.connect(owner_url)
    try:
        # Outbox ids, and so arq job ids, start at a random point: a shared Redis keeps job ids
        # of earlier tests and sessions for a while, and refuses them meanwhile.
        await owner.execute("select setval('outbox_id_seq', $1)", secrets.randbelow(2**40) + 1)
    finally:
        await owner.close()
    database = Database(
        owner_url=owner_url,
        app_url=with_user(owner_url, APP_ROLE),
        system_url=with_user(owner_url, SYSTEM_ROLE),
        name=name,
    )
    app_pool = await create_pool(database.app_url, max_size=4)
    system_pool = await create_pool(database.system_url, max_size=2)
    store = EventStore(app_pool)
    try:
        yield Isolated(database, app_pool, system_pool, store)
    finally:
        await store.close()
        await system_pool.close()
        await app_pool.close()
        admin = await asyncpg.connect(server_url)
        try:
            await admin.execute(f'drop database "{name}" with (force)')
        finally:
            await admin.close()


async def drop_queue(redis_url: str, queue_name: str) -> None:
    """Removes a test's queue and the jobs still in it from a Redis that may be shared."""
    redis = Redis.from_url(redis_url)
    try:
        job_ids = await redis.zrange(queue_name, 0, -1)
        keys = [f"arq:job:{job_id.decode()}" for job_id in job_ids]
        await redis.delete(queue_name, f"{queue_name}:health-check", *keys)
    finally:
        await redis.aclose()


def activity_payload(lead_school_id: UUID, title: str = "送教下乡：初中语文") -> dict[str, str]:
    return {
        "activity_id": str(uuid4()),
        "community_id": str(uuid4()),
        "lead_school_id": str(lead_school_id),
        "host_school_id": str(uuid4()),
        "kind": "sending_lessons",
        "title": title,
        "held_on": "2024-10-15",
    }


async def record_activity(
    store: EventStore, tenant_id: UUID, payload: dict[str, str] | None = None
) -> Appended:
    """A command's append with its outbox message, as the command handler writes it."""
    payload = payload or activity_payload(uuid4())
    return await store.save(
        Tally.open(payload["title"]),
        WriteContext(tenant_id=tenant_id, actor_id=RECORDER, role="recorder"),
        outbox=[OutboxMessage("notify_lead_school", payload)],
    )


async def outbox_rows(system_pool: asyncpg.Pool, tenant_id: UUID) -> list[asyncpg.Record]:
    async with system_pool.acquire() as conn:
        return await conn.fetch(
            "select outbox_id, job, enqueued_at, done_at, attempts, last_error from outbox"
            " where tenant_id = $1 order by outbox_id",
            tenant_id,
        )


async def notifications(app_pool: asyncpg.Pool, tenant_id: UUID) -> list[asyncpg.Record]:
    """Every notification the tenant's own transaction can see."""
    async with tenant_transaction(app_pool, tenant_id) as conn:
        return await conn.fetch(
            "select tenant_id, notification_id, school_id, kind from notifications"
            " order by notification_id"
        )


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 15.0) -> None:
    """Waits until `check()` is true; TimeoutError after `within` seconds."""
    async with asyncio.timeout(within):
        while not await check():  # noqa: ASYNC110 - polls the database: no event to wait on
            await asyncio.sleep(0.05)
