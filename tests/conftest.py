"""Real PostgreSQL and Redis for the tests: the URLs in the environment, else embedded ones."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import pytest

from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, with_database, with_user
from infra.embedded import EmbeddedPostgres, EmbeddedValkey
from infra.event_store import EventStore
from infra.migrate import migrate
from infra.tenancy import create_tenant


@dataclass(frozen=True)
class Database:
    """One fresh, migrated database for the session, and the URLs of its three roles."""

    owner_url: str
    app_url: str
    system_url: str
    name: str


@pytest.fixture(scope="session")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="jgt-test-") as path:
        yield Path(path)


@pytest.fixture(scope="session")
def server_url(data_dir: Path) -> Iterator[str]:
    """The owner's URL of a PostgreSQL server (any database on it)."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        yield configured
        return
    server = EmbeddedPostgres(data_dir)
    try:
        yield server.url("postgres")
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_url(data_dir: Path) -> Iterator[str]:
    configured = os.environ.get("REDIS_URL")
    if configured:
        yield configured
        return
    server = EmbeddedValkey(data_dir)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
async def database(server_url: str) -> AsyncIterator[Database]:
    name = f"jgt_test_{uuid4().hex[:12]}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'create database "{name}"')
    finally:
        await admin.close()
    owner_url = with_database(server_url, name)
    await migrate(owner_url)
    yield Database(
        owner_url=owner_url,
        app_url=with_user(owner_url, APP_ROLE),
        system_url=with_user(owner_url, SYSTEM_ROLE),
        name=name,
    )
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'drop database "{name}" with (force)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def app_pool(database: Database) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database.app_url, max_size=20)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def system_pool(database: Database) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(database.system_url, max_size=4)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def store(app_pool: asyncpg.Pool) -> AsyncIterator[EventStore]:
    event_store = EventStore(app_pool)
    yield event_store
    await event_store.close()


async def new_tenant(pool: asyncpg.Pool, name: str = "测试县教育局") -> UUID:
    async with pool.acquire() as conn, conn.transaction():
        return await create_tenant(conn, name)


@pytest.fixture
async def tenant_id(app_pool: asyncpg.Pool) -> UUID:
    """A fresh county per test: events cannot be deleted, so tests never share a tenant."""
    return await new_tenant(app_pool)
