"""Questions of review before counting, asked of the activity list and the review rows.

Where an action stands: its review row when a step was taken; else it waits at the first of
the county's levels, or counts as approved when the county has none or the action was held
before they apply. `standing` says it in Python, the conditions below in SQL.
"""

# The SQL is built from table names and numbered placeholders only:
# ruff: noqa: S608

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from domain.codes import ReviewLevel, ReviewState
from projections.community.activity_counts import ActivityCount
from projections.community.activity_list import ActivityRow, activity_list
from projections.community.school_months import SchoolMonthRow
from projections.paging import Filters, page
from projections.review.review_state import PolicyRow, ReviewRow, activity_review, review_policy
from projections.tables import row_of

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from uuid import UUID

    from infra.db import Connection

_A = activity_list.name
_REVIEW = (
    f"select 1 from {activity_review.name} r where r.tenant_id = {_A}.tenant_id"
    f" and r.activity_id = {_A}.activity_id"
)
# The county's levels apply to this action (it waits for them until a step is taken).
_NEEDS = (
    f"exists (select 1 from {review_policy.name} p where p.tenant_id = {_A}.tenant_id"
    " and cardinality(p.levels) > 0"
    f" and (p.applies_from is null or {_A}.held_on >= p.applies_from))"
)
_FIRST_LEVEL = (
    f"(select p.levels[1] from {review_policy.name} p where p.tenant_id = {_A}.tenant_id limit 1)"
)
CONDITIONS: dict[ReviewState, str] = {
    ReviewState.APPROVED: (
        f"(exists ({_REVIEW} and r.state = 'approved')"
        f" or (not exists ({_REVIEW}) and not {_NEEDS}))"
    ),
    ReviewState.PENDING: (
        f"(exists ({_REVIEW} and r.state = 'pending') or (not exists ({_REVIEW}) and {_NEEDS}))"
    ),
    ReviewState.RETURNED: f"exists ({_REVIEW} and r.state = 'returned')",
}


def standing(
    activity: ActivityRow, review: ReviewRow | None, policy: PolicyRow | None
) -> tuple[ReviewState, ReviewLevel | None]:
    """Where an action stands in its review, and the level it waits at."""
    if review is not None:
        return review.state, review.level
    if policy is None or not policy.levels:
        return ReviewState.APPROVED, None
    if policy.applies_from is None or activity.held_on >= policy.applies_from:
        return ReviewState.PENDING, policy.levels[0]
    return ReviewState.APPROVED, None


async def policy(conn: Connection, tenant_id: UUID) -> PolicyRow | None:
    record = await conn.fetchrow(
        f"select * from {review_policy.name} where tenant_id = $1 limit 1",
        tenant_id,
    )
    return None if record is None else row_of(record, PolicyRow)


async def reviews_of(
    conn: Connection, tenant_id: UUID, activity_ids: Sequence[UUID]
) -> dict[UUID, ReviewRow]:
    records = await conn.fetch(
        f"select * from {activity_review.name}"
        " where tenant_id = $1 and activity_id = any($2::uuid[])",
        tenant_id,
        list(activity_ids),
    )
    return {record["activity_id"]: row_of(record, ReviewRow) for record in records}


async def waiting(
    conn: Connection,
    tenant_id: UUID,
    *,
    level: ReviewLevel | None = None,
    community_id: UUID | None = None,
    school_id: UUID | None = None,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[ActivityRow]:
    """The queue: actions awaiting review (at `level`), the longest waiting first."""
    filters = Filters(tenant_id)
    filters.conditions.append("not is_void")
    if level is None:
        filters.conditions.append(CONDITIONS[ReviewState.PENDING])
    else:
        filters.add(
            f"(exists ({_REVIEW} and r.state = 'pending' and r.level = {{0}})"
            f" or (not exists ({_REVIEW}) and {_NEEDS} and {_FIRST_LEVEL} = {{0}}))",
            level.value,
        )
    if community_id is not None:
        filters.add("community_id = {}", community_id)
    if school_id is not None:
        filters.add("school_ids @> array[{}]::uuid[]", school_id)
    return await page(
        conn,
        ActivityRow,
        _A,
        filters,
        order=("held_on", "activity_id"),
        descending=False,
        after=after,
        limit=limit,
    )


def _period(
    filters: Filters, *, school_year: str | None, term: str | None, **equal: object
) -> Filters:
    filters.conditions.extend(["not is_void", CONDITIONS[ReviewState.APPROVED]])
    for column, value in (("school_year", school_year), ("term", term), *equal.items()):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    return filters


async def approved_activity_counts(
    conn: Connection,
    tenant_id: UUID,
    *,
    community_id: UUID | None = None,
    school_year: str | None = None,
    term: str | None = None,
    kind: str | None = None,
) -> Counter[ActivityCount]:
    """As `activity_count_rows`, counting only the approved actions."""
    filters = _period(
        Filters(tenant_id),
        school_year=school_year,
        term=term,
        community_id=community_id,
        kind=kind,
    )
    records = await conn.fetch(
        "select community_id, school_year, term, kind, count(*) as count"
        f" from {_A} where {filters.where()} group by community_id, school_year, term, kind",
        *filters.args,
    )
    return Counter({row_of(record, ActivityCount): record["count"] for record in records})


async def approved_school_months(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    school_year: str | None = None,
    term: str | None = None,
) -> list[SchoolMonthRow]:
    """As `school_month_rows`, counting only the approved actions."""
    filters = _period(Filters(tenant_id), school_year=school_year, term=term)
    if school_id is not None:
        filters.add("s.school_id = {}", school_id)
    records = await conn.fetch(
        "select s.school_id, date_trunc('month', held_on)::date as month, school_year, term,"
        f" count(*) as count from {_A}, unnest(school_ids) as s (school_id)"
        f" where {filters.where()} group by 1, 2, 3, 4 order by 1, 2",
        *filters.args,
    )
    return [row_of(record, SchoolMonthRow) for record in records]
