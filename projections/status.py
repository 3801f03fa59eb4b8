"""How current the read models are: each county's checkpoint, lag, and where it is parked."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from projections.read_models import PROJECTIONS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from infra.db import Connection
    from projections.base import ReadModel


class Parked(msgspec.Struct, frozen=True, kw_only=True):
    """The county's event at `position` could not be folded; it is retried with a growing delay."""

    position: int
    error: str
    parked_at: datetime
    attempts: int


class CountyStatus(msgspec.Struct, frozen=True, kw_only=True):
    tenant_id: UUID
    name: str
    head: int  # the county's last event
    folded: int  # the last event every read model has folded
    lag: int
    parked: Parked | None


def _names(projections: Sequence[ReadModel]) -> list[str]:
    return [p.name for p in projections]


async def projection_lag(conn: Connection, projections: Sequence[ReadModel] = PROJECTIONS) -> int:
    """Events not yet folded, over every county (its slowest projection); any role may ask."""
    lag: int = await conn.fetchval("select jgt_projection_lag($1)", _names(projections))
    return lag


async def tenant_lag(
    conn: Connection, tenant_id: UUID, projections: Sequence[ReadModel] = PROJECTIONS
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
        _names(projections),
    )
    if row is None:
        return 0, 0
    return row["folded"], row["head"] - row["folded"]


async def statuses(
    conn: Connection, *, every_county: bool = False, projections: Sequence[ReadModel] = PROJECTIONS
) -> list[CountyStatus]:
    """Each county's status that the connection may see (row-level security decides).

    `every_county` asks across counties through the one definer function (the operator).
    """
    function = "jgt_projection_status_all" if every_county else "jgt_projection_status"
    rows = await conn.fetch(f"select * from {function}($1)", _names(projections))  # noqa: S608 - ours
    return [
        CountyStatus(
            tenant_id=row["tenant_id"],
            name=row["name"],
            head=row["head"],
            folded=row["folded"],
            lag=row["head"] - row["folded"],
            parked=None
            if row["parked_position"] is None
            else Parked(
                position=row["parked_position"],
                error=row["parked_error"],
                parked_at=row["parked_at"],
                attempts=row["attempts"],
            ),
        )
        for row in rows
    ]
