"""Group reads: the commands' stream loads of one county, while one is in flight, share the next.

A command loads the aggregates it decides on (an action's community) in a tenant transaction
of three round trips (begin with the county, select, commit), most of a command's cost in the
request path. Loads of one county that arrive while its read is in flight wait for it to end
and then go together, in one transaction and one select. No load joins a read that has already
begun: each is read after it was asked for, so it sees every append that committed before.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from infra.db import tenant_reading
from infra.event_store.records import EVENT_COLUMNS, RecordedEvent, recorded_event

if TYPE_CHECKING:
    from uuid import UUID

    import asyncpg

MAX_STREAMS = 64  # per transaction; more wait for the next

_READ = (
    f"select {EVENT_COLUMNS} from events where tenant_id = $1"  # noqa: S608 - our columns
    " and stream_id = any($2::uuid[]) order by stream_id, version"
)


@dataclass
class _Lane:
    """One county's loads waiting for its read in flight to end."""

    waiting: dict[UUID, list[asyncio.Future[list[RecordedEvent]]]] = field(default_factory=dict)


class GroupRead:
    """Whole streams of a county, read together with the loads that waited for the same turn."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.reads = 0  # transactions: fewer than loads when they came together
        self._lanes: dict[UUID, _Lane] = {}
        self._drains: set[asyncio.Task[None]] = set()

    async def read(self, tenant_id: UUID, stream_id: UUID) -> list[RecordedEvent]:
        future: asyncio.Future[list[RecordedEvent]] = asyncio.get_running_loop().create_future()
        lane = self._lanes.get(tenant_id)
        if lane is None:
            lane = self._lanes[tenant_id] = _Lane()
            drain = asyncio.create_task(self._drain(tenant_id, lane))
            self._drains.add(drain)
            drain.add_done_callback(self._drains.discard)
        lane.waiting.setdefault(stream_id, []).append(future)
        return await future

    async def _drain(self, tenant_id: UUID, lane: _Lane) -> None:
        try:
            while lane.waiting:
                batch = dict(list(lane.waiting.items())[:MAX_STREAMS])
                for stream_id in batch:
                    del lane.waiting[stream_id]
                try:
                    streams = await self._read(tenant_id, list(batch))
                except Exception as error:  # noqa: BLE001 - every waiter gets the failure
                    for future in _still_waiting(batch):
                        future.set_exception(error)
                    continue
                for stream_id, futures in batch.items():
                    for future in _still_waiting({stream_id: futures}):
                        future.set_result(streams.get(stream_id, []))
        finally:
            self._lanes.pop(tenant_id, None)  # loads that come now start a drain of their own
            for future in _still_waiting(lane.waiting):  # none unless cancelled mid-read
                future.cancel()

    async def _read(
        self, tenant_id: UUID, stream_ids: list[UUID]
    ) -> dict[UUID, list[RecordedEvent]]:
        self.reads += 1
        async with tenant_reading(self.pool, tenant_id) as conn:
            rows = await conn.fetch(_READ, tenant_id, stream_ids)
        streams: dict[UUID, list[RecordedEvent]] = {}
        for row in rows:
            event = recorded_event(row)
            streams.setdefault(event.stream_id, []).append(event)
        return streams

    async def close(self) -> None:
        """Waits for reads in flight."""
        while self._drains:
            await asyncio.gather(*self._drains, return_exceptions=True)


def _still_waiting(
    waiting: dict[UUID, list[asyncio.Future[list[RecordedEvent]]]],
) -> list[asyncio.Future[list[RecordedEvent]]]:
    """The futures of callers still there (one that went away has cancelled its own)."""
    return [future for futures in waiting.values() for future in futures if not future.done()]
