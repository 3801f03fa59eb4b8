"""Compliance over HTTP: a county filled through the API, judged as known and as happened."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from infra.tenancy import Role
from service.http.common import today_in
from tests.conftest import new_tenant
from tests.service.api import activity_body
from tests.service.compliance_api import draft, fill, lessons_rule_set, record
from tests.service.conftest import County, issue

if TYPE_CHECKING:
    import asyncpg
    import httpx


def by_period(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["period"]: item for item in items}


async def test_a_supervisor_sees_each_semester_judged_with_its_records(
    client: httpx.AsyncClient, county: County
) -> None:
    filled = await fill(client, county)
    listed = await client.get(
        "/v1/compliance", params={"period": "2022-2023"}, headers=county.auth("supervisor")
    )
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["versions"] == ["test-lessons@1"]
    assert (body["period"], body["mode"]) == ("2022-2023", "as_known")
    found = by_period(body["items"])
    assert set(found) == {"2022-autumn", "2023-spring"}
    autumn, spring = found["2022-autumn"], found["2023-spring"]
    assert (autumn["required"], autumn["done"], autumn["status"]) == (2, 1, "missed")
    assert (spring["required"], spring["done"], spring["status"]) == (2, 2, "met")
    assert (spring["status_label"], spring["version"]) == ("达标", "test-lessons@1")
    assert (spring["counted"], spring["excluded"]) == (2, 2)
    totals = {t["status"]: t["results"] for t in body["totals"]}
    assert (totals["met"], totals["missed"], totals["open"]) == (1, 1, 0)

    one = await client.get(spring["href"], headers=county.auth("auditor", "en"))
    assert one.status_code == 200, one.text
    [result] = one.json()["results"]
    links = {r["href"] for r in result["counted_records"]}
    assert links == {f"/v1/activities/{filled.kept}", f"/v1/activities/{filled.corrected}"}
    excluded = {(r["href"], r["reason"], r["reason_label"]) for r in result["excluded_records"]}
    assert excluded == {
        (f"/v1/activities/{filled.corrected}", "corrected", "Replaced by a correction"),
        (f"/v1/activities/{filled.voided}", "voided", "Voided"),
    }
    # Recorded years after they happened: each counted record is a late entry (补录).
    late = {r["href"]: r["days_late"] for r in result["late_records"]}
    assert set(late) == links
    expected = (today_in("Asia/Shanghai") - date(2023, 3, 15) - timedelta(days=7)).days
    assert abs(late[f"/v1/activities/{filled.kept}"] - expected) <= 1


async def test_as_known_before_anything_was_recorded_nothing_judges(
    client: httpx.AsyncClient, county: County
) -> None:
    await fill(client, county)
    supervisor = county.auth("supervisor")
    yesterday = (today_in("Asia/Shanghai") - timedelta(days=1)).isoformat()
    before = await client.get(
        "/v1/compliance", params={"period": "2022-2023", "as_of": yesterday}, headers=supervisor
    )
    assert before.status_code == 200, before.text
    assert (before.json()["versions"], before.json()["items"]) == ([], [])
    happened = await client.get(
        "/v1/compliance",
        params={"period": "2022-2023", "as_of": "2023-06-30", "mode": "as_happened"},
        headers=supervisor,
    )
    assert happened.status_code == 200, happened.text
    spring = by_period(happened.json()["items"])["2023-spring"]
    # As happened on 2023-06-30, within the semester: the two actions held by then count.
    assert (spring["done"], spring["status"]) == (2, "met")
    filtered = await client.get(
        "/v1/compliance",
        params={"period": "2022-2023", "status": "missed", "rule": "R1"},
        headers=supervisor,
    )
    assert [i["period"] for i in filtered.json()["items"]] == ["2022-autumn"]


async def test_a_replayed_answer_takes_in_what_was_recorded_since_the_last(
    client: httpx.AsyncClient, county: County
) -> None:
    """The process keeps the county's fold between asks: the next ask folds what is new."""
    filled = await fill(client, county)
    ask = {"period": "2022-2023", "as_of": "2023-08-31", "mode": "as_happened"}
    supervisor = county.auth("supervisor")

    async def autumn() -> dict[str, Any]:
        listed = await client.get("/v1/compliance", params=ask, headers=supervisor)
        assert listed.status_code == 200, listed.text
        assert listed.json()["source"] == "replay"
        return by_period(listed.json()["items"])["2022-autumn"]

    first = await autumn()
    assert (first["done"], first["status"]) == (1, "missed")
    listed = await client.get(f"/v1/activities/{filled.autumn}", headers=supervisor)
    body = listed.json()
    more = await record(
        client,
        county,
        activity_body(
            filled.community_id,
            body["host_school_id"],
            *body["participating_school_ids"],
            held_on="2022-12-01",
        ),
    )
    again = await autumn()
    assert (again["done"], again["status"]) == (2, "met")
    one = await client.get(again["href"], params=ask, headers=supervisor)
    [result] = one.json()["results"]
    assert f"/v1/activities/{more}" in {r["href"] for r in result["counted_records"]}


async def test_a_draft_previews_what_it_would_change_and_records_nothing(
    client: httpx.AsyncClient, county: County
) -> None:
    await fill(client, county)
    lenient = await draft(client, county, lessons_rule_set(version=2, minimum=1))
    admin = county.auth("admin")
    head = (await client.get("/v1/audit/events", headers=admin)).json()
    shown = await client.post(
        f"/v1/rule-sets/{lenient}/preview", params={"period": "2022-2023"}, headers=admin
    )
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["draft"] == "test-lessons@2"
    assert (body["published"]["met"], body["published"]["missed"]) == (1, 1)
    assert (body["with_draft"]["met"], body["with_draft"]["missed"]) == (2, 0)
    changed = {c["period"]: c for c in body["changes"]}
    assert set(changed) == {"2022-autumn", "2023-spring"}
    autumn, spring = changed["2022-autumn"], changed["2023-spring"]
    assert (autumn["before"]["status"], autumn["after"]["status"]) == ("missed", "met")
    assert autumn["after"]["version"] == "test-lessons@2"
    # Still met, but the draft requires one where the published version required two.
    assert (spring["before"]["required"], spring["after"]["required"]) == (2, 1)
    assert spring["before"]["status"] == spring["after"]["status"] == "met"
    assert (await client.get("/v1/audit/events", headers=admin)).json() == head


async def test_bad_questions_are_problems(client: httpx.AsyncClient, county: County) -> None:
    supervisor = county.auth("supervisor", "en")
    for params in (
        {"as_of": "2023-13-01"},
        {"mode": "sometimes"},
        {"status": "great"},
        {"period": "2023-winter"},
        {"period": "2023-2025"},
        {"as_of": "1900-01-01"},
    ):
        answer = await client.get("/v1/compliance", params=params, headers=supervisor)
        assert answer.status_code in {400, 422}, (params, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
    missing = await client.get("/v1/compliance/not-a-community/R1/2022-autumn", headers=supervisor)
    assert missing.status_code == 404, missing.text


async def test_a_county_sees_only_its_own_compliance(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    other_county = County(await new_tenant(app_pool, "另一县教育局"))
    for role in (Role.ADMIN, Role.SUPERVISOR):
        other_county.tokens[role.value] = await issue(app_pool, other_county.tenant_id, role)
    mine, theirs = await fill(client, county), await fill(client, other_county)
    supervisor = county.auth("supervisor")
    listed = await client.get("/v1/compliance", params={"period": "2022-2023"}, headers=supervisor)
    assert {i["community_id"] for i in listed.json()["items"]} == {str(mine.community_id)}
    href = f"/v1/compliance/{theirs.community_id}/R1/2022-autumn"
    assert (await client.get(href, headers=supervisor)).status_code == 404
    own = await client.get(href, headers=other_county.auth("supervisor"))
    assert own.status_code == 200, own.text
