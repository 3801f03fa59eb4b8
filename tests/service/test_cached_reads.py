"""Cached reads answered in front of routing: the same answer and headers as the full way, the
same refusals (a revoked token, a suspended county), counted and logged like any request."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
from litestar import Litestar
from litestar.connection import ASGIConnection
from prometheus_client import REGISTRY

from infra.db import tenant_transaction
from infra.read_notices import NoticeListener
from infra.tenancy import Principal, Role, parse_token, set_suspended
from projections.checkpoints import CHANNEL
from service.context import RequestContext
from service.logs import configure_logging
from service.read_cache import ReadCache
from tests.conftest import Database
from tests.service.conftest import County
from tests.service.test_read_cache import DASHBOARD, LIST, cache_of, live

# What differs between two answers to one question: when, and which request it was.
OWN = {"date", "x-request-id"}


def headers_of(answer: httpx.Response) -> dict[str, str]:
    return {name: value for name, value in answer.headers.items() if name not in OWN}


async def test_a_hit_in_front_of_routing_has_the_answer_and_headers_of_the_full_way(
    client: httpx.AsyncClient, app: Litestar, county: County
) -> None:
    cache = cache_of(app)
    await live(cache)
    for path in (DASHBOARD, f"{LIST}?limit=5"):
        headers = county.auth("supervisor", **{"X-Request-ID": "full-way"})
        first = await client.get(path, headers=headers)
        front = cache.front_hits
        again = await client.get(path, headers={**headers, "X-Request-ID": "in-front"})
        assert cache.front_hits == front + 1  # the second came from in front of routing
        assert (again.status_code, again.content) == (first.status_code, first.content)
        assert first.status_code == 200, first.text
        assert headers_of(again) == headers_of(first)
        assert again.headers["x-request-id"] == "in-front"
        assert (again.headers["content-language"], again.headers["vary"]) == (
            "zh",
            "Accept-Language",
        )
    english = await client.get(DASHBOARD, headers=county.auth("supervisor", "en"))
    assert english.headers["content-language"] == "en"  # a question of its own
    again = await client.get(DASHBOARD, headers=county.auth("supervisor", "en"))
    assert (again.content, headers_of(again)) == (english.content, headers_of(english))


async def test_a_token_revoked_through_the_api_is_refused_at_once_on_a_cached_read(
    client: httpx.AsyncClient, app: Litestar, county: County
) -> None:
    cache = cache_of(app)
    await live(cache)
    headers = county.auth("supervisor")
    for _ in range(2):
        assert (await client.get(DASHBOARD, headers=headers)).status_code == 200
    front = cache.front_hits
    token_id = parse_token(county.tokens["supervisor"])[1]
    gone = await client.delete(f"/v1/tokens/{token_id}", headers=county.auth("admin"))
    assert gone.status_code == 204, gone.text
    refused = await client.get(DASHBOARD, headers=headers)
    assert refused.status_code == 401, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert cache.front_hits == front


async def test_a_county_suspended_elsewhere_is_refused_within_the_token_caches_second(
    client: httpx.AsyncClient, app: Litestar, county: County, app_pool: asyncpg.Pool
) -> None:
    cache = cache_of(app)
    await live(cache)
    headers = county.auth("supervisor")
    for _ in range(2):
        assert (await client.get(DASHBOARD, headers=headers)).status_code == 200
    async with tenant_transaction(app_pool, county.tenant_id) as conn:  # as `jgt tenant suspend`
        assert await set_suspended(conn, county.tenant_id, suspended=True)
    try:
        started, status = time.monotonic(), 200
        while status == 200 and time.monotonic() - started < 5:
            await asyncio.sleep(0.05)
            status = (await client.get(DASHBOARD, headers=headers)).status_code
        assert status == 403
        front = cache.front_hits
        refused = await client.get(DASHBOARD, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (403, "county_suspended")
        assert cache.front_hits == front
    finally:
        async with tenant_transaction(app_pool, county.tenant_id) as conn:
            await set_suspended(conn, county.tenant_id, suspended=False)


async def test_a_hit_is_counted_and_has_its_access_line(
    client: httpx.AsyncClient, app: Litestar, county: County
) -> None:
    cache = cache_of(app)
    await live(cache)
    headers = county.auth("supervisor", **{"X-Request-ID": "counted"})
    assert (await client.get(DASHBOARD, headers=headers)).status_code == 200
    labels = {"method": "GET", "route": DASHBOARD, "status": "200"}
    before = REGISTRY.get_sample_value("jgt_http_requests_total", labels) or 0.0
    stream, root = io.StringIO(), logging.getLogger()
    was = root.level
    handler = configure_logging("info", "json", stream)
    try:
        front = cache.front_hits
        assert (await client.get(DASHBOARD, headers=headers)).status_code == 200
        assert cache.front_hits == front + 1
    finally:
        root.removeHandler(handler)
        root.setLevel(was)
    assert REGISTRY.get_sample_value("jgt_http_requests_total", labels) == before + 1
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [line] = [line for line in lines if line["logger"] == "jgt.access"]
    assert (line["route"], line["status"], line["request_id"]) == (DASHBOARD, 200, "counted")
    assert (UUID(str(line["tenant_id"])), line["role"]) == (county.tenant_id, "supervisor")


def request_of(tenant_id: UUID) -> RequestContext:
    """A supervisor's GET of the action list, as the guard leaves it."""
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": LIST,
        "root_path": "",
        "path_template": LIST,
        "query_string": b"limit=5",
        "headers": [],
        "state": {},
    }
    principal = Principal(tenant_id, uuid4(), Role.SUPERVISOR, None, "督导")
    return RequestContext(
        principal=principal,
        request_id="r",
        method="GET",
        path=LIST,
        query="limit=5",
        connection=ASGIConnection(scope),  # type: ignore[arg-type] # a plain dict as a scope
    )


async def test_misses_of_one_question_at_once_share_one_read(database: Database) -> None:
    cache = ReadCache(enabled=True)
    cache.listener = NoticeListener(
        database.app_url, CHANNEL, on_notice=cache.forget, on_reset=cache.reset
    )
    listening = asyncio.create_task(cache.listener.run())
    try:
        await live(cache)
        gate, reads = asyncio.Event(), 0

        async def compute() -> dict[str, int]:
            nonlocal reads
            reads += 1
            await gate.wait()  # the database, slow
            return {"reads": reads}

        tenant_id = uuid4()
        waiting = [
            asyncio.create_task(cache.answer(request_of(tenant_id), compute)) for _ in range(5)
        ]
        await asyncio.sleep(0.05)
        waiting[0].cancel()  # its caller went away: the others still get the read
        gate.set()
        answers = await asyncio.gather(*waiting[1:])
        assert (reads, cache.shared) == (1, 4)
        assert set(answers) == {b'{"reads":1}'}
        cache.forget(tenant_id)  # the county moved: a new read
        assert await cache.answer(request_of(tenant_id), compute) == b'{"reads":2}'
    finally:
        listening.cancel()
