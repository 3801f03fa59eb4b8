"""Keeps the projections' tables current: folds each county's new events, checkpoint alongside.

Each county is folded in its own transactions on the system role, with the county set: the
rows an event changes and the checkpoint that says it was applied commit together, so a runner
killed at any point resumes with nothing lost and nothing applied twice. Runners in several
processes share the work: a county whose checkpoints another runner holds is skipped.

A county whose event cannot be folded is parked: the events before it are folded, the event's
position and the error are written to `projection_parked` with the checkpoint, and the county
is tried again with a growing delay; the other counties go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

import asyncpg
from eventsourcing.utils import TopicError, resolve_topic

from infra.backoff import Outage
from infra.codec import EventMapper
from infra.db import set_tenant
from infra.event_store import read_tenant
from projections.assessment.compliance_table import ComplianceJudge
from projections.base import Keyed
from projections.checkpoints import (
    announce,
    lock_checkpoints,
    move_checkpoints,
    moved,
    park,
    unpark,
)
from projections.collection import no_collection
from projections.judge_process import JudgeProcess
from projections.read_models import PROJECTIONS
from projections.tables import add_to_tally, clear, load_keyed, load_rows, save_keyed, save_rows

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from uuid import UUID

    from infra.db import Connection
    from infra.event_store import RecordedEvent
    from projections.base import Projection, ReadModel

log = logging.getLogger(__name__)

# The database itself is away: every county would fail alike, so the whole round waits.
_UNREACHABLE = (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError)
BATCH = 4000  # a county far behind catches up in few transactions (a fifth of a second each)
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


class FoldError(Exception):
    """The county's event at `position` (its tenant_seq) could not be folded."""

    def __init__(self, position: int, error: Exception) -> None:
        super().__init__(f"event {position}: {type(error).__name__}: {_first_line(error)}")
        self.position = position
        self.error = error


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else ""


class ProjectionRunner:
    """Folds every county's events into `projections`' tables, on the system role's pool."""

    def __init__(
        self,
        system_pool: asyncpg.Pool,
        projections: Sequence[ReadModel] = PROJECTIONS,
        *,
        mapper: EventMapper | None = None,
        batch: int = BATCH,
        poll_seconds: float = 0.5,
        max_backoff_seconds: float = 30.0,
        timezone: str = "Asia/Shanghai",
        compliance: bool | None = None,
        judge_url: str | None = None,
    ) -> None:
        """`compliance` (default: with every read model) keeps the compliance table too.

        It is as known today in `timezone` (JGT_TIMEZONE). With `judge_url` (the system role's
        database URL) it is judged in a process of its own (`JudgeProcess`), on another core
        while this one folds the read models; a rebuild judges it here, in its transaction.
        """
        self._pool = system_pool
        self._projections = tuple(projections)
        judging = compliance if compliance is not None else projections is PROJECTIONS
        self.compliance = ComplianceJudge(timezone, mapper) if judging else None
        self.judge_process = (
            JudgeProcess(judge_url, timezone) if judging and judge_url is not None else None
        )
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
        # The compliance table reads the log, not the read models: it is judged alongside them,
        # its fold and judgement in Python while their rows are written by the database.
        judging = (
            None
            if self.compliance is None
            else asyncio.create_task(
                self.compliance.catch_up(self._pool, tenant_ids)
                if self.judge_process is None
                else self.judge_process.catch_up(tenant_ids)
            )
        )
        try:
            folded = await self._read_models(tenant_ids)
        except BaseException:
            if judging is not None:
                judging.cancel()
                await asyncio.gather(judging, return_exceptions=True)
            raise
        if judging is not None:
            folded += await judging
        return folded

    async def start(self) -> None:
        """Starts the judge's own process, if it has one, and waits until it is connected.

        `catch_up` starts it too; a runner started first catches up without waiting for it.
        """
        if self.judge_process is not None:
            await self.judge_process.start()

    def close(self) -> None:
        """Stops the judge's own process, if it has one (a judgement in progress rolls back)."""
        if self.judge_process is not None:
            self.judge_process.close()

    async def _read_models(self, tenant_ids: Collection[UUID]) -> int:
        async with self._pool.acquire() as conn:
            behind = [row["tenant_id"] for row in await conn.fetch(_BEHIND, self._names)]
        turn = [t for t in behind if (not tenant_ids or t in tenant_ids) and self._due(t)]
        folded = 0
        # A county's next batch, read and decoded while this one's rows are being written.
        ahead: dict[UUID, asyncio.Task[_Ahead]] = {}
        try:
            while turn:
                still_behind = []
                for tenant_id in turn:
                    try:
                        with no_collection():
                            count = await self._step(tenant_id, ahead)
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
        finally:
            for task in ahead.values():
                task.cancel()
            await asyncio.gather(*ahead.values(), return_exceptions=True)
        return folded

    async def step(self, tenant_id: UUID) -> int:
        """Folds up to one batch of a county's events in one transaction; returns how many.

        0 when the county is caught up or another runner holds it. When an event cannot be
        folded, the events before it are, the county is parked at it, and `FoldError` raised.
        """
        # The collector stays off for the batch, its reads and writes too: what it decodes and
        # folds lives until written, and each block's end scanned it again (a tenth of a
        # catch-up). Other tasks' cycles wait for it meanwhile: one batch, a fraction of a second.
        with no_collection():
            return await self._step(tenant_id)

    async def _step(
        self, tenant_id: UUID, ahead: dict[UUID, asyncio.Task[_Ahead]] | None = None
    ) -> int:
        # Taken before a connection is: reading ahead needs one of its own.
        read = await _taken(ahead.pop(tenant_id, None)) if ahead is not None else None
        async with self._pool.acquire() as conn, conn.transaction():
            await set_tenant(conn, tenant_id)
            checkpoints = await lock_checkpoints(conn, tenant_id, self._names, wait=False)
            if not checkpoints:
                return 0
            after = min(checkpoints.values())
            if read is None or read.after != after:  # another runner may have moved them
                read = _Ahead(after, await read_tenant(conn, tenant_id, after, self._batch), None)
            recorded = read.recorded
            if not recorded:
                return 0
            if ahead is not None and len(recorded) == self._batch:
                next_after = recorded[-1].tenant_seq
                ahead[tenant_id] = asyncio.create_task(self._read_ahead(tenant_id, next_after))
            chosen = [p for p in self._projections if p.name in checkpoints]
            folded, failure = await self._fold(
                conn, tenant_id, chosen, checkpoints, recorded, read.decoded
            )
            if folded:
                await move_checkpoints(conn, tenant_id, list(checkpoints), folded)
            if failure is None:
                await unpark(conn, tenant_id)
            else:
                await park(conn, tenant_id, failure.position, str(failure))
        if folded:
            moved(tenant_id)
        if failure is not None:
            raise failure
        return len(recorded)

    async def rebuild(self, tenant_id: UUID) -> int:
        """Folds a county's whole log again from zero, in one transaction; returns how many.

        Readers see the old rows until the new ones commit; other counties are not touched.
        An event that cannot be folded leaves the old rows as they were, parks the county at
        it, and raises `FoldError`.
        """
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                await set_tenant(conn, tenant_id)
                await lock_checkpoints(conn, tenant_id, self._names, wait=True)
                await clear(conn, tenant_id, self._projections)
                after = 0
                start = dict.fromkeys(self._names, 0)
                while recorded := await read_tenant(conn, tenant_id, after, limit=REBUILD_PAGE):
                    _, failure = await self._fold(
                        conn, tenant_id, self._projections, start, recorded
                    )
                    if failure is not None:
                        raise failure
                    after = recorded[-1].tenant_seq
                if self.compliance is not None:
                    await self.compliance.rebuild(conn, tenant_id)
                await conn.execute(
                    "update projection_checkpoints"
                    " set last_seq = $3, updated_at = clock_timestamp()"
                    " where tenant_id = $1 and projection = any($2)",
                    tenant_id,
                    self._names,
                    after,
                )
                await announce(conn, tenant_id, after)  # new rows, perhaps the same position
                await unpark(conn, tenant_id)
        except FoldError as failure:
            async with self._pool.acquire() as conn, conn.transaction():
                await set_tenant(conn, tenant_id)
                await park(conn, tenant_id, failure.position, str(failure))
            raise
        moved(tenant_id)
        self._held_back.pop(tenant_id, None)
        return after

    async def _read_ahead(self, tenant_id: UUID, after: int) -> _Ahead:
        """A county's batch after `after`, read and decoded (events are never edited)."""
        async with self._pool.acquire() as conn, conn.transaction():
            await set_tenant(conn, tenant_id)
            recorded = await read_tenant(conn, tenant_id, after, self._batch)
        with no_collection():
            return _Ahead(after, recorded, self._decoded(recorded, self._projections))

    async def _fold(  # noqa: PLR0917 - the batch, and what it was decoded to if it was
        self,
        conn: Connection,
        tenant_id: UUID,
        projections: Sequence[ReadModel],
        checkpoints: dict[str, int],
        recorded: Sequence[RecordedEvent],
        decoded: _Decoded | None = None,
    ) -> tuple[int, FoldError | None]:
        """Applies `recorded`; returns the last position applied and what stopped it, if any.

        When the batch fails, it is applied again one event at a time (each in a savepoint) to
        find the event that cannot be folded: the ones before it stay applied.
        """
        try:
            async with conn.transaction():
                await self._apply(conn, tenant_id, projections, checkpoints, recorded, decoded)
        except _UNREACHABLE:
            raise
        except Exception:  # noqa: BLE001 - which event failed, and why, is found below
            log.debug("county %s: a batch did not fold; one event at a time now", tenant_id)
        else:
            return recorded[-1].tenant_seq, None
        folded = 0
        for event in recorded:
            try:
                async with conn.transaction():
                    await self._apply(conn, tenant_id, projections, checkpoints, [event])
            except _UNREACHABLE:
                raise
            except Exception as error:  # noqa: BLE001 - one county's bad event stops only it
                return folded, FoldError(event.tenant_seq, error)
            folded = event.tenant_seq
        return folded, None

    async def run_forever(self) -> None:
        """Catches up until cancelled: at once when woken, else every `poll_seconds`.

        Never raises: while the database is down it retries with a growing delay and logs
        once per outage. The judge's own process, if any, stops with it.
        """
        try:
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
        finally:
            self.close()

    async def _apply(  # noqa: PLR0917 - the batch, and what it was decoded to if it was
        self,
        conn: Connection,
        tenant_id: UUID,
        projections: Sequence[ReadModel],
        checkpoints: dict[str, int],
        recorded: Sequence[RecordedEvent],
        decoded: _Decoded | None = None,
    ) -> None:
        if decoded is None:
            decoded = self._decoded(recorded, projections)
        for projection in projections:
            after = checkpoints[projection.name]
            events = _events_after(decoded, projection.aggregates, after)
            if not events:
                continue
            if isinstance(projection, Keyed):
                await _apply_keyed(conn, tenant_id, projection, events)
            else:
                await _apply_rows(conn, tenant_id, projection, events)

    def _decoded(
        self, recorded: Sequence[RecordedEvent], projections: Sequence[ReadModel]
    ) -> _Decoded:
        """Each aggregate's events (those `projections` follow) decoded, in log order."""
        # By class, not by topic string: events stored before a class moved carry its old topic.
        aggregates = {event.stream_type: _aggregate_of(event.stream_type) for event in recorded}
        followed = frozenset().union(*(p.aggregates for p in projections))
        found: _Decoded = {}
        with no_collection():  # the batch's events stay until it is written: no rescans
            for event in recorded:
                aggregate = aggregates[event.stream_type]
                if aggregate in followed:
                    domain_event = self._mapper.decode(
                        event.event_type, event.payload, event.stream_id, event.version
                    )
                    found.setdefault(aggregate, []).append((event.tenant_seq, domain_event))
        return found

    def _due(self, tenant_id: UUID) -> bool:
        held = self._held_back.get(tenant_id)
        return held is None or held[0] <= time.monotonic()

    def _hold_back(self, tenant_id: UUID, error: Exception) -> None:
        _, delay = self._held_back.get(tenant_id, (0.0, 0.0))
        if delay == 0:
            log.error("projections of county %s stopped: %s", tenant_id, error, exc_info=error)
        delay = min(max(delay * 2, self._poll_seconds), self._max_backoff)
        self._held_back[tenant_id] = (time.monotonic() + delay, delay)


async def _apply_rows(
    conn: Connection, tenant_id: UUID, projection: Projection[Any], events: list[Any]
) -> None:
    stream_ids = {event.originator_id for event in events}
    before = await load_rows(conn, tenant_id, projection, stream_ids)
    with no_collection():
        after = projection.replay(events, before)
        changed = {stream_id: after.get(stream_id) for stream_id in stream_ids}
        changes = []
        for tally in projection.tallies:
            change: Counter[Any] = Counter()
            for stream_id, row in changed.items():
                tally.add_change(change, before.get(stream_id), row)
            changes.append((tally, change))
    await save_rows(conn, tenant_id, projection, changed, before.keys())
    for tally, change in changes:
        await add_to_tally(conn, tenant_id, tally, change)


async def _apply_keyed(
    conn: Connection, tenant_id: UUID, projection: Keyed[Any, Any], events: list[Any]
) -> None:
    """Loads the memory of the events' streams and the rows they change, folds, writes back."""
    streams = {
        m.name: {event.originator_id for event in events if m.follows(event)}
        for m in projection.memory
    }
    memory = {
        m.name: await load_rows(conn, tenant_id, m, streams[m.name]) for m in projection.memory
    }
    stored = {name: set(held) for name, held in memory.items()}  # the fold may change memory
    with no_collection():
        marked = projection.marked(events, memory)  # each step once: its keys, then its rows
        keys = set().union(*(m.keys for m in marked))
    rows = await load_keyed(conn, tenant_id, projection, keys)
    with no_collection():
        after = projection.fold(marked, rows)
    for m in projection.memory:
        remembered = memory.get(m.name, {})
        changed = {i: remembered.get(i) for i in streams[m.name]}
        await save_rows(conn, tenant_id, m, changed, stored[m.name])
    written = {key: after.get(key) for key in keys}
    await save_keyed(conn, tenant_id, projection, written, rows.keys())  # the fold copied rows


# Each aggregate's events of a batch, decoded: (position, domain event) in log order.
_Decoded = dict[object, list[tuple[int, Any]]]


class _Ahead(NamedTuple):
    """A county's batch read after `after`, and decoded (None: not yet)."""

    after: int
    recorded: list[RecordedEvent]
    decoded: _Decoded | None


async def _taken(task: asyncio.Task[_Ahead] | None) -> _Ahead | None:
    """What reading ahead found; None if nothing was read ahead or it failed (read again)."""
    if task is None:
        return None
    try:
        return await task
    except Exception:  # noqa: BLE001 - the step reads the batch itself, and meets any error
        return None


def _events_after(by_aggregate: _Decoded, follows: Collection[object], after: int) -> list[Any]:
    """The domain events of `follows` after position `after`, in log order."""
    lists = [found for aggregate in follows if (found := by_aggregate.get(aggregate))]
    if len(lists) > 1:
        merged = sorted((pair for found in lists for pair in found), key=itemgetter(0))
    elif lists:
        merged = lists[0]
    else:
        return []
    if merged[0][0] > after:  # the usual case: the batch starts after the checkpoint
        return [event for _, event in merged]
    return [event for seq, event in merged if seq > after]


def _aggregate_of(stream_type: str) -> object:
    """The class a stream's topic names (None if no class of ours): old topics resolve too."""
    try:
        return resolve_topic(stream_type)
    except TopicError:
        return None
