"""Assignments and mentor pairs over HTTP: the overlap rule across records, replacements, lists."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg
import httpx

from projections.runner import ProjectionRunner
from tests.service.api import activity_body, setup_community, teacher
from tests.service.conftest import County


def arrangement(teacher_id: UUID, sending: UUID, host: UUID, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "dispatch",
        "teacher_id": str(teacher_id),
        "role": "backbone_teacher",
        "from_school_id": str(sending),
        "to_school_id": str(host),
        "host_posts": ["prep_group_leader"],
        "starts_on": "2022-09-01",
        "planned_ends_on": "2024-08-31",
        **extra,
    }


async def post(
    client: httpx.AsyncClient, county: County, path: str, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(path, json=body, headers=county.auth("admin", "en"))


async def ids(client: httpx.AsyncClient, county: County, path: str, **params: Any) -> set[str]:
    answer = await client.get(path, headers=county.auth("supervisor"), params=params)
    assert answer.status_code == 200, answer.text
    return {item["id"] for item in answer.json()["items"]}


async def test_one_person_is_never_on_two_full_time_assignments_at_once(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county, "A")
    li, wang = (
        await teacher(client, county, lead, "李老师"),
        await teacher(client, county, lead, "王老师"),
    )
    made = await post(
        client,
        county,
        "/v1/assignments",
        arrangement(
            li, lead, first, community_id=str(community_id), party_relation="moved_to_host"
        ),
    )
    assert made.status_code == 201, made.text
    dispatch = made.json()
    assert (dispatch["kind_label"], dispatch["party_relation"]) == (
        "Dispatch (rotation, secondment)",
        "moved_to_host",
    )
    assert dispatch["holders"] == [
        {"teacher_id": str(li), "since": "2022-09-01", "side": None, "side_label": None}
    ]
    path = f"/v1/assignments/{dispatch['id']}"

    # Not yet folded into any list: the rule reads the records themselves.
    overlapping = arrangement(
        li, lead, second, starts_on="2023-01-01", planned_ends_on="2023-06-30"
    )
    refused = await post(client, county, "/v1/assignments", overlapping)
    assert (refused.status_code, refused.json()["code"]) == (409, "overlapping_assignment")
    part_time = await post(
        client, county, "/v1/assignments", {**overlapping, "full_time": False, "kind": "shadowing"}
    )
    assert part_time.status_code == 201, part_time.text
    outside = await post(
        client,
        county,
        "/v1/assignments",
        arrangement(
            wang, lead, first, planned_ends_on="2025-01-31", community_id=str(community_id)
        ),
    )
    assert (outside.status_code, outside.json()["code"]) == (422, "outside_community_period")
    same = await post(client, county, "/v1/assignments", arrangement(wang, lead, lead))
    assert (same.status_code, same.json()["code"]) == (422, "same_school_assignment")

    early = {"teacher_id": str(wang), "replaced_on": "2023-03-01", "side": "host"}
    too_early = await post(client, county, f"{path}/replacement", early)
    assert (too_early.status_code, too_early.json()["code"]) == (409, "replacement_too_early")
    replaced = await post(
        client,
        county,
        f"{path}/replacement",
        {**early, "replaced_on": "2023-09-01", "reason": "轮换"},
    )
    assert replaced.status_code == 200, replaced.text
    assert [h["teacher_id"] for h in replaced.json()["holders"]] == [str(li), str(wang)]
    assert replaced.json()["holders"][1]["side_label"] == "Host school"

    # Li served until 31 August 2023: free for another full-time term after it.
    later = await post(
        client,
        county,
        "/v1/assignments",
        arrangement(li, lead, second, starts_on="2023-10-01", planned_ends_on="2024-06-30"),
    )
    assert later.status_code == 201, later.text
    ended = await post(client, county, f"{path}/end", {"ended_on": "2024-01-31", "reason": "借调"})
    assert (ended.status_code, ended.json()["ended_on"]) == (200, "2024-01-31")
    twice = await post(client, county, f"{path}/end", {"ended_on": "2024-02-28", "reason": "借调"})
    assert (twice.status_code, twice.json()["code"]) == (409, "already_ended")

    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    listing = "/v1/assignments"
    all_three = {dispatch["id"], part_time.json()["id"], later.json()["id"]}
    assert await ids(client, county, listing) == all_three
    assert await ids(client, county, listing, person=str(li)) == all_three
    assert await ids(client, county, listing, person=str(wang)) == {dispatch["id"]}
    assert await ids(client, county, listing, community=str(community_id)) == {dispatch["id"]}
    assert await ids(client, county, listing, to_school=str(second)) == all_three - {dispatch["id"]}
    assert await ids(client, county, listing, school=str(first)) == {dispatch["id"]}
    assert await ids(client, county, listing, kind="shadowing") == {part_time.json()["id"]}
    assert await ids(client, county, listing, active_on="2024-03-01") == {later.json()["id"]}
    read = await client.get(path, headers=county.auth("auditor"))
    assert (read.headers["etag"], read.json()["teacher_id"]) == ('"3"', str(wang))


async def test_a_mentor_pair_links_the_apprentices_public_lessons_within_its_term(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county, "M")
    mentor = await teacher(client, county, lead, "周老师", title="senior")
    apprentice = await teacher(client, county, lead, "吴老师")
    pair = {
        "mentor_id": str(mentor),
        "apprentice_id": str(apprentice),
        "school_id": str(lead),
        "starts_on": "2022-09-01",
        "planned_ends_on": "2023-08-31",
    }
    alone = await post(client, county, "/v1/mentorships", {**pair, "apprentice_id": str(mentor)})
    assert (alone.status_code, alone.json()["code"]) == (422, "same_teacher")
    made = await post(client, county, "/v1/mentorships", pair)
    assert made.status_code == 201, made.text
    path = f"/v1/mentorships/{made.json()['id']}"

    admin = county.auth("admin")
    lesson = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first, kind="public_lesson", title="汇报课"),
        headers=admin,
    )
    other = await client.post(
        "/v1/activities", json=activity_body(community_id, lead, first), headers=admin
    )
    linked = await post(client, county, f"{path}/lessons", {"activity_id": lesson.json()["id"]})
    assert (linked.status_code, linked.json()["lesson_ids"]) == (200, [lesson.json()["id"]])
    twice = await post(client, county, f"{path}/lessons", {"activity_id": lesson.json()["id"]})
    assert (twice.status_code, twice.json()["code"]) == (409, "lesson_already_linked")
    wrong = await post(client, county, f"{path}/lessons", {"activity_id": other.json()["id"]})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "lesson_kind")
    unknown = await post(client, county, f"{path}/lessons", {"activity_id": str(mentor)})
    assert unknown.status_code == 422, unknown.text
    ended = await post(client, county, f"{path}/end", {"ended_on": "2023-06-30", "reason": "调动"})
    assert (ended.status_code, ended.json()["ended_on"]) == (200, "2023-06-30")

    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    listing, one = "/v1/mentorships", {made.json()["id"]}
    assert await ids(client, county, listing) == one
    assert await ids(client, county, listing, person=str(apprentice)) == one
    assert await ids(client, county, listing, school=str(first)) == set()
    assert await ids(client, county, listing, active_on="2023-06-30") == one
    assert await ids(client, county, listing, active_on="2023-07-01") == set()
    read = await client.get(path, headers=county.auth("supervisor"))
    assert read.json() == ended.json()
