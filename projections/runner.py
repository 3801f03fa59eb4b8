"""Keeps the projections' tables current: folds each county's new events, checkpoint alongside.

Each county is folded in its own transactions on the system role, with the county set: the
rows an event changes and the checkpoint that says it was applied commit together, so a runner
killed at any point resumes with nothing lost and nothing applied twice. Runners in several
processes share the work: a county whose checkpoints another runner holds is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

import asyncpg
from eventsourcing.utils import TopicError, resolve_topic

from infra.backoff import Outage
from infra.codec import EventMapper
from infra.db import set_tenant
from infra.event_store import read_tenant
from projections.read_models import PROJECTIONS
from projections.tables import add_to_tally, clear, load_rows, save_rows

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from uuid import UUID

    from infra.db import Connection
    from infra.event_store import RecordedEvent
    from projections.base import Projection

log = logging.getLogger(__name__)

# The database itself is away: every county would fail alike, so the whole round waits.
_UNREACHABLE = (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError)
BATCH = 500
REBUILD_PAGE = 5000

_BEHIND = """
    select h.tenant_id
    from tenant_heads h
    cross join unnest($1::text[]) as p (name)
    left join projection_checkpoints c on c.tenant_id = h.tenant_id and c.projection = p.name
    where h.last_seq > coalesce(c.last_seq, 0)
    group by h.tenant_id
    order by h.tenant_id
"""


_LOCK = (
    "select projection, last_seq from projection_checkpoints"
    " where tenant_id = $1 and projection = any($2) order by projection for update"
)
_LOCK_WAITING, _LOCK_SKIPPING = _LOCK, _LOCK + " skip locked"


class ProjectionRunner:
    """Folds every county's events into `projections`' tables, on the system role's pool."""

    def __init__(
        self,
        system_pool: asyncpg.Pool,
        projections: Sequence[Projection[Any]] = PROJECTIONS,
        *,
        mapper: EventMapper | None = None,
        batch: int = BATCH,
        poll_seconds: float = 0.5,
        max_backoff_seconds: float = 30.0,
    ) -> None:
        self._pool = system_pool
        self._projections = tuple(projections)
        self._names = [p.name for p in self._projections]
        self._mapper = mapper or EventMapper()
        self._batch = batch
        self._poll_seconds = poll_seconds
        self._max_backoff = max_backoff_seconds
        self._woken = asyncio.Event()
        self._held_back: dict[UUID, tuple[float, float]] = {}  # county -> (retry at, delay)
        self._outage = Outage(
            log,
            "projection runner: the database",
            first_delay=poll_seconds,
            max_delay=max_backoff_seconds,
        )

    def wake(self, tenant_id: UUID | None = None) -> None:
        """A hint that events were appended (EventStore.on_append): the next round starts now."""
        del tenant_id
        self._woken.set()

    async def catch_up(self, tenant_ids: Collection[UUID] = ()) -> int:
        """Folds every county's events (or only `tenant_ids`'); returns how many it folded.

        Counties take turns a batch at a time, so one with a long backlog (a county moved in,
        a new projection) does not hold up the others. A county whose events fail to fold is
        logged and tried again later with a growing delay; the others go on. Raises only when
        the database fails.
        """
        async with self._pool.acquire() as conn:
            behind = [row["tenant_id"] for row in await conn.fetch(_BEHIND, self._names)]
        turn = [t for t in behind if (not tenant_ids or t in tenant_ids) and self._due(t)]
        folded = 0
        while turn:
            still_behind = []
            for tenant_id in turn:
                try:
                    count = await self.step(tenant_id)
                except _UNREACHABLE:
                    raise
                except Exception as error:  # noqa: BLE001 - one county's bad event stops only it
                    self._hold_back(tenant_id, error)
                    continue
                self._held_back.pop(tenant_id, None)
                folded += count
                if count == self._batch:
                    still_behind.append(tenant_id)
            turn = still_behind
        return folded

    async def step(self, tenant_id: UUID) -> int:
        """Folds up to one batch of a county's events in one transaction; returns how many.

        0 when the county is caught up or another runner holds it.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            await set_tenant(conn, tenant_id)
            checkpoints = await _lock_checkpoints(conn, tenant_id, self._names, wait=False)
            if not checkpoints:
                return 0
            recorded = await read_tenant(
                conn, tenant_id, min(checkpoints.values()), limit=self._batch
            )
            if not recorded:
                return 0
            chosen = [p for p in self._projections if p.name in checkpoints]
            await self._apply(conn, tenant_id, chosen, checkpoints, recorded)
            await _move_checkpoints(conn, tenant_id, list(checkpoints), recorded[-1].tenant_seq)
        return len(recorded)

    async def rebuild(self, tenant_id: UUID) -> int:
        """Folds a county's whole log again from zero, in one transaction; returns how many.

        Readers see the old rows until the new ones commit; other counties are not touched.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            await set_tenant(conn, tenant_id)
            await _lock_checkpoints(conn, tenant_id, self._names, wait=True)
            await clear(conn, tenant_id, self._projections)
            after = 0
            start = dict.fromkeys(self._names, 0)
            while recorded := await read_tenant(conn, tenant_id, after, limit=REBUILD_PAGE):
                await self._apply(conn, tenant_id, self._projections, start, recorded)
                after = recorded[-1].tenant_seq
            await conn.execute(
                "update projection_checkpoints set last_seq = $3, updated_at = clock_timestamp()"
                " where tenant_id = $1 and projection = any($2)",
                tenant_id,
                self._names,
                after,
            )
        return after

    async def run_forever(self) -> None:
        """Catches up until cancelled: at once when woken, else every `poll_seconds`.

        Never raises: while the database is down it retries with a growing delay and logs
        once per outage.
        """
        while True:
            self._woken.clear()
            try:
                await self.catch_up()
            except Exception as error:  # noqa: BLE001 - whatever failed, retry after a pause
                await asyncio.sleep(self._outage.failed(error))
                continue
            self._outage.recovered()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._woken.wait()

    async def _apply(
        self,
        conn: Connection,
        tenant_id: UUID,
        projections: Sequence[Projection[Any]],
        checkpoints: dict[str, int],
        recorded: Sequence[RecordedEvent],
    ) -> None:
        # By class, not by topic string: events stored before a class moved carry its old topic.
        aggregates = {event.stream_type: _aggregate_of(event.stream_type) for event in recorded}
        followed = {p.aggregate for p in projections}
        decoded = [
            (
                event,
                self._mapper.decode(
                    event.event_type, event.payload, event.stream_id, event.version
                ),
            )
            for event in recorded
            if aggregates[event.stream_type] in followed
        ]
        for projection in projections:
            events = [
                domain_event
                for event, domain_event in decoded
                if aggregates[event.stream_type] is projection.aggregate
                and event.tenant_seq > checkpoints[projection.name]
            ]
            if not events:
                continue
            stream_ids = {event.originator_id for event in events}
            before = await load_rows(conn, tenant_id, projection, stream_ids)
            after = projection.replay(events, before)
            changed = {stream_id: after.get(stream_id) for stream_id in stream_ids}
            await save_rows(conn, tenant_id, projection, changed)
            for tally in projection.tallies:
                change: Counter[Any] = Counter()
                for stream_id, row in changed.items():
                    change.update(tally.change(before.get(stream_id), row))
                await add_to_tally(conn, tenant_id, tally, change)

    def _due(self, tenant_id: UUID) -> bool:
        held = self._held_back.get(tenant_id)
        return held is None or held[0] <= time.monotonic()

    def _hold_back(self, tenant_id: UUID, error: Exception) -> None:
        _, delay = self._held_back.get(tenant_id, (0.0, 0.0))
        if delay == 0:
            log.error("projections of county %s stopped: %s", tenant_id, error, exc_info=error)
        delay = min(max(delay * 2, self._poll_seconds), self._max_backoff)
        self._held_back[tenant_id] = (time.monotonic() + delay, delay)


async def _lock_checkpoints(
    conn: Connection, tenant_id: UUID, names: list[str], *, wait: bool
) -> dict[str, int]:
    """The county's checkpoints of `names`, locked until the transaction ends.

    Without `wait`, checkpoints another runner holds are left out.
    """
    await conn.execute(
        "insert into projection_checkpoints (tenant_id, projection)"
        " select $1, name from unnest($2::text[]) as name on conflict do nothing",
        tenant_id,
        names,
    )
    rows = await conn.fetch(
        _LOCK_WAITING if wait else _LOCK_SKIPPING,
        tenant_id,
        names,
    )
    return {row["projection"]: row["last_seq"] for row in rows}


async def _move_checkpoints(conn: Connection, tenant_id: UUID, names: list[str], seq: int) -> None:
    await conn.execute(
        "update projection_checkpoints"
        " set last_seq = greatest(last_seq, $3), updated_at = clock_timestamp()"
        " where tenant_id = $1 and projection = any($2)",
        tenant_id,
        names,
        seq,
    )


def _aggregate_of(stream_type: str) -> object:
    """The class a stream's topic names (None if no class of ours): old topics resolve too."""
    try:
        return resolve_topic(stream_type)
    except TopicError:
        return None
