"""HTTP throughput of `jgt serve` beside a Litestar app that answers from memory (the ceiling).

    python -m ops.bench.http [--events 5000] [--seconds 5] [--worker] [--processes N] [--json]

A fresh database (on `DATABASE_URL`, else an embedded PostgreSQL) gets a county of about
`--events` actions and a county of 50,000 events for verify; a real `jgt serve` process runs on
it, and a minimal Litestar app under the same uvicorn settings answers the same 50-row page from
memory. 50 keep-alive connections on 127.0.0.1 (our bounded asyncio generator: at most
`--seconds` and 200,000 requests per figure) load each; the store's single-event append rate
comes from `ops.bench.append` on the same database in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import msgspec

from domain.codes import ActivityKind
from infra.crypto import Keyring, MasterKey
from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, with_user
from infra.event_store import EventStore, WriteContext
from infra.file_store import FolderStore
from infra.migrate import migrate
from infra.tenancy import Role, create_tenant, issue_token
from ops.bench.append import Bench, Counter
from ops.bench.ceiling import serve_ceiling
from ops.bench.harness import drop_database, fresh_database, rate, server
from ops.bench.http_report import report
from ops.bench.open_loop import OPEN_SHARES, fetch, latency_curve, no_collections, settle
from ops.bench.open_loop import answer as _answer
from ops.bench.worker import background
from projections.runner import ProjectionRunner
from service.command import Env, create
from service.commands.community.activities import RecordActivity, record_activity
from service.demo import LEAD, PARTNERS, create_demo_county
from service.http.common import today_in

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import asyncpg

CONNECTIONS, MAX_REQUESTS, VERIFY_EVENTS = 50, 200_000, 50_000
_LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


@dataclass(frozen=True)
class Load:
    rps: float
    p99_ms: float
    errors: int
    answers: int = 0


async def load(
    port: int, request: Callable[[int, int], bytes], seconds: float, connections: int = CONNECTIONS
) -> Load:
    """Requests from `connections` keep-alive clients for `seconds`; `request(client, n)`."""
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def client(c: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        n = 0
        while time.monotonic() < deadline and len(latencies) < MAX_REQUESTS:
            started = time.perf_counter()
            writer.write(request(c, n))
            status = await _answer(reader)
            latencies.append(time.perf_counter() - started)
            errors += status >= 400
            n += 1
        writer.close()

    with no_collections():
        started = time.perf_counter()
        await asyncio.gather(*(client(c) for c in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0.0
    return Load(rate(len(latencies), elapsed), round(p99, 2), errors, len(latencies))


def get(path: str, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}\r\n".encode()


def post(path: str, token: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


@contextlib.contextmanager
def process(args: list[str], env: dict[str, str]) -> Iterator[int]:
    """A server process and its port (from its "listening on" line); stopped with SIGTERM."""
    with subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as child:
        assert child.stdout is not None  # noqa: S101 - piped above
        port, seen = None, []
        for line in child.stdout:
            seen.append(line)
            if match := _LISTENING.search(line):
                port = int(match.group(1))
                break
        if port is None:
            raise RuntimeError("the server did not start:\n" + "".join(seen))
        # Its later lines are read and dropped: a full pipe would stall the server.
        threading.Thread(target=child.stdout.read, daemon=True).start()
        try:
            yield port
        finally:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=30)


@dataclass
class World:
    supervisor: str
    admin: str
    auditor_of_big: str
    community_id: UUID
    post_body: Callable[[int, int], bytes]


async def seed(owner_url: str, actions: int) -> World:
    await migrate(owner_url)
    pool = await create_pool(with_user(owner_url, APP_ROLE), max_size=20)
    store = EventStore(pool)
    today = today_in("Asia/Shanghai")
    files = FolderStore(Path(tempfile.mkdtemp(prefix="jgt-bench-files-")))
    keyring = Keyring(pool, MasterKey.generate())  # the served process never opens these
    county = await create_demo_county(
        pool, store, today, name="基准县", files=files, keyring=keyring
    )
    writer = Env(
        store=store,
        write=WriteContext(tenant_id=county.tenant_id, actor_id=county.tenant_id, role="admin"),
        role=Role.ADMIN,
        school_id=None,
        today=today,
    )
    lead = county.schools[LEAD[1]]
    partners = [county.schools[code] for _, code, _, _ in PARTNERS]

    async def record(worker: int) -> None:
        for n in range(worker, actions, 50):
            command = RecordActivity(
                community_id=county.community_id,
                kind=ActivityKind.SENDING_LESSONS,
                title=f"送教下乡 第{n}次",
                host_school_id=lead,
                participating_school_ids=[partners[n % len(partners)]],
                held_on=today - timedelta(days=n % 120),
            )
            await create(writer, record_activity, command)

    await asyncio.gather(*(record(w) for w in range(50)))
    big = await _big_county(pool, store)
    system = await create_pool(with_user(owner_url, SYSTEM_ROLE), max_size=2)
    # Every county folded before the load: the server's runner then only follows new writes.
    await ProjectionRunner(system).catch_up()
    await system.close()
    async with pool.acquire() as conn, conn.transaction():
        auditor = await issue_token(conn, big, Role.AUDITOR, label="基准 审计")
    await store.close()
    await pool.close()

    def body(client: int, n: int) -> bytes:
        lesson = {
            "community_id": str(county.community_id),
            "kind": "sending_lessons",
            "title": f"送教下乡 并发 {client}-{n}",
            "host_school_id": str(lead),
            "participating_school_ids": [str(partners[n % len(partners)])],
            "held_on": today.isoformat(),
        }
        return post("/v1/activities", county.tokens["admin"], msgspec.json.encode(lesson))

    return World(
        county.tokens["supervisor"],
        county.tokens["admin"],
        auditor.secret,
        county.community_id,
        body,
    )


async def _big_county(pool: asyncpg.Pool, store: EventStore) -> UUID:
    async with pool.acquire() as conn, conn.transaction():
        tenant = await create_tenant(conn, "五万事件县")
    context = WriteContext(tenant_id=tenant, actor_id=tenant, role="admin")

    async def writer(w: int) -> None:
        counter = Counter(id=uuid4(), name=f"stream {w}")
        for _ in range(VERIFY_EVENTS // 50 // 10):
            for _ in range(10):
                counter.count()
            await store.save(counter, context)

    await asyncio.gather(*(writer(w) for w in range(50)))
    return tenant


async def store_rate(owner_url: str, events: int) -> float:
    bench = Bench(owner_url, events)
    await bench.setup()
    try:
        return await bench.store_commands(1)
    finally:
        await bench.pool.close()


async def measure(
    port: int, ceiling_port: int, world: World, seconds: float, owner_url: str
) -> dict[str, Any]:
    """Every figure; before each load of ours the background work has caught up (`settle`)."""
    page = f"/v1/activities?limit=50&community={world.community_id}"
    counts = f"/v1/dashboards/activity-counts?community={world.community_id}"

    def dashboard_request(*_: int) -> bytes:
        return get(counts, world.supervisor)

    ceiling = await load(ceiling_port, lambda *_: get("/page"), seconds)
    await settle(owner_url)
    dashboard = await load(port, dashboard_request, seconds)
    top_open, ours = await latency_curve(
        (ceiling_port, lambda *_: get("/page")), (port, dashboard_request), ceiling.rps, seconds
    )
    ours_open = ours[OPEN_SHARES[-1]]
    listing = await load(port, lambda *_: get(page, world.supervisor), seconds)
    posting = await load(port, world.post_body, seconds)
    await settle(owner_url)
    during = await during_verify(port, world, dashboard_request, seconds)
    opened = (top_open, *ours.values())
    return {
        "ceiling_rps": ceiling.rps,
        "dashboard_rps": dashboard.rps,
        "dashboard_p99_ms": ours_open.p99_ms,
        "list_rps": listing.rps,
        "post_rps": posting.rps,
        "dashboard_p99_idle_ms": dashboard.p99_ms,
        "dashboard_p99_during_verify_ms": during.p99_ms,
        "open_rps": ours_open.offered_rps,
        "dashboard_open_rps": ours_open.achieved_rps,
        "dashboard_open_p50_ms": ours_open.p50_ms,
        "ceiling_open_p99_ms": top_open.p99_ms,
        **{f"dashboard_p99_at_{share}pct_ms": ours[share].p99_ms for share in OPEN_SHARES},
        "errors": sum(f.errors for f in (ceiling, dashboard, listing, posting, during))
        + sum(f.errors for f in opened),
    }


async def during_verify(
    port: int, world: World, request: Callable[[int, int], bytes], seconds: float
) -> Load:
    """The dashboard's closed loop while an auditor loops verify on the 50,000-event county."""
    verifying = asyncio.Event()

    async def auditor() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while not verifying.is_set():
            writer.write(get("/v1/audit/verify", world.auditor_of_big))
            await _answer(reader)
        writer.close()

    looping = asyncio.create_task(auditor())
    during = await load(port, request, seconds)
    verifying.set()
    await looping
    return during


async def run(
    events: int,
    seconds: float,
    server_url: str,
    *,
    apart: bool,
    processes: int,
    observability: bool = False,
) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        started = time.perf_counter()
        world = await seed(owner_url, events)
        print(f"seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        store_rps = await store_rate(owner_url, events)
        with tempfile.TemporaryDirectory(prefix="jgt-http-") as folder:
            env = {**os.environ, "DATABASE_URL": owner_url, "JGT_PORT": "0"}
            env.update(
                JGT_DATA_DIR=folder, JGT_LOG_LEVEL="warning", JGT_WEB_PROCESSES=str(processes)
            )
            if observability:  # a second phase of its own: ops/bench/http_observe.py
                from ops.bench.http_observe import compare  # noqa: PLC0415

                env["JGT_WEB_PROCESSES"] = "1"  # one process each: its CPU time is read by pid
                return await compare(env, Path(folder), world, seconds, rounds=5)
            page = Path(folder) / "page.json"
            work = background(env, apart=apart)
            with process(["-m", "service", "serve"], env) as port, work:
                first = get(
                    f"/v1/activities?limit=50&community={world.community_id}", world.supervisor
                )
                page.write_bytes(await fetch(port, first))
                ceiling = ["--serve-ceiling", str(page), "--processes", str(processes)]
                with process(["-m", "ops.bench.http", *ceiling], env) as top:
                    figures = await measure(port, top, world, seconds, owner_url)
        return {**figures, "store_rps": store_rps, "worker_apart": apart, "processes": processes}
    finally:
        await drop_database(server_url, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000, help="actions of the county")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each load")
    parser.add_argument("--json", action="store_true", help="print one JSON object, last line")
    parser.add_argument("--worker", action="store_true", help="background work in a jgt worker")
    parser.add_argument("--processes", type=int, default=1, help="web processes, ceiling's too")
    parser.add_argument(
        "--observability",
        action="store_true",
        help="instead: dashboard and list with metrics + access log on beside off",
    )
    parser.add_argument("--serve-ceiling", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ceiling-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_ceiling:
        serve_ceiling(args.serve_ceiling, processes=args.processes, port=args.ceiling_port)
        return
    with server() as server_url:
        run_ = run(
            args.events,
            args.seconds,
            server_url,
            apart=args.worker,
            processes=args.processes,
            observability=args.observability,
        )
        figures = asyncio.run(run_)
    if args.observability:
        from ops.bench.http_observe import report as observed  # noqa: PLC0415

        print(observed(figures))
    else:
        print(report(figures))
    if args.json:
        print(msgspec.json.encode(figures).decode())


if __name__ == "__main__":
    main()
