"""A county whose event cannot be folded is parked at it, visibly; the others stay current."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import asyncpg
import pytest

from infra.db import tenant_transaction
from projections.runner import FoldError, ProjectionRunner
from projections.status import statuses, tenant_lag
from tests.conftest import new_tenant
from tests.projections.history import snapshot, write_history
from tests.projections.poison import Poison, parked_county, poisoned

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from infra.event_store import EventStore
    from tests.conftest import Database


@pytest.fixture
async def poison(database: Database) -> AsyncIterator[Poison]:
    async with poisoned(database) as trigger:
        yield trigger


async def test_the_county_is_parked_at_the_event_with_its_error_and_the_others_stay_current(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool, poison: Poison
) -> None:
    del poison  # it stands throughout
    healthy = await new_tenant(app_pool)
    await write_history(store, healthy, activities=3)
    broken, position, head = await parked_county(store, app_pool)
    runner = ProjectionRunner(system_pool, batch=500)
    await runner.catch_up([broken, healthy])

    async with tenant_transaction(app_pool, healthy) as conn:
        assert (await tenant_lag(conn, healthy))[1] == 0
    async with tenant_transaction(app_pool, broken) as conn:
        # everything before the bad event is folded, nothing from it on
        assert await tenant_lag(conn, broken) == (position - 1, head - position + 1)
    async with system_pool.acquire() as conn:
        seen = {s.tenant_id: s for s in await statuses(conn)}
    assert seen[healthy].parked is None
    assert seen[healthy].lag == 0
    parked = seen[broken].parked
    assert parked is not None
    assert parked.position == position
    assert "this row cannot be folded (test)" in parked.error
    assert parked.error.startswith(f"event {position}: ")
    assert seen[broken].folded == position - 1
    assert seen[broken].lag == head - position + 1
    assert seen[broken].name == "停放县"


async def test_a_parked_county_is_retried_with_a_growing_delay_and_resumes_once_it_can(
    store: EventStore,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    poison: Poison,
) -> None:
    broken, _, head = await parked_county(store, app_pool)
    runner = ProjectionRunner(system_pool, poll_seconds=0.5, max_backoff_seconds=2)

    async def attempts() -> int:
        async with tenant_transaction(app_pool, broken) as conn:
            found: int = await conn.fetchval(
                "select attempts from projection_parked where tenant_id = $1", broken
            )
        return found

    await runner.catch_up([broken])
    await runner.catch_up([broken])  # at once: held back, not tried again
    assert await attempts() == 1
    await asyncio.sleep(0.6)
    await runner.catch_up([broken])
    assert await attempts() == 2  # tried again after the first delay (0.5 s)
    await asyncio.sleep(0.6)
    await runner.catch_up([broken])
    assert await attempts() == 2  # the delay grew: 1 s now

    await poison.cure()  # what stopped it is gone (a fix deployed, say)
    await asyncio.sleep(1.0)
    await runner.catch_up([broken])
    async with tenant_transaction(app_pool, broken) as conn:
        assert await tenant_lag(conn, broken) == (head, 0)
        assert await conn.fetchval("select count(*) from projection_parked") == 0


async def test_a_rebuild_that_cannot_fold_keeps_the_old_rows_and_parks_one_that_can_resumes(
    store: EventStore,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    poison: Poison,
) -> None:
    broken, position, head = await parked_county(store, app_pool)
    runner = ProjectionRunner(system_pool)
    await runner.catch_up([broken])
    before = await snapshot(app_pool, broken)
    with pytest.raises(FoldError) as failure:
        await runner.rebuild(broken)
    assert failure.value.position == position
    assert await snapshot(app_pool, broken) == before  # the rebuild's transaction rolled back

    await poison.cure()
    assert await runner.rebuild(broken) == head  # at once, not after the retry delay
    async with tenant_transaction(app_pool, broken) as conn:
        assert await tenant_lag(conn, broken) == (head, 0)
        assert await conn.fetchval("select count(*) from projection_parked") == 0
