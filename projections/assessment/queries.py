"""What the county KPIs read from the other contexts' read models, and the assessment lists.

One county at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.assessment.kpis import (
    CommunityIn,
    Figures,
    Payment,
    Placement,
    QualityIn,
    SchoolIn,
    Stint,
)
from domain.codes import SchoolStage
from projections.assessment.assessment_list import AssessmentRow, assessment_list
from projections.assessment.rule_set_list import RuleSetRow, rule_set_list
from projections.community.roster import CommunityRow, community_roster
from projections.community.school_list import school_list
from projections.money.entry_list import money_entries
from projections.paging import Filters, page
from projections.quality.results import quality_results
from projections.staff.assignment_list import assignment_list
from projections.tables import row_of

if TYPE_CHECKING:
    from datetime import date
    from uuid import UUID

    from infra.db import Connection


async def schools(conn: Connection, tenant_id: UUID) -> list[SchoolIn]:
    records = await conn.fetch(
        f"select school_id, stage, closed_on from {school_list.name} where tenant_id = $1",  # noqa: S608 - a name only
        tenant_id,
    )
    return [SchoolIn(r["school_id"], SchoolStage(r["stage"]), r["closed_on"]) for r in records]


async def communities(conn: Connection, tenant_id: UUID) -> list[CommunityIn]:
    records = await conn.fetch(
        f"select * from {community_roster.name} where tenant_id = $1",  # noqa: S608 - a name only
        tenant_id,
    )
    found = []
    for record in records:
        row = row_of(record, CommunityRow)
        found.append(
            CommunityIn(
                id=row.community_id,
                type=row.type,
                lead_school_id=row.lead_school_id,
                stints=tuple(Stint(s.school_id, s.joined_on, s.left_on) for s in row.stints),
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                dissolved_on=row.dissolved_on,
            )
        )
    return found


async def quality(conn: Connection, tenant_id: UUID, school_year: str) -> list[QualityIn]:
    """The year's figures, each with the same school, subject, grade and term a year before."""
    table = quality_results.name
    records = await conn.fetch(
        f"select c.school_id, c.subject, c.grade, c.term, c.pass_rate, c.good_rate, c.mean,"  # noqa: S608 - names only
        " p.pass_rate as p_pass_rate, p.good_rate as p_good_rate, p.mean as p_mean"
        f" from {table} c left join {table} p on p.tenant_id = c.tenant_id"
        " and p.school_id = c.school_id and p.subject = c.subject and p.grade = c.grade"
        " and p.term = c.term and p.year = c.year - 1"
        " where c.tenant_id = $1 and c.school_year = $2",
        tenant_id,
        school_year,
    )
    return [
        QualityIn(
            school_id=r["school_id"],
            subject=r["subject"],
            grade=r["grade"],
            term=r["term"],
            now=Figures(r["pass_rate"], r["good_rate"], r["mean"]),
            year_before=None
            if r["p_pass_rate"] is None
            else Figures(r["p_pass_rate"], r["p_good_rate"], r["p_mean"]),
        )
        for r in records
    ]


async def placements(conn: Connection, tenant_id: UUID) -> list[Placement]:
    records = await conn.fetch(
        f"select teacher_id, kind, from_school_id, to_school_id, starts_on, last_day"  # noqa: S608 - a name only
        f" from {assignment_list.name} where tenant_id = $1",
        tenant_id,
    )
    return [
        Placement(
            r["teacher_id"],
            r["kind"],
            r["from_school_id"],
            r["to_school_id"],
            r["starts_on"],
            r["last_day"],
        )
        for r in records
    ]


async def subsidy_payments(conn: Connection, tenant_id: UUID) -> list[Payment]:
    records = await conn.fetch(
        f"select teacher_id, amount_fen, month, paid_on from {money_entries.name}"  # noqa: S608 - a name only
        " where tenant_id = $1 and kind = 'subsidy' and not is_reversed",
        tenant_id,
    )
    return [Payment(r["teacher_id"], r["amount_fen"], r["month"], r["paid_on"]) for r in records]


async def rule_sets(
    conn: Connection,
    tenant_id: UUID,
    *,
    rule_set_id: str | None = None,
    state: str | None = None,
    in_force_on: date | None = None,
    after: tuple[str, int] | None = None,
    limit: int = 50,
) -> list[RuleSetRow]:
    """Rule-set versions by id, then number; `in_force_on`: published and in force that day."""
    filters = Filters(tenant_id)
    for column, value in (("rule_set_id", rule_set_id), ("state", state)):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    if in_force_on is not None:
        filters.add(
            "state = 'published' and in_force_from <= {}"
            " and (in_force_to is null or in_force_to >= {})",
            in_force_on,
            in_force_on,
        )
    return await page(
        conn,
        RuleSetRow,
        rule_set_list.name,
        filters,
        order=("rule_set_id", "number"),
        descending=False,
        after=after,
        limit=limit,
    )


async def assessments(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_year: str | None = None,
    community_id: UUID | None = None,
    community_type: str | None = None,
    grade: str | None = None,
    after: tuple[str, UUID] | None = None,
    limit: int = 50,
) -> list[AssessmentRow]:
    """Assessments by school year, then community; `grade` is the final one."""
    filters = Filters(tenant_id)
    for column, value in (
        ("school_year", school_year),
        ("community_id", community_id),
        ("community_type", community_type),
        ("final_grade", grade),
    ):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    return await page(
        conn,
        AssessmentRow,
        assessment_list.name,
        filters,
        order=("school_year", "community_id"),
        descending=False,
        after=after,
        limit=limit,
    )
