"""Assessments over HTTP: the bureau records the computed assessment and its final grade."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.assessment.templates import load_template
from tests.service.api import community as new_community
from tests.service.api import school, setup_community

if TYPE_CHECKING:
    import httpx

    from tests.service.conftest import County


async def published(client: httpx.AsyncClient, county: County) -> dict[str, Any]:
    loaded = await client.post(
        "/v1/rule-sets/templates/rongan-2022",
        json={"version": 1, "publish": True},
        headers=county.auth("admin"),
    )
    assert loaded.status_code == 201, loaded.text
    found: dict[str, Any] = loaded.json()
    return found


def body(community: UUID, rule_set: str, **changes: Any) -> dict[str, Any]:
    found = {
        "community_id": str(community),
        "school_year": "2022-2023",
        "rule_set_id": rule_set,
        "results": [],
        "grade": "pass",
    }
    found.update(changes)
    return found


async def test_a_co_built_community_is_recorded_bundled_and_read_by_the_bureau(
    client: httpx.AsyncClient, county: County
) -> None:
    rules = await published(client, county)
    community, lead, first, second = await setup_community(client, county)
    r1, r2 = rules["rule_ids"][:2]
    results = [
        {"rule_id": r1, "status": "met", "score": 0},  # a community rule: the lead's own
        {"rule_id": r1, "school_id": str(first), "status": "missed", "score": 0},
        {"rule_id": r2, "school_id": str(second), "status": "not_applicable"},
    ]
    admin = county.auth("admin")
    # The met rule scores its full points, as the evaluation would.
    points = {r.id: r.score.points for r in load_template("rongan-2022").rules}
    results[0]["score"] = points[r1]
    refused = await client.post(
        "/v1/assessments", json=body(community, rules["id"], results=results), headers=admin
    )
    # Own 100, members: first 0 (second has nothing applicable): 0.3 x 100 + 0.7 x 0 = 30.
    assert (refused.status_code, refused.json()["code"]) == (422, "grade_reason_required")
    recorded = await client.post(
        "/v1/assessments",
        json=body(community, rules["id"], results=results, reason="成员校整体进步明显"),
        headers=admin,
    )
    assert recorded.status_code == 201, recorded.text
    found = recorded.json()
    assert found["computed_total"] == 30.0
    assert (found["computed_grade"], found["computed_grade_label"]) == ("fail", "不合格")
    assert (found["final_grade"], found["final_grade_label"]) == ("pass", "合格")
    assert found["funding"] == 10000
    assert found["own_total"] == 100.0
    assert [(m["school_id"], m["total"]) for m in found["members"]] == sorted(
        [(str(first), 0.0), (str(second), None)]
    )
    assert found["rule_set"] == "rongan-2022@1"
    assert recorded.headers["Location"] == f"/v1/assessments/{found['id']}"
    again = await client.post(
        "/v1/assessments",
        json=body(community, rules["id"], results=results, reason="再次"),
        headers=admin,
    )
    assert (again.status_code, again.json()["code"]) == (409, "assessment_exists")
    for role in ("supervisor", "auditor", "admin"):
        one = await client.get(f"/v1/assessments/{found['id']}", headers=county.auth(role))
        assert one.status_code == 200, one.text
        assert one.json()["reason"] == "成员校整体进步明显"
    supervisor = county.auth("supervisor")
    for params, expected in (
        ({}, 1),
        ({"school_year": "2022-2023", "grade": "pass", "community": str(community)}, 1),
        ({"school_year": "2023-2024"}, 0),
        ({"grade": "fail"}, 0),
    ):
        listed = await client.get("/v1/assessments", params=params, headers=supervisor)
        assert listed.status_code == 200, listed.text
        assert len(listed.json()["items"]) == expected, params
    assert lead not in {m["school_id"] for m in found["members"]}


async def test_a_collaborative_community_needs_its_project_scores(
    client: httpx.AsyncClient, county: County
) -> None:
    rules = await published(client, county)
    community, _, _, _ = await setup_community(client, county, "P")
    lead = await school(client, county, "Q01", location="urban")
    member = await school(client, county, "Q02")
    collaborative = await new_community(client, county, lead, [member], type="collaborative")
    admin = county.auth("admin", "en")
    missing = await client.post(
        "/v1/assessments", json=body(collaborative, rules["id"]), headers=admin
    )
    assert (missing.status_code, missing.json()["code"]) == (422, "invalid_project_score")
    wrong_type = await client.post(
        "/v1/assessments",
        json=body(community, rules["id"], project=[{"name": "项目", "points": 10, "score": 5}]),
        headers=admin,
    )
    assert (wrong_type.status_code, wrong_type.json()["code"]) == (422, "invalid_project_score")
    project = [
        {"name": "项目实施", "points": 40, "score": 38},
        {"name": "成员校提升", "points": 60, "score": 55},
    ]
    recorded = await client.post(
        "/v1/assessments",
        json=body(collaborative, rules["id"], project=project, grade="excellent"),
        headers=admin,
    )
    assert recorded.status_code == 201, recorded.text
    found = recorded.json()
    assert (found["computed_total"], found["computed_grade"]) == (93.0, "excellent")
    assert found["reason"] == ""
    assert found["funding"] == 12000
    assert [p["score"] for p in found["project"]] == [38.0, 55.0]


async def test_bad_references_are_named_and_a_draft_cannot_assess(
    client: httpx.AsyncClient, county: County
) -> None:
    rules = await published(client, county)
    community, _, _, _ = await setup_community(client, county)
    admin = county.auth("admin", "en")
    draft = await client.post(
        "/v1/rule-sets/templates/yongli-pairing", json={"version": 2}, headers=admin
    )
    not_published = await client.post(
        "/v1/assessments", json=body(community, draft.json()["id"]), headers=admin
    )
    assert (not_published.status_code, not_published.json()["code"]) == (
        409,
        "rule_set_not_published",
    )
    unknown = await client.post(
        "/v1/assessments",
        json=body(community, rules["id"], results=[{"rule_id": "NO-1", "status": "met"}]),
        headers=admin,
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_result_rule")
    above = await client.post(
        "/v1/assessments",
        json=body(
            community,
            rules["id"],
            results=[{"rule_id": rules["rule_ids"][0], "status": "met", "score": 999}],
        ),
        headers=admin,
    )
    assert (above.status_code, above.json()["code"]) == (422, "result_above_points")
    year = await client.post(
        "/v1/assessments", json=body(community, rules["id"], school_year="2022-2024"), headers=admin
    )
    assert (year.status_code, year.json()["code"]) == (422, "invalid_period")
    gone = await client.post("/v1/assessments", json=body(UUID(int=5), rules["id"]), headers=admin)
    assert gone.status_code == 422, gone.text
    listed = await client.get("/v1/assessments", headers=admin)
    assert listed.json()["items"] == []
