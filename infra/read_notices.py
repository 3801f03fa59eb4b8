"""One LISTEN connection per process, kept open: it hears which county's read models moved.

Whoever uses it must trust what it heard only while `live`: from (re)connecting, with the
LISTEN in place, until the connection is lost or misses a ping. A lost connection calls
`on_reset` at once, so a notice missed while it was away can cost speed, never freshness.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING
from uuid import UUID

import asyncpg

from infra.backoff import Outage

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

APPLICATION_NAME = "jiaogongti listen"
PING_SECONDS = 0.5
# A silent network (no reset, no answer) is noticed by a ping that does not come back.
TRUST_SECONDS = 1.5


class NoticeListener:
    """Hears the notices on `channel` for as long as it runs.

    Calls `on_notice(tenant_id)` for each, and `on_reset()` when (re)connected or lost: after
    that nothing heard before counts.
    """

    def __init__(
        self,
        dsn: str,
        channel: str,
        *,
        on_notice: Callable[[UUID], None],
        on_reset: Callable[[], None],
    ) -> None:
        self._dsn = dsn
        self._channel = channel
        self._on_notice = on_notice
        self._on_reset = on_reset
        self._conn: asyncpg.Connection[asyncpg.Record] | None = None
        self._confirmed_at = 0.0  # monotonic time of the last ping answered
        self._outage = Outage(
            log, "read cache: the LISTEN connection", first_delay=0.2, max_delay=5.0
        )

    @property
    def live(self) -> bool:
        conn = self._conn
        return (
            conn is not None
            and not conn.is_closed()
            and time.monotonic() - self._confirmed_at < TRUST_SECONDS
        )

    async def run(self) -> None:
        """Listens until cancelled, reconnecting with a growing delay; never raises."""
        while True:
            try:
                await self._listen_once()
            except Exception as error:  # noqa: BLE001 - whatever broke it, connect again
                self._lost()
                await asyncio.sleep(self._outage.failed(error))
            finally:
                self._lost()

    async def _listen_once(self) -> None:
        conn = await asyncpg.connect(
            self._dsn, server_settings={"application_name": APPLICATION_NAME}
        )
        try:
            conn.add_termination_listener(lambda _: self._lost())
            await conn.add_listener(self._channel, self._heard)
            self._on_reset()  # anything cached before the LISTEN was in place is not trusted
            self._conn = conn
            self._confirmed_at = time.monotonic()
            self._outage.recovered()
            while True:
                await asyncio.sleep(PING_SECONDS)
                async with asyncio.timeout(PING_SECONDS):
                    await conn.fetchval("select 1")
                self._confirmed_at = time.monotonic()
        finally:
            with contextlib.suppress(Exception):
                await conn.close(timeout=1)

    def _heard(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        try:
            tenant_id = UUID(str(payload).split(" ", 1)[0])
        except ValueError:
            log.warning("read cache: a notice it cannot read: %r", str(payload)[:100])
            self._on_reset()
            return
        self._on_notice(tenant_id)

    def _lost(self) -> None:
        if self._conn is not None:
            self._conn = None
            self._on_reset()
