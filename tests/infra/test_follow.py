from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING
from uuid import UUID

import asyncpg

from infra.event_store import EventStore, Position, read_all
from tests.conftest import new_tenant
from tests.infra.sample import Tally
from tests.infra.test_event_store import ctx

if TYPE_CHECKING:
    from infra.db import Connection


async def test_a_follower_of_the_whole_log_sees_every_committed_event_exactly_once(
    app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenants = [await new_tenant(app_pool) for _ in range(4)]
    stores = [EventStore(app_pool) for _ in range(4)]  # independent batches, like processes
    writing = True
    seen: list[tuple[UUID, int]] = []

    async def writer(i: int) -> None:
        rng = random.Random(i)
        for _ in range(60):
            tally = Tally.open()
            for _ in range(rng.randint(0, 2)):
                tally.count()
            await stores[i % 4].save(tally, ctx(tenants[rng.randrange(4)]))
            await asyncio.sleep(rng.random() / 500)

    async def follower() -> None:
        position = Position()
        async with system_pool.acquire() as conn:
            while True:
                batch = await read_all(conn, position, limit=50)
                seen.extend((e.tenant_id, e.tenant_seq) for e in batch if e.tenant_id in tenants)
                if batch:
                    position = batch[-1].position
                elif not writing and await caught_up(conn):
                    return
                await asyncio.sleep(0)

    async def caught_up(conn: Connection) -> bool:
        # Another database's open transaction on a shared server holds the snapshot's xmin back,
        # so an empty read does not yet mean the end: stop once every committed event was read
        # (the test's timeout bounds the wait). The assertions below still compare the sets.
        committed: int = await conn.fetchval(
            "select count(*) from events where tenant_id = any($1::uuid[])", tenants
        )
        return len(seen) >= committed

    follow = asyncio.create_task(follower())
    await asyncio.gather(*(writer(i) for i in range(12)))
    writing = False
    await follow

    async with system_pool.acquire() as conn:
        committed = await conn.fetch(
            "select tenant_id, tenant_seq from events where tenant_id = any($1::uuid[])", tenants
        )
    assert len(committed) >= 12 * 60
    assert len(seen) == len(set(seen)), "an event was seen twice"
    assert set(seen) == {(r["tenant_id"], r["tenant_seq"]) for r in committed}
    for store in stores:
        await store.close()
