"""Each tenant's hash chain: the canonical encoding of an event, and verification."""

from __future__ import annotations

import asyncio
import hashlib
import struct
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

import msgspec

from infra.checkpoints import Checkpoint, list_checkpoints
from infra.db import set_tenant
from infra.signing import signature_holds

if TYPE_CHECKING:
    import asyncpg

    from infra.db import Connection

GENESIS = bytes(32)
_YIELD_EVERY = 50  # events hashed between two GIL hand-overs (about 0.2 ms of work)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class Hashed(Protocol):
    """What an event's hash covers besides its county and the previous hash."""

    @property
    def tenant_seq(self) -> int: ...
    @property
    def stream_id(self) -> UUID: ...
    @property
    def version(self) -> int: ...
    @property
    def stream_type(self) -> str: ...
    @property
    def event_type(self) -> str: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def payload(self) -> bytes: ...
    @property
    def metadata(self) -> bytes: ...
    @property
    def recorded_at(self) -> datetime: ...


class ChainLink(msgspec.Struct, frozen=True, gc=False):
    """The columns of an event that verify reads: what the hash covers, and the hashes."""

    tenant_seq: int
    stream_id: UUID
    version: int
    stream_type: str
    event_type: str
    schema_version: int
    payload: bytes
    metadata: bytes
    recorded_at: datetime
    prev_hash: bytes
    hash: bytes


_LINK_COLUMNS = ", ".join(ChainLink.__struct_fields__)


def _sized(data: bytes) -> bytes:
    return struct.pack(">i", len(data)) + data


def event_hash(tenant_id: UUID, event: Hashed, prev_hash: bytes) -> bytes:
    """SHA-256 over the event's content and the previous hash, as `jgt_append` computes it."""
    micros = (event.recorded_at - _EPOCH) // _MICROSECOND
    return hashlib.sha256(
        tenant_id.bytes
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
    # altered | missing | relinked | head_mismatch | truncated | rewritten | bad_signature
    problem_code: str | None = None
    checkpoints_checked: int = 0

    @property
    def intact(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        """One line in English, for the command line and logs."""
        if self.intact:
            return (
                f"chain intact: {self.events_checked} events, head {self.head_hash.hex()},"
                f" {self.checkpoints_checked} signed checkpoints match"
            )
        where = ""
        if self.first_bad_stream_id is not None:
            where = f" (stream {self.first_bad_stream_id} v{self.first_bad_version})"
        return (
            f"chain broken at event {self.first_bad_seq}{where} [{self.problem_code}]:"
            f" {self.problem}"
        )


@dataclass(frozen=True)
class _Finding:
    seq: int
    code: str
    problem: str
    link: ChainLink | None = None


@dataclass
class _Walk:
    """How far verify got. Pages are walked in a worker thread, off the event loop."""

    tenant_id: UUID
    signed: dict[int, Checkpoint]  # by the sequence each vouches for
    expected_seq: int = 1
    prev_hash: bytes = GENESIS
    checked: int = 0
    matched: list[Checkpoint] = field(default_factory=list)

    def walk(self, rows: list[asyncpg.Record]) -> _Finding | None:
        for row in rows:
            link = ChainLink(*row)
            found = self._check(link)
            if found is not None:
                return found
            self.prev_hash, self.expected_seq = link.hash, self.expected_seq + 1
            self.checked += 1
            if self.checked % _YIELD_EVERY == 0:
                # Small hashes keep the GIL: hand it to the event loop now rather than at the
                # interpreter's switch interval (5 ms), which would delay every request.
                time.sleep(0)
        return None

    def _check(self, link: ChainLink) -> _Finding | None:
        seq = link.tenant_seq
        if seq != self.expected_seq:
            problem = f"event {self.expected_seq} is missing (the next one is {seq})"
            return _Finding(seq, "missing", problem, link)
        if link.prev_hash != self.prev_hash:
            problem = "its previous hash is not the hash of the event before it"
            return _Finding(seq, "relinked", problem, link)
        if event_hash(self.tenant_id, link, self.prev_hash) != link.hash:
            problem = "its content does not match its hash: it was altered after recording"
            return _Finding(seq, "altered", problem, link)
        checkpoint = self.signed.get(seq)
        if checkpoint is None:
            return None
        if checkpoint.head_hash != link.hash:
            since = self.matched[-1].tenant_seq if self.matched else 0
            problem = (
                f"its hash is not the one signed at {checkpoint.signed_at.isoformat()}: the"
                f" chain was rewritten and re-hashed after event {since}, at or before this one"
            )
            return _Finding(seq, "rewritten", problem, link)
        self.matched.append(checkpoint)
        return None

    def cut_short(self) -> _Finding | None:
        """A checkpoint beyond the end of the log: its tail was removed."""
        beyond = [c for seq, c in self.signed.items() if seq > self.checked]
        if not beyond:
            return None
        last = max(beyond, key=lambda c: c.tenant_seq)
        problem = (
            f"the log ends at event {self.checked}, but {last.tenant_seq} events were signed at"
            f" {last.signed_at.isoformat()}: the events after {self.checked} were removed"
        )
        return _Finding(self.checked + 1, "truncated", problem)


def _forged(checkpoints: list[Checkpoint], public_key: bytes | None) -> _Finding | None:
    """The first checkpoint not signed by `public_key` (by its own key when None)."""
    for checkpoint in checkpoints:
        key = checkpoint.public_key if public_key is None else public_key
        if checkpoint.public_key != key or not signature_holds(
            key, checkpoint.signature, checkpoint.message()
        ):
            problem = (
                f"the checkpoint of event {checkpoint.tenant_seq} is not signed by the"
                " service's key: it was made or changed outside the service"
            )
            return _Finding(checkpoint.tenant_seq, "bad_signature", problem)
    return None


async def verify(
    conn: Connection, tenant_id: UUID, *, public_key: bytes | None = None, batch: int = 1000
) -> ChainReport:
    """Recomputes the tenant's chain from the first event and names the first that fails.

    Catches an altered event (its hash no longer matches its content), a removed or reordered
    one (a gap in tenant_seq, or prev_hash not the hash before it), a cut-off tail (the head
    row says more than the log holds), and, against every signed checkpoint, a log cut back
    with its head (truncated) or re-hashed from an altered event on (rewritten). Checkpoints
    must be signed by `public_key` (the service's); without it, each by the key it names.

    Reads the hashed columns in pages of `batch` and hashes each page in a worker thread, so
    that a long chain does not hold up the event loop.
    """
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        await set_tenant(conn, tenant_id)
        head = await conn.fetchrow(
            "select last_seq, last_hash from tenant_heads where tenant_id = $1", tenant_id
        )
        if head is None:
            raise LookupError(f"no county with id {tenant_id}")
        checkpoints = [c for c in await list_checkpoints(conn, tenant_id) if c.tenant_seq > 0]
        walk = _Walk(tenant_id, {c.tenant_seq: c for c in checkpoints})

        def report(found: _Finding | None = None) -> ChainReport:
            link = found.link if found else None
            return ChainReport(
                tenant_id,
                walk.checked,
                head["last_seq"],
                head["last_hash"],
                first_bad_seq=found.seq if found else None,
                first_bad_stream_id=link.stream_id if link else None,
                first_bad_version=link.version if link else None,
                problem=found.problem if found else None,
                problem_code=found.code if found else None,
                checkpoints_checked=len(walk.matched),
            )

        forged = await asyncio.to_thread(_forged, checkpoints, public_key)
        if forged is not None:
            return report(forged)
        query = (
            f"select {_LINK_COLUMNS} from events where tenant_id = $1 and tenant_seq > $2"  # noqa: S608
            " order by tenant_seq limit $3"
        )
        while True:
            rows = await conn.fetch(query, tenant_id, walk.checked, batch)
            found = await asyncio.to_thread(walk.walk, rows)
            if found is not None:
                return report(found)
            if len(rows) < batch:
                break
        found = walk.cut_short()
        if found is not None:
            return report(found)
        if head["last_seq"] == walk.checked and head["last_hash"] == walk.prev_hash:
            return report()
        problem = (
            f"the head says {head['last_seq']} events, the log holds {walk.checked} that chain"
        )
        return report(_Finding(walk.checked + 1, "head_mismatch", problem))
