"""A county's evidence files: uploaded, named by actions, served back, swept when unnamed.

The bytes go to a `FileStore` under their SHA-256; a row per county and digest in
`evidence_files` says the county uploaded it. Uploading and sweeping one digest take turns on
an advisory lock, so a sweep never removes the bytes of a file another county uploads at the
same moment.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from infra.backoff import Outage
from infra.db import set_tenant, tenant_transaction

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime, timedelta
    from uuid import UUID

    import asyncpg

    from infra.db import Connection
    from infra.file_store import FileStore

log = logging.getLogger(__name__)

# The read model whose rows name every file an action's events ever named (file_hashes).
NAMING_PROJECTION = "activity_list"
_LOCK = "select pg_advisory_xact_lock(hashtextextended('jgt file ' || $1, 0))"
_SESSION_LOCK = "select pg_advisory_lock(hashtextextended('jgt file ' || $1, 0))"
_SESSION_UNLOCK = "select pg_advisory_unlock(hashtextextended('jgt file ' || $1, 0))"


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    media_type: str
    uploaded_at: datetime


async def keep(
    pool: asyncpg.Pool,
    store: FileStore,
    tenant_id: UUID,
    *,
    sha256: str,
    data: bytes,
    media_type: str,
    by: UUID,
) -> StoredFile:
    """Stores the bytes (once for every county) and the county's row; again refreshes it."""
    async with tenant_transaction(pool, tenant_id) as conn:
        await conn.execute(_LOCK, sha256)
        row = await conn.fetchrow(
            "insert into evidence_files (tenant_id, sha256, size, media_type, uploaded_by)"
            " values ($1, $2, $3, $4, $5) on conflict (tenant_id, sha256)"
            " do update set uploaded_at = clock_timestamp()"
            " returning sha256, size, media_type, uploaded_at",
            tenant_id,
            sha256,
            len(data),
            media_type,
            by,
        )
        await store.put(sha256, data)  # under the lock: a sweep of this digest waits
    assert row is not None  # noqa: S101 - an upsert returns its row
    return StoredFile(**dict(row.items()))


async def find(conn: Connection, tenant_id: UUID, sha256: str) -> StoredFile | None:
    row = await conn.fetchrow(
        "select sha256, size, media_type, uploaded_at from evidence_files"
        " where tenant_id = $1 and sha256 = $2",
        tenant_id,
        sha256,
    )
    return None if row is None else StoredFile(**dict(row.items()))


async def claim(
    pool: asyncpg.Pool, tenant_id: UUID, digests: Sequence[str]
) -> dict[str, StoredFile]:
    """The county's files among `digests`, marked as named now (their grace starts again)."""
    if not digests:
        return {}
    async with tenant_transaction(pool, tenant_id) as conn:
        # Rows locked in one order (by digest), so two actions naming the same files at once
        # wait for each other instead of deadlocking.
        rows = await conn.fetch(
            "with picked as (select sha256 from evidence_files"
            "   where tenant_id = $1 and sha256 = any($2) order by sha256 for update)"
            " update evidence_files f set claimed_at = clock_timestamp() from picked"
            " where f.tenant_id = $1 and f.sha256 = picked.sha256"
            " returning f.sha256, f.size, f.media_type, f.uploaded_at",
            tenant_id,
            list(digests),
        )
    return {row["sha256"]: StoredFile(**dict(row.items())) for row in rows}


async def sweep(pool: asyncpg.Pool, store: FileStore, grace: timedelta) -> list[tuple[UUID, str]]:
    """Removes every county's files that no event names and that were not touched for `grace`.

    Runs on the system role. A county whose list is not folded up to its last event is left
    for a later round: an event not yet folded may name a file. The bytes go once no county
    keeps a row for them.
    """
    async with pool.acquire() as conn:
        candidates = await conn.fetch(
            "select f.tenant_id, f.sha256 from evidence_files f"
            " join tenant_heads h on h.tenant_id = f.tenant_id"
            " left join projection_checkpoints c"
            "   on c.tenant_id = f.tenant_id and c.projection = $1"
            " where coalesce(c.last_seq, 0) >= h.last_seq"
            " and greatest(f.uploaded_at, f.claimed_at) < clock_timestamp() - $2::interval"
            " and not exists (select 1 from activity_list a where a.tenant_id = f.tenant_id"
            "   and a.file_hashes @> array[f.sha256])"
            " order by f.tenant_id, f.sha256",
            NAMING_PROJECTION,
            grace,
        )
        return [
            (row["tenant_id"], row["sha256"])
            for row in candidates
            if await _sweep_one(conn, store, row["tenant_id"], row["sha256"], grace)
        ]


async def _sweep_one(
    conn: Connection, store: FileStore, tenant_id: UUID, sha256: str, grace: timedelta
) -> bool:
    await conn.execute(_SESSION_LOCK, sha256)
    try:
        async with conn.transaction():
            await set_tenant(conn, tenant_id)
            # Checked again under the lock: a command may have named it meanwhile.
            gone = await conn.fetchval(
                "delete from evidence_files f where f.tenant_id = $1 and f.sha256 = $2"
                " and greatest(f.uploaded_at, f.claimed_at) < clock_timestamp() - $3::interval"
                " and not exists (select 1 from activity_list a where a.tenant_id = f.tenant_id"
                "   and a.file_hashes @> array[f.sha256]) returning true",
                tenant_id,
                sha256,
                grace,
            )
            kept = await conn.fetchval(
                "select exists (select 1 from evidence_files where sha256 = $1)", sha256
            )
        if gone and not kept:
            await store.delete(sha256)
    finally:
        await conn.execute(_SESSION_UNLOCK, sha256)
    return bool(gone)


async def sweep_every(
    pool: asyncpg.Pool,
    store: FileStore,
    *,
    grace: timedelta,
    seconds: float,
    max_backoff_seconds: float = 30.0,
) -> None:
    """Sweeps every `seconds` until cancelled; never raises, waits out outages."""
    outage = Outage(
        log,
        "evidence sweep: the database or the file store",
        first_delay=min(seconds, 1.0),
        max_delay=max_backoff_seconds,
    )
    while True:
        try:
            removed = await sweep(pool, store, grace)
        except Exception as error:  # noqa: BLE001 - whatever failed, retry after a pause
            await asyncio.sleep(outage.failed(error))
            continue
        outage.recovered()
        if removed:
            log.info("evidence sweep removed %d unnamed files", len(removed))
        await asyncio.sleep(seconds)
