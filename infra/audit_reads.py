"""Every read by an auditor is itself recorded (append-only, like the events)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uuid import UUID

    from infra.db import Connection


async def record_read(
    conn: Connection,
    *,
    tenant_id: UUID,
    actor_id: UUID,
    method: str,
    path: str,
    query: str,
    user_id: UUID | None = None,
) -> None:
    """Records a read on a connection whose transaction has the tenant set.

    `actor_id` is the token, `user_id` the person it was issued to (None for a token without).
    """
    await conn.execute(
        "insert into audit_reads (tenant_id, actor_id, method, path, query, user_id)"
        " values ($1, $2, $3, $4, $5, $6)",
        tenant_id,
        actor_id,
        method,
        path,
        query,
        user_id,
    )
