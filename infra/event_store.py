"""The event store on asyncpg: atomic appends with version checks, idempotency, chain, outbox.

Concurrent commands of one tenant share a transaction (group commit): whatever is waiting
while the tenant's previous batch is in flight goes in the next call of `jgt_append`, each
command still checked on its own and answered on its own.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import msgspec
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from infra.codec import EventMapper, schema_version_of
from infra.db import set_tenant

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import asyncpg
    from eventsourcing.domain import Aggregate

    from infra.db import Connection

A = TypeVar("A", bound="Aggregate")

MAX_BATCH = 64
PAGE = 1000
_APPENDED, _CONFLICT, _DUPLICATE, _KEY_REUSED, _UNKNOWN_TENANT = 0, 1, 2, 3, 4


class StreamConflictError(Exception):
    """The stream moved on since the writer read it: reload and decide again."""

    def __init__(self, stream_id: UUID, expected: int, actual: int) -> None:
        super().__init__(f"stream {stream_id} is at version {actual}, not {expected}")
        self.stream_id, self.expected, self.actual = stream_id, expected, actual


class IdempotencyKeyReusedError(Exception):
    """The idempotency key was first used for a different command."""

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} was already used for a different request")
        self.key = key


class AggregateNotFoundError(Exception):
    def __init__(self, stream_id: UUID) -> None:
        super().__init__(f"no stream {stream_id}")
        self.stream_id = stream_id


class UnknownTenantError(Exception):
    def __init__(self, tenant_id: UUID) -> None:
        super().__init__(f"no tenant {tenant_id}")
        self.tenant_id = tenant_id


@dataclass(frozen=True, kw_only=True)
class WriteContext:
    """Who writes, and what makes a retry of the same command recognisable."""

    tenant_id: UUID
    actor_id: UUID
    role: str
    request_id: str | None = None
    idempotency_key: str | None = None
    fingerprint: bytes = b""
    causation: str | None = None

    def metadata(self) -> bytes:
        return msgspec.json.encode(
            {
                "actor": str(self.actor_id),
                "role": self.role,
                "request_id": self.request_id,
                "idempotency_key": self.idempotency_key,
                "causation": self.causation,
            }
        )


@dataclass(frozen=True)
class OutboxMessage:
    """Work for a worker, written in the same transaction as the events that cause it."""

    job: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Appended:
    stream_id: UUID
    first_version: int
    last_version: int
    first_seq: int
    last_seq: int
    recorded_at: datetime
    duplicate: bool = False


@dataclass(frozen=True)
class NewEvent:
    event_type: str
    schema_version: int
    payload: bytes


@dataclass(frozen=True)
class AppendRequest:
    stream_id: UUID
    stream_type: str
    expected_version: int
    events: Sequence[NewEvent]
    context: WriteContext
    outbox: Sequence[OutboxMessage] = ()


@dataclass(frozen=True)
class Position:
    """A place in the whole log (all tenants): commit order, then insertion order."""

    tx_id: int = 0
    global_position: int = 0


class RecordedEvent(msgspec.Struct, frozen=True, gc=False):
    """An event as stored, with its envelope.

    Not tracked by the garbage collector: it holds only atomic values, and readers hold many
    thousands of them at once.
    """

    tenant_id: UUID
    tenant_seq: int
    global_position: int
    tx_id: int
    stream_id: UUID
    stream_type: str
    version: int
    event_type: str
    schema_version: int
    payload: bytes
    metadata: bytes
    recorded_at: datetime
    prev_hash: bytes
    hash: bytes

    @property
    def position(self) -> Position:
        return Position(self.tx_id, self.global_position)

    def stored(self) -> StoredEvent:
        return StoredEvent(self.stream_id, self.version, self.event_type, self.payload)


# In the order of RecordedEvent's fields.
EVENT_COLUMNS = """tenant_id, tenant_seq, global_position, tx_id, stream_id, stream_type, version,
    event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash"""


def recorded_event(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(*row)


@dataclass
class _Pending:
    request: AppendRequest
    future: asyncio.Future[Appended]


@dataclass
class _Lane:
    """Commands waiting to be sent; one batch of a lane is in flight at a time."""

    pending: list[_Pending] = field(default_factory=list)
    draining: bool = False


class EventStore:
    """Streams of events per tenant. `pool` is the request path's (one tenant per transaction).

    Tenants are spread over `lanes`; each lane sends whatever commands are waiting, up to
    MAX_BATCH, in one transaction while its previous batch is in flight. More lanes mean more
    transactions in parallel, fewer mean larger batches (less work per command).
    """

    def __init__(
        self, pool: asyncpg.Pool, mapper: EventMapper | None = None, lanes: int = 4
    ) -> None:
        self.pool = pool
        self.mapper = mapper or EventMapper()
        self._lanes = [_Lane() for _ in range(max(1, lanes))]
        self._drains: set[asyncio.Task[None]] = set()
        self._listeners: list[Callable[[UUID], None]] = []

    def on_append(self, listener: Callable[[UUID], None]) -> None:
        """Calls `listener(tenant_id)` after each batch that appended events (a wake-up hint)."""
        self._listeners.append(listener)

    # Writing

    async def save(
        self, aggregate: Aggregate, ctx: WriteContext, outbox: Sequence[OutboxMessage] = ()
    ) -> Appended:
        """Appends the aggregate's pending events if its stream is still where it was loaded."""
        pending = aggregate.collect_events()
        if not pending:
            raise ValueError(f"{type(aggregate).__name__} {aggregate.id} has no new events")
        events = []
        for domain_event in pending:
            stored = self.mapper.to_stored_event(domain_event)
            events.append(NewEvent(stored.topic, schema_version_of(domain_event), stored.state))
        request = AppendRequest(
            stream_id=aggregate.id,
            stream_type=get_topic(type(aggregate)),
            expected_version=pending[0].originator_version - 1,
            events=events,
            context=ctx,
            outbox=outbox,
        )
        return await self.append(request)

    async def append(self, request: AppendRequest) -> Appended:
        """Appends one command's events at the expected version, or raises.

        Raises StreamConflictError when the stream is not at `expected_version`, and
        IdempotencyKeyReusedError when the key belongs to a different command. A repeat of a
        command (same key, same fingerprint) appends nothing and returns the first result.
        """
        if not request.events:
            raise ValueError("an append needs at least one event")
        future: asyncio.Future[Appended] = asyncio.get_running_loop().create_future()
        lane = self._lanes[request.context.tenant_id.int % len(self._lanes)]
        lane.pending.append(_Pending(request, future))
        if not lane.draining:
            self._start_drain(lane)
        return await future

    async def close(self) -> None:
        """Waits for batches in flight."""
        while self._drains:
            await asyncio.gather(*self._drains, return_exceptions=True)

    def _start_drain(self, lane: _Lane) -> None:
        lane.draining = True
        task = asyncio.create_task(self._drain(lane))
        self._drains.add(task)
        task.add_done_callback(self._drains.discard)

    async def _drain(self, lane: _Lane) -> None:
        try:
            while lane.pending:
                batch = lane.pending[:MAX_BATCH]
                del lane.pending[:MAX_BATCH]
                # Sorted by tenant: heads are locked in one order by every batch (no deadlock);
                # the sort is stable, so a tenant's commands keep their order.
                batch.sort(key=lambda item: item.request.context.tenant_id.bytes)
                try:
                    rows = await self._append_batch([item.request for item in batch])
                except Exception as error:  # noqa: BLE001 - every waiter gets the failure
                    for item in batch:
                        if not item.future.done():
                            item.future.set_exception(error)
                    continue
                appended: set[UUID] = set()
                for item, row in zip(batch, rows, strict=True):
                    if row["status"] == _APPENDED:
                        appended.add(item.request.context.tenant_id)
                    _answer(item, row)
                for tenant_id in appended:
                    for listener in self._listeners:
                        listener(tenant_id)
        finally:
            lane.draining = False
            if lane.pending:  # arrived while the last batch was being answered
                self._start_drain(lane)

    async def _append_batch(self, requests: list[AppendRequest]) -> list[asyncpg.Record]:
        events = [event for request in requests for event in request.events]
        outbox = [message for request in requests for message in request.outbox]
        async with self.pool.acquire() as conn:
            rows: list[asyncpg.Record] = await conn.fetch(
                "select * from jgt_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
                " $13, $14::jsonb[])",
                [r.context.tenant_id for r in requests],
                [r.stream_id for r in requests],
                [r.stream_type for r in requests],
                [r.expected_version for r in requests],
                [r.context.idempotency_key for r in requests],
                [r.context.fingerprint for r in requests],
                [len(r.events) for r in requests],
                [r.context.metadata() for r in requests],
                [len(r.outbox) for r in requests],
                [e.event_type for e in events],
                [e.schema_version for e in events],
                [e.payload for e in events],
                [message.job for message in outbox],
                [msgspec.json.encode(message.payload).decode() for message in outbox],
            )
        return rows

    # Reading

    async def find_idempotent(
        self, tenant_id: UUID, key: str, fingerprint: bytes
    ) -> Appended | None:
        """The first result of the command that used `key`, if any (raises if it differs)."""
        async with self.pool.acquire() as conn, conn.transaction():
            await set_tenant(conn, tenant_id)
            row = await conn.fetchrow(
                "select * from idempotency_keys where tenant_id = $1 and key = $2", tenant_id, key
            )
        if row is None:
            return None
        if row["fingerprint"] != fingerprint:
            raise IdempotencyKeyReusedError(key)
        return Appended(
            row["stream_id"],
            row["first_version"],
            row["last_version"],
            row["first_seq"],
            row["last_seq"],
            row["recorded_at"],
            duplicate=True,
        )

    async def read_stream(
        self,
        tenant_id: UUID,
        stream_id: UUID,
        *,
        to_version: int | None = None,
        conn: Connection | None = None,
    ) -> list[RecordedEvent]:
        """A stream's events; on `conn` (a transaction with the tenant set) when given."""
        if conn is not None:
            return await _read_stream(conn, tenant_id, stream_id, to_version)
        async with self.pool.acquire() as own, own.transaction():
            await set_tenant(own, tenant_id)
            return await _read_stream(own, tenant_id, stream_id, to_version)

    async def get(
        self,
        cls: type[A],
        tenant_id: UUID,
        stream_id: UUID,
        *,
        expected_version: int | None = None,
        version: int | None = None,
        conn: Connection | None = None,
    ) -> A:
        """The aggregate rebuilt from its events (up to `version` when given).

        With `expected_version`, a stream that has moved on raises StreamConflictError at once
        rather than at save time.
        """
        recorded = await self.read_stream(tenant_id, stream_id, to_version=version, conn=conn)
        if not recorded:
            raise AggregateNotFoundError(stream_id)
        aggregate: Any = None
        for event in recorded:
            aggregate = self.decode(event).mutate(aggregate)
        if not isinstance(aggregate, cls):
            raise AggregateNotFoundError(stream_id)
        if expected_version is not None and aggregate.version != expected_version:
            raise StreamConflictError(stream_id, expected_version, aggregate.version)
        return aggregate

    def decode(self, event: RecordedEvent) -> Any:  # noqa: ANN401 - any event class
        """The domain event of a recorded event."""
        return self.mapper.decode(event.event_type, event.payload, event.stream_id, event.version)


async def _read_stream(
    conn: Connection, tenant_id: UUID, stream_id: UUID, to_version: int | None
) -> list[RecordedEvent]:
    rows = await conn.fetch(
        f"select {EVENT_COLUMNS} from events where tenant_id = $1 and stream_id = $2"  # noqa: S608
        " and ($3::integer is null or version <= $3) order by version",
        tenant_id,
        stream_id,
        to_version,
    )
    return [recorded_event(row) for row in rows]


async def read_tenant(
    conn: Connection, tenant_id: UUID, after_seq: int = 0, limit: int = 1000
) -> list[RecordedEvent]:
    """One tenant's log in chain order, on a connection whose transaction has the tenant set.

    Appends within a tenant commit in tenant_seq order (the head row lock), so a reader
    that resumes after the last seq it saw never skips one.
    """
    rows = await conn.fetch(
        f"select {EVENT_COLUMNS} from events where tenant_id = $1 and tenant_seq > $2"  # noqa: S608
        " order by tenant_seq limit $3",
        tenant_id,
        after_seq,
        limit,
    )
    return [recorded_event(row) for row in rows]


async def read_all(conn: Connection, after: Position, limit: int = PAGE) -> list[RecordedEvent]:
    """Every tenant's events after `after`, in an order that never skips a late commit.

    Sequences commit out of order; only events of transactions older than every transaction
    still running (the snapshot's xmin) are returned, so a later read cannot find an event
    that sorts before what was already read. Needs the system role's connection. Pages much
    larger than PAGE make the planner sort instead of walking the index.
    """
    rows = await conn.fetch(
        f"select {EVENT_COLUMNS} from events"  # noqa: S608
        " where (tx_id, global_position) > ($1::xid8, $2::bigint)"
        " and tx_id < pg_snapshot_xmin(pg_current_snapshot())"
        " order by tx_id, global_position limit $3",
        after.tx_id,
        after.global_position,
        limit,
    )
    return [recorded_event(row) for row in rows]


def _answer(item: _Pending, row: asyncpg.Record) -> None:
    if item.future.done():
        return
    request = item.request
    status = row["status"]
    if status == _CONFLICT:
        item.future.set_exception(
            StreamConflictError(request.stream_id, request.expected_version, row["current_version"])
        )
    elif status == _KEY_REUSED:
        item.future.set_exception(IdempotencyKeyReusedError(request.context.idempotency_key or ""))
    elif status == _UNKNOWN_TENANT:
        item.future.set_exception(UnknownTenantError(request.context.tenant_id))
    else:
        item.future.set_result(
            Appended(
                row["stream_id"],
                row["first_version"],
                row["last_version"],
                row["first_seq"],
                row["last_seq"],
                row["recorded_at"],
                duplicate=status == _DUPLICATE,
            )
        )
