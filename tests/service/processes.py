"""`jgt` as a real process in the tests: its environment, start, and a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


def jgt_env(database_url: str, redis_url: str | None, **settings: str) -> dict[str, str]:
    """This process's environment without its JGT_ settings, on the given servers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JGT_")}
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url or "", **settings)
    return env


@asynccontextmanager
async def jgt_process(env: dict[str, str], *args: str) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m service ARGS`, stdout and stderr together; killed if still running after."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "service",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def first_line(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    return (await asyncio.wait_for(process.stdout.readline(), 60)).decode()


async def stop_cleanly(process: asyncio.subprocess.Process, stop: signal.Signals) -> str:
    """Sends `stop`; the process must exit 0 without a traceback. Returns what it printed last."""
    assert process.stdout is not None
    process.send_signal(stop)
    assert await asyncio.wait_for(process.wait(), 30) == 0
    rest = (await process.stdout.read()).decode()
    assert "Traceback" not in rest, rest
    return rest
