"""Research projects (课题) and papers (论文) over HTTP: stages, owners, outcomes, lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.tenancy import Role
from projections.runner import ProjectionRunner
from tests.service.api import setup_community
from tests.service.conftest import County, issue
from tests.service.research_api import TEACHER, created, paper_body, project_body

if TYPE_CHECKING:
    import asyncpg
    import httpx


async def test_a_project_is_applied_for_approved_and_concluded_and_listed(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county, "R")
    admin = county.auth("admin")
    joint = await created(
        client,
        county,
        "/v1/research/projects",
        project_body([lead, first], community_id=str(community_id)),
    )
    own = await created(client, county, "/v1/research/projects", project_body([second]))
    path = f"/v1/research/projects/{joint}"
    approved = await client.post(
        f"{path}/approve",
        json={"level": "city", "approved_on": "2022-12-01", "reference": "SJ-2022-17"},
        headers=admin,
    )
    assert approved.status_code == 200, approved.text
    assert (approved.json()["stage"], approved.json()["level_label"]) == ("approved", "市级")
    assert approved.headers["ETag"] == '"2"'
    early = await client.post(
        f"{path}/conclude", json={"concluded_on": "2022-11-01"}, headers=admin
    )
    assert (early.status_code, early.json()["code"]) == (422, "research_date_order")
    done = await client.post(
        f"{path}/conclude", json={"concluded_on": "2023-06-20", "note": "结题报告"}, headers=admin
    )
    assert done.status_code == 200, done.text
    again = await client.post(
        f"{path}/abandon", json={"reason": "x", "abandoned_on": "2023-07-01"}, headers=admin
    )
    assert (again.status_code, again.json()["code"]) == (409, "project_stage")
    assert "已结题" in again.json()["detail"]
    dropped = await client.post(
        f"/v1/research/projects/{own}/abandon",
        json={"reason": "主持人调离", "abandoned_on": "2023-01-05"},
        headers=admin,
    )
    assert dropped.json()["abandon_reason"] == "主持人调离"

    one = (await client.get(path, headers=county.auth("auditor", "en"))).json()
    assert (one["stage_label"], one["reference"], one["conclusion"], one["is_joint"]) == (
        "Concluded",
        "SJ-2022-17",
        "结题报告",
        True,
    )
    assert one["participant_ids"] == [TEACHER]
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    supervisor = county.auth("supervisor")
    listed = await client.get("/v1/research/projects", headers=supervisor)
    assert {item["id"] for item in listed.json()["items"]} == {own, joint}
    for params, expected in (
        ({"school": str(first)}, [joint]),
        ({"joint": "true"}, [joint]),
        ({"stage": "abandoned"}, [own]),
        ({"level": "city"}, [joint]),
        ({"community": str(community_id)}, [joint]),
        ({"school_year": "2022-2023", "school": str(second)}, [own]),
        ({"school_year": "2023-2024"}, []),
    ):
        found = await client.get("/v1/research/projects", headers=supervisor, params=params)
        assert [item["id"] for item in found.json()["items"]] == expected, params
    first_page = await client.get("/v1/research/projects", headers=supervisor, params={"limit": 1})
    cursor = first_page.json()["next_cursor"]
    second_page = await client.get(
        "/v1/research/projects", headers=supervisor, params={"limit": 1, "cursor": cursor}
    )
    assert {first_page.json()["items"][0]["id"], second_page.json()["items"][0]["id"]} == {
        own,
        joint,
    }
    assert second_page.json()["next_cursor"] is None
    bad = await client.get(
        "/v1/research/projects", headers=supervisor, params={"school_year": "2022"}
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_period")


async def test_an_application_is_checked_against_the_schools_and_the_community(
    client: httpx.AsyncClient, county: County
) -> None:
    community_id, lead, first, _ = await setup_community(client, county, "Q")
    admin = county.auth("admin", "en")
    outsider = await created(
        client,
        county,
        "/v1/schools",
        {"name": "外县学校", "code": "QX9", "stage": "primary", "location": "town"},
    )
    for body, status, code in (
        (project_body([first, first]), 422, "duplicate_owner_school"),
        (project_body([]), 400, "invalid_request"),
        (
            project_body([first], participant_ids=[TEACHER, TEACHER]),
            422,
            "duplicate_research_teacher",
        ),
        (project_body([outsider], community_id=str(community_id)), 422, "owner_not_in_community"),
        (project_body([first], applied_on="2099-01-01"), 422, "research_in_future"),
        (project_body([first], level="galaxy"), 400, "invalid_request"),
        (project_body([first], community_id=str(lead)), 422, "unknown_reference"),
    ):
        answer = await client.post("/v1/research/projects", json=body, headers=admin)
        assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text


async def test_a_recorder_acts_only_for_its_own_schools_projects_and_papers(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    _, lead, first, second = await setup_community(client, county, "P")
    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=first
    )
    mine = county.auth("recorder")
    joint = await client.post(
        "/v1/research/projects", json=project_body([lead, first]), headers=mine
    )
    assert joint.status_code == 201, joint.text
    theirs = await client.post("/v1/research/projects", json=project_body([second]), headers=mine)
    assert (theirs.status_code, theirs.json()["code"]) == (403, "not_your_school")
    other = await created(client, county, "/v1/research/projects", project_body([second]))
    approve = await client.post(
        f"/v1/research/projects/{other}/approve",
        json={"level": "county", "approved_on": "2022-11-01"},
        headers=mine,
    )
    assert approve.status_code == 403, approve.text
    paper = await client.post("/v1/research/papers", json=paper_body(first), headers=mine)
    assert paper.status_code == 201, paper.text
    foreign = await client.post("/v1/research/papers", json=paper_body(second), headers=mine)
    assert foreign.status_code == 403, foreign.text
    supervisor = await client.post(
        "/v1/research/papers", json=paper_body(first), headers=county.auth("supervisor")
    )
    assert supervisor.status_code == 403


async def test_papers_are_awarded_exchanged_or_published_and_a_wrong_one_is_voided(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, _, first, second = await setup_community(client, county, "W")
    admin = county.auth("admin")
    project = await created(client, county, "/v1/research/projects", project_body([first]))
    awarded = await created(
        client,
        county,
        "/v1/research/papers",
        paper_body(first, project_id=project, community_id=str(community_id)),
    )
    published = await created(
        client,
        county,
        "/v1/research/papers",
        paper_body(
            second, outcome="published", award_grade="", venue="《小学数学教师》", level="province"
        ),
    )
    for body, code in (
        (paper_body(first, award_grade=""), "paper_outcome_detail"),
        (paper_body(first, outcome="published", award_grade="", venue=""), "paper_outcome_detail"),
        (paper_body(first, outcome="exchanged"), "paper_outcome_detail"),
        (paper_body(first, project_id=str(first)), "unknown_reference"),
    ):
        answer = await client.post("/v1/research/papers", json=body, headers=admin)
        assert (answer.status_code, answer.json()["code"]) == (422, code), answer.text
    void = await client.post(
        f"/v1/research/papers/{published}/void", json={"reason": "重复登记"}, headers=admin
    )
    assert (void.status_code, void.json()["is_void"], void.json()["void_reason"]) == (
        200,
        True,
        "重复登记",
    )
    twice = await client.post(
        f"/v1/research/papers/{published}/void", json={"reason": "again"}, headers=admin
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "paper_voided")

    one = (
        await client.get(f"/v1/research/papers/{awarded}", headers=county.auth("supervisor"))
    ).json()
    assert (one["outcome_label"], one["award_grade"], one["project_id"]) == (
        "获奖",
        "一等奖",
        project,
    )
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    listed = await client.get("/v1/research/papers", headers=admin)
    assert [item["id"] for item in listed.json()["items"]] == [awarded]
    everything = await client.get(
        "/v1/research/papers", headers=admin, params={"include_void": "true"}
    )
    assert {item["id"] for item in everything.json()["items"]} == {awarded, published}
    for params, expected in (
        ({"level": "city"}, [awarded]),
        ({"outcome": "awarded", "school": str(first)}, [awarded]),
        ({"school": str(second)}, []),
        ({"school_year": "2022-2023"}, [awarded]),
    ):
        found = await client.get("/v1/research/papers", headers=admin, params=params)
        assert [item["id"] for item in found.json()["items"]] == expected, params
