"""The servers a command runs against: the configured ones, or embedded ones in the data folder."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from infra.db import APP_ROLE, SYSTEM_ROLE, with_user
from infra.embedded import EmbeddedPostgres, EmbeddedValkey
from infra.migrate import migrate

T = TypeVar("T")

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Coroutine

    from service.settings import Settings


@dataclass(frozen=True)
class Urls:
    owner: str  # migrations
    app: str  # the request path: one tenant per transaction
    system: str  # the cross-tenant path: runner, dispatcher, operator's list
    redis: str | None


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The event loop of uvloop where it is installed (not on Windows), else asyncio's own.

    Every round trip to PostgreSQL and Redis and every HTTP answer goes through the loop;
    uvloop's costs a fraction of the CPU of the pure-Python one.
    """
    try:
        import uvloop  # noqa: PLC0415 - optional
    except ImportError:  # pragma: no cover - installed with the service where it can be
        return None
    return uvloop.new_event_loop


# Young collections this many allocations apart (Python's default is 700): fewer, each a
# little longer, and objects of a request mostly gone before one runs.
GC_YOUNG_THRESHOLD = 10_000


def settle_heap() -> None:
    """Once started: what start-up built is kept out of every later collection.

    A full collection walks every tracked object: with the app, its OpenAPI schema and the
    modules loaded, that paused a serving process for 200 to 300 ms (measured with gc
    callbacks under load), the open-loop p99 of the whole run. Frozen objects are never
    walked again; what requests allocate is collected as before.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def run_until_stopped(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run`, with SIGTERM handled as asyncio handles Ctrl-C: the main task is cancelled.

    Every `finally` then runs in the event loop (embedded servers are stopped on the way out)
    and the process exits with status 0. Python's default handler would kill the process at
    once and orphan them; a `sys.exit` from a plain signal handler lands wherever the main
    thread happens to be, sometimes inside the event loop's own machinery, and can hang it.
    """
    terminated = False

    async def main() -> T:
        nonlocal terminated
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        assert task is not None  # noqa: S101 - asyncio.run runs `main` as a task

        def terminate() -> None:
            nonlocal terminated
            if not terminated:  # a second SIGTERM must not cut the clean-up short
                terminated = True
                task.cancel()

        try:
            loop.add_signal_handler(signal.SIGTERM, terminate)
        except (ValueError, RuntimeError):  # not the main thread: signals never reach it anyway
            return await coroutine
        try:
            return await coroutine
        finally:
            loop.remove_signal_handler(signal.SIGTERM)

    try:
        with asyncio.Runner(loop_factory=loop_factory()) as runner:
            return runner.run(main())
    except asyncio.CancelledError:
        if terminated:
            raise SystemExit(0) from None
        raise


@contextlib.asynccontextmanager
async def servers(
    settings: Settings, *, need_redis: bool, run_migrations: bool = True
) -> AsyncIterator[Urls]:
    """Resolves (and for embedded ones, starts and later stops) the servers, then migrates."""
    embedded: list[EmbeddedPostgres | EmbeddedValkey] = []
    try:
        owner_url = settings.database_url
        if owner_url is None:
            postgres = EmbeddedPostgres(settings.data_dir)
            embedded.append(postgres)
            owner_url = await postgres.ensure_database()
        redis_url = settings.redis_url
        if need_redis and redis_url is None:
            valkey = EmbeddedValkey(settings.data_dir)
            embedded.append(valkey)
            redis_url = valkey.url
        if run_migrations:
            passwords = {
                role: password
                for role, password in (
                    (APP_ROLE, settings.app_db_password),
                    (SYSTEM_ROLE, settings.system_db_password),
                )
                if password
            }
            await migrate(owner_url, passwords)
        yield Urls(
            owner=owner_url,
            app=settings.app_database_url
            or with_user(owner_url, APP_ROLE, settings.app_db_password),
            system=settings.system_database_url
            or with_user(owner_url, SYSTEM_ROLE, settings.system_db_password),
            redis=redis_url,
        )
    finally:
        for server in reversed(embedded):
            server.stop()
