"""The read cache: answers as current as the read models, per county and per school, and
auditors' reads recorded every time."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import asyncpg
import httpx
from litestar import Litestar

from infra.read_notices import APPLICATION_NAME
from infra.tenancy import Role
from projections.checkpoints import off_moved, on_moved
from projections.runner import ProjectionRunner
from service.read_cache import ReadCache
from tests.conftest import Database, new_tenant
from tests.infra.outbox_support import eventually
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County, issue

LIST = "/v1/activities"
DASHBOARD = "/v1/dashboards/activity-counts"
SCHOOLS = "/v1/schools"


def cache_of(app: Litestar) -> ReadCache:
    cache: ReadCache = app.state.services.read_cache
    return cache


async def live(cache: ReadCache) -> None:
    async def check() -> bool:
        return cache.listener is not None and cache.listener.live

    await eventually(check)


async def fold_elsewhere(system_pool: asyncpg.Pool, county: County, cache: ReadCache) -> None:
    """A runner as if in another process: only its notice can tell this one."""
    off_moved(cache.forget)
    try:
        await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    finally:
        on_moved(cache.forget)


async def heard(cache: ReadCache, county: County, token: int | None) -> None:
    async def check() -> bool:
        return cache.token(county.tenant_id) != token

    await eventually(check)


async def get(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> dict[str, Any]:
    answer = await client.get(path, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    found: dict[str, Any] = answer.json()
    return found


async def record(client: httpx.AsyncClient, county: County, body: dict[str, Any]) -> None:
    answer = await client.post(LIST, json=body, headers=county.auth("admin"))
    assert answer.status_code == 201, answer.text


async def test_an_answer_after_the_checkpoint_moves_has_the_new_rows(
    client: httpx.AsyncClient, app: Litestar, county: County, system_pool: asyncpg.Pool
) -> None:
    cache = cache_of(app)
    await live(cache)
    community_id, lead, first, _ = await setup_community(client, county, "C")
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])  # the schools, the community
    await record(client, county, activity_body(community_id, lead, first))
    headers = county.auth("supervisor")
    before = [await get(client, path, headers) for path in (LIST, DASHBOARD)]
    hits = cache.hits
    assert [await get(client, path, headers) for path in (LIST, DASHBOARD)] == before
    assert cache.hits == hits + 2  # the same answers, from memory
    assert (len(before[0]["items"]), before[1]["total"], before[1]["pending_events"]) == (0, 0, 1)

    token = cache.token(county.tenant_id)
    await fold_elsewhere(system_pool, county, cache)
    await heard(cache, county, token)
    after_list, after_counts = [await get(client, path, headers) for path in (LIST, DASHBOARD)]
    assert [item["title"] for item in after_list["items"]] == ["送教下乡：四年级数学"]
    assert (after_counts["total"], after_counts["pending_events"]) == (1, 0)
    assert after_counts["folded_seq"] == before[1]["folded_seq"] + 1


async def test_after_the_listen_connection_is_killed_reads_still_have_the_new_rows(
    client: httpx.AsyncClient,
    app: Litestar,
    county: County,
    system_pool: asyncpg.Pool,
    database: Database,
) -> None:
    cache = cache_of(app)
    await live(cache)
    community_id, lead, first, _ = await setup_community(client, county, "K")
    await record(client, county, activity_body(community_id, lead, first))
    headers = county.auth("supervisor")
    assert (await get(client, LIST, headers))["items"] == []  # kept, at the county's token
    owner = await asyncpg.connect(database.owner_url)
    try:
        killed = await owner.fetchval(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity"
            " where application_name = $1 and datname = current_database()",
            APPLICATION_NAME,
        )
    finally:
        await owner.close()
    assert killed >= 1
    await fold_elsewhere(system_pool, county, cache)  # its notice has no one to hear it here
    assert len((await get(client, LIST, headers))["items"]) == 1
    assert (await get(client, DASHBOARD, headers))["total"] == 1
    await live(cache)  # connected again: answers come from memory again
    await get(client, LIST, headers)
    hits = cache.hits
    assert len((await get(client, LIST, headers))["items"]) == 1
    assert cache.hits == hits + 1


async def test_counties_never_share_an_answer(
    client: httpx.AsyncClient,
    app: Litestar,
    county: County,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    cache = cache_of(app)
    await live(cache)
    community_id, lead, first, _ = await setup_community(client, county, "N")
    await record(client, county, activity_body(community_id, lead, first))
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    other = County(await new_tenant(app_pool, "邻县教育局"))
    other.tokens["supervisor"] = await issue(app_pool, other.tenant_id, Role.SUPERVISOR)
    for _ in range(2):  # the second time from memory, each its own
        assert len((await get(client, LIST, county.auth("supervisor")))["items"]) == 1
        assert (await get(client, LIST, other.auth("supervisor")))["items"] == []
        assert (await get(client, DASHBOARD, other.auth("supervisor")))["total"] == 0
        assert len((await get(client, SCHOOLS, county.auth("supervisor")))["items"]) == 3
        assert (await get(client, SCHOOLS, other.auth("supervisor")))["items"] == []


async def test_a_recorders_answer_is_never_given_to_another_schools_recorder(
    client: httpx.AsyncClient, app: Litestar, county: County, app_pool: asyncpg.Pool
) -> None:
    cache = cache_of(app)
    await live(cache)
    _, lead, first, _ = await setup_community(client, county, "R")
    county.tokens["lead"] = await issue(app_pool, county.tenant_id, Role.RECORDER, school_id=lead)
    county.tokens["first"] = await issue(app_pool, county.tenant_id, Role.RECORDER, school_id=first)
    await get(client, LIST, county.auth("lead"))
    entries, hits = len(cache), cache.hits
    await get(client, LIST, county.auth("first"))
    assert (len(cache), cache.hits) == (entries + 1, hits)  # an entry of its own school's
    await get(client, LIST, county.auth("lead"))
    assert cache.hits == hits + 1


async def test_every_auditor_read_is_recorded(
    client: httpx.AsyncClient, app: Litestar, county: County, app_pool: asyncpg.Pool
) -> None:
    await live(cache_of(app))
    for _ in range(3):
        await get(client, DASHBOARD, county.auth("auditor"))
    async with app_pool.acquire() as conn, conn.transaction():
        await conn.execute("select set_config('jgt.tenant_id', $1, true)", str(county.tenant_id))
        reads = await conn.fetchval(
            "select count(*) from audit_reads where tenant_id = $1 and path = $2",
            county.tenant_id,
            DASHBOARD,
        )
    assert reads == 3


def test_off_hands_out_no_token() -> None:
    cache = ReadCache(enabled=False)
    assert cache.token(uuid4()) is None
