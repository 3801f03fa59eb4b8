"""Verify beside the requests it must not stall: probe latency idle and while verify loops.

    python -m ops.bench.verify [--events 50000] [--json]

One county of N events on a fresh database; a probe (one `select 1` round trip on the request
pool, like the smallest request) runs for a few seconds idle, then while verify loops on the
county in the same process, and while the verify of before loops (every column, hashed on the
event loop), side by side. Verify reads pages of the hashed columns and hashes them in a
worker thread; the probe's p99 shows what is left of the event loop for everyone else.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from infra.chain import GENESIS, event_hash, verify
from infra.db import APP_ROLE, create_pool, set_tenant, with_user
from infra.event_store import EventStore, WriteContext, read_tenant
from infra.migrate import migrate
from infra.tenancy import create_tenant
from ops.bench.append import Counter
from ops.bench.harness import bench_main, drop_database, fresh_database, rate

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

    import asyncpg

    from infra.db import Connection

PER_APPEND, PROBE_SECONDS = 50, 4.0


async def probe(pool: asyncpg.Pool, seconds: float) -> list[float]:
    """Milliseconds of each `select 1` round trip, back to back for `seconds`."""
    took, end = [], time.perf_counter() + seconds
    while (started := time.perf_counter()) < end:
        await pool.fetchval("select 1")
        took.append((time.perf_counter() - started) * 1000)
    return took


async def verify_on_the_loop(conn: Connection, tenant_id: UUID) -> int:
    """The verify of before: every column, pages of 5,000, hashed on the event loop."""
    checked, prev_hash = 0, GENESIS
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        await set_tenant(conn, tenant_id)
        while events := await read_tenant(conn, tenant_id, checked, 5000):
            for event in events:
                if event_hash(tenant_id, event, prev_hash) != event.hash:
                    raise AssertionError(event.tenant_seq)
                prev_hash, checked = event.hash, event.tenant_seq
    return checked


def p99(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=100)[98], 2)


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        await migrate(owner_url)
        pool = await create_pool(with_user(owner_url, APP_ROLE), max_size=4)
        async with pool.acquire() as conn, conn.transaction():
            tenant = await create_tenant(conn, "核验县")
        store = EventStore(pool)
        context = WriteContext(tenant_id=tenant, actor_id=tenant, role="admin")
        counter = Counter(id=uuid4(), name="verify")
        for _ in range(events // PER_APPEND):
            for _ in range(PER_APPEND - (counter.version == 0)):
                counter.count()
            await store.save(counter, context)
        await store.close()
        async with pool.acquire() as conn:
            started = time.perf_counter()
            report = await verify(conn, tenant)
            verify_rate = rate(report.events_checked, time.perf_counter() - started)
        assert report.intact, report.problem  # noqa: S101 - the bench measures a sound chain
        idle = await probe(pool, PROBE_SECONDS)

        async def during(check: Callable[[Connection], Awaitable[object]]) -> list[float]:
            async def loop() -> None:
                async with pool.acquire() as conn:
                    while True:
                        await check(conn)

            looping = asyncio.create_task(loop())
            took = await probe(pool, PROBE_SECONDS)
            looping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await looping
            return took

        before = await during(lambda conn: verify_on_the_loop(conn, tenant))
        now = await during(lambda conn: verify(conn, tenant))
        await pool.close()
        return {
            "events": report.events_checked,
            "verify_events_per_s": verify_rate,
            "probe_p99_idle_ms": p99(idle),
            "probe_p99_during_verify_ms": p99(now),
            "probe_p99_during_verify_on_the_loop_ms": p99(before),
            "probe_rps_idle": rate(len(idle), PROBE_SECONDS),
            "probe_rps_during_verify": rate(len(now), PROBE_SECONDS),
            "probe_rps_during_verify_on_the_loop": rate(len(before), PROBE_SECONDS),
        }
    finally:
        await drop_database(server_url, name)


def report(figures: dict[str, Any]) -> str:
    rows = [
        ("verify (events/s)", "verify_events_per_s"),
        ("probe p99 (ms), idle", "probe_p99_idle_ms"),
        ("probe p99 (ms), while verify loops", "probe_p99_during_verify_ms"),
        (
            "probe p99 (ms), while the verify of before loops",
            "probe_p99_during_verify_on_the_loop_ms",
        ),
        ("probe round trips/s, idle", "probe_rps_idle"),
        ("probe round trips/s, while verify loops", "probe_rps_during_verify"),
        (
            "probe round trips/s, while the verify of before loops",
            "probe_rps_during_verify_on_the_loop",
        ),
    ]
    lines = [f"one county of {figures['events']} events", ""]
    lines += [f"  {label:<56} {figures[key]:>10}" for label, key in rows]
    return "\n".join(lines)


def main() -> None:
    bench_main(__doc__ or "", run, report, default_events=50_000)


if __name__ == "__main__":
    main()
