"""Queries by key: conditions numbered after the tenant, and pages that never shift.

A page is keyed: `after` is the sort key of the last row of the previous page, so rows written
meanwhile never shift a page or show twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from projections.tables import row_of

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from infra.db import Connection

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


async def page(
    conn: Connection,
    row_type: type[R],
    table: str,
    filters: Filters,
    *,
    order: Sequence[str],
    descending: bool,
    after: tuple[Any, ...] | None,
    limit: int,
    columns: str = "*",
) -> list[R]:
    """Up to `limit` rows after `after` in `order` (all columns one way); `columns` selected."""
    if after is not None:
        marks = ", ".join("{}" for _ in order)
        filters.add(f"({', '.join(order)}) {'<' if descending else '>'} ({marks})", *after)
    direction = " desc" if descending else ""
    filters.args.append(limit)
    records = await conn.fetch(
        f"select {columns} from {table} where {filters.where()}"  # noqa: S608 - names and placeholders only
        f" order by {', '.join(column + direction for column in order)} limit ${len(filters.args)}",
        *filters.args,
    )
    return [row_of(record, row_type) for record in records]
