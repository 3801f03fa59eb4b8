"""`jgt projections run` as its own process: it folds what others record and stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator

import pytest

from infra.db import tenant_transaction
from projections.queries import tenant_lag
from tests.conftest import new_tenant
from tests.infra.outbox_support import Isolated, eventually, isolated_database
from tests.projections.history import write_history


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
async def test_jgt_projections_run_folds_events_recorded_elsewhere(
    world: Isolated, stop: signal.Signals
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JGT_")}
    env.update(DATABASE_URL=world.database.owner_url, REDIS_URL="", JGT_POLL_SECONDS="0.1")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "service",
        "projections",
        "run",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    try:
        first = await asyncio.wait_for(process.stdout.readline(), 60)
        assert first.decode().startswith("jiaogongti projection runner"), first
        tenant_id = await new_tenant(world.app_pool)
        await write_history(world.store, tenant_id, activities=5)

        async def folded() -> bool:
            async with tenant_transaction(world.app_pool, tenant_id) as conn:
                done, pending = await tenant_lag(conn, tenant_id)
            return done > 0 and pending == 0

        await eventually(folded)
        process.send_signal(stop)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    rest = (await process.stdout.read()).decode()
    assert "Traceback" not in rest, rest
