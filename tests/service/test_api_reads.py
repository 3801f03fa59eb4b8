"""Reads over HTTP from the projections: lists with cursors, the roster, the dashboard, inboxes."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import msgspec

from infra.db import tenant_transaction
from infra.inbox import ActivityNotice, deliver
from infra.tenancy import Role
from projections.runner import ProjectionRunner
from tests.service.api import activity_body, school, setup_community
from tests.service.conftest import County, issue


async def folded(system_pool: asyncpg.Pool, county: County) -> None:
    """What the background runner does within a second: fold the county's new events."""
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])


async def all_pages(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any
) -> list[list[dict[str, Any]]]:
    pages, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        answer = await client.get(path, headers=headers, params=query)
        assert answer.status_code == 200, answer.text
        pages.append(answer.json()["items"])
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            return pages


async def record(
    client: httpx.AsyncClient, county: County, body: dict[str, Any], role: str = "admin"
) -> dict[str, Any]:
    answer = await client.post("/v1/activities", json=body, headers=county.auth(role))
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def test_schools_are_listed_by_code_a_page_at_a_time(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    for code in ("C05", "C01", "C03", "C02", "C04"):
        await school(client, county, code, location="urban" if code == "C03" else "village")
    await folded(system_pool, county)
    pages = await all_pages(client, "/v1/schools", county.auth("supervisor"), limit=2)
    assert [[item["code"] for item in page] for page in pages] == [
        ["C01", "C02"],
        ["C03", "C04"],
        ["C05"],
    ]
    assert pages[0][0]["location_label"] == "村"
    urban = await all_pages(client, "/v1/schools", county.auth("admin"), location="urban")
    assert [item["code"] for page in urban for item in page] == ["C03"]


async def test_a_cursor_that_no_page_gave_is_a_problem(
    client: httpx.AsyncClient, county: County
) -> None:
    for path in ("/v1/schools", "/v1/activities", "/v1/communities", "/v1/inbox"):
        answer = await client.get(
            path, headers=county.auth("admin", "en"), params={"cursor": "not-a-cursor!"}
        )
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json()["code"] == "bad_cursor"
        assert "next_cursor" in answer.json()["detail"]


async def test_actions_are_listed_latest_first_with_voids_only_when_asked(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county, "L")
    held = ["2022-10-10", "2023-03-01", "2023-05-20", "2023-08-15"]
    ids = [
        (await record(client, county, activity_body(community_id, lead, first, held_on=day)))["id"]
        for day in held
    ]
    voided = await client.post(
        f"/v1/activities/{ids[1]}/void", json={"reason": "重复登记"}, headers=county.auth("admin")
    )
    assert voided.status_code == 200, voided.text
    await folded(system_pool, county)

    headers = county.auth("supervisor")
    pages = await all_pages(client, "/v1/activities", headers, limit=2)
    assert [item["id"] for page in pages for item in page] == [ids[3], ids[2], ids[0]]
    everything = await all_pages(client, "/v1/activities", headers, include_void="true")
    listed = [item for page in everything for item in page]
    assert [item["id"] for item in listed] == [ids[3], ids[2], ids[1], ids[0]]
    assert [item["semester"] for item in listed] == [
        None,
        "2023-spring",
        "2023-spring",
        "2022-autumn",
    ]
    spring = await all_pages(client, "/v1/activities", headers, semester="2023-spring")
    assert [item["id"] for page in spring for item in page] == [ids[2]]
    at_second = await all_pages(client, "/v1/activities", headers, school=str(second))
    assert at_second == [[]]  # it took part in none
    bad = await client.get("/v1/activities", headers=headers, params={"semester": "2023-winter"})
    assert bad.status_code in {400, 422}, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")


async def test_the_dashboard_counts_by_community_semester_and_kind(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county, "D")
    sending = [
        await record(client, county, activity_body(community_id, lead, first, held_on=day))
        for day in ("2022-10-10", "2022-11-10", "2023-03-01")
    ]
    prep = activity_body(
        community_id, lead, first, kind="collective_lesson_prep", held_on="2023-03-08"
    )
    await record(client, county, prep)
    # A correction moves an action to another semester; a void takes one out of the count.
    moved = await client.post(
        f"/v1/activities/{sending[1]['id']}/corrections",
        json={"reason": "日期登记有误", "held_on": "2023-04-10"},
        headers=county.auth("admin"),
    )
    assert moved.status_code == 200, moved.text
    voided = await client.post(
        f"/v1/activities/{sending[0]['id']}/void",
        json={"reason": "重复"},
        headers=county.auth("admin"),
    )
    assert voided.status_code == 200, voided.text
    await folded(system_pool, county)

    answer = await client.get(
        "/v1/dashboards/activity-counts",
        headers=county.auth("supervisor"),
        params={"community": str(community_id)},
    )
    assert answer.status_code == 200, answer.text
    counts = answer.json()
    assert [(i["semester"], i["kind"], i["count"]) for i in counts["items"]] == [
        ("2023-spring", "collective_lesson_prep", 1),
        ("2023-spring", "sending_lessons", 2),
    ]
    assert counts["total"] == 3
    assert counts["pending_events"] == 0
    assert counts["folded_seq"] > 0
    first_item = counts["items"][0]
    assert (first_item["kind_label"], first_item["term_label"]) == ("集体备课/研课", "春季学期")
    assert first_item["community_name"] == "城关小学教共体"

    english = await client.get(
        "/v1/dashboards/activity-counts",
        headers=county.auth("auditor", "en"),
        params={"semester": "2022-autumn"},
    )
    assert english.json()["items"] == []
    spring = await client.get(
        "/v1/dashboards/activity-counts",
        headers=county.auth("supervisor", "en"),
        params={"school_year": "2022-2023", "kind": "sending_lessons"},
    )
    assert [(i["kind_label"], i["count"]) for i in spring.json()["items"]] == [
        ("Sending lessons to rural schools", 2)
    ]
    mismatch = await client.get(
        "/v1/dashboards/activity-counts",
        headers=county.auth("supervisor"),
        params={"semester": "2023-spring", "school_year": "2023-2024"},
    )
    assert mismatch.status_code == 400
    assert mismatch.json()["code"] == "period_mismatch"


async def test_a_recorded_action_is_pending_on_the_dashboard_until_folded(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county, "P")
    await folded(system_pool, county)
    await record(client, county, activity_body(community_id, lead, first))
    before = (
        await client.get("/v1/dashboards/activity-counts", headers=county.auth("supervisor"))
    ).json()
    assert (before["total"], before["pending_events"]) == (0, 1)
    await folded(system_pool, county)
    after = (
        await client.get("/v1/dashboards/activity-counts", headers=county.auth("supervisor"))
    ).json()
    assert (after["total"], after["pending_events"]) == (1, 0)
    assert after["folded_seq"] == before["folded_seq"] + 1


async def test_the_roster_names_the_lead_and_every_stint_on_a_day(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county, "R")
    left = await client.post(
        f"/v1/communities/{community_id}/members/{second}/leave",
        json={"left_on": "2023-09-01", "reason": "学校撤并"},
        headers=county.auth("admin"),
    )
    assert left.status_code == 200, left.text
    await folded(system_pool, county)

    answer = await client.get(
        f"/v1/communities/{community_id}/roster",
        headers=county.auth("supervisor"),
        params={"on": "2023-10-01"},
    )
    assert answer.status_code == 200, answer.text
    roster = answer.json()
    assert roster["lead"]["school_id"] == str(lead)
    assert (roster["lead"]["name"], roster["lead"]["role_label"]) == ("学校R01", "牵头学校")
    members = {m["school_id"]: m for m in roster["members"]}
    assert members[str(first)]["is_member"] is True
    assert members[str(second)]["is_member"] is False
    assert members[str(second)]["left_on"] == "2023-09-01"
    earlier = await client.get(
        f"/v1/communities/{community_id}/roster",
        headers=county.auth("supervisor"),
        params={"on": "2023-06-01"},
    )
    assert all(m["is_member"] for m in earlier.json()["members"])
    after_period = await client.get(
        f"/v1/communities/{community_id}/roster",
        headers=county.auth("supervisor", "en"),
        params={"on": "2025-01-01"},
    )
    assert after_period.json()["is_active"] is False
    assert after_period.json()["lead"]["role_label"] == "Lead school"

    listed = await all_pages(client, "/v1/communities", county.auth("admin"), school=str(second))
    assert [c["id"] for page in listed for c in page] == [str(community_id)]
    summary = listed[0][0]
    assert summary["member_school_ids"] == []  # today is past its period
    assert summary["is_active"] is False


async def test_a_recorder_reads_and_marks_its_own_schools_inbox(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county, "I")
    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=lead
    )
    county.tokens["member"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=first
    )
    await record(client, county, activity_body(community_id, lead, first), role="recorder")
    async with system_pool.acquire() as conn:
        row = await conn.fetchrow(
            "select outbox_id, payload from outbox where tenant_id = $1", county.tenant_id
        )
    assert row is not None
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        notice = msgspec.json.decode(row["payload"], type=ActivityNotice)
        await deliver(conn, county.tenant_id, row["outbox_id"], notice)

    inbox = await client.get("/v1/inbox", headers=county.auth("recorder"))
    assert inbox.status_code == 200, inbox.text
    [notification] = inbox.json()["items"]
    assert notification["text"]["zh"].startswith("新的教共体活动：送教下乡")
    assert notification["read_at"] is None
    assert (await client.get("/v1/inbox", headers=county.auth("member"))).json()["items"] == []
    other = await client.get(
        "/v1/inbox", headers=county.auth("member"), params={"school": str(lead)}
    )
    assert other.status_code == 403
    assert other.json()["code"] == "not_your_school"
    path = f"/v1/inbox/{notification['notification_id']}/read"
    assert (await client.post(path, headers=county.auth("member"))).status_code == 404
    assert (await client.post(path, headers=county.auth("supervisor"))).status_code == 403
    assert (await client.post(path, headers=county.auth("recorder"))).status_code == 204
    read = (await client.get("/v1/inbox", headers=county.auth("admin"))).json()["items"][0]
    assert read["read_at"] is not None
    assert (
        await client.post("/v1/inbox/99999999999999999999/read", headers=county.auth("admin"))
    ).status_code == 404


async def test_healthz_reports_the_projection_lag(client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz")
    assert health.status_code == 200
    assert isinstance(health.json()["projection_lag"], int)
    assert health.json()["projection_lag"] >= 0
