"""The first path end to end, as `jgt serve` runs it: a recorder records a 送教下乡 lesson over
HTTP; the supervisor's dashboard counts it, the lead school's inbox has it, the auditor finds
the chain intact. Background work (runner, dispatcher, arq worker) runs in the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
from litestar.testing import AsyncTestClient

from infra.tenancy import Role
from service.app import create_app
from service.runtime import Urls
from service.settings import Settings
from tests.conftest import new_tenant
from tests.infra.outbox_support import Isolated, drop_queue, eventually, isolated_database
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County, issue


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    # A database of its own: the app's dispatcher and runner serve every county in it.
    async with isolated_database(server_url) as isolated:
        yield isolated


async def test_a_recorded_lesson_is_counted_notified_and_verifiable_within_moments(
    world: Isolated, redis_url: str, tmp_path: Path
) -> None:
    queue_name = f"jgt:test:{uuid4().hex}"
    settings = Settings(data_dir=tmp_path, queue_name=queue_name, poll_seconds=0.5)
    database = world.database
    urls = Urls(
        owner=database.owner_url, app=database.app_url, system=database.system_url, redis=redis_url
    )
    county = County(await new_tenant(world.app_pool, "龙泉市教育局"))
    for role in (Role.ADMIN, Role.SUPERVISOR, Role.AUDITOR):
        county.tokens[role.value] = await issue(world.app_pool, county.tenant_id, role)
    try:
        async with AsyncTestClient(create_app(settings, urls, background=True)) as client:
            community_id, lead, member, _ = await setup_community(client, county, "E")
            county.tokens["recorder"] = await issue(
                world.app_pool, county.tenant_id, Role.RECORDER, school_id=lead
            )
            recorded = await client.post(
                "/v1/activities",
                json=activity_body(community_id, lead, member, title="送教下乡：五年级英语"),
                headers=county.auth("recorder"),
            )
            assert recorded.status_code == 201, recorded.text

            async def counted() -> bool:
                answer = await client.get(
                    "/v1/dashboards/activity-counts",
                    headers=county.auth("supervisor"),
                    params={"community": str(community_id), "semester": "2023-spring"},
                )
                return [(i["kind"], i["count"]) for i in answer.json()["items"]] == [
                    ("sending_lessons", 1)
                ]

            await eventually(counted, within=10)

            async def notified() -> bool:
                inbox = await client.get("/v1/inbox", headers=county.auth("recorder"))
                return len(inbox.json()["items"]) == 1

            await eventually(notified, within=10)
            [notice] = (await client.get("/v1/inbox", headers=county.auth("recorder"))).json()[
                "items"
            ]
            assert notice["activity"]["activity_id"] == recorded.json()["id"]
            assert notice["school_id"] == str(lead)
            assert "送教下乡：五年级英语" in notice["text"]["zh"]

            verified = await client.get("/v1/audit/verify", headers=county.auth("auditor"))
            assert verified.json()["intact"] is True
            events = await client.get("/v1/audit/events", headers=county.auth("auditor"))
            kinds = [e["event_type"].rsplit(".", 1)[-1] for e in events.json()["items"]]
            assert kinds[-1] == "Recorded"
            health = (await client.get("/healthz")).json()
            assert health["projection_lag"] == 0
    finally:
        await drop_queue(redis_url, queue_name)
