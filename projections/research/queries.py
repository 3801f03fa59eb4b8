"""Questions the API asks of the research context's read models, one county at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.paging import Filters, page
from projections.research.paper_list import PaperRow, paper_list
from projections.research.project_list import ProjectRow, project_list

if TYPE_CHECKING:
    from datetime import date
    from uuid import UUID

    from infra.db import Connection


async def projects(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    community_id: UUID | None = None,
    stage: str | None = None,
    level: str | None = None,
    school_year: str | None = None,
    is_joint: bool | None = None,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[ProjectRow]:
    """Projects, the latest applied for first; `level` is the approved level."""
    filters = Filters(tenant_id)
    for column, value in (
        ("community_id", community_id),
        ("stage", stage),
        ("level", level),
        ("school_year", school_year),
        ("is_joint", is_joint),
    ):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    if school_id is not None:
        filters.add("owner_school_ids @> array[{}]::uuid[]", school_id)
    return await page(
        conn,
        ProjectRow,
        project_list.name,
        filters,
        order=("applied_on", "project_id"),
        descending=True,
        after=after,
        limit=limit,
    )


async def papers(
    conn: Connection,
    tenant_id: UUID,
    *,
    school_id: UUID | None = None,
    community_id: UUID | None = None,
    level: str | None = None,
    outcome: str | None = None,
    school_year: str | None = None,
    include_void: bool = False,
    after: tuple[date, UUID] | None = None,
    limit: int = 50,
) -> list[PaperRow]:
    """Papers, the latest first; voided ones only when asked for."""
    filters = Filters(tenant_id)
    for column, value in (
        ("school_id", school_id),
        ("community_id", community_id),
        ("level", level),
        ("outcome", outcome),
        ("school_year", school_year),
    ):
        if value is not None:
            filters.add(f"{column} = {{}}", value)
    if not include_void:
        filters.conditions.append("not is_void")
    return await page(
        conn,
        PaperRow,
        paper_list.name,
        filters,
        order=("dated_on", "paper_id"),
        descending=True,
        after=after,
        limit=limit,
    )
