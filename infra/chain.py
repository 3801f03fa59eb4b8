"""Each tenant's hash chain: the canonical encoding of an event, and verification."""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from infra.db import set_tenant
from infra.event_store import read_tenant

if TYPE_CHECKING:
    from uuid import UUID

    from infra.db import Connection
    from infra.event_store import RecordedEvent

GENESIS = bytes(32)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _sized(data: bytes) -> bytes:
    return struct.pack(">i", len(data)) + data


def event_hash(event: RecordedEvent, prev_hash: bytes) -> bytes:
    """SHA-256 over the event's content and the previous hash, as `jgt_append` computes it."""
    micros = (event.recorded_at - _EPOCH) // _MICROSECOND
    return hashlib.sha256(
        event.tenant_id.bytes
        + struct.pack(">q", event.tenant_seq)
        + event.stream_id.bytes
        + struct.pack(">i", event.version)
        + _sized(event.stream_type.encode())
        + _sized(event.event_type.encode())
        + struct.pack(">i", event.schema_version)
        + _sized(event.payload)
        + _sized(event.metadata)
        + struct.pack(">q", micros)
        + prev_hash
    ).digest()


@dataclass(frozen=True)
class ChainReport:
    """The outcome of `verify`: intact, or the first event that does not match and why."""

    tenant_id: UUID
    events_checked: int
    head_seq: int
    head_hash: bytes
    first_bad_seq: int | None = None
    first_bad_stream_id: UUID | None = None
    first_bad_version: int | None = None
    problem: str | None = None  # in English, for logs and the command line
    problem_code: str | None = None  # altered | missing | relinked | head_mismatch

    @property
    def intact(self) -> bool:
        return self.problem is None


async def verify(conn: Connection, tenant_id: UUID, batch: int = 5000) -> ChainReport:
    """Recomputes the tenant's chain from the first event and names the first that fails.

    Catches an altered event (its hash no longer matches its content), a removed or reordered
    one (a gap in tenant_seq, or prev_hash not the hash before it), and a cut-off tail (the
    head row says more than the log holds).
    """
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        await set_tenant(conn, tenant_id)
        head = await conn.fetchrow(
            "select last_seq, last_hash from tenant_heads where tenant_id = $1", tenant_id
        )
        if head is None:
            raise LookupError(f"no tenant {tenant_id}")
        prev_hash, expected_seq, checked = GENESIS, 1, 0
        after = 0
        while True:
            events = await read_tenant(conn, tenant_id, after, batch)
            for event in events:
                found = _check(event, expected_seq, prev_hash)
                if found:
                    return ChainReport(
                        tenant_id,
                        checked,
                        head["last_seq"],
                        head["last_hash"],
                        event.tenant_seq,
                        event.stream_id,
                        event.version,
                        problem=found[1],
                        problem_code=found[0],
                    )
                prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
                after = event.tenant_seq
            if len(events) < batch:
                break
        if head["last_seq"] == checked and head["last_hash"] == prev_hash:
            return ChainReport(tenant_id, checked, head["last_seq"], head["last_hash"])
        return ChainReport(
            tenant_id,
            checked,
            head["last_seq"],
            head["last_hash"],
            first_bad_seq=checked + 1,
            problem=f"the head says {head['last_seq']} events, the log holds {checked} that chain",
            problem_code="head_mismatch",
        )


def _check(event: RecordedEvent, expected_seq: int, prev_hash: bytes) -> tuple[str, str] | None:
    """(code, explanation) of the first thing wrong with `event`, if any."""
    if event.tenant_seq != expected_seq:
        return "missing", f"event {expected_seq} is missing (the next one is {event.tenant_seq})"
    if event.prev_hash != prev_hash:
        return "relinked", "its previous hash is not the hash of the event before it"
    if event_hash(event, prev_hash) != event.hash:
        return "altered", "its content does not match its hash: it was altered after recording"
    return None
