"""An app on the session's database and Redis, and a fresh county with a token per role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from infra.tenancy import PLATFORM_TENANT_ID, Role, ensure_platform_tenant, issue_token
from service.app import create_app
from service.runtime import Urls
from service.settings import Settings
from tests.conftest import Database, new_tenant


@pytest.fixture(scope="session")
def settings(database: Database, redis_url: str, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,  # the signing key file goes there, not in the user's folder
        database_url=database.owner_url,
        redis_url=redis_url,
        queue_name=f"jgt:test:{uuid4().hex}",  # tests never see another run's jobs
        poll_seconds=0.05,
    )


@pytest.fixture(scope="session")
def urls(database: Database, redis_url: str) -> Urls:
    return Urls(
        owner=database.owner_url,
        app=database.app_url,
        system=database.system_url,
        redis=redis_url,
    )


@pytest.fixture(scope="session")
def app(settings: Settings, urls: Urls) -> Litestar:
    # No background work here: a dispatcher in the shared app would take other tests' outbox rows.
    return create_app(settings, urls, background=False)


@pytest.fixture(scope="session")
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncTestClient(app) as test_client:
        yield test_client


@dataclass
class County:
    """A fresh county and a bearer token per role (recorders are added per school)."""

    tenant_id: UUID
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str, lang: str = "zh-CN", **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}", "Accept-Language": lang, **extra}


async def issue(pool: asyncpg.Pool, tenant_id: UUID, role: Role, **kwargs: Any) -> str:
    async with pool.acquire() as conn, conn.transaction():
        issued = await issue_token(
            conn, tenant_id, role, label=kwargs.pop("label", role.value), **kwargs
        )
    return issued.secret


@pytest.fixture
async def county(app_pool: asyncpg.Pool) -> County:
    tenant_id = await new_tenant(app_pool, "青田县教育局")
    county = County(tenant_id)
    for role in (Role.ADMIN, Role.SUPERVISOR, Role.AUDITOR):
        county.tokens[role.value] = await issue(app_pool, tenant_id, role)
    return county


@pytest.fixture(scope="session")
async def operator_token(app_pool: asyncpg.Pool) -> str:
    async with app_pool.acquire() as conn, conn.transaction():
        await ensure_platform_tenant(conn)
    return await issue(app_pool, PLATFORM_TENANT_ID, Role.OPERATOR, label="platform operator")
