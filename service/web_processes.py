"""More than one web process on one port (`JGT_WEB_PROCESSES`): one Python process uses one core.

Each process listens on its own socket bound with SO_REUSEPORT to the same address, and the
kernel spreads new connections over them (Linux; other systems may hand most to one). The
first process, `jgt serve` itself, starts the embedded servers, migrates and runs the background
work; the others, `jgt serve --web-child`, serve requests only, on the first one's servers, and
stop with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from typing import TYPE_CHECKING

from service.settings import metrics_port

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from service.runtime import Urls
    from service.settings import Settings

READY = "jiaogongti web process ready"
START_SECONDS, STOP_SECONDS = 60.0, 30.0


def shared_socket(host: str, port: int) -> socket.socket:
    """A listening socket that other processes of the same user may bind to the same address."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, reuse_port=True, backlog=2048)


def child_environment(settings: Settings, urls: Urls, port: int) -> dict[str, str]:
    """The first process's servers and address, for a child that must not start its own."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=urls.owner,
        JGT_APP_DATABASE_URL=urls.app,
        JGT_SYSTEM_DATABASE_URL=urls.system,
        REDIS_URL=urls.redis or "",
        JGT_HOST=settings.host,
        JGT_PORT=str(port),
        JGT_WEB_PROCESSES="1",
        JGT_SERVE_BACKGROUND="false",
    )
    return env


def metrics_listener_of(settings: Settings, index: int) -> dict[str, str]:
    """Web process `index`'s own metrics listener: JGT_METRICS_ADDRESS's port + `index`.

    Each process counts its own requests, so each needs a listener; port 0 stays 0 (any).
    """
    if settings.metrics_address is None:
        return {}
    port = metrics_port(settings.metrics_address)
    host = settings.metrics_address.rsplit(":", 1)[0]
    return {"JGT_METRICS_ADDRESS": f"{host}:{port + index if port else 0}"}


@contextlib.asynccontextmanager
async def web_children(settings: Settings, urls: Urls, port: int) -> AsyncIterator[int]:
    """Starts `JGT_WEB_PROCESSES - 1` children and waits until each listens; how many.

    Leaving the block sends each SIGTERM and waits for it (SIGKILL after STOP_SECONDS).
    """
    children: list[asyncio.subprocess.Process] = []
    env = child_environment(settings, urls, port)
    try:
        for index in range(1, settings.web_processes):
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "service",
                "serve",
                "--web-child",
                env={**env, **metrics_listener_of(settings, index)},
                stdout=asyncio.subprocess.PIPE,
            )
            children.append(child)
        for child in children:
            await _ready(child)
        yield len(children)
    finally:
        await asyncio.shield(_stop(children))


_DRAINING: set[asyncio.Task[None]] = set()  # held here: the loop keeps only weak references


async def _ready(child: asyncio.subprocess.Process) -> None:
    assert child.stdout is not None  # noqa: S101 - piped above
    async with asyncio.timeout(START_SECONDS):
        while line := await child.stdout.readline():
            if line.decode().startswith(READY):
                draining = asyncio.get_running_loop().create_task(_drain(child.stdout))
                _DRAINING.add(draining)
                draining.add_done_callback(_DRAINING.discard)
                return
    raise RuntimeError(f"a web process did not start (exit status {await child.wait()})")


async def _drain(stream: asyncio.StreamReader) -> None:
    """Reads what a child prints after its ready line: a full pipe would stall it."""
    while await stream.readline():
        pass


async def _stop(children: list[asyncio.subprocess.Process]) -> None:
    for child in children:
        if child.returncode is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            async with asyncio.timeout(STOP_SECONDS):
                await child.wait()
        except TimeoutError:
            child.kill()
            await child.wait()
