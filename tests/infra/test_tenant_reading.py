"""`tenant_reading`: the request path's transaction, begun with its county in one round trip."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING
from uuid import UUID

import asyncpg
import pytest

from infra.db import create_pool, tenant_reading
from infra.tenancy import Role, issue_token
from tests.conftest import Database, new_tenant

if TYPE_CHECKING:
    from infra.db import Connection


@pytest.fixture
async def one_connection(database: Database) -> AsyncIterator[asyncpg.Pool]:
    """A pool of one connection: each use after the first gets the connection the last left."""
    pool = await create_pool(database.app_url, min_size=1, max_size=1)
    yield pool
    await pool.close()


async def tokens_seen(conn: Connection) -> set[UUID]:
    return {row["tenant_id"] for row in await conn.fetch("select tenant_id from tokens")}


async def test_a_reading_sees_its_county_only_and_leaves_no_county_behind(
    one_connection: asyncpg.Pool, app_pool: asyncpg.Pool
) -> None:
    first, second = await new_tenant(app_pool, "甲县"), await new_tenant(app_pool, "乙县")
    for county in (first, second):
        async with app_pool.acquire() as issuing, issuing.transaction():
            await issue_token(issuing, county, Role.SUPERVISOR, label="督导")
    async with tenant_reading(one_connection, first) as conn:
        assert conn.is_in_transaction()
        assert await tokens_seen(conn) == {first}
    async with one_connection.acquire() as plain:
        assert not plain.is_in_transaction()
        assert not await plain.fetchval("select current_setting('jgt.tenant_id', true)")
        assert await tokens_seen(plain) == set()  # no county set: row-level security shows none
    async with tenant_reading(one_connection, second) as conn:
        assert await tokens_seen(conn) == {second}


async def test_a_failure_inside_rolls_back_and_the_connection_stays_usable(
    one_connection: asyncpg.Pool, app_pool: asyncpg.Pool
) -> None:
    county = await new_tenant(app_pool, "丙县")

    async def issue_then_fail() -> None:
        async with tenant_reading(one_connection, county) as conn:
            await issue_token(conn, county, Role.AUDITOR, label="回滚")
            raise LookupError

    async def fail_in_the_database() -> None:
        async with tenant_reading(one_connection, county) as conn:
            await conn.fetch("select * from no_such_table")

    with pytest.raises(LookupError):
        await issue_then_fail()
    with pytest.raises(asyncpg.UndefinedTableError):
        await fail_in_the_database()
    async with tenant_reading(one_connection, county) as conn:
        assert await tokens_seen(conn) == set()  # the token issued before the failure is gone


async def test_only_a_uuid_is_ever_inlined(one_connection: asyncpg.Pool) -> None:
    async def inject() -> None:
        async with tenant_reading(one_connection, "x', true); drop table tokens; --"):  # type: ignore[arg-type]
            pass

    with pytest.raises(ValueError, match="badly formed"):
        await inject()
    async with one_connection.acquire() as conn:
        assert not conn.is_in_transaction()
        assert await conn.fetchval("select to_regclass('tokens') is not null")
