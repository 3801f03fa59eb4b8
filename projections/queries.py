"""Questions the API asks of the projections' tables, one county at a time.

Lists are paged by key: `after` is the sort key of the last row of the previous page, so rows
written meanwhile never shift a page or show twice.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from projections.activity_counts import ActivityCount, ActivityRow, activity_counts, activity_list
from projections.community_roster import CommunityRow, community_roster
from projections.read_models import PROJECTIONS
from projections.school_list import SchoolRow, school_list
from projections.tables import row_of

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from uuid import UUID

    from infra.db import Connection
    from projections.base import Projection

R = TypeVar("R", bound=msgspec.Struct)


class Filters:
    """Conditions of one query, with their arguments numbered after the tenant ($1)."""

    def __init__(self, tenant_id: UUID) -> None:
        self.args: list[Any] = [tenant_id]
        self.conditions = ["tenant_id = $1"]

    def add(self, condition: str, *args: Any) -> None:  # noqa: ANN401 - any column's value
        """`condition` with `{}` where each argument's placeholder goes."""
        placeholders = []
        for arg in args:
            self.args.append(arg)
            placeholders.append(f"${len(self.args)}")
        self.conditions.append(condition.format(*placeholders))

    def where(self) -> str:
        return " and ".join(self.conditions)


async def _page(
    conn: Connection,
    row_type: type[R],
    table: str,
    filters: Filters,
    *,
    order: Sequence[str],
    descending: bool,
    after: tuple[Any, ...] | None,
    limit: int,
) -> list[R]:
    """Up to `limit` rows after `after` in `order` (all columns one way)."""
    if after is not None:
        marks = ", ".join("{}" for _ in order)
        filters.add(f"({', '.join(order)}) {'<' if descending else '>'} ({marks})", *after)
    direction = " desc" if descending else ""
    filters.args.append(limit)
    records = await conn.fetch(
        f"select * from {table} where {filters.where()}"  # noqa: S608 - names and placeholders only
        f" order by {', '.join(column + direction for column in order)} limit ${len(filters.args)}",
        *filters.args,
    )
    return [row_of(record, row_type) for record in records]


async def schools(
    conn: Connection,
    tenant_id: UUID,
    *,
    district: str | None = None,
    location: str | None = None,
    stage: str | None = None,
    is_open: bool | None = None,
    after: tuple[str, UUID] | None = None,
    limit: int = 50,
) -> list[SchoolRow]:
    """Schools by code."""
    filters = Filters(tenant_id)
    for column, value in (("district", district), ("location", location), ("stage", stage)):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    if is_open is not None:
        filters.conditions.append("closed_on is null" if is_open else "closed_on is not null")
    return await _page(
        conn,
        SchoolRow,
        school_list.name,
        filters,
        order=("code", "school_id"),
        descending=False,
        after=after,
        limit=limit,
    )


async def schools_by_id(
    conn: Connection, tenant_id: UUID, school_ids: Sequence[UUID]
) -> dict[UUID, SchoolRow]:
    records = await conn.fetch(
        "select * from school_list where tenant_id = $1 and school_id = any($2)",
        tenant_id,
        list(school_ids),
    )
    return {record["school_id"]: row_of(record, SchoolRow) for record in records}


async def communities(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    active_on: date | None = None,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[CommunityRow]:
    """Communities, the latest to start first; with `school_id`, those it led or joined."""
    filters = Filters(tenant_id)
    if school_id is not None:
        filters.add("school_ids @> array[{}]::uuid[]", school_id)
    if active_on is not None:
        filters.add(
            "starts_on <= {0} and ends_on >= {0} and (dissolved_on is null or dissolved_on > {0})",
            active_on,
        )
    return await _page(
        conn,
        CommunityRow,
        community_roster.name,
        filters,
        order=("starts_on", "community_id"),
        descending=True,
        after=after,
        limit=limit,
    )


async def community(conn: Connection, tenant_id: UUID, community_id: UUID) -> CommunityRow | None:
    record = await conn.fetchrow(
        "select * from community_roster where tenant_id = $1 and community_id = $2",
        tenant_id,
        community_id,
    )
    return None if record is None else row_of(record, CommunityRow)


async def community_names(
    conn: Connection, tenant_id: UUID, community_ids: Sequence[UUID]
) -> dict[UUID, str]:
    records = await conn.fetch(
        "select community_id, name from community_roster"
        " where tenant_id = $1 and community_id = any($2)",
        tenant_id,
        list(community_ids),
    )
    return {record["community_id"]: record["name"] for record in records}


async def activities(
    conn: Connection,
    tenant_id: UUID,
    *,
    community_id: UUID | None = None,
    school_id: UUID | None = None,
    kind: str | None = None,
    school_year: str | None = None,
    term: str | None = None,
    include_void: bool = False,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[ActivityRow]:
    """Community actions as they stand, the latest held first."""
    filters = Filters(tenant_id)
    for column, value in (
        ("community_id", community_id),
        ("kind", kind),
        ("school_year", school_year),
        ("term", term),
    ):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    if school_id is not None:
        filters.add("school_ids @> array[{}]::uuid[]", school_id)
    if not include_void:
        filters.conditions.append("not is_void")
    return await _page(
        conn,
        ActivityRow,
        activity_list.name,
        filters,
        order=("held_on", "activity_id"),
        descending=True,
        after=after,
        limit=limit,
    )


async def activity_count_rows(
    conn: Connection,
    tenant_id: UUID,
    *,
    community_id: UUID | None = None,
    school_year: str | None = None,
    term: str | None = None,
    kind: str | None = None,
) -> Counter[ActivityCount]:
    """How many actions count, by community, school year, term and kind."""
    filters = Filters(tenant_id)
    for column, value in (
        ("community_id", community_id),
        ("school_year", school_year),
        ("term", term),
        ("kind", kind),
    ):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    records = await conn.fetch(
        f"select * from {activity_counts.name} where {filters.where()}",  # noqa: S608 - placeholders only
        *filters.args,
    )
    return Counter({row_of(record, ActivityCount): record["count"] for record in records})


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
