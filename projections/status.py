"""How current the read models are: each county's checkpoint and lag."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from projections.read_models import PROJECTIONS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from infra.db import Connection
    from projections.base import Projection


async def projection_lag(
    conn: Connection, projections: Sequence[Projection[Any]] = PROJECTIONS
) -> int:
    """Events not yet folded, over every county (its slowest projection); any role may ask."""
    lag: int = await conn.fetchval("select jgt_projection_lag($1)", [p.name for p in projections])
    return lag


async def tenant_lag(
    conn: Connection, tenant_id: UUID, projections: Sequence[Projection[Any]] = PROJECTIONS
) -> tuple[int, int]:
    """(last seq folded by every projection, events not yet folded) of one county.

    On a connection whose transaction has the county set.
    """
    row = await conn.fetchrow(
        "select h.last_seq as head, min(coalesce(c.last_seq, 0)) as folded"
        " from tenant_heads h cross join unnest($2::text[]) as p (name)"
        " left join projection_checkpoints c"
        "   on c.tenant_id = h.tenant_id and c.projection = p.name"
        " where h.tenant_id = $1 group by h.last_seq",
        tenant_id,
        [p.name for p in projections],
    )
    if row is None:
        return 0, 0
    return row["folded"], row["head"] - row["folded"]
