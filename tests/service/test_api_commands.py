"""Commands over HTTP: schools, communities, activities; versions, idempotency, roles."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg
import httpx

from infra.db import tenant_transaction
from infra.tenancy import Role
from tests.service.api import activity_body, community, school, setup_community
from tests.service.conftest import County, issue


async def event_count(pool: asyncpg.Pool, tenant_id: UUID) -> int:
    async with tenant_transaction(pool, tenant_id) as conn:
        return int(
            await conn.fetchval("select count(*) from events where tenant_id = $1", tenant_id)
        )


async def test_an_admin_registers_a_school_and_reads_it_in_chinese_or_english(
    client: httpx.AsyncClient, county: County
) -> None:
    body = {"name": "城关中心小学", "code": "3311270001", "stage": "primary", "location": "urban"}
    created = await client.post("/v1/schools", json=body, headers=county.auth("admin"))
    assert created.status_code == 201
    school_id = created.json()["id"]
    assert created.headers["location"] == f"/v1/schools/{school_id}"
    assert created.headers["etag"] == '"1"'
    assert created.json() | {"id": None} == {
        "id": None,
        "name": "城关中心小学",
        "code": "3311270001",
        "stage": "primary",
        "stage_label": "小学",
        "location": "urban",
        "location_label": "城区/县城",
        "district": "",
        "is_open": True,
        "closed_on": None,
        "version": 1,
    }
    english = await client.get(f"/v1/schools/{school_id}", headers=county.auth("supervisor", "en"))
    assert english.status_code == 200
    assert english.headers["etag"] == '"1"'
    assert (english.json()["stage_label"], english.json()["name"]) == (
        "Primary school",
        "城关中心小学",
    )


async def test_a_school_code_is_registered_once(client: httpx.AsyncClient, county: County) -> None:
    await school(client, county, "DUP-1")
    again = await client.post(
        "/v1/schools",
        json={"name": "另一所", "code": "DUP-1", "stage": "junior", "location": "town"},
        headers=county.auth("admin"),
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    problem = again.json()
    assert problem["code"] == "school_code_taken"
    assert problem["type"] == "urn:jiaogongti:problem:school_code_taken"
    assert problem["status"] == 409
    assert "DUP-1" in problem["detail"]
    assert problem["detail"].startswith("代码为 DUP-1 的学校已经登记")


async def test_if_match_guards_against_a_stale_change(
    client: httpx.AsyncClient, county: County
) -> None:
    school_id = await school(client, county, "V-1")
    renamed = await client.post(
        f"/v1/schools/{school_id}/rename",
        json={"name": "新名字小学"},
        headers=county.auth("admin", **{"If-Match": '"1"'}),
    )
    assert renamed.status_code == 200
    assert renamed.headers["etag"] == '"2"'
    stale = await client.post(
        f"/v1/schools/{school_id}/rename",
        json={"name": "又一个名字"},
        headers=county.auth("admin", **{"If-Match": '"1"'}),
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    assert stale.json()["params"] == {"expected": "1", "actual": "2"}
    assert stale.headers["etag"] == '"2"'
    bad = await client.post(
        f"/v1/schools/{school_id}/rename",
        json={"name": "又一个名字"},
        headers=county.auth("admin", **{"If-Match": "latest"}),
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "bad_if_match"


async def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    body = {"name": "重试小学", "code": "IDEM-1", "stage": "primary", "location": "town"}
    headers = county.auth("admin", **{"Idempotency-Key": "register-idem-1"})
    first = await client.post("/v1/schools", json=body, headers=headers)
    before = await event_count(app_pool, county.tenant_id)
    second = await client.post("/v1/schools", json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await event_count(app_pool, county.tenant_id) == before

    # The same key for another request is refused, and nothing is stored.
    other = await client.post("/v1/schools", json={**body, "code": "IDEM-2"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert await event_count(app_pool, county.tenant_id) == before


async def test_a_retried_correction_is_not_refused_as_a_second_correction(
    client: httpx.AsyncClient, county: County
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    recorded = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first),
        headers=county.auth("admin"),
    )
    activity_id = recorded.json()["id"]
    headers = county.auth("admin", **{"Idempotency-Key": f"void-{activity_id}"})
    voided = await client.post(
        f"/v1/activities/{activity_id}/void", json={"reason": "重复登记"}, headers=headers
    )
    again = await client.post(
        f"/v1/activities/{activity_id}/void", json={"reason": "重复登记"}, headers=headers
    )
    assert (voided.status_code, again.status_code) == (200, 200)
    assert again.json() == voided.json()
    without_key = await client.post(
        f"/v1/activities/{activity_id}/void",
        json={"reason": "重复登记"},
        headers=county.auth("admin"),
    )
    assert without_key.status_code == 409
    assert without_key.json()["code"] == "activity_voided"


async def test_bad_input_gets_a_problem_and_stores_nothing(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    before = await event_count(app_pool, county.tenant_id)
    admin = county.auth("admin")
    cases: list[tuple[str, object, int, str]] = [
        ("/v1/schools", {"name": "x", "code": "OK1", "stage": "primary", "location": "urban", "extra": 1}, 400, "invalid_request"),
        ("/v1/schools", {"name": 5, "code": "OK1", "stage": "primary", "location": "urban"}, 400, "invalid_request"),
        ("/v1/schools", {"name": "x" * 101, "code": "OK1", "stage": "primary", "location": "urban"}, 400, "invalid_request"),
        ("/v1/schools", {"name": "x", "code": "有空格 1", "stage": "primary", "location": "urban"}, 400, "invalid_request"),
        ("/v1/schools", {"name": "x", "code": "OK1", "stage": "university", "location": "urban"}, 400, "invalid_request"),
        ("/v1/activities", activity_body(community_id, lead, first, held_on="2023-02-30"), 400, "invalid_request"),
        ("/v1/activities", activity_body(community_id, lead, first, held_on="2099-01-01"), 422, "activity_in_future"),
        ("/v1/activities", activity_body(community_id, lead, first, held_on="1999-01-01"), 422, "date_out_of_range"),
        ("/v1/activities", activity_body(community_id, lead, first, held_on="2021-05-01"), 422, "outside_community_period"),
        ("/v1/activities", activity_body(uuid4(), lead, first), 422, "unknown_reference"),
        ("/v1/activities", activity_body(community_id, lead, uuid4()), 422, "school_not_in_community"),
        ("/v1/activities", activity_body(community_id, lead, first, mode="online"), 422, "mode_not_allowed"),
        ("/v1/communities", {"name": "x", "type": "fused", "lead_school_id": str(lead), "member_school_ids": [str(lead)], "starts_on": "2022-09-01", "ends_on": "2023-08-31"}, 422, "lead_is_member"),
        ("/v1/communities", {"name": "x", "type": "fused", "lead_school_id": str(uuid4()), "member_school_ids": [str(first)], "starts_on": "2022-09-01", "ends_on": "2023-08-31"}, 422, "unknown_reference"),
    ]  # fmt: skip
    for path, body, status, code in cases:
        answer = await client.post(path, json=body, headers=admin)
        assert (answer.status_code, answer.json()["code"]) == (status, code), (body, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["detail"]
    malformed = await client.post("/v1/schools", content=b"{not json", headers=admin)
    assert (malformed.status_code, malformed.json()["code"]) == (400, "malformed_request")
    huge = await client.post(
        "/v1/schools", content=b'{"name": "' + b"x" * 300_000 + b'"}', headers=admin
    )
    assert (huge.status_code, huge.json()["code"]) == (413, "request_too_large")
    assert await event_count(app_pool, county.tenant_id) == before


async def test_validation_problems_name_the_field_in_chinese_or_english(
    client: httpx.AsyncClient, county: County
) -> None:
    body = {"name": "x", "code": "OK1", "stage": "primary"}
    chinese = await client.post("/v1/schools", json=body, headers=county.auth("admin"))
    assert chinese.json()["errors"] == [{"field": "", "message": "缺少必填字段 `location`"}]
    assert chinese.json()["title"] == "请求有误"
    english = await client.post("/v1/schools", json=body, headers=county.auth("admin", "en-US"))
    assert english.json()["errors"] == [
        {"field": "", "message": "Object missing required field `location`"}
    ]
    assert english.json()["title"] == "Bad request"
    nested = await client.post(
        "/v1/activities",
        json=activity_body(
            uuid4(), uuid4(), participants=[{"name": "", "school_id": str(uuid4())}]
        ),
        headers=county.auth("admin"),
    )
    assert nested.json()["errors"][0]["field"] == "participants[0].name"


async def test_roles_are_enforced(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    body = {"name": "x", "code": "ROLE-1", "stage": "primary", "location": "urban"}
    for role in ("supervisor", "auditor"):
        answer = await client.post("/v1/schools", json=body, headers=county.auth(role))
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")
    missing = await client.post("/v1/schools", json=body)
    assert (missing.status_code, missing.json()["code"]) == (401, "not_authenticated")
    forged = await client.post(
        "/v1/schools", json=body, headers={"Authorization": "Bearer jgt_" + "A" * 86}
    )
    assert forged.status_code == 401
    school_id = await school(client, county, "ROLE-2")
    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=school_id
    )
    as_recorder = await client.post("/v1/schools", json=body, headers=county.auth("recorder"))
    assert as_recorder.status_code == 403


async def test_a_recorder_records_and_corrects_only_its_own_schools_actions(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county)
    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=first
    )
    own = await client.post(
        "/v1/activities",
        json=activity_body(
            community_id, first, lead, kind="teaching_research",
            participants=[{"name": "王芳", "school_id": str(first)}],
        ),
        headers=county.auth("recorder"),
    )  # fmt: skip
    assert own.status_code == 201, own.text
    other = await client.post(
        "/v1/activities", json=activity_body(community_id, second), headers=county.auth("recorder")
    )
    assert (other.status_code, other.json()["code"]) == (403, "not_your_school")
    by_admin = await client.post(
        "/v1/activities", json=activity_body(community_id, second), headers=county.auth("admin")
    )
    foreign = await client.post(
        f"/v1/activities/{by_admin.json()['id']}/void",
        json={"reason": "不是本校的"},
        headers=county.auth("recorder"),
    )
    assert (foreign.status_code, foreign.json()["code"]) == (403, "not_your_school")


async def test_an_activity_is_recorded_corrected_and_voided_never_edited(
    client: httpx.AsyncClient, county: County
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    recorded = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first),
        headers=county.auth("admin"),
    )
    assert recorded.status_code == 201
    activity = recorded.json()
    assert (activity["kind_label"], activity["semester"], activity["school_year"]) == (
        "送教下乡",
        "2023-spring",
        "2022-2023",
    )
    assert activity["subjects"] == [{"code": "math", "label": "数学"}]
    corrected = await client.post(
        f"/v1/activities/{activity['id']}/corrections",
        json={"reason": "日期登记错了", "held_on": "2022-11-08", "subjects": ["math", "chinese"]},
        headers=county.auth("admin", **{"If-Match": '"1"'}),
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.headers["etag"] == '"2"'
    changed = corrected.json()
    assert (changed["held_on"], changed["semester"], changed["title"]) == (
        "2022-11-08",
        "2022-autumn",
        activity["title"],
    )
    assert changed["participants"] == activity["participants"]
    voided = await client.post(
        f"/v1/activities/{activity['id']}/void",
        json={"reason": "重复登记"},
        headers=county.auth("admin"),
    )
    assert (voided.json()["is_void"], voided.json()["void_reason"]) == (True, "重复登记")
    late = await client.post(
        f"/v1/activities/{activity['id']}/corrections",
        json={"reason": "再改一次", "title": "新标题"},
        headers=county.auth("admin"),
    )
    assert (late.status_code, late.json()["code"]) == (409, "activity_voided")
    read = await client.get(f"/v1/activities/{activity['id']}", headers=county.auth("auditor"))
    assert read.json() == voided.json()


async def test_a_community_forms_gains_and_loses_members_and_dissolves(
    client: httpx.AsyncClient, county: County
) -> None:
    lead = await school(client, county, "C01", location="urban")
    first, second, late = [await school(client, county, c) for c in ("C02", "C03", "C04")]
    community_id = await community(client, county, lead, [first, second])
    joined = await client.post(
        f"/v1/communities/{community_id}/members",
        json={"school_id": str(late), "joined_on": "2023-02-20"},
        headers=county.auth("admin"),
    )
    assert joined.status_code == 200, joined.text
    left = await client.post(
        f"/v1/communities/{community_id}/members/{second}/leave",
        json={"left_on": "2023-07-01", "reason": "学校撤并"},
        headers=county.auth("admin"),
    )
    assert left.status_code == 200, left.text
    members = {m["school_id"]: m for m in left.json()["members"]}
    assert members[str(second)]["left_on"] == "2023-07-01"
    assert members[str(late)]["joined_on"] == "2023-02-20"
    assert left.json()["type_label"] == "共建型"
    dissolved = await client.post(
        f"/v1/communities/{community_id}/dissolve",
        json={"dissolved_on": "2024-06-30", "reason": "合并为融合型教共体"},
        headers=county.auth("admin"),
    )
    assert dissolved.json()["dissolved_on"] == "2024-06-30"
    assert dissolved.headers["etag"] == '"4"'


async def test_unknown_ids_in_the_path_are_404(client: httpx.AsyncClient, county: County) -> None:
    for path in (
        f"/v1/schools/{uuid4()}",
        f"/v1/communities/{uuid4()}",
        f"/v1/activities/{uuid4()}",
    ):
        answer = await client.get(path, headers=county.auth("admin"))
        assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    school_id = await school(client, county, "TYPE-1")
    as_activity = await client.get(f"/v1/activities/{school_id}", headers=county.auth("admin"))
    assert as_activity.status_code == 404
    not_uuid = await client.get("/v1/schools/not-a-uuid", headers=county.auth("admin"))
    assert not_uuid.status_code == 404
