"""Reads of the compliance table: is it of today, a page of results, their totals, one result."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from domain.codes import ComplianceStatus
from projections.assessment.compliance import (
    JUDGING,
    TABLE,
    ComplianceRow,
    Title,
    community_key,
)
from projections.paging import Filters, page
from projections.tables import row_of

if TYPE_CHECKING:
    from domain.assessment.calendar import Window
    from infra.db import Connection

ORDER = ("community_key", "rule_id", "period", "school_key")  # a page's sort key, one way


class ListedRow(msgspec.Struct, frozen=True, kw_only=True):
    """A result as the list shows it: its records counted, not read."""

    community_key: str
    rule_id: str
    period: str
    school_key: str
    community_id: UUID | None
    school_id: UUID | None
    starts_on: date
    ends_on: date
    version: str
    title: Title
    status: ComplianceStatus
    required: int
    done: int
    maximum: int | None
    points: float
    score: float
    counted: int
    excluded: int
    late: int


_RECORDS = ("counted", "excluded", "late")
_LISTED = ", ".join(
    f"jsonb_array_length({name}) as {name}" if name in _RECORDS else name
    for name in ListedRow.__struct_fields__
)


@dataclass(frozen=True)
class Judged:
    """The day a county's rows are as known on, and what they include."""

    as_of: date
    last_seq: int
    versions: list[str]


async def judged_on(conn: Connection, tenant_id: UUID) -> Judged | None:
    """The county's rows' day, None when there are none of the current evaluation."""
    found = await conn.fetchrow(
        "select as_of, last_seq, versions from compliance_judged"
        " where tenant_id = $1 and judging = $2",
        tenant_id,
        JUDGING,
    )
    return None if found is None else Judged(found["as_of"], found["last_seq"], found["versions"])


@dataclass(frozen=True)
class Asked:
    """The window asked (periods overlapping it) and the list's filters."""

    window: Window
    community_id: UUID | None = None
    school_id: UUID | None = None
    rule_id: str | None = None
    status: ComplianceStatus | None = None

    def filters(self, tenant_id: UUID, *, status: bool = True) -> Filters:
        found = Filters(tenant_id)
        found.add("starts_on <= {}", self.window.ends_on)
        found.add("ends_on >= {}", self.window.starts_on)
        if self.community_id is not None:
            found.add("community_key = {}", community_key(self.community_id))
        if self.school_id is not None:
            found.add("school_id = {}", self.school_id)
        if self.rule_id is not None:
            found.add("rule_id = {}", self.rule_id)
        if status and self.status is not None:
            found.add("status = {}", self.status.value)
        return found


async def compliance_page(
    conn: Connection,
    tenant_id: UUID,
    asked: Asked,
    *,
    after: tuple[Any, ...] | None,
    limit: int,
) -> list[ListedRow]:
    return await page(
        conn,
        ListedRow,
        TABLE,
        asked.filters(tenant_id),
        order=ORDER,
        descending=False,
        after=after,
        limit=limit,
        columns=_LISTED,
    )


async def compliance_totals(
    conn: Connection, tenant_id: UUID, asked: Asked
) -> Counter[ComplianceStatus]:
    filters = asked.filters(tenant_id)
    records = await conn.fetch(
        f"select status, count(*) as n from {TABLE} where {filters.where()} group by status",  # noqa: S608 - names and placeholders only
        *filters.args,
    )
    return Counter({ComplianceStatus(r["status"]): r["n"] for r in records})


async def compliance_rows(  # noqa: PLR0917 - a result's path, as the route names it
    conn: Connection,
    tenant_id: UUID,
    community_id: UUID | None,
    rule_id: str,
    period: str,
    school_id: UUID | None,
) -> list[ComplianceRow]:
    """One result's rows (a per-school rule's: one per school, or `school_id`'s)."""
    records = await conn.fetch(
        f"select * from {TABLE} where tenant_id = $1 and community_key = $2"  # noqa: S608 - a name
        " and rule_id = $3 and period = $4 and ($5::uuid is null or school_id = $5)"
        " order by school_key",
        tenant_id,
        community_key(community_id),
        rule_id,
        period,
        school_id,
    )
    return [row_of(record, ComplianceRow) for record in records]
