"""The rule-set and assessment lists: read models paged by key, one county's, rebuilt the same."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infra.db import tenant_transaction
from infra.event_store import read_tenant
from infra.tenancy import Role
from projections.assessment.assessment_list import assessment_list
from projections.assessment.rule_set_list import rule_set_list
from projections.base import Projection
from projections.runner import ProjectionRunner
from projections.tables import load_rows
from tests.conftest import new_tenant
from tests.service.api import setup_community
from tests.service.compliance_api import draft, publish
from tests.service.conftest import County, issue
from tests.service.test_api_assessments import body, graded_rule_set

if TYPE_CHECKING:
    from uuid import UUID

    import asyncpg
    import httpx

    from infra.event_store import EventStore


async def pages(
    client: httpx.AsyncClient, county: County, path: str, **params: Any
) -> list[list[dict[str, Any]]]:
    """Every page of a list, two items a page."""
    found: list[list[dict[str, Any]]] = []
    cursor = None
    while True:
        asked = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        answer = await client.get(path, params=asked, headers=county.auth("supervisor"))
        assert answer.status_code == 200, answer.text
        found.append(answer.json()["items"])
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return found


async def fill(client: httpx.AsyncClient, county: County) -> list[UUID]:
    """Three communities assessed (nothing done: 0, 不合格), three rule-set versions."""
    await publish(client, county, await draft(client, county, graded_rule_set()))
    await draft(client, county, graded_rule_set(version=2))
    loaded = await client.post(
        "/v1/rule-sets/templates/rongan-2022", json={"version": 1}, headers=county.auth("admin")
    )
    assert loaded.status_code == 201, loaded.text
    communities = []
    for prefix in ("L", "M", "N"):
        community, _, _, _ = await setup_community(client, county, prefix)
        recorded = await client.post(
            "/v1/assessments", json=body(community, grade="fail"), headers=county.auth("admin")
        )
        assert recorded.status_code == 201, recorded.text
        communities.append(community)
    return communities


async def test_the_lists_are_paged_by_key_filtered_and_one_county_s(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    communities = await fill(client, county)
    other = County(await new_tenant(app_pool, "乙县教育局"))
    for role in (Role.ADMIN, Role.SUPERVISOR):
        other.tokens[role.value] = await issue(app_pool, other.tenant_id, role)
    theirs = (await fill(client, other))[0]
    await ProjectionRunner(system_pool).catch_up([county.tenant_id, other.tenant_id])

    assessed = await pages(client, county, "/v1/assessments")
    assert [len(p) for p in assessed] == [2, 1]
    items = [item for page in assessed for item in page]
    assert [item["community_id"] for item in items] == sorted(str(c) for c in communities)
    first = items[0]
    assert (first["computed_total"], first["computed_grade"], first["final_grade"]) == (
        0.0,
        "fail",
        "fail",
    )
    assert (first["funding"], first["rule_set"], first["version"]) == (5000, "test-assess@1", 2)
    assert first["as_of"] is not None
    assert str(theirs) not in {item["community_id"] for item in items}
    for params, expected in (
        ({"school_year": "2022-2023", "grade": "fail"}, 3),
        ({"community": str(communities[1])}, 1),
        ({"community": str(theirs)}, 0),
        ({"community_type": "co_built"}, 3),
        ({"community_type": "fused"}, 0),
        ({"grade": "pass"}, 0),
        ({"school_year": "2023-2024"}, 0),
    ):
        found = [i for p in await pages(client, county, "/v1/assessments", **params) for i in p]
        assert len(found) == expected, params

    rule_sets = await pages(client, county, "/v1/rule-sets")
    assert [len(p) for p in rule_sets] == [2, 1]
    labels = [item["label"] for page in rule_sets for item in page]
    assert labels == ["rongan-2022@1", "test-assess@1", "test-assess@2"]
    states = {item["label"]: (item["state"], item["published_at"]) for p in rule_sets for item in p}
    assert states["test-assess@1"][0] == "published"
    assert states["test-assess@1"][1] is not None
    assert states["test-assess@2"] == ("draft", None)
    for params, expected_labels in (
        ({"state": "published"}, ["test-assess@1"]),
        ({"rule_set_id": "test-assess"}, ["test-assess@1", "test-assess@2"]),
        ({"in_force_on": "2023-01-01"}, ["test-assess@1"]),
        ({"in_force_on": "2025-01-01"}, []),
    ):
        found = [i for p in await pages(client, county, "/v1/rule-sets", **params) for i in p]
        assert [i["label"] for i in found] == expected_labels, params
    bad = await client.get(
        "/v1/rule-sets", params={"cursor": "!!"}, headers=county.auth("supervisor")
    )
    assert bad.status_code == 400, bad.text


async def test_a_rebuild_gives_the_rows_the_runner_kept_and_a_replay_gives(
    client: httpx.AsyncClient,
    county: County,
    store: EventStore,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    await fill(client, county)
    runner = ProjectionRunner(system_pool, batch=3)  # many small batches
    while await runner.catch_up([county.tenant_id]):
        pass

    async def rows() -> dict[str, list[Any]]:
        async with tenant_transaction(app_pool, county.tenant_id) as conn:
            return {
                p.name: [
                    dict(r)
                    for r in await conn.fetch(
                        f"select * from {p.name} where tenant_id = $1 order by 2",  # noqa: S608 - ours
                        county.tenant_id,
                    )
                ]
                for p in (rule_set_list, assessment_list)
            }

    kept = await rows()
    assert [len(kept[p]) for p in ("rule_set_list", "assessment_list")] == [3, 3]
    await ProjectionRunner(system_pool).rebuild(county.tenant_id)
    assert await rows() == kept
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        events = [store.decode(e) for e in await read_tenant(conn, county.tenant_id, 0)]
        followed: list[Projection[Any]] = [rule_set_list, assessment_list]
        for projection in followed:
            replayed = projection.replay(events)
            assert len(replayed) == 3, projection.name
            assert await load_rows(conn, county.tenant_id, projection, replayed) == replayed
