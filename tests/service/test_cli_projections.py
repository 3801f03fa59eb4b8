"""`jgt projections rebuild` and `status` with a county whose events cannot be folded."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import msgspec

from infra.db import tenant_transaction
from projections.runner import ProjectionRunner
from projections.status import CountyStatus, tenant_lag
from tests.conftest import new_tenant
from tests.projections.history import write_history
from tests.projections.poison import parked_county, poisoned
from tests.service.test_cli import jgt

if TYPE_CHECKING:
    import asyncpg

    from infra.event_store import EventStore
    from tests.conftest import Database


async def test_rebuild_rebuilds_every_county_it_can_lists_the_others_and_exits_non_zero(
    database: Database, store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    async with poisoned(database):
        broken, position, _ = await parked_county(store, app_pool, "折不动县")
        good = await new_tenant(app_pool, "折得动县")
        await write_history(store, good, activities=3)
        result = await asyncio.to_thread(jgt, database, "projections", "rebuild")
        await ProjectionRunner(system_pool).catch_up([broken])  # folds up to the bad event
        status = await asyncio.to_thread(
            jgt, database, "projections", "status", "--tenant", str(broken)
        )
        every = await asyncio.to_thread(jgt, database, "projections", "status", "--json")

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert f"{broken}  not rebuilt, parked at event {position}: " in result.output
    assert any(line.startswith(f"{good}  ") and "events folded  折得动县" in line for line in lines)
    assert "counties could not be rebuilt: " in lines[-1]
    assert str(broken) in lines[-1]
    assert str(good) not in lines[-1]
    async with tenant_transaction(app_pool, good) as conn:
        assert (await tenant_lag(conn, good))[1] == 0  # rebuilt past the bad county

    assert status.exit_code == 2, status.output
    [line] = status.output.splitlines()
    assert line.startswith(f"{broken}  folded {position - 1:>8}")
    assert f"PARKED at event {position} since " in line
    assert "this row cannot be folded (test)" in line
    assert line.endswith("折不动县")

    assert every.exit_code == 2
    seen = {s.tenant_id: s for s in msgspec.json.decode(every.output, type=list[CountyStatus])}
    assert seen[good].parked is None
    assert seen[good].lag == 0
    parked = seen[broken].parked
    assert parked is not None
    assert parked.position == position
