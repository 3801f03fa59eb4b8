"""Questions the API asks of the money and commendation read models, one county at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from projections.commendation.commendation_list import CommendationRow, commendation_list
from projections.money.entry_list import EntryRow, money_entries
from projections.paging import Filters, page

if TYPE_CHECKING:
    from datetime import date

    from infra.db import Connection

# What totals are by: the entry's column, and whether entries without one count at all.
TOTALS_BY = {"person": "teacher_id", "school": "school_id", "community": "community_id"}
NO_KEY = "00000000-0000-0000-0000-000000000000"  # the key of totals by year alone


class Total(msgspec.Struct, frozen=True, kw_only=True):
    key: UUID | None  # the person, school or community; None for totals by year alone
    year: int
    funding_fen: int
    subsidy_fen: int
    entries: int


async def entries(
    conn: Connection,
    tenant_id: UUID,
    *,
    kind: str | None = None,
    school_id: UUID | None = None,
    community_id: UUID | None = None,
    teacher_id: UUID | None = None,
    year: int | None = None,
    include_reversed: bool = False,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[EntryRow]:
    """Entries, the latest paid first; reversed ones only when asked for."""
    filters = Filters(tenant_id)
    for column, value in (
        ("kind", kind),
        ("school_id", school_id),
        ("community_id", community_id),
        ("teacher_id", teacher_id),
        ("year", year),
    ):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    if not include_reversed:
        filters.conditions.append("not is_reversed")
    return await page(
        conn,
        EntryRow,
        money_entries.name,
        filters,
        order=("paid_on", "entry_id"),
        descending=True,
        after=after,
        limit=limit,
    )


async def totals(
    conn: Connection,
    tenant_id: UUID,
    *,
    by: str | None,
    year: int | None = None,
    after: tuple[int, UUID] | None = None,
    limit: int = 50,
) -> list[Total]:
    """Sums of the entries that count, by year and by person, school or community (or none)."""
    column = "null::uuid" if by is None else TOTALS_BY[by]
    filters = Filters(tenant_id)
    filters.conditions.append("not is_reversed")
    if by is not None:
        filters.conditions.append(f"{column} is not null")
    if year is not None:
        filters.add("year = {}", year)
    outer = Filters(tenant_id)
    outer.args = filters.args
    outer.conditions = ["true"]
    if after is not None:
        outer.add(f"(year, coalesce(key, '{NO_KEY}'::uuid)) < ({{}}, {{}})", *after)
    outer.args.append(limit)
    records = await conn.fetch(
        f"select * from (select {column} as key, year,"  # noqa: S608 - names and placeholders only
        " coalesce(sum(amount_fen) filter (where kind = 'funding'), 0)::bigint as funding_fen,"
        " coalesce(sum(amount_fen) filter (where kind = 'subsidy'), 0)::bigint as subsidy_fen,"
        f" count(*)::integer as entries from {money_entries.name} where {filters.where()}"
        f" group by 1, 2) as t where {outer.where()}"
        f" order by year desc, coalesce(key, '{NO_KEY}'::uuid) desc limit ${len(outer.args)}",
        *outer.args,
    )
    return [msgspec.convert(dict(record), Total) for record in records]


async def commendations(
    conn: Connection,
    tenant_id: UUID,
    *,
    kind: str | None = None,
    year: int | None = None,
    school_id: UUID | None = None,
    community_id: UUID | None = None,
    teacher_id: UUID | None = None,
    include_revoked: bool = False,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[CommendationRow]:
    filters = Filters(tenant_id)
    for column, value in (
        ("kind", kind),
        ("year", year),
        ("school_id", school_id),
        ("community_id", community_id),
        ("teacher_id", teacher_id),
    ):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    if not include_revoked:
        filters.conditions.append("not is_revoked")
    return await page(
        conn,
        CommendationRow,
        commendation_list.name,
        filters,
        order=("awarded_on", "commendation_id"),
        descending=True,
        after=after,
        limit=limit,
    )


def total_cursor(total: Total) -> tuple[Any, ...]:
    return (total.year, total.key or NO_KEY)
