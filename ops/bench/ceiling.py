"""The ceiling of `ops.bench.http`: the same 50-row page from memory, as `jgt serve` would serve it.

The same uvicorn settings, the same event loop, and as many processes on one port as `jgt serve`
is given (`--processes`, JGT_WEB_PROCESSES: each with its own SO_REUSEPORT socket).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
from typing import TYPE_CHECKING

import uvicorn
from litestar import Litestar, Response
from litestar import get as route

from service.runtime import loop_factory
from service.web_processes import shared_socket

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

CHILD_READY = "ceiling process ready"


def serve_ceiling(page: Path, *, processes: int = 1, port: int | None = None) -> None:
    """Serves `page` at /page; with `port`, as a further process of a ceiling on that port."""
    body = page.read_bytes()

    @route("/page", sync_to_thread=False)
    def answer() -> Response[bytes]:
        return Response(body, media_type="application/json")

    config = uvicorn.Config(
        Litestar([answer]), host="127.0.0.1", port=0, log_level="warning", access_log=False
    )
    app_server = uvicorn.Server(config)
    shared = processes > 1 or port is not None
    sockets = [shared_socket("127.0.0.1", port or 0)] if shared else None

    async def run() -> None:
        task = asyncio.create_task(app_server.serve(sockets=sockets))
        while not app_server.started:  # noqa: ASYNC110 - uvicorn has no event
            await asyncio.sleep(0.05)
        if port is not None:
            print(CHILD_READY, flush=True)
            await task
            return
        bound = app_server.servers[0].sockets[0].getsockname()[1]
        with _children(page, processes - 1, bound):
            print(f"ceiling listening on http://127.0.0.1:{bound}", flush=True)
            await task

    signal.signal(signal.SIGTERM, lambda *_: setattr(app_server, "should_exit", True))
    with asyncio.Runner(loop_factory=loop_factory()) as runner:  # the event loop `jgt serve` runs
        runner.run(run())


@contextlib.contextmanager
def _children(page: Path, count: int, port: int) -> Iterator[None]:
    children = []
    try:
        for _ in range(count):
            args = [
                "-m",
                "ops.bench.http",
                "--serve-ceiling",
                str(page),
                "--ceiling-port",
                str(port),
            ]
            child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, *args], stdout=subprocess.PIPE, text=True
            )
            children.append(child)
            assert child.stdout is not None  # noqa: S101 - piped above
            if child.stdout.readline().strip() != CHILD_READY:
                raise RuntimeError("a ceiling process did not start")
        yield
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(timeout=30)
