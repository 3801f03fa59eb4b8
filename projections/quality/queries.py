"""Questions the API asks of the quality context's read models, one county at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from projections.community.roster import community_roster
from projections.paging import Filters, page
from projections.quality.results import QualityRow, quality_results
from projections.quality.sitting_list import SittingRow, sitting_list
from projections.tables import row_of

if TYPE_CHECKING:
    from datetime import date
    from uuid import UUID

    from infra.db import Connection

# The database's sort key, latest period first: school_year, term (summer > spring > autumn
# is also the order within a school year), then school, subject and grade.
RESULT_ORDER = ("school_year", "term", "school_id", "subject", "grade")


class YearBefore(msgspec.Struct, frozen=True, kw_only=True):
    """The same school, subject, grade and term one school year earlier."""

    school_year: str
    students: int
    pass_rate: int
    good_rate: int
    mean: int
    full_marks: int


class ComparedRow(msgspec.Struct, frozen=True, kw_only=True):
    row: QualityRow
    year_before: YearBefore | None


async def sittings(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    community_id: UUID | None = None,
    kind: str | None = None,
    school_year: str | None = None,
    term: str | None = None,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[SittingRow]:
    """Sittings, the latest first."""
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
    return await page(
        conn,
        SittingRow,
        sitting_list.name,
        filters,
        order=("held_on", "sitting_id"),
        descending=True,
        after=after,
        limit=limit,
    )


async def results(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    community_id: UUID | None = None,
    subject: str | None = None,
    grade: int | None = None,
    school_year: str | None = None,
    term: str | None = None,
    after: tuple[Any, ...] | None = None,
    limit: int = 50,
) -> list[ComparedRow]:
    """The database's rows, latest period first, each with the year before's figures.

    `community_id` keeps the community's schools: its lead and every school ever a member.
    """
    filters = Filters(tenant_id)
    filters.conditions = ["c.tenant_id = $1"]
    for column, value in (
        ("school_id", school_id),
        ("subject", subject),
        ("grade", grade),
        ("school_year", school_year),
        ("term", term),
    ):
        if value is not None:
            filters.add(f"c.{column} = {{}}", value)
    if community_id is not None:
        filters.add(
            f"c.school_id in (select unnest(school_ids) from {community_roster.name}"  # noqa: S608 - names and placeholders only
            " where tenant_id = $1 and community_id = {})",
            community_id,
        )
    if after is not None:
        marks = ", ".join("{}" for _ in RESULT_ORDER)
        columns = ", ".join(f"c.{name}" for name in RESULT_ORDER)
        filters.add(f"({columns}) < ({marks})", *after)
    filters.args.append(limit)
    order = ", ".join(f"c.{name} desc" for name in RESULT_ORDER)
    records = await conn.fetch(
        f"select c.*, p.school_year as p_school_year, p.students as p_students,"  # noqa: S608 - placeholders only
        " p.pass_rate as p_pass_rate, p.good_rate as p_good_rate, p.mean as p_mean,"
        f" p.full_marks as p_full_marks from {quality_results.name} c"
        f" left join {quality_results.name} p on p.tenant_id = c.tenant_id"
        " and p.school_id = c.school_id and p.subject = c.subject and p.grade = c.grade"
        " and p.term = c.term and p.year = c.year - 1"
        f" where {filters.where()} order by {order} limit ${len(filters.args)}",
        *filters.args,
    )
    return [
        ComparedRow(
            row=row_of(record, QualityRow),
            year_before=None
            if record["p_school_year"] is None
            else YearBefore(
                school_year=record["p_school_year"],
                students=record["p_students"],
                pass_rate=record["p_pass_rate"],
                good_rate=record["p_good_rate"],
                mean=record["p_mean"],
                full_marks=record["p_full_marks"],
            ),
        )
        for record in records
    ]
