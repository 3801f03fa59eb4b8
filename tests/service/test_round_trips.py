"""What one request costs the database: its statements on the request pool, each a round trip.

The lists are printed (`pytest -s`) and pinned: a change that adds a round trip to the request
path shows here.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from litestar import Litestar

from tests.service.api import activity_body, setup_community
from tests.service.conftest import County
from tests.service.test_read_cache import DASHBOARD, cache_of, live

# The statements logged while a test counts; the app runs on its own loop (the test client's
# thread), so counting is on or off for all, and the tests run one at a time.
_COUNTED: list[list[str]] = []


def _logged(record: asyncpg.connection.LoggedQuery) -> None:
    if _COUNTED and "from tokens" not in record.query:  # the token cache's own refresh
        _COUNTED[-1].append(" ".join(record.query.split())[:300])


async def _on_app_loop(pool: asyncpg.Pool, *, add: bool) -> None:
    """Adds (or removes) the logger on every connection of the app's pool, on the app's loop."""

    async def each() -> None:
        async with contextlib.AsyncExitStack() as stack:
            size = pool.get_max_size()
            for conn in [await stack.enter_async_context(pool.acquire()) for _ in range(size)]:
                if add:
                    conn.add_query_logger(_logged)
                else:
                    conn.remove_query_logger(_logged)

    # The loop the test client runs the app on (asyncpg's stubs do not name it).
    loop: asyncio.AbstractEventLoop = pool._loop  # type: ignore[attr-defined]
    await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(each(), loop))


@pytest.fixture
async def counting(app: Litestar, client: httpx.AsyncClient) -> AsyncIterator[None]:
    """Every connection of the request pool logs its statements (asyncpg's query logger)."""
    del client  # started: the app's pool exists
    pool: asyncpg.Pool = app.state.services.pool
    await _on_app_loop(pool, add=True)
    yield
    await _on_app_loop(pool, add=False)


@contextlib.contextmanager
def statements() -> Iterator[list[str]]:
    counted: list[str] = []
    _COUNTED.append(counted)
    try:
        yield counted
    finally:
        _COUNTED.remove(counted)


async def settled() -> None:
    await asyncio.sleep(0.05)  # asyncpg calls its loggers soon after each statement


async def test_a_post_of_an_action_makes_four_round_trips(
    client: httpx.AsyncClient, county: County, counting: Any
) -> None:
    del counting
    community_id, lead, first, _ = await setup_community(client, county, "RT")
    body = activity_body(community_id, lead, first)
    with statements() as made:
        answer = await client.post("/v1/activities", json=body, headers=county.auth("admin"))
        await settled()
    assert answer.status_code == 201, answer.text
    print("POST /v1/activities:", *made, sep="\n  ")  # noqa: T201 - the figure of this test
    assert [statement.split(" ")[0] for statement in made] == [
        "begin;",
        "select",
        "commit",
        "select",
    ]
    assert "from events" in made[1]  # the community, as the decision needs it
    assert "jgt_append" in made[3]  # idempotency, version, chain, events and outbox in one call


async def test_a_cached_read_makes_none_and_a_miss_one_transaction(
    client: httpx.AsyncClient, app: Litestar, county: County, counting: Any
) -> None:
    del counting
    await live(cache_of(app))
    headers = county.auth("supervisor")
    assert (await client.get("/v1/schools", headers=headers)).status_code == 200  # token cached
    with statements() as missed:
        assert (await client.get(DASHBOARD, headers=headers)).status_code == 200
        await settled()
    with statements() as hit:
        assert (await client.get(DASHBOARD, headers=headers)).status_code == 200
        await settled()
    print("dashboard, a miss:", *missed, sep="\n  ")  # noqa: T201 - the figure of this test
    assert missed[0].startswith("begin; select set_config(")  # one message, one round trip
    assert missed[-1] == "commit"
    assert len(missed) == 5  # the counts, their communities' names, the lag
    assert hit == []
