"""`jgt projections run` as its own process: it folds what others record and stops cleanly."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator

import pytest

from infra.db import tenant_transaction
from projections.status import tenant_lag
from tests.conftest import new_tenant
from tests.infra.outbox_support import Isolated, eventually, isolated_database
from tests.projections.history import write_history
from tests.service.processes import first_line, jgt_env, jgt_process, stop_cleanly


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
async def test_jgt_projections_run_folds_events_recorded_elsewhere(
    world: Isolated, stop: signal.Signals
) -> None:
    env = jgt_env(world.database.owner_url, None, JGT_POLL_SECONDS="0.1")
    async with jgt_process(env, "projections", "run") as process:
        assert (await first_line(process)).startswith("jiaogongti projection runner")
        tenant_id = await new_tenant(world.app_pool)
        await write_history(world.store, tenant_id, activities=5)

        async def folded() -> bool:
            async with tenant_transaction(world.app_pool, tenant_id) as conn:
                done, pending = await tenant_lag(conn, tenant_id)
            return done > 0 and pending == 0

        await eventually(folded)
        await stop_cleanly(process, stop)
