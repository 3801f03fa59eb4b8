"""A county's compliance facts, folded from its log and kept per process between reads.

Each record's `known_at` is its event's `recorded_at` in the county's time zone, so "as known
on D" means by the end of D where the county is. Events are never edited, so a fold caught up
from the last sequence it saw equals a fold from the first event: each read folds only what was
appended since the one before.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from eventsourcing.utils import get_topic

from infra.codec import EventMapper
from infra.fact_events import events_of_types
from projections.assessment.facts import HANDLED, CountyFacts

if TYPE_CHECKING:
    from uuid import UUID

    from infra.db import Connection

TOPICS = tuple(get_topic(cls) for cls in HANDLED)
KEPT = 64  # counties kept folded per process; the least recently read is dropped


class FactsCache:
    def __init__(self, timezone: str, mapper: EventMapper | None = None) -> None:
        self.zone = ZoneInfo(timezone)
        self.mapper = mapper or EventMapper()
        self._folds: OrderedDict[UUID, CountyFacts] = OrderedDict()
        self._locks: dict[UUID, asyncio.Lock] = {}

    async def current(self, conn: Connection, tenant_id: UUID) -> CountyFacts:
        """The county's fold caught up with what `conn`'s transaction sees."""
        lock = self._locks.setdefault(tenant_id, asyncio.Lock())
        async with lock:
            fold = self._folds.pop(tenant_id, None) or CountyFacts()
            await catch_up(conn, tenant_id, fold, self.mapper, self.zone)
            self._folds[tenant_id] = fold
            while len(self._folds) > KEPT:
                dropped, _ = self._folds.popitem(last=False)
                self._locks.pop(dropped, None)
            return fold


async def catch_up(
    conn: Connection, tenant_id: UUID, fold: CountyFacts, mapper: EventMapper, zone: ZoneInfo
) -> int:
    """Folds the county's events after `fold.last_seq`; the number folded."""
    folded = 0
    while True:
        page = await events_of_types(conn, tenant_id, TOPICS, fold.last_seq)
        for e in page:
            fold.apply(mapper.decode(e.event_type, e.payload, e.stream_id, e.version),
                       e.tenant_seq, e.recorded_at.astimezone(zone))  # fmt: skip
        folded += len(page)
        if not page:
            return folded
