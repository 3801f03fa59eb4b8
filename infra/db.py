"""Connection URLs for the three database roles, pools, and the tenant-scoped transaction."""

from __future__ import annotations

import contextlib
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, TypeAlias
from urllib.parse import quote, urlsplit, urlunsplit
from uuid import UUID

import asyncpg

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from asyncpg.pool import PoolConnectionProxy

    # A connection of its own or one lent by a pool: the queries do not care which.
    Connection: TypeAlias = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]

APP_ROLE = "jgt_app"
SYSTEM_ROLE = "jgt_system"


def with_user(dsn: str, user: str, password: str | None = None) -> str:
    """The same server and database as `dsn`, as another role.

    The owner's URL (`DATABASE_URL`) names the server; the service itself connects as
    `jgt_app` (one tenant per transaction) or `jgt_system` (the cross-tenant path).
    """
    parts = urlsplit(dsn)
    host = parts.netloc.rsplit("@", 1)[-1]
    auth = quote(user, safe="")
    if password:
        auth += ":" + quote(password, safe="")
    return urlunsplit(parts._replace(netloc=f"{auth}@{host}"))


def with_database(dsn: str, database: str) -> str:
    """The same server and role as `dsn`, another database."""
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + quote(database, safe="")))


async def _init_connection(conn: Connection) -> None:
    # Transaction ids (xid8) arrive as plain integers, without a round trip through text.
    await conn.set_type_codec(
        "xid8",
        schema="pg_catalog",
        encoder=lambda value: value.to_bytes(8, "big"),
        decoder=lambda data: int.from_bytes(data, "big"),
        format="binary",
    )


async def _keep_session(conn: Connection) -> None:
    """Nothing to reset on release: the tenant is set per transaction, never per session.

    asyncpg's default reset costs one more round trip per use of a connection.
    """
    del conn


async def create_pool(
    dsn: str, *, min_size: int = 1, max_size: int = 10, settings: dict[str, str] | None = None
) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_keep_session,
        server_settings={"application_name": "jiaogongti", "timezone": "UTC", **(settings or {})},
    )
    if pool is None:  # pragma: no cover - asyncpg returns None only when not awaited
        raise RuntimeError("asyncpg did not create a pool")
    return pool


async def set_tenant(conn: Connection, tenant_id: UUID) -> None:
    """Confines the rest of the current transaction to one tenant (row-level security).

    Outside a transaction the setting would last one statement, and the next query would see
    no tenant at all: that is a programming error, refused here.
    """
    if not conn.is_in_transaction():
        raise RuntimeError("set_tenant needs a transaction: the setting is transaction-local")
    await conn.execute("select set_config('jgt.tenant_id', $1, true)", str(tenant_id))


@asynccontextmanager
async def tenant_transaction(pool: asyncpg.Pool, tenant_id: UUID) -> AsyncIterator[Connection]:
    """A transaction that sees and writes only `tenant_id`'s rows."""
    async with pool.acquire() as conn, conn.transaction():
        await set_tenant(conn, tenant_id)
        yield conn


def _begin_for(tenant_id: UUID) -> str:
    """BEGIN and the tenant in one simple-protocol message: one round trip instead of two.

    The simple protocol takes no parameters, so the id is inlined; `UUID(str(...))` makes sure
    it is a UUID's canonical text (hex digits and dashes) whatever the caller passed.
    """
    text = str(UUID(str(tenant_id)))
    return f"begin; select set_config('jgt.tenant_id', '{text}', true)"


@asynccontextmanager
async def tenant_reading(pool: asyncpg.Pool, tenant_id: UUID) -> AsyncIterator[Connection]:
    """Like `tenant_transaction`, one round trip fewer: for the request path's reads.

    The transaction is begun by hand, so `conn.transaction()` (a savepoint) cannot be used
    inside it: asyncpg refuses that loudly. A connection given back with the transaction
    still open (a cancelled request) is rolled back by the pool.
    """
    async with pool.acquire() as conn:
        await conn.execute(_begin_for(tenant_id))
        try:
            yield conn
        except BaseException:
            # A rollback that fails (the connection broke) is left to the pool's reset.
            with contextlib.suppress(Exception):
                if conn.is_in_transaction():
                    await conn.execute("rollback")
            raise
        await conn.execute("commit")
