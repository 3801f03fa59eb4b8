"""A county's facts folded from its log: only the event types the fold reads, selected in SQL.

Each record's `known_at` is its event's `recorded_at` in the county's time zone, so "as known
on D" means by the end of D where the county is. Events are never edited, so a fold caught up
from the last sequence it saw equals a fold from the first event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.utils import get_topic

from infra.fact_events import events_of_types
from projections.assessment.facts import HANDLED, CountyFacts
from projections.assessment.judge import no_collection

if TYPE_CHECKING:
    from collections.abc import Callable
    from uuid import UUID
    from zoneinfo import ZoneInfo

    from infra.codec import EventMapper
    from infra.db import Connection

TOPICS = tuple(get_topic(cls) for cls in HANDLED)


async def catch_up(  # noqa: PLR0917 - the fold, how to read it, and how far
    conn: Connection,
    tenant_id: UUID,
    fold: CountyFacts,
    mapper: EventMapper,
    zone: ZoneInfo,
    upto: int | None = None,
    before: Callable[[CountyFacts, object], None] | None = None,
) -> int:
    """Folds the county's events after `fold.last_seq` (up to `upto`); the number folded.

    `before(fold, event)` is called with each event before the fold applies it.
    """
    folded = 0
    while True:
        page = await events_of_types(conn, tenant_id, TOPICS, fold.last_seq, upto_seq=upto)
        with no_collection():
            for e in page:
                event = mapper.decode(e.event_type, e.payload, e.stream_id, e.version)
                if before is not None:
                    before(fold, event)
                fold.apply(event, e.tenant_seq, e.recorded_at.astimezone(zone))
        folded += len(page)
        if not page:
            if upto is not None:
                fold.last_seq = max(fold.last_seq, upto)  # nothing it reads lies between
            return folded
