"""Rule sets over HTTP: a template loaded and published, a draft from JSON, bad rules by path."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.assessment.templates import template_source
from projections.runner import ProjectionRunner

if TYPE_CHECKING:
    import asyncpg
    import httpx

    from tests.service.conftest import County


async def test_an_admin_loads_a_template_and_publishes_it_and_readers_list_it(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    admin = county.auth("admin")
    loaded = await client.post(
        "/v1/rule-sets/templates/rongan-2022", json={"version": 1, "publish": True}, headers=admin
    )
    assert loaded.status_code == 201, loaded.text
    body = loaded.json()
    assert (body["label"], body["state"], body["state_label"]) == (
        "rongan-2022@1",
        "published",
        "已发布",
    )
    assert (body["in_force_from"], body["in_force_to"]) == ("2022-09-01", "2024-08-31")
    assert "S1-44" in body["rule_ids"]
    assert loaded.headers["Location"] == f"/v1/rule-sets/{body['id']}"
    again = await client.post(
        "/v1/rule-sets/templates/rongan-2022", json={"version": 1}, headers=admin
    )
    assert (again.status_code, again.json()["code"]) == (409, "rule_set_exists")
    draft = await client.post(
        "/v1/rule-sets/templates/yongli-pairing",
        json={"version": 2},
        headers=county.auth("admin", "en"),
    )
    assert draft.status_code == 201, draft.text
    assert (draft.json()["state"], draft.json()["title"]) == (
        "draft",
        "Yongli Primary pairing plan",
    )
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    listed = await client.get("/v1/rule-sets", headers=county.auth("supervisor"))
    assert listed.status_code == 200, listed.text
    assert [r["label"] for r in listed.json()["items"]] == ["rongan-2022@1", "yongli-pairing@2"]


async def test_a_bad_rule_is_a_422_naming_its_path_and_stores_nothing(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    source = template_source("kaiyang-district")
    assert isinstance(source, dict)
    source["rules"][3]["measure"]["min"] = -1
    admin = county.auth("admin", "en")
    bad = await client.post("/v1/rule-sets", json={"rule_set": source}, headers=admin)
    assert bad.status_code == 422, bad.text
    problem = bad.json()
    assert (problem["code"], problem["params"]["path"]) == ("invalid_rule", "rules[3].measure.min")
    assert "rules[3].measure.min must not be negative" in problem["detail"]
    source["rules"][3]["measure"]["min"] = 1
    good = await client.post("/v1/rule-sets", json={"rule_set": source}, headers=admin)
    assert (good.status_code, good.json()["template"]) == (201, ""), good.text
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    listed = await client.get("/v1/rule-sets", headers=admin)
    assert [r["label"] for r in listed.json()["items"]] == ["kaiyang-district@1"]


async def test_an_unknown_template_and_a_bad_body_are_refused(
    client: httpx.AsyncClient, county: County
) -> None:
    admin = county.auth("admin")
    unknown = await client.post(
        "/v1/rule-sets/templates/nowhere", json={"version": 1}, headers=admin
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_template")
    assert "rongan-2022" in unknown.json()["detail"]
    zero = await client.post(
        "/v1/rule-sets/templates/rongan-2022", json={"version": 0}, headers=admin
    )
    assert zero.status_code == 400, zero.text
    supervisor = await client.post(
        "/v1/rule-sets/templates/rongan-2022",
        json={"version": 1},
        headers=county.auth("supervisor"),
    )
    assert supervisor.status_code == 403
    assert (await client.get("/v1/rule-sets", headers=admin)).json()["items"] == []


async def test_a_draft_is_validated_then_published_and_then_never_changes(
    client: httpx.AsyncClient, county: County
) -> None:
    admin = county.auth("admin")
    drafted = await client.post(
        "/v1/rule-sets/templates/qingliang-2014", json={"version": 1}, headers=admin
    )
    path = f"/v1/rule-sets/{drafted.json()['id']}"
    early = await client.post(
        f"{path}/publish", json={"in_force_from": "2014-03-13"}, headers=admin
    )
    assert (early.status_code, early.json()["code"]) == (409, "rule_set_not_validated")
    validated = await client.post(f"{path}/validate", headers={**admin, "If-Match": '"1"'})
    assert (validated.status_code, validated.json()["state"]) == (200, "validated"), validated.text
    assert validated.headers["ETag"] == '"2"'
    published = await client.post(
        f"{path}/publish",
        json={"in_force_from": "2014-03-01", "in_force_to": "2014-07-15"},
        headers=admin,
    )
    assert published.status_code == 200, published.text
    assert (published.json()["in_force_from"], published.json()["in_force_to"]) == (
        "2014-03-01",
        "2014-07-15",
    )
    again = await client.post(f"{path}/validate", headers=admin)
    assert (again.status_code, again.json()["code"]) == (409, "rule_set_published")
    read = await client.get(path, headers=county.auth("auditor"))
    assert (read.json()["state"], read.headers["ETag"]) == ("published", '"3"')
