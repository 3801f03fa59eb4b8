"""Assessments over HTTP: computed from compliance by the server, graded by the bureau."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.assessment.assessment import Unit, assess
from domain.assessment.calendar import Window
from domain.assessment.codes import EvaluationMode
from domain.assessment.evaluate import evaluate
from domain.codes import CommunityType
from infra.codec import EventMapper
from infra.db import tenant_transaction
from projections.assessment.facts import CountyFacts
from service.assessment.facts import catch_up
from service.http.common import today_in
from tests.service.api import activity_body, school, setup_community
from tests.service.api import community as new_community
from tests.service.compliance_api import draft, lessons_rule_set, publish, record

if TYPE_CHECKING:
    import asyncpg
    import httpx

    from tests.service.conftest import County

ZONE = "Asia/Shanghai"


def graded_rule_set(version: int = 1) -> dict[str, Any]:
    """The compliance tests' one rule (送教, 10 points, partial), with bands and funding."""
    return {
        **lessons_rule_set(version),
        "id": "test-assess",
        "bands": [
            {"grade": "excellent", "min_score": 90},
            {"grade": "pass", "min_score": 60},
            {"grade": "fail", "min_score": 0},
        ],
        "funding": [
            {"grade": "excellent", "amount": 12000},
            {"grade": "pass", "amount": 10000},
            {"grade": "fail", "amount": 5000},
        ],
    }


def body(community: UUID, **changes: Any) -> dict[str, Any]:
    return {"community_id": str(community), "school_year": "2022-2023", "grade": "pass", **changes}


async def test_the_computed_assessment_is_what_the_pure_evaluation_gives_of_the_history(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    community, lead, first, second = await setup_community(client, county)
    await publish(client, county, await draft(client, county, graded_rule_set()))
    # 2022-autumn: one 送教 of two (5 of 10 points); 2023-spring: two (10 of 10).
    for day in ("2022-11-02", "2023-03-15", "2023-04-05"):
        await record(client, county, activity_body(community, lead, first, held_on=day))
    admin = county.auth("admin")
    refused = await client.post("/v1/assessments", json=body(community, grade="excellent"))
    assert refused.status_code == 401
    refused = await client.post(
        "/v1/assessments", json=body(community, grade="excellent"), headers=admin
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "grade_reason_required")
    assert refused.json()["params"]["field"] == "reason"
    recorded = await client.post("/v1/assessments", json=body(community), headers=admin)
    assert recorded.status_code == 201, recorded.text
    found = recorded.json()
    # The rule: 10 x (5 + 10) / (10 + 10) = 7.5 of 10: 75, 合格, its funding.
    assert found["computed_total"] == 75.0
    assert (found["computed_grade"], found["computed_grade_label"]) == ("pass", "合格")
    assert (found["final_grade"], found["reason"], found["funding"]) == ("pass", "", 10000)
    assert found["rule_set"] == "test-assess@1"
    assert found["as_of"] == today_in(ZONE).isoformat()
    assert [(r["rule_id"], r["earned"], r["results"], r["met"]) for r in found["rules"]] == [
        ("R1", 7.5, 2, 1)
    ]

    # The same from the county's log folded afresh and the pure evaluation and assessment.
    fold = CountyFacts()
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        await catch_up(conn, county.tenant_id, fold, EventMapper(), ZoneInfo(ZONE))
    [version] = [p.rules for p in fold.published]
    year = Window.of_school_year("2022-2023")
    results = evaluate(version, fold.facts(), year, today_in(ZONE), EvaluationMode.AS_KNOWN)
    unit = Unit(community, CommunityType.CO_BUILT, lead, tuple(sorted((first, second))))
    expected = assess(version, unit, results)
    assert expected.total is not None
    assert found["computed_total"] == round(expected.total, 2)
    assert found["own_total"] == round(expected.own.total or 0, 2)
    assert [(r["rule_id"], r["earned"]) for r in found["rules"]] == [
        (r.rule_id, r.earned) for r in expected.own.rules
    ]
    assert found["computed_grade"] == expected.grade
    assert found["folded_seq"] <= fold.last_seq

    again = await client.post("/v1/assessments", json=body(community), headers=admin)
    assert (again.status_code, again.json()["code"]) == (409, "assessment_exists")
    for role in ("supervisor", "auditor", "admin"):
        one = await client.get(f"/v1/assessments/{found['id']}", headers=county.auth(role))
        assert one.status_code == 200, one.text
        assert (one.json()["computed_total"], one.json()["version"]) == (75.0, 2)


async def test_the_day_and_year_assessed_must_be_known_and_judged(
    client: httpx.AsyncClient, county: County
) -> None:
    community, _, _, _ = await setup_community(client, county)
    admin = county.auth("admin", "en")
    nothing = await client.post("/v1/assessments", json=body(community), headers=admin)
    assert (nothing.status_code, nothing.json()["code"]) == (409, "no_rule_set_in_force")
    await publish(client, county, await draft(client, county, graded_rule_set()))
    tomorrow = (today_in(ZONE) + timedelta(days=1)).isoformat()
    later = await client.post(
        "/v1/assessments", json=body(community, as_of=tomorrow), headers=admin
    )
    assert (later.status_code, later.json()["code"]) == (422, "as_of_after_today")
    assert later.json()["params"]["field"] == "as_of"
    # Published today: as known yesterday, no version judged anything.
    yesterday = (today_in(ZONE) - timedelta(days=1)).isoformat()
    before = await client.post(
        "/v1/assessments", json=body(community, as_of=yesterday), headers=admin
    )
    assert (before.status_code, before.json()["code"]) == (422, "unknown_reference")
    outside = await client.post(
        "/v1/assessments", json=body(community, school_year="2024-2025"), headers=admin
    )
    assert (outside.status_code, outside.json()["code"]) == (409, "no_rule_set_in_force")
    year = await client.post(
        "/v1/assessments", json=body(community, school_year="2022-2024"), headers=admin
    )
    assert (year.status_code, year.json()["code"]) == (422, "invalid_period")
    assert "2025-2026" in year.text
    assert "semester" not in year.text and "学期" not in year.text
    gone = await client.post("/v1/assessments", json=body(UUID(int=5)), headers=admin)
    assert (gone.status_code, gone.json()["code"]) == (422, "unknown_reference")
    old = await client.post(
        "/v1/assessments", json=body(community, rule_set_id=str(UUID(int=5))), headers=admin
    )
    assert old.status_code == 400, old.text  # the body no longer names a rule set
    listed = await client.get("/v1/assessments", headers=admin)
    assert listed.json()["items"] == []


async def test_a_collaborative_community_needs_its_project_scores(
    client: httpx.AsyncClient, county: County
) -> None:
    await publish(client, county, await draft(client, county, graded_rule_set()))
    community, _, _, _ = await setup_community(client, county, "P")
    lead = await school(client, county, "Q01", location="urban")
    member = await school(client, county, "Q02")
    collaborative = await new_community(client, county, lead, [member], type="collaborative")
    admin = county.auth("admin", "en")
    missing = await client.post("/v1/assessments", json=body(collaborative), headers=admin)
    assert (missing.status_code, missing.json()["code"]) == (422, "invalid_project_score")
    project = [
        {"name": "项目实施", "points": 40, "score": 38},
        {"name": "成员校提升", "points": 60, "score": 55},
    ]
    wrong_type = await client.post(
        "/v1/assessments", json=body(community, project=project[:1]), headers=admin
    )
    assert (wrong_type.status_code, wrong_type.json()["code"]) == (422, "invalid_project_score")
    recorded = await client.post(
        "/v1/assessments",
        json=body(collaborative, project=project, grade="excellent"),
        headers=admin,
    )
    assert recorded.status_code == 201, recorded.text
    found = recorded.json()
    assert (found["computed_total"], found["computed_grade"]) == (93.0, "excellent")
    assert (found["reason"], found["funding"]) == ("", 12000)
    assert [p["score"] for p in found["project"]] == [38.0, 55.0]
