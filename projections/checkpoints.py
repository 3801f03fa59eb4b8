"""Each county's checkpoint per projection, and the record of a county that is parked."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uuid import UUID

    from infra.db import Connection

_LOCK = (
    "select projection, last_seq from projection_checkpoints"
    " where tenant_id = $1 and projection = any($2) order by projection for update"
)
_LOCK_WAITING, _LOCK_SKIPPING = _LOCK, _LOCK + " skip locked"

_PARK = """
    insert into projection_parked (tenant_id, position, error) values ($1, $2, $3)
    on conflict (tenant_id) do update set
        position = excluded.position, error = excluded.error,
        last_tried_at = clock_timestamp(), attempts = projection_parked.attempts + 1
"""


async def park(conn: Connection, tenant_id: UUID, position: int, error: str) -> None:
    """Records that the county's event at `position` could not be folded, and why."""
    await conn.execute(_PARK, tenant_id, position, error)


async def unpark(conn: Connection, tenant_id: UUID) -> None:
    await conn.execute("delete from projection_parked where tenant_id = $1", tenant_id)


async def lock_checkpoints(
    conn: Connection, tenant_id: UUID, names: list[str], *, wait: bool
) -> dict[str, int]:
    """The county's checkpoints of `names`, locked until the transaction ends.

    Without `wait`, checkpoints another runner holds are left out.
    """
    await conn.execute(
        "insert into projection_checkpoints (tenant_id, projection)"
        " select $1, name from unnest($2::text[]) as name on conflict do nothing",
        tenant_id,
        names,
    )
    rows = await conn.fetch(
        _LOCK_WAITING if wait else _LOCK_SKIPPING,
        tenant_id,
        names,
    )
    return {row["projection"]: row["last_seq"] for row in rows}


async def move_checkpoints(conn: Connection, tenant_id: UUID, names: list[str], seq: int) -> None:
    await conn.execute(
        "update projection_checkpoints"
        " set last_seq = greatest(last_seq, $3), updated_at = clock_timestamp()"
        " where tenant_id = $1 and projection = any($2)",
        tenant_id,
        names,
        seq,
    )
