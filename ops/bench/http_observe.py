"""The cost of observability: `python -m ops.bench.http --observability`.

Two real `jgt serve` processes on the same seeded database: one with request metrics and the
access log off, one with both on (JSON lines at info, written to a file as a log collector
would read them). The dashboard and the 50-row list are loaded on each in turns, the order
swapped every round, so drift of the shared machine falls on both; medians are printed.

On a machine shared with other work, req/s of one load swing several-fold from second to
second, and so does a server's CPU time per answer (its background work is spread over fewer
answers when it gets fewer). So the same two apps are also called in this process, through
ASGI without a server: the CPU time of a request with both off (the median of batches) beside
the CPU time spent making the metrics and the JSON access line of the 'on' app, timed inside
it, per request. That ratio is the cost.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from infra.db import APP_ROLE, SYSTEM_ROLE, with_user
from ops.bench.http import get, load
from service.app import create_app
from service.logs import configure_logging
from service.runtime import Urls
from service.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Iterator

    from litestar import Litestar
    from litestar.types import Message

    from ops.bench.http import World

LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
OFF = {"JGT_METRICS": "false", "JGT_ACCESS_LOG": "false", "JGT_LOG_LEVEL": "warning"}
ON = {"JGT_METRICS": "true", "JGT_ACCESS_LOG": "true", "JGT_LOG_LEVEL": "info"}
ON_JSON = {**ON, "JGT_LOG_FORMAT": "json"}


@contextlib.contextmanager
def logging_process(args: list[str], env: dict[str, str], log: Path) -> Iterator[tuple[int, int]]:
    """A `jgt serve` whose output goes to `log` (not a pipe to drain): its port and pid."""
    with (
        log.open("w") as out,
        subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, *args], env=env, stdout=out, stderr=subprocess.STDOUT
        ) as child,
    ):
        deadline, port = time.monotonic() + 120, None
        while port is None:
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start:\n" + log.read_text())
            if match := LISTENING.search(log.read_text()):
                port = int(match.group(1))
            else:
                time.sleep(0.1)
        try:
            yield port, child.pid
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """User CPU time of a process so far (its threads included): the Python work."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / os.sysconf("SC_CLK_TCK")


async def compare(
    env: dict[str, str], folder: Path, world: World, seconds: float, rounds: int
) -> dict[str, Any]:
    paths = {
        "dashboard": f"/v1/dashboards/activity-counts?community={world.community_id}",
        "list": f"/v1/activities?limit=50&community={world.community_id}",
    }
    rps: dict[tuple[str, str], list[float]] = {}
    cpu_ms: dict[tuple[str, str], list[float]] = {}
    sent_on = 0
    on_log = folder / "on.log"
    # A data folder each: each its own embedded Valkey unless REDIS_URL is set.
    (folder / "off").mkdir()
    (folder / "on").mkdir()
    off_env = {**env, **OFF, "JGT_DATA_DIR": str(folder / "off")}
    on_env = {**env, **ON_JSON, "JGT_DATA_DIR": str(folder / "on")}
    with (
        logging_process(["-m", "service", "serve"], off_env, folder / "off.log") as off,
        logging_process(["-m", "service", "serve"], on_env, on_log) as on,
    ):
        servers = {"off": off, "on": on}
        for n in range(rounds):
            for name, path in paths.items():

                def request(*_: int, p: str = path) -> bytes:
                    return get(p, world.supervisor)

                for mode in ("off", "on") if n % 2 == 0 else ("on", "off"):
                    port, pid = servers[mode]
                    used = cpu_seconds(pid)
                    figure = await load(port, request, seconds)
                    used = cpu_seconds(pid) - used
                    rps.setdefault((name, mode), []).append(figure.rps)
                    cpu_ms.setdefault((name, mode), []).append(1000 * used / figure.answers)
                    sent_on += figure.answers if mode == "on" else 0
        access_lines = sum('"logger":"jgt.access"' in line for line in on_log.open())
    figures: dict[str, Any] = {"rounds": rounds, "access_lines": access_lines, "sent_on": sent_on}
    figures.update(await in_process(env["DATABASE_URL"], folder, world, paths))
    for name in paths:
        for mode in ("off", "on"):
            figures[f"{name}_{mode}_rps"] = statistics.median(rps[name, mode])
            figures[f"{name}_{mode}_rps_range"] = [min(rps[name, mode]), max(rps[name, mode])]
            figures[f"{name}_{mode}_cpu_ms"] = round(statistics.median(cpu_ms[name, mode]), 3)
        off_ms, on_ms = figures[f"{name}_off_cpu_ms"], figures[f"{name}_on_cpu_ms"]
        figures[f"{name}_cost_percent"] = round(100 * (on_ms - off_ms) / off_ms, 1)
    return figures


def report(f: dict[str, Any]) -> str:
    lines = [
        (
            f"observability, median of {f['rounds']} rounds: off = no request metrics, no access"
            " log; on = both, JSON lines at info"
        ),
        (
            f"{'':<24} {'req/s off (range)':>20} {'req/s on (range)':>20}"
            f" {'user CPU ms/answer off':>18} {'on':>7} {'cost (target < 10 %)':>21}"
        ),
    ]
    for name, label in (("dashboard", "GET dashboard"), ("list", "GET activities?limit=50")):
        ranges = [
            f"{f[f'{name}_{m}_rps']:,.0f} ({low:,.0f}-{high:,.0f})"
            for m in ("off", "on")
            for low, high in [f[f"{name}_{m}_rps_range"]]
        ]
        lines.append(
            f"{label:<24} {ranges[0]:>20} {ranges[1]:>20} {f[f'{name}_off_cpu_ms']:>18}"
            f" {f[f'{name}_on_cpu_ms']:>7} {f[f'{name}_cost_percent']:>19} %"
        )
    lines.append(
        f"access lines written by 'on': {f['access_lines']:,} for {f['sent_on']:,} requests sent"
    )
    lines.append(
        f"in this process, through ASGI, CPU µs (median of {f['inproc_batches']} batches of"
        f" {f['inproc_size']}): the request with both off, and the metrics and JSON line of 'on'"
        " (timed inside it) per request:"
    )
    for name, label in (("dashboard", "GET dashboard"), ("list", "GET activities?limit=50")):
        lines.append(
            f"{label:<24} request {f[f'{name}_request_us']:>6,} µs   observing"
            f" {f[f'{name}_observe_us']:>6} µs   cost {f[f'{name}_inproc_cost_percent']} %"
            " (target < 10 %)"
        )
    return "\n".join(lines)


async def call(app: Litestar, path: str, token: str) -> int:
    """One GET through the app's ASGI interface, as uvicorn would make it; its status."""
    raw, _, query = path.partition("?")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw,
        "raw_path": raw.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)  # type: ignore[arg-type]
    return status


async def batch_cpu_us(app: Litestar, path: str, token: str, size: int) -> float:
    """CPU µs (this thread's, user and system) per request of `size` requests in a row."""
    started = time.thread_time()
    for _ in range(size):
        if await call(app, path, token) != HTTPStatus.OK:
            raise RuntimeError(f"{path} did not answer 200")
    return (time.thread_time() - started) / size * 1e6


class Timed:
    """Stands in for the 'on' app's `_record` (metrics and the access line), timing each call."""

    def __init__(self, observed: object) -> None:
        self._record = observed._record  # type: ignore[attr-defined]  # noqa: SLF001
        setattr(observed, "_record", self)  # noqa: B010 - the instance's, for this bench only
        self.seconds, self.calls = 0.0, 0

    def __call__(self, *args: object) -> None:
        started = time.thread_time()
        self._record(*args)
        self.seconds += time.thread_time() - started
        self.calls += 1


async def in_process(
    owner_url: str,
    folder: Path,
    world: World,
    paths: dict[str, str],
    *,
    batches: int = 20,
    size: int = 50,
) -> dict[str, Any]:
    """CPU µs of a request with both off, and of the metrics and access line per request."""
    urls = Urls(
        owner=owner_url,
        app=with_user(owner_url, APP_ROLE),
        system=with_user(owner_url, SYSTEM_ROLE),
        redis=None,
    )
    (folder / "in-process").mkdir()
    base = Settings(data_dir=folder / "in-process", database_url=owner_url)
    apps = {
        mode: create_app(
            msgspec.structs.replace(base, metrics=on, access_log=on), urls, background=False
        )
        for mode, on in (("off", False), ("on", True))
    }
    figures: dict[str, Any] = {"inproc_batches": batches, "inproc_size": size}
    with (folder / "in-process.log").open("w") as log:
        handler = configure_logging("info", "json", log)
        try:
            async with apps["off"].lifespan(), apps["on"].lifespan():
                for name, path in paths.items():
                    timed, off = Timed(apps["on"].asgi_handler), []
                    for _ in range(batches):
                        off.append(await batch_cpu_us(apps["off"], path, world.supervisor, size))
                        await batch_cpu_us(apps["on"], path, world.supervisor, size)
                    request = statistics.median(off)
                    observing = timed.seconds / timed.calls * 1e6
                    figures[f"{name}_request_us"] = round(request)
                    figures[f"{name}_observe_us"] = round(observing, 1)
                    figures[f"{name}_inproc_cost_percent"] = round(100 * observing / request, 1)
        finally:
            logging.getLogger().removeHandler(handler)
    return figures
