"""The pages in a real browser: Debian's chromium driven by pytest-playwright-asyncio, against the app on a
real port (uvicorn in a thread) with a filled county A and a county B on the session's servers.

Without /usr/bin/chromium (or $JGT_CHROMIUM) the tests skip, unless JGT_BROWSER_TESTS=required
(as in CI), where they fail.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest
import uvicorn
from playwright.async_api import Browser

from infra.tenancy import Role
from service.runtime import Urls
from service.settings import Settings
from tests.browser.pages import Site
from tests.conftest import new_tenant
from tests.service.conftest import app, client, settings, urls
from tests.service.test_isolation import Filled, filled_county
from tests.service.test_web_pages import with_result
from tests.service.web_helpers import Person, pages_app, person

__all__ = ["app", "client", "settings", "urls"]  # the service tests' fixtures, used here too

CHROMIUM = Path(os.environ.get("JGT_CHROMIUM", "/usr/bin/chromium"))
# Nothing but the page: this machine's network is closed, and the browser must not try it.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"no {CHROMIUM}: apt-get install chromium fonts-noto-cjk to run the browser tests"
        if os.environ.get("JGT_BROWSER_TESTS") == "required":
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """pytest-playwright-asyncio's launch options: Debian's chromium, never a downloaded browser."""
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where every page's screenshot goes: $JGT_SCREENSHOTS, else the session's tmp folder."""
    configured = os.environ.get("JGT_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def base_url(settings: Settings, urls: Urls) -> Iterator[str]:
    """The pages' app served by uvicorn on a free port of 127.0.0.1, in a thread of its own."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    config = uvicorn.Config(
        pages_app(settings, urls), loop="asyncio", lifespan="on", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive(), "the pages' server stopped while starting"
        assert time.monotonic() < deadline, "the pages' server did not start in 60 s"
        time.sleep(0.05)
    assert httpx.get(f"{url}/app/sign-in").status_code == 200
    yield url
    server.should_exit = True
    thread.join(30)
    listening.close()


@pytest.fixture(scope="session")
async def county_a(
    client: httpx.AsyncClient, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> Filled:
    filled = await filled_county(client, app_pool, system_pool, "青田县教育局", "Q")
    return Filled(filled.county, await with_result(client, filled))  # and a compliance result


@pytest.fixture(scope="session")
async def county_b(app_pool: asyncpg.Pool) -> UUID:
    return await new_tenant(app_pool, "丽水县教育局")


@pytest.fixture
async def supervisor(app_pool: asyncpg.Pool, county_a: Filled) -> Person:
    """A supervisor of county A with a first password (each test signs in anew)."""
    return await person(app_pool, county_a.county.tenant_id, Role.SUPERVISOR, name="陈督导")


@pytest.fixture
async def admin(app_pool: asyncpg.Pool, county_a: Filled) -> Person:
    return await person(app_pool, county_a.county.tenant_id, Role.ADMIN, name="周管理员")


@pytest.fixture
async def supervisor_b(app_pool: asyncpg.Pool, county_b: UUID) -> Person:
    return await person(app_pool, county_b, Role.SUPERVISOR, name="林督导")


@pytest.fixture
async def site(browser: Browser, base_url: str, screenshots: Path) -> AsyncIterator[Site]:
    """Fresh browser contexts (no cookies) on the pages; closed after the test."""
    made = Site(browser, base_url, screenshots)
    yield made
    await made.close()
