"""Review before counting (审核): levels set by the county, steps taken by people, counts."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from projections.runner import ProjectionRunner
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County
from tests.service.test_people import person


async def folded(system_pool: asyncpg.Pool, county: County) -> None:
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])


async def step(
    client: httpx.AsyncClient, county: County, who: str, activity: str, what: str, **body: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/activities/{activity}/review/{what}", json=body, headers=county.auth(who)
    )


async def listed(client: httpx.AsyncClient, county: County, **params: str) -> list[str]:
    answer = await client.get("/v1/activities", params=params, headers=county.auth("supervisor"))
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


async def queue(client: httpx.AsyncClient, county: County, **params: str) -> list[dict[str, Any]]:
    answer = await client.get("/v1/reviews", params=params, headers=county.auth("supervisor"))
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def total(client: httpx.AsyncClient, county: County, counted: str) -> int:
    answer = await client.get(
        "/v1/dashboards/activity-counts",
        params={"counted": counted},
        headers=county.auth("supervisor"),
    )
    assert answer.json()["counted"] == counted
    return int(answer.json()["total"])


LEVELS = {"levels": ["school", "community", "county"]}


async def people(client: httpx.AsyncClient, county: County) -> dict[str, Any]:
    """A community, its schools, and three people: the bureau, a member and the lead school."""
    community_id, lead, first, _ = await setup_community(client, county)
    bureau, _ = await person(client, county, "李局长", "admin")
    host, _ = await person(client, county, "张老师", "recorder", school_id=str(first))
    leader, _ = await person(client, county, "王校长", "recorder", school_id=str(lead))
    return {"community": community_id, "lead": lead, "first": first, "bureau": bureau,
            "host": host, "leader": leader}  # fmt: skip


async def record(client: httpx.AsyncClient, county: County, at: dict[str, Any], title: str) -> str:
    body = activity_body(at["community"], at["first"], at["lead"], title=title)
    recorded = await client.post("/v1/activities", json=body, headers=county.auth("张老师"))
    assert recorded.status_code == 201, recorded.text
    return str(recorded.json()["id"])


async def test_without_levels_every_action_counts_and_only_an_admin_person_sets_them(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    at = await people(client, county)
    before = await client.get("/v1/review-levels", headers=county.auth("supervisor"))
    assert before.json()["every_action_counts"] is True, before.text
    early = await record(client, county, at, "送教下乡：四年级数学")
    await folded(system_pool, county)
    assert await total(client, county, "approved") == 1
    shown = await client.get(f"/v1/activities/{early}/review", headers=county.auth("auditor"))
    assert (shown.json()["state"], shown.json()["steps"]) == ("approved", []), shown.text
    needless = await step(client, county, "李局长", early, "approve", level="school")
    assert (needless.status_code, needless.json()["code"]) == (409, "review_not_required")
    nothing = await step(client, county, "张老师", early, "resubmit")
    assert (nothing.status_code, nothing.json()["params"]["state"]) == (409, "approved")

    # The levels are the admin's setting, taken by a person; in the order 校 → 共同体 → 县局.
    no_person = await client.post("/v1/review-levels", json=LEVELS, headers=county.auth("admin"))
    assert (no_person.status_code, no_person.json()["code"]) == (403, "person_required")
    disorder = await client.post(
        "/v1/review-levels", json={"levels": ["county", "school"]}, headers=county.auth("李局长")
    )
    assert (disorder.status_code, disorder.json()["code"]) == (422, "review_levels_order")
    by_recorder = await client.post("/v1/review-levels", json=LEVELS, headers=county.auth("张老师"))
    assert by_recorder.status_code == 403
    set_ = await client.post("/v1/review-levels", json=LEVELS, headers=county.auth("李局长"))
    assert set_.status_code == 200, set_.text
    assert [level["code"] for level in set_.json()["levels"]] == LEVELS["levels"]
    assert set_.headers["ETag"] == '"1"'
    # The levels apply to every action (no applies_from): the earlier one waits now too.
    await folded(system_pool, county)
    assert await listed(client, county, review="pending") == [early]
    assert await total(client, county, "approved") == 0
    assert await total(client, county, "all") == 1


async def walk(client: httpx.AsyncClient, county: County, action: str) -> None:
    """School approves, community returns, school corrects and resubmits, all three approve."""
    ok = await step(client, county, "张老师", action, "approve", level="school")
    assert ok.json()["awaiting"]["code"] == "community", ok.text
    back = await step(
        client, county, "王校长", action, "return", level="community", reason="缺签到表"
    )
    assert (back.status_code, back.json()["state"]) == (200, "returned"), back.text
    too_soon = await step(client, county, "张老师", action, "resubmit")
    assert (too_soon.status_code, too_soon.json()["code"]) == (409, "not_corrected")
    fixed = await client.post(
        f"/v1/activities/{action}/corrections",
        json={"reason": "补签到表", "note": "已补签到表"},
        headers=county.auth("张老师"),
    )
    assert fixed.status_code == 200, fixed.text
    again = await step(client, county, "张老师", action, "resubmit", note="已更正")
    assert (again.json()["state"], again.json()["round"]) == ("pending", 2), again.text
    for who, level in (("张老师", "school"), ("王校长", "community")):
        passed = await step(client, county, who, action, "approve", level=level)
        assert passed.status_code == 200, passed.text
    not_admin = await step(client, county, "王校长", action, "approve", level="county")
    assert (not_admin.status_code, not_admin.json()["code"]) == (403, "not_your_review_level")
    last = await step(client, county, "李局长", action, "approve", level="county", note="同意")
    assert (last.json()["state"], last.json()["awaiting"]) == ("approved", None), last.text


async def test_each_level_acts_in_turn_and_only_approved_actions_count_when_asked(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    at = await people(client, county)
    assert (
        await client.post("/v1/review-levels", json=LEVELS, headers=county.auth("李局长"))
    ).status_code == 200
    action = await record(client, county, at, "送教下乡：五年级语文")
    other = await record(client, county, at, "送教下乡：六年级英语")
    await folded(system_pool, county)
    waiting = await queue(client, county, level="school")
    assert {item["id"] for item in waiting} == {action, other}
    assert waiting[0]["awaiting"]["code"] == "school"
    assert await queue(client, county, level="community") == []

    # 校: the host school's recorder, not the lead school's; a stale level is refused; a token
    # of before (no person) takes no step.
    wrong = await step(client, county, "王校长", action, "approve", level="school")
    assert (wrong.status_code, wrong.json()["code"]) == (403, "not_your_review_level")
    old_token = await step(client, county, "admin", action, "approve", level="school")
    assert (old_token.status_code, old_token.json()["code"]) == (403, "person_required")
    assert (await step(client, county, "张老师", action, "approve", level="school")).is_success
    twice = await step(client, county, "张老师", action, "approve", level="school")
    assert (twice.status_code, twice.json()["code"]) == (409, "wrong_review_level")
    await folded(system_pool, county)
    assert [item["id"] for item in await queue(client, county, level="community")] == [action]
    back = await step(client, county, "王校长", action, "return", level="community", reason="缺表")
    assert back.is_success, back.text
    await folded(system_pool, county)
    assert await listed(client, county, review="returned") == [action]
    assert await queue(client, county, level="community") == []

    fixed = await client.post(
        f"/v1/activities/{action}/corrections",
        json={"reason": "补签到表", "note": "已补"},
        headers=county.auth("张老师"),
    )
    assert fixed.status_code == 200, fixed.text
    assert (await step(client, county, "张老师", action, "resubmit")).is_success
    for who, level in (("张老师", "school"), ("王校长", "community"), ("李局长", "county")):
        assert (await step(client, county, who, action, "approve", level=level)).is_success
    await folded(system_pool, county)
    assert await listed(client, county, review="approved") == [action]
    assert await listed(client, county, review="pending") == [other]
    assert (await total(client, county, "approved"), await total(client, county, "all")) == (1, 2)
    months = await client.get(
        "/v1/dashboards/school-months",
        params={"counted": "approved"},
        headers=county.auth("supervisor"),
    )
    assert {(row["school_id"], row["count"]) for row in months.json()["items"]} == {
        (str(at["first"]), 1),
        (str(at["lead"]), 1),
    }
    assert [item["id"] for item in await queue(client, county)] == [other]
    done = await step(client, county, "李局长", action, "approve", level="county")
    assert (done.status_code, done.json()["code"]) == (409, "not_awaiting_review")


async def test_every_step_names_the_person_and_when_even_after_their_token_rotates(
    client: httpx.AsyncClient, county: County
) -> None:
    at = await people(client, county)
    assert (
        await client.post("/v1/review-levels", json=LEVELS, headers=county.auth("李局长"))
    ).status_code == 200
    action = await record(client, county, at, "送教下乡：五年级语文")
    await walk(client, county, action)
    tokens = (await client.get("/v1/tokens", headers=county.auth("admin"))).json()
    for token in tokens:
        if token["user_id"] == str(at["leader"]):
            gone = await client.delete(
                f"/v1/tokens/{token['token_id']}", headers=county.auth("admin")
            )
            assert gone.status_code == 204
    history = await client.get(f"/v1/activities/{action}/review", headers=county.auth("auditor"))
    steps = history.json()["steps"]
    assert [(s["step"], (s["level"] or {}).get("code"), s["by"]["name"]) for s in steps] == [
        ("opened", None, "张老师"),
        ("approved", "school", "张老师"),
        ("returned", "community", "王校长"),
        ("resubmitted", None, "张老师"),
        ("approved", "school", "张老师"),
        ("approved", "community", "王校长"),
        ("approved", "county", "李局长"),
    ]
    assert (steps[2]["reason"], steps[-1]["note"]) == ("缺签到表", "同意")
    assert {s["by"]["user_id"] for s in steps} == {str(at[k]) for k in ("host", "leader", "bureau")}
    assert steps[0]["at"] <= steps[-1]["at"]
    assert steps[3]["activity_version"] == 2  # the corrected version
    assert history.headers["ETag"] == '"7"'


async def test_actions_held_before_the_levels_apply_count_without_review(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    await person(client, county, "周局长", "admin")
    old = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first),
        headers=county.auth("admin"),
    )
    later = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first, held_on="2023-09-20"),
        headers=county.auth("admin"),
    )
    body = {"levels": ["county"], "applies_from": "2023-09-01"}
    assert (
        await client.post("/v1/review-levels", json=body, headers=county.auth("周局长"))
    ).status_code == 200
    await folded(system_pool, county)
    assert await listed(client, county, review="approved") == [old.json()["id"]]
    assert [item["id"] for item in await queue(client, county, level="county")] == [
        later.json()["id"]
    ]
    needless = await step(client, county, "周局长", old.json()["id"], "approve", level="county")
    assert (needless.status_code, needless.json()["code"]) == (409, "review_not_required")
    same = await client.post("/v1/review-levels", json=body, headers=county.auth("周局长"))
    assert (same.status_code, same.json()["code"]) == (409, "review_levels_unchanged")
    # Back to no levels: what waited now counts, and the county says every action counts.
    none = await client.post(
        "/v1/review-levels", json={"levels": []}, headers=county.auth("周局长")
    )
    assert none.json()["every_action_counts"] is True, none.text
    await folded(system_pool, county)
    assert await total(client, county, "approved") == 2


async def test_a_step_retried_with_its_key_records_once_and_if_match_guards_the_review(
    client: httpx.AsyncClient, county: County
) -> None:
    at = await people(client, county)
    assert (
        await client.post("/v1/review-levels", json=LEVELS, headers=county.auth("李局长"))
    ).status_code == 200
    action = await record(client, county, at, "送教下乡：五年级语文")
    path = f"/v1/activities/{action}/review/approve"
    body = {"level": "school"}
    stale = await client.post(path, json=body, headers=county.auth("张老师", **{"If-Match": '"3"'}))
    assert stale.status_code == 404, stale.text  # no review yet: only "0" names that
    keyed = county.auth("张老师", **{"Idempotency-Key": "approve-1", "If-Match": '"0"'})
    first = await client.post(path, json=body, headers=keyed)
    assert (first.status_code, first.headers["ETag"]) == (200, '"2"'), first.text
    again = await client.post(path, json=body, headers=keyed)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    moved = await client.post(
        path, json={"level": "community"}, headers=county.auth("王校长", **{"If-Match": '"1"'})
    )
    assert moved.status_code == 409, moved.text
    history = await client.get(f"/v1/activities/{action}/review", headers=county.auth("auditor"))
    assert [s["step"] for s in history.json()["steps"]] == ["opened", "approved"]
