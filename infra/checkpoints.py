"""Signed checkpoints of each county's chain head, outside the reach of the events table.

A checkpoint signs (county, sequence, head hash, time) with the key of `infra.signing`; verify
(`infra.chain`) then notices a log cut back below a checkpoint, or re-hashed under one.
"""

from __future__ import annotations

import asyncio
import logging
import struct
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from infra.backoff import Outage
from infra.db import set_tenant

if TYPE_CHECKING:
    import asyncpg

    from infra.db import Connection
    from infra.signing import Signer

log = logging.getLogger(__name__)

_DOMAIN = b"jiaogongti chain checkpoint v1\x00"  # a signature of ours means only this
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_COLUMNS = "tenant_id, tenant_seq, head_hash, signed_at, public_key, signature"


class Checkpoint(msgspec.Struct, frozen=True, kw_only=True):
    tenant_id: UUID
    tenant_seq: int
    head_hash: bytes
    signed_at: datetime
    public_key: bytes
    signature: bytes

    def message(self) -> bytes:
        """The bytes that were signed."""
        return signed_message(self.tenant_id, self.tenant_seq, self.head_hash, self.signed_at)


def signed_message(
    tenant_id: UUID, tenant_seq: int, head_hash: bytes, signed_at: datetime
) -> bytes:
    micros = (signed_at - _EPOCH) // _MICROSECOND
    return (
        _DOMAIN
        + tenant_id.bytes
        + struct.pack(">q", tenant_seq)
        + head_hash
        + struct.pack(">q", micros)
    )


def _checkpoint(row: asyncpg.Record) -> Checkpoint:
    return Checkpoint(**dict(row.items()))


async def sign_head(conn: Connection, tenant_id: UUID, signer: Signer) -> Checkpoint:
    """Signs the county's chain head as committed now; an unmoved head keeps its checkpoint.

    Runs on the system role, in a transaction of its own with the county set.
    """
    async with conn.transaction():
        await set_tenant(conn, tenant_id)
        head = await conn.fetchrow(
            "select last_seq, last_hash from tenant_heads where tenant_id = $1", tenant_id
        )
        if head is None:
            raise LookupError(f"no county with id {tenant_id}")
        signed_at = datetime.now(UTC)
        message = signed_message(tenant_id, head["last_seq"], head["last_hash"], signed_at)
        row = await conn.fetchrow(
            f"insert into chain_checkpoints ({_COLUMNS}) values ($1, $2, $3, $4, $5, $6)"  # noqa: S608
            f" on conflict do nothing returning {_COLUMNS}",
            tenant_id,
            head["last_seq"],
            head["last_hash"],
            signed_at,
            signer.public_key,
            signer.sign(message),
        )
        if row is None:  # signed before at this position
            row = await conn.fetchrow(
                f"select {_COLUMNS} from chain_checkpoints"  # noqa: S608
                " where tenant_id = $1 and tenant_seq = $2",
                tenant_id,
                head["last_seq"],
            )
    if row is None:  # pragma: no cover - checkpoints are never deleted
        raise LookupError(f"the checkpoint of {tenant_id} at {head['last_seq']} went away")
    return _checkpoint(row)


async def list_checkpoints(conn: Connection, tenant_id: UUID) -> list[Checkpoint]:
    """The county's checkpoints, oldest first, on a connection with the county set."""
    rows = await conn.fetch(
        f"select {_COLUMNS} from chain_checkpoints where tenant_id = $1"  # noqa: S608
        " order by tenant_seq",
        tenant_id,
    )
    return [_checkpoint(row) for row in rows]


async def heads_to_sign(conn: Connection) -> list[UUID]:
    """Counties whose head moved since their newest checkpoint (system role, every county)."""
    rows = await conn.fetch(
        "select h.tenant_id from tenant_heads h where h.last_seq > coalesce("
        " (select max(c.tenant_seq) from chain_checkpoints c where c.tenant_id = h.tenant_id),"
        " 0) order by h.tenant_id"
    )
    return [row["tenant_id"] for row in rows]


async def sign_moved_heads(pool: asyncpg.Pool, signer: Signer) -> list[Checkpoint]:
    """A checkpoint for every county whose head moved since its last one."""
    async with pool.acquire() as conn:
        tenants = await heads_to_sign(conn)
        return [await sign_head(conn, tenant_id, signer) for tenant_id in tenants]


async def sign_heads(
    pool: asyncpg.Pool, signer: Signer, tenant_id: UUID | None = None
) -> list[Checkpoint]:
    """`jgt checkpoint`: one county's head, or every head that moved (tenant_id None)."""
    if tenant_id is None:
        return await sign_moved_heads(pool, signer)
    async with pool.acquire() as conn:
        return [await sign_head(conn, tenant_id, signer)]


async def sign_every(
    pool: asyncpg.Pool, signer: Signer, *, seconds: float, max_backoff_seconds: float = 30.0
) -> None:
    """Signs moved heads every `seconds` until cancelled; never raises, waits out outages."""
    outage = Outage(
        log,
        "checkpoints: the database or the signing key",
        first_delay=min(seconds, 1.0),
        max_delay=max_backoff_seconds,
    )
    while True:
        try:
            await sign_moved_heads(pool, signer)
        except Exception as error:  # noqa: BLE001 - whatever failed, retry after a pause
            await asyncio.sleep(outage.failed(error))
            continue
        outage.recovered()
        await asyncio.sleep(seconds)
