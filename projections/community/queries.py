"""Questions the API asks of the community context's read models, one county at a time."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from projections.community.activity_counts import ActivityCount, activity_counts
from projections.community.activity_list import ActivityRow, activity_list
from projections.community.roster import CommunityRow, community_roster
from projections.community.school_list import SchoolRow, school_list
from projections.community.school_months import SchoolMonthRow, school_months
from projections.paging import Filters, page
from projections.tables import row_of

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from uuid import UUID

    from infra.db import Connection


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
    return await page(
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
    return await page(
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
    conditions: Sequence[str] = (),
    activity_ids: Sequence[UUID] | None = None,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[ActivityRow]:
    """Community actions as they stand, the latest held first.

    `conditions` are SQL conditions on the list's columns (a review state), without arguments;
    `activity_ids` keeps only those actions (the ones a page saw as of a day).
    """
    filters = Filters(tenant_id)
    if activity_ids is not None:
        filters.add("activity_id = any({}::uuid[])", list(activity_ids))
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
    filters.conditions.extend(conditions)
    return await page(
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


async def school_month_rows(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    school_year: str | None = None,
    term: str | None = None,
) -> list[SchoolMonthRow]:
    """How many actions each school took part in, by month, across communities."""
    filters = Filters(tenant_id)
    for column, value in (("school_id", school_id), ("school_year", school_year), ("term", term)):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    records = await conn.fetch(
        f"select * from {school_months.name} where {filters.where()}"  # noqa: S608 - placeholders only
        " order by school_id, month",
        *filters.args,
    )
    return [row_of(record, SchoolMonthRow) for record in records]
