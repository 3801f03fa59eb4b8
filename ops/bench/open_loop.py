"""The open-loop load of `ops.bench.http`: requests at a fixed rate, latency from when each was due.

A closed loop (N clients, each waiting for its answer) measures throughput; its latency is
N / throughput by construction. The latency a target can mean is the one at a given offered
rate, whatever the answers do: that is this loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncpg

from infra.db import SYSTEM_ROLE, with_user
from ops.bench.harness import rate
from projections.status import projection_lag

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

CONNECTIONS, OPEN_CONNECTIONS, MAX_REQUESTS, SETTLE_SECONDS = 50, 256, 200_000, 300.0
# The open loop's rates, in % of the ceiling's closed-loop req/s: the target's (40 %) last.
OPEN_SHARES = (10, 20, 40)
Target = tuple[int, "Callable[[int, int], bytes]"]  # a port and the request to send it


@contextlib.contextmanager
def no_collections() -> Iterator[None]:
    """The generator's own garbage collector off while it measures.

    Its full collections (its tasks and latencies) paused it for 200 to 300 ms on the loaded
    machine: answers that had arrived waited to be read, and counted as the server's latency.
    A load is bounded (MAX_REQUESTS), so what it allocates meanwhile is bounded too.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def answer(reader: asyncio.StreamReader) -> int:
    """Reads one HTTP/1.1 answer off a keep-alive connection; its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    match = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    await reader.readexactly(int(match.group(1)) if match else 0)
    return status


async def fetch(port: int, request: bytes) -> bytes:
    """The body of one answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    match = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    body = await reader.readexactly(int(match.group(1)) if match else 0)
    writer.close()
    return body


@dataclass(frozen=True)
class OpenLoad:
    offered_rps: float
    achieved_rps: float
    p50_ms: float
    p99_ms: float
    errors: int


async def open_load(
    port: int,
    request: Callable[[int, int], bytes],
    rps: float,
    seconds: float,
    max_connections: int = OPEN_CONNECTIONS,
) -> OpenLoad:
    """Requests sent at a fixed rate whatever the answers (an open loop), for `seconds`.

    Each latency runs from the moment its request was due, not from when a connection was free,
    so a server that falls behind shows it (no coordinated omission). CONNECTIONS keep-alive
    connections are opened before the clock starts, more as needed, up to `max_connections`.
    """
    count = min(int(rps * seconds), MAX_REQUESTS)
    idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(CONNECTIONS)]
    opened, errors = len(idle), 0
    freed = asyncio.Condition()
    latencies: list[float] = []

    async def connection() -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        nonlocal opened
        async with freed:
            while not idle and opened >= max_connections:
                await freed.wait()
            if idle:
                # The longest idle first: every connection stays in use, none idles past the
                # server's keep-alive timeout (uvicorn's 5 s) to be closed under a request.
                return idle.pop(0)
            opened += 1
        return await asyncio.open_connection("127.0.0.1", port)

    async def send(n: int, due: float) -> None:
        nonlocal errors
        reader, writer = await connection()
        writer.write(request(0, n))
        status = await answer(reader)
        latencies.append(time.perf_counter() - due)
        errors += status >= 400
        async with freed:
            idle.append((reader, writer))
            freed.notify()

    with no_collections():
        started = time.perf_counter()
        tasks = []
        for n in range(count):
            due = started + n / rps
            if (wait := due - time.perf_counter()) > 0:
                await asyncio.sleep(wait)
            tasks.append(asyncio.create_task(send(n, due)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    for _, writer in idle:
        writer.close()
    latencies.sort()
    return OpenLoad(
        offered_rps=round(rps, 1),
        achieved_rps=rate(len(latencies), elapsed),
        p50_ms=round(latencies[len(latencies) // 2] * 1000, 2) if latencies else 0.0,
        p99_ms=round(latencies[int(len(latencies) * 0.99)] * 1000, 2) if latencies else 0.0,
        errors=errors,
    )


async def latency_curve(
    ceiling: Target, ours: Target, ceiling_rps: float, seconds: float
) -> tuple[OpenLoad, dict[int, OpenLoad]]:
    """The ceiling's open loop at the target's rate, and ours at each of OPEN_SHARES."""
    top = await open_load(*ceiling, OPEN_SHARES[-1] / 100 * ceiling_rps, seconds)
    curve = {
        share: await open_load(*ours, share / 100 * ceiling_rps, seconds) for share in OPEN_SHARES
    }
    return top, curve


async def settle(owner_url: str) -> None:
    """Waits until the background work is idle: every event folded, every notification sent.

    Each figure then measures its own requests, not a backlog the one before left (the seed's
    5,000 notifications, or those of the POST load).
    """
    conn = await asyncpg.connect(with_user(owner_url, SYSTEM_ROLE))
    try:
        for _ in range(int(SETTLE_SECONDS / 0.2)):
            if not await projection_lag(conn) and not await conn.fetchval(
                "select exists (select from outbox where done_at is null)"
            ):
                return
            await asyncio.sleep(0.2)
        raise TimeoutError(f"the background work was still busy after {SETTLE_SECONDS} s")
    finally:
        await conn.close()
