"""Group commit: commands waiting while a batch is in flight share the next `jgt_append` call.

Each command is still checked and answered on its own: its position, or its own refusal.
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import msgspec

from infra.event_store.errors import (
    AppendFailedError,
    IdempotencyKeyReusedError,
    StreamConflictError,
    UnknownTenantError,
)
from infra.event_store.records import Appended
from infra.metrics import APPENDS, BATCH_COMMANDS, EVENTS_APPENDED

if TYPE_CHECKING:
    from collections.abc import Callable
    from uuid import UUID

    import asyncpg

    from infra.event_store.records import AppendRequest

MAX_BATCH = 64


class AppendStatus(enum.IntEnum):
    """What `jgt_append` answers for each command (its `status` column)."""

    APPENDED = 0
    CONFLICT = 1
    DUPLICATE = 2  # the key was seen with the same request: the first result
    KEY_REUSED = 3  # the key was seen with a different request
    UNKNOWN_TENANT = 4
    FAILED = 5  # the database refused this command's rows; the others are appended


# The counter of each outcome, looked up once (a label look-up takes a lock).
_OUTCOMES = {status: APPENDS.labels(status.name.lower()) for status in AppendStatus}
_ERRORS = APPENDS.labels("error")  # the call itself failed: the database away, a timeout


@dataclass
class _Pending:
    request: AppendRequest
    future: asyncio.Future[Appended]


@dataclass
class _Lane:
    """Commands waiting to be sent; one batch of a lane is in flight at a time."""

    pending: list[_Pending] = field(default_factory=list)
    draining: bool = False


class GroupCommit:
    """Tenants spread over `lanes`; each lane sends what is waiting, up to MAX_BATCH, at once."""

    APPEND = "select * from jgt_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"

    def __init__(self, pool: asyncpg.Pool, lanes: int) -> None:
        self.pool = pool
        self._lanes = [_Lane() for _ in range(max(1, lanes))]
        self._drains: set[asyncio.Task[None]] = set()
        self.listeners: list[Callable[[UUID], None]] = []

    async def append(self, request: AppendRequest) -> Appended:
        future: asyncio.Future[Appended] = asyncio.get_running_loop().create_future()
        lane = self._lanes[request.context.tenant_id.int % len(self._lanes)]
        lane.pending.append(_Pending(request, future))
        if not lane.draining:
            self._start_drain(lane)
        return await future

    async def close(self) -> None:
        """Waits for batches in flight."""
        while self._drains:
            await asyncio.gather(*self._drains, return_exceptions=True)

    def _start_drain(self, lane: _Lane) -> None:
        lane.draining = True
        task = asyncio.create_task(self._drain(lane))
        self._drains.add(task)
        task.add_done_callback(self._drains.discard)

    async def _drain(self, lane: _Lane) -> None:
        try:
            while lane.pending:
                batch = lane.pending[:MAX_BATCH]
                del lane.pending[:MAX_BATCH]
                # Sorted by tenant: heads are locked in one order by every batch (no deadlock);
                # the sort is stable, so a tenant's commands keep their order.
                batch.sort(key=lambda item: item.request.context.tenant_id.bytes)
                BATCH_COMMANDS.observe(len(batch))
                try:
                    rows = await self._send([item.request for item in batch])
                except Exception as error:  # noqa: BLE001 - every waiter gets the failure
                    _ERRORS.inc(len(batch))
                    for item in batch:
                        if not item.future.done():
                            item.future.set_exception(error)
                    continue
                appended: set[UUID] = set()
                events = 0
                for item, row in zip(batch, rows, strict=True):
                    _OUTCOMES[AppendStatus(row["status"])].inc()
                    if row["status"] == AppendStatus.APPENDED:
                        appended.add(item.request.context.tenant_id)
                        events += len(item.request.events)
                    _answer(item, row)
                EVENTS_APPENDED.inc(events)
                for tenant_id in appended:
                    for listener in self.listeners:
                        listener(tenant_id)
        finally:
            lane.draining = False
            if lane.pending:  # arrived while the last batch was being answered
                self._start_drain(lane)

    async def _send(self, requests: list[AppendRequest]) -> list[asyncpg.Record]:
        events = [event for request in requests for event in request.events]
        outbox = [message for request in requests for message in request.outbox]
        async with self.pool.acquire() as conn:
            rows: list[asyncpg.Record] = await conn.fetch(
                self.APPEND,
                [r.context.tenant_id for r in requests],
                [r.stream_id for r in requests],
                [r.stream_type for r in requests],
                [r.expected_version for r in requests],
                [r.context.idempotency_key for r in requests],
                [r.context.fingerprint for r in requests],
                [len(r.events) for r in requests],
                [r.context.metadata() for r in requests],
                [len(r.outbox) for r in requests],
                [e.event_type for e in events],
                [e.schema_version for e in events],
                [e.payload for e in events],
                [message.job for message in outbox],
                [msgspec.json.encode(message.payload).decode() for message in outbox],
            )
        return rows


def _answer(item: _Pending, row: asyncpg.Record) -> None:
    if item.future.done():
        return
    request = item.request
    match AppendStatus(row["status"]):
        case AppendStatus.APPENDED | AppendStatus.DUPLICATE as status:
            item.future.set_result(Appended.of(row, duplicate=status is AppendStatus.DUPLICATE))
        case AppendStatus.CONFLICT:
            item.future.set_exception(
                StreamConflictError(
                    request.stream_id, request.expected_version, row["current_version"]
                )
            )
        case AppendStatus.KEY_REUSED:
            key = request.context.idempotency_key or ""
            item.future.set_exception(IdempotencyKeyReusedError(key))
        case AppendStatus.UNKNOWN_TENANT:
            item.future.set_exception(UnknownTenantError(request.context.tenant_id))
        case AppendStatus.FAILED:
            item.future.set_exception(
                AppendFailedError(request.stream_id, row["error_code"], row["error_message"])
            )
