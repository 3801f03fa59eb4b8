"""The compliance judge in a process of its own: it judges on one core, the runner folds on another.

The process keeps its judge (and the counties' facts the judge keeps) between calls, with its
own event loop and a connection to the database on the system role, made at its first call (so
a database that is away fails that call, and the runner's retries apply). Calls take turns. A
process that died (killed, out of memory) fails the call that finds it gone; the next call
starts another. Stopping it ends a judgement in progress: its transaction rolls back.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from logging.handlers import QueueHandler, QueueListener
from typing import TYPE_CHECKING, Any

from infra.db import create_pool
from projections.assessment.compliance_table import ComplianceJudge

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from collections.abc import Collection
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from uuid import UUID

    import asyncpg


class JudgeGoneError(RuntimeError):
    """The judge's process ended before it answered (killed, out of memory)."""


class JudgeProcess:
    """A `ComplianceJudge` in a child process, on the database at `url` (the system role)."""

    def __init__(self, url: str, timezone: str) -> None:
        self._url = url
        self._timezone = timezone
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._logs: QueueListener | None = None
        self._turn = asyncio.Lock()
        # The answer a cancelled call still awaits: the next call takes it off the pipe first.
        self._owed: asyncio.Future[Any] | None = None

    async def start(self) -> None:
        """Starts the process (if not yet) and waits until it is connected to the database."""
        await self._call("start")

    async def pid(self) -> int:
        """The process's id (started if not yet)."""
        return int(await self._call("pid"))

    async def catch_up(self, tenant_ids: Collection[UUID] = ()) -> int:
        """The judge's `catch_up` in the process: how many events it took in."""
        return int(await self._call("catch_up", tuple(tenant_ids)))

    async def _call(self, name: str, *args: object) -> Any:  # noqa: ANN401 - the call's answer
        async with self._turn:
            if self._owed is not None:
                await asyncio.wait([self._owed])
                self._forget_owed()
            conn = self._started()
            loop = asyncio.get_running_loop()
            try:
                conn.send((name, args))
                self._owed = loop.run_in_executor(None, conn.recv)
                ok, value = await asyncio.shield(self._owed)
            except (EOFError, OSError) as error:
                self.close()
                raise JudgeGoneError("the compliance judge's process ended") from error
            self._owed = None
        if not ok:
            raise value
        return value

    def _forget_owed(self) -> None:
        """Lets go of the answer no call awaits any more, taking it (an error too) when it comes."""
        if self._owed is not None:
            self._owed.add_done_callback(_taken)
        self._owed = None

    def _started(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self.close()
        # Spawned, not forked: a fork would copy this process's loop, pools and threads.
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        # Its log records come back to this process's loggers, formatted as its own are.
        records: multiprocessing.Queue[logging.LogRecord] = context.Queue()
        self._logs = QueueListener(records, _Forwarded())
        self._logs.start()
        self._process = context.Process(
            target=_serve,
            args=(theirs, records, self._url, self._timezone, logging.getLogger().level),
            name="jgt compliance judge",
            daemon=True,  # it ends with this process
        )
        self._process.start()
        theirs.close()
        self._conn = ours
        return ours

    def close(self) -> None:
        """Stops the process (a judgement in progress rolls back with its connection)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join(5)
            self._process = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._logs is not None:
            self._logs.stop()
            self._logs = None
        self._forget_owed()


def _taken(answer: asyncio.Future[Any]) -> None:
    if not answer.cancelled():
        answer.exception()


class _Forwarded(logging.Handler):
    """A record of the child's, handled by this process's logger of the same name."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(record.name).handle(record)


# In the child process: one loop, one judge, and its pool once connected.
def _serve(
    conn: Connection,
    records: multiprocessing.Queue[logging.LogRecord],
    url: str,
    timezone: str,
    level: int,
) -> None:
    root = logging.getLogger()
    root.handlers = [QueueHandler(records)]
    root.setLevel(level)
    log.debug("compliance judge process %s started", os.getpid())
    loop = asyncio.new_event_loop()
    judge = ComplianceJudge(timezone)
    pool: asyncpg.Pool | None = None
    while True:
        try:
            name, args = conn.recv()
        except EOFError:  # the runner's process is gone
            return
        try:
            if pool is None:
                pool = loop.run_until_complete(create_pool(url, max_size=1))
            if name == "catch_up":
                value: object = loop.run_until_complete(judge.catch_up(pool, *args))
            elif name == "pid":
                value = os.getpid()
            else:  # "start": connected, nothing more
                value = 0
        except Exception as error:  # noqa: BLE001 - the runner's call raises it
            _answer(conn, ok=False, value=error)
        else:
            _answer(conn, ok=True, value=value)


def _answer(conn: Connection, *, ok: bool, value: object) -> None:
    try:
        conn.send((ok, value))
    except Exception as error:  # noqa: BLE001 - an error that does not pickle: its text
        conn.send((False, RuntimeError(f"{type(value).__name__}: {value} ({error})")))
