"""Each county's checkpoint per projection, and the record of a county that is parked."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from uuid import UUID

    from infra.db import Connection

# Web processes LISTEN here (service/read_cache.py): "<county id> <position>" per move, sent
# with the checkpoint's transaction, so no one hears of a position before its rows commit.
CHANNEL = "jgt_read_models"

# This process's own listeners, told right after a runner here commits a move: no waiting for
# the notice to come back from the database.
_MOVED: list[Callable[[UUID], None]] = []

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
    await announce(conn, tenant_id, seq)


async def announce(conn: Connection, tenant_id: UUID, seq: int) -> None:
    """Tells the listeners that the county's read models moved, once the transaction commits."""
    await conn.execute("select pg_notify($1, $2)", CHANNEL, f"{tenant_id} {seq}")


def on_moved(listener: Callable[[UUID], None]) -> None:
    """Calls `listener(tenant_id)` after a runner of this process commits a county's move."""
    _MOVED.append(listener)


def off_moved(listener: Callable[[UUID], None]) -> None:
    if listener in _MOVED:
        _MOVED.remove(listener)


def moved(tenant_id: UUID) -> None:
    """The runner's call once a move has committed."""
    for listener in _MOVED:
        listener(tenant_id)
