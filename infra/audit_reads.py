"""Every read by an auditor is itself recorded (append-only, like the events)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uuid import UUID

    from infra.db import Connection


async def record_read(
    conn: Connection, *, tenant_id: UUID, actor_id: UUID, method: str, path: str, query: str
) -> None:
    """Records a read on a connection whose transaction has the tenant set."""
    await conn.execute(
        "insert into audit_reads (tenant_id, actor_id, method, path, query)"
        " values ($1, $2, $3, $4, $5)",
        tenant_id,
        actor_id,
        method,
        path,
        query,
    )
