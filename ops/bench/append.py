"""Append and read throughput of our event store, side by side with its reference points.

    python -m ops.bench.append [--events 20000] [--json]

Runs on `DATABASE_URL` when set, else on an embedded PostgreSQL in a temporary folder; in a
fresh database that is dropped afterwards. Every figure comes from this one run.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID, uuid4

import asyncpg
import msgspec
from eventsourcing.domain import Aggregate, event

from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, with_user
from infra.event_store import EventStore, Position, WriteContext, read_all
from infra.migrate import migrate
from infra.tenancy import create_tenant
from ops.bench.harness import bench_main, drop_database, fresh_database, rate

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

TENANTS, STREAMS, WRITERS, PGBENCH_CLIENTS, PGBENCH_SECONDS = 20, 1000, 50, 10, 10
NOTE = "送教下乡 语文 示范课 第三小学"  # with the other fields, a ~90-byte payload


class Counter(Aggregate):
    """The benchmark's stream: one small event per command."""

    class Opened(Aggregate.Created):
        name: str

    class Counted(Aggregate.Event):
        amount: int
        note: str

    @event(Opened)
    def __init__(self, id: UUID, name: str) -> None:  # noqa: A002, ARG002 - the stream id
        self.name = name

    def count(self) -> None:
        self._count(amount=1, note=NOTE)

    @event(Counted)
    def _count(self, amount: int, note: str) -> None:
        pass


async def timed(work: Callable[[], Awaitable[int]]) -> float:
    started = time.perf_counter()
    count = await work()
    return rate(count, time.perf_counter() - started)


async def in_parallel(tasks: int, job: Callable[[int], Awaitable[None]]) -> None:
    await asyncio.gather(*(job(i) for i in range(tasks)))


class Bench:
    def __init__(self, owner_url: str, events: int) -> None:
        self.owner_url = owner_url
        self.events = events
        self.tenants: list[UUID] = []

    async def setup(self) -> None:
        await migrate(self.owner_url)
        self.pool = await create_pool(with_user(self.owner_url, APP_ROLE), max_size=TENANTS)
        async with self.pool.acquire() as conn:
            for i in range(TENANTS):
                async with conn.transaction():
                    self.tenants.append(await create_tenant(conn, f"基准县{i}"))

    async def opened(self, store: EventStore) -> list[tuple[UUID, Counter]]:
        streams = []
        for i in range(STREAMS):
            tenant = self.tenants[i % TENANTS]
            counter = Counter(id=uuid4(), name=f"stream {i}")
            await store.save(counter, self.context(tenant))
            streams.append((tenant, counter))
        return streams

    def context(self, tenant: UUID) -> WriteContext:
        return WriteContext(
            tenant_id=tenant,
            actor_id=tenant,
            role="recorder",
            request_id=uuid4().hex,
            idempotency_key=uuid4().hex,
            fingerprint=uuid4().bytes * 2,
        )

    async def store_commands(self, events_per_append: int, append_sql: str | None = None) -> float:
        """50 writers, each owning 20 of the 1,000 streams, every append fully checked.

        `append_sql` calls another version of `jgt_append` (see ops.bench.append_alone).
        """
        store = EventStore(self.pool)
        if append_sql is not None:
            store.group_commit.APPEND = append_sql
        streams = await self.opened(store)
        appends = self.events // events_per_append

        async def writer(w: int) -> None:
            mine = streams[w::WRITERS]
            for n in range(w, appends, WRITERS):
                tenant, counter = mine[(n // WRITERS) % len(mine)]
                for _ in range(events_per_append):
                    counter.count()
                await store.save(counter, self.context(tenant))

        async def work() -> int:
            await in_parallel(WRITERS, writer)
            return appends * events_per_append

        result = await timed(work)
        await store.close()
        return result

    async def plain_inserts(self) -> float:
        """The ceiling for one Python client: single INSERTs, no checks, no chain."""
        owner = await asyncpg.connect(self.owner_url)
        try:
            await owner.execute(
                """create table bench_plain (
                    id bigint generated always as identity primary key, tenant_id uuid not null,
                    stream_id uuid not null, version integer not null, event_type text not null,
                    payload bytea not null, metadata jsonb not null,
                    recorded_at timestamptz not null default clock_timestamp())"""
            )
            await owner.execute(f"grant select, insert on bench_plain to {APP_ROLE}")
        finally:
            await owner.close()
        pool = await create_pool(with_user(self.owner_url, APP_ROLE), max_size=WRITERS)
        payload = msgspec.json.encode({"amount": 1, "note": NOTE, "timestamp": "2026-11-23"})

        async def writer(w: int) -> None:
            async with pool.acquire() as conn:
                for n in range(w, self.events, WRITERS):
                    await conn.execute(
                        "insert into bench_plain (tenant_id, stream_id, version, event_type,"
                        " payload, metadata) values ($1, $2, $3, $4, $5, $6)",
                        self.tenants[n % TENANTS],
                        self.tenants[w % TENANTS],
                        n,
                        "Counter.Counted",
                        payload,
                        '{"actor": "x"}',
                    )

        async def work() -> int:
            await in_parallel(WRITERS, writer)
            return self.events

        result = await timed(work)
        await pool.close()
        return result

    async def read_everything(self, passes: int = 3) -> tuple[int, list[float]]:
        """Every event of every tenant in log order, each decoded into its domain event.

        The first pass after the writes also sets PostgreSQL's hint bits on every new page;
        later passes show the steady rate.
        """
        pool = await create_pool(with_user(self.owner_url, SYSTEM_ROLE), max_size=1)
        store = EventStore(pool)
        count = 0

        async def work() -> int:
            nonlocal count
            count, position = 0, Position()
            async with pool.acquire() as conn:
                while batch := await read_all(conn, position):
                    for recorded in batch:
                        store.decode(recorded)
                    count += len(batch)
                    position = batch[-1].position
            return count

        rates = [await timed(work) for _ in range(passes)]
        await pool.close()
        return count, rates

    async def close(self) -> None:
        await self.pool.close()


def eventsourcing_recorder(owner_url: str, events: int) -> float:
    """Eventsourcing 9.5's own PostgreSQL recorder (psycopg), 50 threads of single saves."""
    from eventsourcing.application import Application  # noqa: PLC0415 - a bench extra

    parts = urlsplit(owner_url)
    query = parse_qs(parts.query)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": query.get("host", [parts.hostname or "127.0.0.1"])[0],
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": str(WRITERS),
        "POSTGRES_MAX_OVERFLOW": "0",
        "CREATE_TABLE": "y",
    }
    app: Application[UUID] = Application(env=env)
    counters = [Counter(id=uuid4(), name=f"stream {i}") for i in range(STREAMS)]
    for counter in counters:
        app.save(counter)

    def writer(w: int) -> None:
        mine = counters[w::WRITERS]
        for n in range(w, events, WRITERS):
            counter = mine[(n // WRITERS) % len(mine)]
            counter.count()
            app.save(counter)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = rate(events, time.perf_counter() - started)
    app.close()
    return result


def pgbench(owner_url: str) -> float | None:
    """The database's own ceiling on this disk: one INSERT per transaction from 10 clients."""
    binary = shutil.which("pgbench")
    if binary is None:
        return None
    parts = urlsplit(owner_url)
    host = parse_qs(parts.query).get("host", [parts.hostname or "127.0.0.1"])[0]
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(
            "insert into bench_plain (tenant_id, stream_id, version, event_type, payload, metadata)"
            " values (gen_random_uuid(), gen_random_uuid(), 1, 'x', '\\x00', '{}');\n"
        )
    env = dict(os.environ, PGPASSWORD=unquote(parts.password or ""))
    command = [
        binary, "-n", "-c", str(PGBENCH_CLIENTS), "-j", "2", "-T", str(PGBENCH_SECONDS),
        "-f", script.name, "-h", host, "-p", str(parts.port or 5432),
        "-U", unquote(parts.username or "postgres"), parts.path.lstrip("/"),
    ]  # fmt: skip
    try:
        output = subprocess.run(command, capture_output=True, text=True, env=env, check=True)  # noqa: S603
    except subprocess.CalledProcessError as error:
        print(f"pgbench failed: {error.stderr.strip()}", file=sys.stderr)
        return None
    finally:
        Path(script.name).unlink()
    match = re.search(r"tps = ([\d.]+)", output.stdout)
    return float(match.group(1)) if match else None


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        bench = Bench(owner_url, events)
        await bench.setup()
        figures: dict[str, Any] = {"events": events, "tenants": TENANTS, "streams": STREAMS}
        figures["store_events_per_s"] = await bench.store_commands(1)
        figures["store_batch10_events_per_s"] = await bench.store_commands(10)
        figures["plain_insert_events_per_s"] = await bench.plain_inserts()
        figures["events_read"], rates = await bench.read_everything()
        figures["read_all_first_pass_events_per_s"] = rates[0]
        figures["read_all_events_per_s"] = statistics.median(rates)
        await bench.close()
        es_events = min(events, 5000)  # it is slow; a smaller run measures its rate well enough
        figures["eventsourcing_events"] = es_events
        figures["eventsourcing_events_per_s"] = await asyncio.to_thread(
            eventsourcing_recorder, owner_url, es_events
        )
        figures["pgbench_tps"] = await asyncio.to_thread(pgbench, owner_url)
        return figures
    finally:
        await drop_database(server_url, name)


def report(figures: dict[str, Any]) -> str:
    es = figures["eventsourcing_events_per_s"] or 1
    plain = figures["plain_insert_events_per_s"] or 1
    rows = [
        ("our store, 50 concurrent single-event commands", figures["store_events_per_s"]),
        ("our store, batches of 10 events per append", figures["store_batch10_events_per_s"]),
        (
            "eventsourcing 9.5 PostgreSQL recorder, single saves",
            figures["eventsourcing_events_per_s"],
        ),
        ("plain asyncpg INSERT, 50 tasks, no checks", figures["plain_insert_events_per_s"]),
        ("pgbench, 1 INSERT per tx, 10 clients (tx/s)", figures["pgbench_tps"]),
        (
            "read all events in order, decoded (median of 3 passes)",
            figures["read_all_events_per_s"],
        ),
        ("  the first pass, right after the writes", figures["read_all_first_pass_events_per_s"]),
    ]
    lines = [f"{figures['events']} events, {TENANTS} tenants, {STREAMS} streams", ""]
    lines += [
        f"  {label:<55} {value if value is not None else 'n/a':>10} /s" for label, value in rows
    ]
    single = figures["store_events_per_s"]
    lines += [
        "",
        f"  single-event commands vs eventsourcing: {single / es:.1f}x (target >= 5x)",
        f"  single-event commands vs plain inserts: {100 * single / plain:.0f} % (target >= 50 %)",
        f"  reading: {figures['read_all_events_per_s']:.0f} events/s (target >= 150,000)",
    ]
    return "\n".join(lines)


def main() -> None:
    bench_main(__doc__ or "", run, report, default_events=20_000)


if __name__ == "__main__":
    main()
