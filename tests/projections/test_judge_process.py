"""The runner's compliance judge in a process of its own keeps the table as the runner's own does.

It outlives a kill: the call that finds it gone raises, and the next starts another process;
its log records come back to the runner's loggers.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

import pytest

from projections.judge_process import JudgeGoneError
from projections.runner import ProjectionRunner
from tests.conftest import new_tenant
from tests.projections.history import one_more_change, write_history
from tests.projections.test_compliance_replay import (
    publish,
    pure_results,
    replayed,
    second_community,
    table_results,
)
from tests.projections.test_runner import fold_all

if TYPE_CHECKING:
    import asyncpg

    from infra.event_store import EventStore
    from tests.conftest import Database


def alive(pid: int) -> bool:
    """Whether the process still runs: a zombie whose threads have all ended counts as gone.

    (Its main thread is a zombie before its other threads, the log queue's, have ended; until
    they have, the process cannot be waited for and still looks alive to its parent.)
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
        threads = len(list(Path(f"/proc/{pid}/task").iterdir()))
    except FileNotFoundError:
        return False
    return stat.split(") ", 1)[1][0] != "Z" or threads > 1


async def test_a_judge_in_its_own_process_keeps_the_table_and_outlives_a_kill(
    database: Database,
    store: EventStore,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # the child logs at the level this process has
    rng = random.Random(8)
    tenant_id = await new_tenant(app_pool, f"另进程县-{uuid4().hex[:6]}")
    history = await write_history(store, tenant_id, seed=8, activities=10)
    other = await second_community(store, history)
    await publish(store, tenant_id, 1, 3, date(2022, 9, 1), each_member=True)
    runner = ProjectionRunner(system_pool, batch=7, judge_url=database.system_url)
    assert runner.judge_process is not None
    try:
        first = await runner.judge_process.pid()
        assert first != os.getpid()
        # Its log records come back to this process's loggers.
        started = f"compliance judge process {first} started"
        for _ in range(100):
            if started in caplog.messages:
                break
            await asyncio.sleep(0.05)
        assert started in caplog.messages
        for step in range(6):
            await one_more_change(store, history if step % 2 else other, rng)
            await fold_all(runner, tenant_id)
            assert await table_results(app_pool, tenant_id) == pure_results(
                await replayed(app_pool, tenant_id)
            )
        assert await table_results(app_pool, tenant_id)  # not vacuous: rows were judged

        # Killed while it judges (stopped first, so that the call is surely waiting on it).
        os.kill(first, signal.SIGSTOP)
        await one_more_change(store, history, rng)
        call = asyncio.create_task(runner.catch_up([tenant_id]))
        await asyncio.sleep(0.3)
        assert not call.done()
        os.kill(first, signal.SIGKILL)
        with pytest.raises(JudgeGoneError):
            await call
        await fold_all(runner, tenant_id)  # another process, its facts folded from the log
        second = await runner.judge_process.pid()
        assert second not in {first, os.getpid()}
        assert await table_results(app_pool, tenant_id) == pure_results(
            await replayed(app_pool, tenant_id)
        )
        # Found dead between calls: the next call starts another, and answers.
        os.kill(second, signal.SIGKILL)
        await until_gone(second)
        await one_more_change(store, other, rng)
        await fold_all(runner, tenant_id)
        third = await runner.judge_process.pid()
        assert third not in {first, second}
        assert await table_results(app_pool, tenant_id) == pure_results(
            await replayed(app_pool, tenant_id)
        )
    finally:
        runner.close()
    await until_gone(third)  # it stops once told to


async def until_gone(pid: int) -> None:
    for _ in range(100):
        if not alive(pid):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"process {pid} still runs")
