"""How fast the read models are folded and read, side by side in one run on one database.

    python -m ops.bench.projections [--events 20000] [--json]

Writes N events of real community actions (records, corrections, voids) and each county's
staff (20 teachers sealed with their own keys, their changes, a leave and an erasure,
assignments with replacements and early ends, mentor pairs) across 20 counties, then folds
them: the runner catching up from zero (three batch sizes), a rebuild of every county, and an
in-memory replay (decode and fold only: the ceiling for the fold in Python); and times the
dashboard's query and a page of teachers with and without their names opened. Then a
county-year with every kind of record, also about N events (`ops.bench.county_year`: the demo
county's code, grown): its runner catching up from zero and its rebuild. Last, the cost per
teacher event sealed beside plain (`ops.bench.crypto`'s measure, in its own county). On
`DATABASE_URL` when set, else an embedded PostgreSQL; in a fresh database dropped afterwards.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from typing import TYPE_CHECKING, Any

from infra.crypto import Keyring, MasterKey, PersonalData
from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, tenant_transaction, with_user
from infra.event_store import EventStore, read_tenant
from infra.migrate import migrate
from infra.tenancy import create_tenant
from ops.bench import crypto
from ops.bench.county_year import write_county_year
from ops.bench.harness import bench_main, drop_database, fresh_database, rate
from projections.community import queries
from projections.read_models import PROJECTIONS
from projections.runner import ProjectionRunner
from projections.staff import queries as staff_queries
from projections.status import tenant_lag
from tests.projections.history import one_more_change, write_history
from tests.projections.staff_history import write_staff

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

TENANTS, WRITERS, DASHBOARD_QUERIES, TEACHERS, CRYPTO_TEACHERS = 20, 20, 200, 20, 1000


async def write_events(
    store: EventStore, keyring: Keyring, tenants: list[UUID], events: int
) -> int:
    """Each county's history and staff, then more actions, corrections and voids to `events`."""
    histories = []
    for i, tenant in enumerate(tenants):
        history = await write_history(store, tenant, seed=i, activities=10)
        await write_staff(store, history, seed=i, teachers=TEACHERS, keyring=keyring)
        histories.append(history)
    per_history = (events - (20 + 2 * TEACHERS) * len(tenants)) // len(tenants)

    async def writer(history: Any) -> None:  # noqa: ANN401 - a test History
        rng = random.Random(str(history.tenant_id))
        for _ in range(max(per_history, 0)):
            await one_more_change(store, history, rng)

    await asyncio.gather(*(writer(history) for history in histories))
    total = 0
    for tenant in tenants:
        async with tenant_transaction(store.pool, tenant) as conn:
            total += len(await read_tenant(conn, tenant, limit=10**9))
    return total


async def timed(work: Any) -> float:  # noqa: ANN401 - an awaitable
    started = time.perf_counter()
    await work
    return time.perf_counter() - started


async def reset(system_pool: Any, also: Sequence[str] = ()) -> None:  # noqa: ANN401 - a pool
    """Every read model (and the tables `also`) back to nothing, as before its first fold."""
    owner_tables = [*(table for p in PROJECTIONS for table in p.tables), *also]
    async with system_pool.acquire() as conn:
        tenants = [r["tenant_id"] for r in await conn.fetch("select tenant_id from tenants")]
        for tenant in tenants:
            async with conn.transaction():
                await conn.execute("select set_config('jgt.tenant_id', $1, true)", str(tenant))
                for table in [*owner_tables, "projection_checkpoints"]:
                    await conn.execute(f"delete from {table} where tenant_id = $1", tenant)  # noqa: S608


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        await migrate(owner_url)
        app_pool = await create_pool(with_user(owner_url, APP_ROLE), max_size=WRITERS)
        system_pool = await create_pool(with_user(owner_url, SYSTEM_ROLE), max_size=2)
        store = EventStore(app_pool)
        keyring = Keyring(app_pool, MasterKey.generate())
        tenants = []
        async with app_pool.acquire() as conn:
            for i in range(TENANTS):
                async with conn.transaction():
                    tenants.append(await create_tenant(conn, f"基准县{i}"))
        total = await write_events(store, keyring, tenants, events)
        figures: dict[str, Any] = {"events": total, "tenants": TENANTS}

        for batch in (2000, 500, 50):
            seconds = await timed(ProjectionRunner(system_pool, batch=batch).catch_up())
            figures[f"runner_batch{batch}_events_per_s"] = rate(total, seconds)
            await reset(system_pool)
        await ProjectionRunner(system_pool).catch_up()

        async def rebuild_all() -> None:
            runner = ProjectionRunner(system_pool)
            for tenant in tenants:
                await runner.rebuild(tenant)

        figures["rebuild_events_per_s"] = rate(total, await timed(rebuild_all()))

        async def replay_all() -> None:
            for tenant in tenants:
                async with tenant_transaction(app_pool, tenant) as reader:
                    recorded = await read_tenant(reader, tenant, limit=10**9)
                decoded = [store.decode(event) for event in recorded]
                for projection in PROJECTIONS:
                    projection.replay(decoded)

        figures["replay_in_memory_events_per_s"] = rate(total, await timed(replay_all()))

        latencies = []
        for i in range(DASHBOARD_QUERIES):
            tenant = tenants[i % TENANTS]
            started = time.perf_counter()
            async with tenant_transaction(app_pool, tenant) as reader:
                counts = await queries.activity_count_rows(reader, tenant)
                await queries.community_names(reader, tenant, [k.community_id for k in counts])
                await tenant_lag(reader, tenant)
            latencies.append((time.perf_counter() - started) * 1000)
        figures["dashboard_ms_p50"] = round(statistics.median(latencies), 2)
        figures["dashboard_ms_p95"] = round(statistics.quantiles(latencies, n=20)[-1], 2)
        figures |= await teacher_pages(app_pool, keyring, tenants)
        figures |= await county_year(app_pool, system_pool, store, keyring, events)
        figures |= {
            f"crypto_{k}": v for k, v in (await crypto.measure(CRYPTO_TEACHERS, app_pool)).items()
        }
        await store.close()
        await system_pool.close()
        await app_pool.close()
        return figures
    finally:
        await drop_database(server_url, name)


async def county_year(
    app_pool: Any,  # noqa: ANN401 - asyncpg pools
    system_pool: Any,  # noqa: ANN401
    store: EventStore,
    keyring: Keyring,
    events: int,
) -> dict[str, Any]:
    """One county's year of every kind of record: caught up from zero, then rebuilt."""
    written = await write_county_year(app_pool, store, keyring, events)
    tenant, total = written.pop("tenant_id"), written["year_events"]
    runner = ProjectionRunner(system_pool, batch=500)
    written["year_runner_batch500_events_per_s"] = rate(
        total, await timed(runner.catch_up([tenant]))
    )
    written["year_rebuild_events_per_s"] = rate(total, await timed(runner.rebuild(tenant)))
    return written


async def teacher_pages(
    pool: Any,  # noqa: ANN401 - an asyncpg pool
    keyring: Keyring,
    tenants: list[UUID],
) -> dict[str, float]:
    """A page of each county's teachers: the rows alone, and with every name opened."""
    plain, named = [], []
    for i in range(DASHBOARD_QUERIES):
        tenant = tenants[i % TENANTS]
        started = time.perf_counter()
        async with tenant_transaction(pool, tenant) as reader:
            rows = await staff_queries.teachers(reader, tenant, include_left=True, limit=50)
            middle = time.perf_counter()
            await keyring.open_many(
                tenant, {row.id: row.personal for row in rows}, PersonalData, conn=reader
            )
        ended = time.perf_counter()
        plain.append((middle - started) * 1000)
        named.append((ended - started) * 1000)
    return {
        "teacher_page_ms_p50": round(statistics.median(plain), 2),
        "teacher_page_named_ms_p50": round(statistics.median(named), 2),
    }


def per_event_us(per_second: float) -> str:
    return f"{1_000_000 / per_second:,.0f}" if per_second else "-"


def report(figures: dict[str, Any]) -> str:
    rows = [
        ("runner catching up from zero, batches of 2000", "runner_batch2000_events_per_s", "/s"),
        ("runner catching up from zero, batches of 500", "runner_batch500_events_per_s", "/s"),
        ("runner catching up from zero, batches of 50", "runner_batch50_events_per_s", "/s"),
        ("rebuild of every county (one transaction each)", "rebuild_events_per_s", "/s"),
        ("in-memory replay: decode and fold, no tables", "replay_in_memory_events_per_s", "/s"),
        ("dashboard query (counts, names, lag), median", "dashboard_ms_p50", "ms"),
        ("dashboard query, 95th percentile", "dashboard_ms_p95", "ms"),
    ]
    rows += [
        ("a page of 50 teachers, rows only, median", "teacher_page_ms_p50", "ms"),
        ("a page of 50 teachers, names opened, median", "teacher_page_named_ms_p50", "ms"),
    ]
    lines = [f"{figures['events']} events in {figures['tenants']} counties", ""]
    lines += [f"  {label:<50} {figures[key]:>10} {unit}" for label, key, unit in rows]
    lines += [
        "",
        (
            f"a county-year of every kind of record: {figures['year_events']} events of"
            f" {figures['year_event_kinds']} kinds (the demo's {figures['year_demo_events']},"
            f" grown; written in {figures['year_write_s']} s)"
        ),
        "",
    ]
    year_rows = [
        ("runner catching up from zero, batches of 500", "year_runner_batch500_events_per_s"),
        ("rebuild of the county (one transaction)", "year_rebuild_events_per_s"),
    ]
    lines += [f"  {label:<50} {figures[key]:>10} /s" for label, key in year_rows]
    heading = (
        f"per teacher event, µs ({figures['crypto_teachers']} teachers,"
        f" {crypto.CONCURRENCY} at a time)"
    )
    lines += ["", f"  {heading:<50} {'plain':>10} {'sealed':>10}"]
    for label, plain, sealed in (
        ("register (event appended)", "register_plain_per_s", "register_sealed_per_s"),
        ("read personal data (decode / key + open)", "read_plain_per_s", "read_opened_per_s"),
        ("erase (key destroyed)", None, "erase_per_s"),
    ):
        before = "-" if plain is None else per_event_us(figures[f"crypto_{plain}"])
        after = per_event_us(figures[f"crypto_{sealed}"])
        lines.append(f"  {label:<50} {before:>10} {after:>10}")
    return "\n".join(lines)


def main() -> None:
    bench_main(__doc__ or "", run, report, default_events=20_000)


if __name__ == "__main__":
    main()
