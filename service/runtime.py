"""The servers a command runs against: the configured ones, or embedded ones in the data folder."""

from __future__ import annotations

import contextlib
import signal
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from infra.db import APP_ROLE, SYSTEM_ROLE, with_user
from infra.embedded import EmbeddedPostgres, EmbeddedValkey
from infra.migrate import migrate

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from service.settings import Settings


@dataclass(frozen=True)
class Urls:
    owner: str  # migrations
    app: str  # the request path: one tenant per transaction
    system: str  # the cross-tenant path: runner, dispatcher, operator's list
    redis: str | None


@contextlib.contextmanager
def sigterm_exits() -> Iterator[None]:
    """SIGTERM ends the process like Ctrl-C, so that embedded servers are stopped on the way out.

    With Python's default handler the process dies at once and orphans them.
    """

    def _exit(signum: int, frame: object) -> None:
        del signum, frame
        sys.exit(0)

    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
