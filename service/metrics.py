"""`GET /metrics` (Prometheus text), for an operator's token or on a listener of its own.

A process serves what it counted itself (requests, appends, jobs, pools: see
`service/observe.py`, `infra/metrics.py`, `service/job_log.py`) and, read at the scrape, the
figures of the database that every process shares: projection lag, parked counties, the
outbox's backlog. Those are read within a short budget and left out when the database is slow;
`jgt_metrics_database_ok` says which.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

import asyncpg
from litestar import get
from litestar.response import Response
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from projections.status import projection_lag, statuses
from service.services import Services, Shared
from service.settings import metrics_host, metrics_port

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from prometheus_client.core import Metric

DATABASE_SECONDS = 0.5  # a scrape waits no longer for the database's figures
MEDIA_TYPE = CONTENT_TYPE_PLAIN_0_0_4
log = logging.getLogger("jgt.metrics")

_BACKLOG = """
    select count(*) as pending,
           coalesce(extract(epoch from clock_timestamp() - min(created_at)), 0)::float8 as oldest
    from outbox where done_at is null
"""


class _Figures:
    """One scrape's figures of the database, as a collector of their own registry."""

    def __init__(self, metrics: list[Metric]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        yield from self._metrics


def _gauge(name: str, help_text: str, value: float) -> Metric:
    gauge = GaugeMetricFamily(name, help_text)
    gauge.add_metric([], value)
    return gauge


async def _read_database(services: Services) -> list[Metric]:
    # The system role: it reads across counties, and keeps the request pool for requests.
    async with services.system_pool.acquire() as conn:
        lag = await projection_lag(conn)
        parked = [s for s in await statuses(conn, every_county=True) if s.parked is not None]
        pending, oldest = await conn.fetchrow(_BACKLOG) or (0, 0.0)
    positions = GaugeMetricFamily(
        "jgt_projection_parked_position",
        "The event a parked county's read models stop at (county id only).",
        labels=["tenant_id"],
    )
    for county in parked:
        assert county.parked is not None  # noqa: S101 - filtered above
        positions.add_metric([str(county.tenant_id)], county.parked.position)
    return [
        _gauge("jgt_projection_lag_events", "Events of all counties not yet folded.", lag),
        _gauge(
            "jgt_projection_parked_counties", "Counties whose read models are parked.", len(parked)
        ),
        positions,
        _gauge("jgt_outbox_pending_rows", "Outbox rows not yet finished by a job.", pending),
        _gauge(
            "jgt_outbox_oldest_pending_seconds",
            "Age of the oldest outbox row not yet finished (0 when none).",
            oldest,
        ),
    ]


# Reads given up on, still cleaning up (asyncpg waits for a cancelled query's cancel request).
_abandoned: set[asyncio.Task[Any]] = set()


async def database_figures(services: Services, budget: float = DATABASE_SECONDS) -> list[Metric]:
    """The shared figures, or only `jgt_metrics_database_ok 0` when not read within `budget`."""
    task = asyncio.ensure_future(_read_database(services))
    done, _ = await asyncio.wait({task}, timeout=budget)
    figures: list[Metric] = []
    if not done:
        task.cancel()
        _abandoned.add(task)
        task.add_done_callback(_abandoned.discard)
    else:
        with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            figures = task.result()
    ok = _gauge(
        "jgt_metrics_database_ok",
        "1 when this scrape read the database's figures.",
        1 if figures else 0,
    )
    return [ok, *figures]


async def exposition(services: Services) -> bytes:
    """The process's metrics, then the database's, in Prometheus's text format."""
    scrape = CollectorRegistry(auto_describe=False)
    scrape.register(_Figures(await database_figures(services)))
    return generate_latest(REGISTRY) + generate_latest(scrape)


@get(
    "/metrics",
    tags=["operations"],
    summary="Prometheus metrics",
    media_type=MEDIA_TYPE.removesuffix("; charset=utf-8"),  # the description says text, not JSON
)
async def metrics(services: Shared) -> Response[bytes]:
    """The process's counters (requests, appends, jobs, pools) and the database's figures.

    For a platform operator's token; no county's name or data, county ids only of parked ones.
    """
    # Litestar adds the charset itself.
    return Response(
        await exposition(services), media_type=MEDIA_TYPE.removesuffix("; charset=utf-8")
    )


@contextlib.asynccontextmanager
async def metrics_listener(services: Services, address: str) -> AsyncIterator[int]:
    """`GET /metrics` without a token on `address` (JGT_METRICS_ADDRESS); yields its port.

    For `jgt worker`, which has no HTTP API, and for scrapers on a private network: who can
    reach the address can read the metrics, so bind it where only they can.
    """

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(5):
                head = await reader.readuntil(b"\r\n\r\n")
                method, target, *_ = head.split(b" ", 2)
                if method == b"GET" and target.split(b"?")[0] == b"/metrics":
                    status, kind, body = "200 OK", MEDIA_TYPE, await exposition(services)
                else:
                    status, kind, body = "404 Not Found", "text/plain", b"only GET /metrics\n"
                writer.write(
                    f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}"
                    "\r\nConnection: close\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (
            TimeoutError,
            ValueError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ConnectionError,
        ):
            pass  # a client that sends nothing sensible gets nothing
        finally:
            writer.close()

    server = await asyncio.start_server(answer, metrics_host(address), metrics_port(address))
    port: int = server.sockets[0].getsockname()[1]
    log.info("metrics on http://%s:%d/metrics", metrics_host(address), port)
    try:
        yield port
    finally:
        server.close()
        await server.wait_closed()
