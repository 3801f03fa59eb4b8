"""What an action carries over HTTP: the sheet, reflections, place, notice, stand-in, follow-up."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from infra.tenancy import Role
from projections.runner import ProjectionRunner
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County, issue
from tests.service.test_api_commands import event_count

STARTS = "2023-03-15T08:30:00+08:00"


async def test_the_facts_the_rules_count_are_recorded_and_listed(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county)
    admin = county.auth("admin")
    sync = activity_body(
        community_id, lead, first, kind="synchronous_lesson", mode="online", held_on="2023-03-14"
    )
    earlier = await client.post("/v1/activities", json=sync, headers=admin)
    assert earlier.status_code == 201, earlier.text
    people = [
        {"name": "李华", "school_id": str(lead)},
        {"name": "王芳", "school_id": str(first)},
        {"name": "赵磊", "school_id": str(first)},
        {"name": "孙丽", "school_id": str(first)},
    ]
    sheet = [
        {"name": "李华", "school_id": str(lead), "signed_in_at": "2023-03-15T08:20:00+08:00"},
        {
            "name": "王芳",
            "school_id": str(first),
            "signed_in_at": "2023-03-15T08:41:00+08:00",
            "late": True,
            "left_early": True,
        },
        {"name": "赵磊", "school_id": str(first), "leave_reason": "参加县里的培训"},
    ]
    body = activity_body(
        community_id,
        lead,
        first,
        kind="teacher_training",  # a training held online in place of on site
        mode="online",
        participants=people,
        attendance=sheet,
        starts_at=STARTS,
        venue_school_id=str(first),
        notified_at="2023-03-14T09:00:00+08:00",
        online_reason="道路施工，无法到校",
        follows_up=earlier.json()["id"],
    )
    recorded = await client.post("/v1/activities", json=body, headers=admin)
    assert recorded.status_code == 201, recorded.text
    whole = recorded.json()
    assert whole["follows_up"] == earlier.json()["id"]
    assert whole["online_reason"] == "道路施工，无法到校"
    assert whole["attendance"][2]["leave_reason"] == "参加县里的培训"
    activity = whole["id"]
    reflection = "心" * 2100
    for name, school, text in (("王芳", first, reflection), ("李华", lead, "简短的心得")):
        added = await client.post(
            f"/v1/activities/{activity}/reflections",
            json={"name": name, "school_id": str(school), "text": text},
            headers=admin,
        )
        assert added.status_code == 200, added.text
    assert [r["chars"] for r in added.json()["reflections"]] == [2100, 5]
    stranger = await client.post(
        f"/v1/activities/{activity}/reflections",
        json={"name": "王芳", "school_id": str(second), "text": "x"},
        headers=admin,
    )
    assert (stranger.status_code, stranger.json()["code"]) == (422, "not_expected")

    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    listed = (await client.get("/v1/activities", headers=county.auth("supervisor"))).json()
    item = next(i for i in listed["items"] if i["id"] == activity)
    assert item["attendance_count"] == {
        "expected": 4,
        "signed_in": 2,
        "late": 1,
        "left_early": 1,
        "on_leave": 1,
        "absent": 1,
    }
    assert item["reflection_count"] == 2
    assert (item["venue_school_id"], item["follows_up"]) == (str(first), earlier.json()["id"])
    assert item["online_stand_in"] is True
    assert item["notified_at"].startswith("2023-03-14T01:00:00")  # kept as the moment, in UTC

    # A correction that takes 孙丽 off the list leaves three expected, none absent.
    corrected = await client.post(
        f"/v1/activities/{activity}/corrections",
        json={"reason": "孙丽未列入名单", "participants": people[:3]},
        headers=admin,
    )
    assert corrected.status_code == 200, corrected.text
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    listed = (await client.get("/v1/activities", headers=admin)).json()
    item = next(i for i in listed["items"] if i["id"] == activity)
    assert (item["attendance_count"]["expected"], item["attendance_count"]["absent"]) == (3, 0)
    assert item["reflection_count"] == 2


async def test_bad_facts_are_refused_and_store_nothing(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    people = [{"name": "王芳", "school_id": str(first)}]
    cases: list[tuple[dict[str, Any], int, str | None]] = [
        ({"starts_at": "2023-03-15T08:30:00"}, 400, None),  # no time zone
        ({"notified_at": "2023-03-16T08:30:00+08:00"}, 422, "notice_after_activity"),
        ({"venue_school_id": "00000000-0000-4000-8000-000000000001"}, 422, "venue_school"),
        ({"mode": "online"}, 422, "mode_not_allowed"),  # 送教下乡 online needs its reason
        ({"online_reason": "下雪"}, 422, "online_reason_not_needed"),
        ({"follows_up": "00000000-0000-4000-8000-000000000001"}, 422, "unknown_reference"),
        ({"attendance": [{"name": "路人", "school_id": str(first)}]}, 422, "not_expected"),
        (
            {"attendance": [{"name": "王芳", "school_id": str(first), "late": True}]},
            422,
            "attendance_mark",
        ),
        ({"participants": people * 2}, 422, "duplicate_participant"),
    ]
    before = await event_count(app_pool, county.tenant_id)
    for extra, status, code in cases:
        body = activity_body(community_id, lead, first, participants=people)
        body.update(extra)
        answer = await client.post("/v1/activities", json=body, headers=county.auth("admin"))
        assert answer.status_code == status, (extra, answer.text)
        if code is not None:
            assert answer.json()["code"] == code, (extra, answer.text)
    assert await event_count(app_pool, county.tenant_id) == before


async def test_a_recorder_adds_reflections_to_its_own_schools_actions_only(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    people = [{"name": "王芳", "school_id": str(first)}]
    body = activity_body(community_id, lead, first, participants=people)
    recorded = await client.post("/v1/activities", json=body, headers=county.auth("admin"))
    assert recorded.status_code == 201, recorded.text
    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=first
    )
    reflection = {"name": "王芳", "school_id": str(first), "text": "收获很大"}
    path = f"/v1/activities/{recorded.json()['id']}/reflections"
    refused = await client.post(path, json=reflection, headers=county.auth("recorder"))
    assert (refused.status_code, refused.json()["code"]) == (403, "not_your_school")
    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=lead
    )
    taken = await client.post(path, json=reflection, headers=county.auth("recorder"))
    assert taken.status_code == 200, taken.text
    assert taken.json()["reflections"] == [{**reflection, "chars": 4}]
