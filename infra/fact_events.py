"""A county's events of the given types after a sequence, for the compliance facts' fold."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from uuid import UUID

    from infra.db import Connection

PAGE = 5000


class FactEvent(NamedTuple):  # a tuple: made from each row at half a dataclass's cost
    tenant_seq: int
    stream_id: UUID
    version: int
    event_type: str
    payload: bytes
    recorded_at: datetime


async def events_of_types(  # noqa: PLR0917 - the query's own bounds
    conn: Connection,
    tenant_id: UUID,
    types: Sequence[str],
    after_seq: int,
    limit: int = PAGE,
    upto_seq: int | None = None,
) -> list[FactEvent]:
    """In chain order (up to `upto_seq`), on a transaction with the tenant set."""
    rows = await conn.fetch(
        "select tenant_seq, stream_id, version, event_type, payload, recorded_at from events"
        " where tenant_id = $1 and tenant_seq > $2 and event_type = any($3::text[])"
        " and ($5::bigint is null or tenant_seq <= $5)"
        " order by tenant_seq limit $4",
        tenant_id,
        after_seq,
        list(types),
        limit,
        upto_seq,
    )
    return list(map(FactEvent._make, rows))
