"""What goes into the store and what comes out: commands' events, results, recorded events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import StoredEvent

if TYPE_CHECKING:
    from collections.abc import Sequence

    import asyncpg


@dataclass(frozen=True, kw_only=True)
class WriteContext:
    """Who writes, and what makes a retry of the same command recognisable.

    `actor_id` is the token; `user_id` the person it was issued to (None for a token of before).
    """

    tenant_id: UUID
    actor_id: UUID
    role: str
    user_id: UUID | None = None
    request_id: str | None = None
    idempotency_key: str | None = None
    fingerprint: bytes = b""
    causation: str | None = None

    def metadata(self) -> bytes:
        return msgspec.json.encode(
            {
                "actor": str(self.actor_id),
                "user": None if self.user_id is None else str(self.user_id),
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

    @classmethod
    def of(cls, row: asyncpg.Record, *, duplicate: bool) -> Appended:
        """From a row of `jgt_append` or `idempotency_keys` (the same column names)."""
        return cls(
            row["stream_id"],
            row["first_version"],
            row["last_version"],
            row["first_seq"],
            row["last_seq"],
            row["recorded_at"],
            duplicate=duplicate,
        )


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
