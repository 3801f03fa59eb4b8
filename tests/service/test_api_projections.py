"""Reads of the read models over HTTP: actions per school and month, and the runner's status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.tenancy import Role
from projections.runner import ProjectionRunner
from tests.projections.poison import parked_county, poisoned
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County, issue

if TYPE_CHECKING:
    import asyncpg
    import httpx

    from infra.event_store import EventStore
    from tests.conftest import Database


async def test_school_months_count_each_school_an_action_involves_by_month_for_every_reader(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county, "M")
    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=lead
    )
    for body in (
        activity_body(community_id, lead, first),
        activity_body(community_id, lead, second, held_on="2023-04-03"),
    ):
        answer = await client.post("/v1/activities", json=body, headers=county.auth("admin"))
        assert answer.status_code == 201, answer.text
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])

    for role in ("admin", "recorder", "supervisor", "auditor"):
        answer = await client.get("/v1/dashboards/school-months", headers=county.auth(role))
        assert answer.status_code == 200, (role, answer.text)
        months = answer.json()
        assert months["pending_events"] == 0
        assert months["folded_seq"] > 0
        counted = {(i["school_name"], i["month"], i["count"]) for i in months["items"]}
        assert counted == {
            ("学校M01", "2023-03", 1),
            ("学校M01", "2023-04", 1),
            ("学校M02", "2023-03", 1),
            ("学校M03", "2023-04", 1),
        }
    april = await client.get(
        "/v1/dashboards/school-months",
        headers=county.auth("supervisor", "en"),
        params={"school": str(lead), "semester": "2023-spring"},
    )
    items = april.json()["items"]
    assert [(i["month"], i["semester"], i["term_label"]) for i in items] == [
        ("2023-03", "2023-spring", "Spring semester"),
        ("2023-04", "2023-spring", "Spring semester"),
    ]
    autumn = await client.get(
        "/v1/dashboards/school-months",
        headers=county.auth("supervisor"),
        params={"semester": "2022-autumn"},
    )
    assert autumn.json()["items"] == []
    bad = await client.get(
        "/v1/dashboards/school-months",
        headers=county.auth("supervisor"),
        params={"school_year": "2023"},
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_period"


async def test_the_status_shows_a_parked_county_to_its_admin_and_every_county_to_the_operator(
    client: httpx.AsyncClient,
    county: County,
    database: Database,
    store: EventStore,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    operator_token: str,
) -> None:
    async with poisoned(database):
        broken_id, position, head = await parked_county(store, app_pool, "停放县教育局")
        await ProjectionRunner(system_pool).catch_up([broken_id, county.tenant_id])
        broken = County(broken_id, {"admin": await issue(app_pool, broken_id, Role.ADMIN)})

        own = await client.get("/v1/projections/status", headers=broken.auth("admin"))
        assert own.status_code == 200, own.text
        [status] = own.json()["counties"]
        assert status["tenant_id"] == str(broken_id)
        assert (status["folded_seq"], status["head_seq"]) == (position - 1, head)
        assert status["lag"] == head - position + 1
        assert status["parked"]["position"] == position
        assert "this row cannot be folded (test)" in status["parked"]["error"]

        healthy = await client.get("/v1/projections/status", headers=county.auth("admin"))
        [other] = healthy.json()["counties"]
        assert other["tenant_id"] == str(county.tenant_id)
        assert other["parked"] is None

        everyone = await client.get(
            "/v1/projections/status", headers={"Authorization": f"Bearer {operator_token}"}
        )
        assert everyone.status_code == 200, everyone.text
        seen = {c["tenant_id"]: c for c in everyone.json()["counties"]}
        assert seen[str(broken_id)]["parked"]["position"] == position
        assert seen[str(county.tenant_id)]["parked"] is None

        for role in ("supervisor", "auditor"):
            refused = await client.get("/v1/projections/status", headers=county.auth(role))
            assert refused.status_code == 403, (role, refused.text)
