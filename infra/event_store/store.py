"""The event store on asyncpg: atomic appends with version checks, idempotency, chain, outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from eventsourcing.utils import get_topic

from infra.codec import EventMapper, schema_version_of
from infra.db import tenant_reading
from infra.event_store.errors import (
    AggregateNotFoundError,
    IdempotencyKeyReusedError,
    StreamConflictError,
)
from infra.event_store.group_commit import GroupCommit
from infra.event_store.group_read import GroupRead
from infra.event_store.records import (
    EVENT_COLUMNS,
    Appended,
    AppendRequest,
    NewEvent,
    Position,
    RecordedEvent,
    recorded_event,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from uuid import UUID

    import asyncpg
    from eventsourcing.domain import Aggregate

    from infra.db import Connection
    from infra.event_store.records import OutboxMessage, WriteContext

A = TypeVar("A", bound="Aggregate")

PAGE = 1000


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
        self.group_commit = GroupCommit(pool, lanes)
        self.group_read = GroupRead(pool)

    def on_append(self, listener: Callable[[UUID], None]) -> None:
        """Calls `listener(tenant_id)` after each batch that appended events (a wake-up hint)."""
        self.group_commit.listeners.append(listener)

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
        return await self.group_commit.append(request)

    async def close(self) -> None:
        """Waits for batches and reads in flight."""
        await self.group_commit.close()
        await self.group_read.close()

    # Reading

    async def find_idempotent(
        self, tenant_id: UUID, key: str, fingerprint: bytes
    ) -> Appended | None:
        """The first result of the command that used `key`, if any (raises if it differs)."""
        async with tenant_reading(self.pool, tenant_id) as conn:
            row = await conn.fetchrow(
                "select * from idempotency_keys where tenant_id = $1 and key = $2", tenant_id, key
            )
        if row is None:
            return None
        if row["fingerprint"] != fingerprint:
            raise IdempotencyKeyReusedError(key)
        return Appended.of(row, duplicate=True)

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
        if to_version is None:  # a command's load: with the county's others that wait
            return await self.group_read.read(tenant_id, stream_id)
        async with tenant_reading(self.pool, tenant_id) as own:
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

    async def all_of(self, cls: type[A], tenant_id: UUID, *, conn: Connection) -> list[A]:
        """Every aggregate of `cls` the county has, oldest first (rule sets, assessments).

        One stream read each: for the few streams a county has of such a kind, until they get
        a read model of their own.
        """
        ids = await stream_ids_of_type(conn, tenant_id, get_topic(cls))
        return [await self.get(cls, tenant_id, i, conn=conn) for i in ids]

    async def streams_naming(
        self, cls: type[Aggregate], tenant_id: UUID, value: UUID, *, conn: Connection | None = None
    ) -> list[UUID]:
        """The streams of `cls` whose events name `value` (a person's assignments).

        A scan of the county's events of that type for the id's text, exact the moment an
        append commits (a read model could trail it); the caller checks what each one says.
        """
        sql = (
            "select distinct stream_id from events where tenant_id = $1 and stream_type = $2"
            " and position($3::bytea in payload) > 0"
        )
        args = (tenant_id, get_topic(cls), str(value).encode())
        if conn is not None:
            return [row["stream_id"] for row in await conn.fetch(sql, *args)]
        async with tenant_reading(self.pool, tenant_id) as own:
            return [row["stream_id"] for row in await own.fetch(sql, *args)]

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


async def stream_ids_of_type(conn: Connection, tenant_id: UUID, stream_type: str) -> list[UUID]:
    """The county's streams of one aggregate type, oldest first, on a tenant transaction.

    For the few streams a county has of a kind (its rule-set versions) until they get a read
    model of their own.
    """
    rows = await conn.fetch(
        "select stream_id from events where tenant_id = $1 and stream_type = $2 and version = 1"
        " order by tenant_seq",
        tenant_id,
        stream_type,
    )
    return [row["stream_id"] for row in rows]
