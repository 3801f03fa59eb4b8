"""Quality tests over HTTP: sittings, results in range, corrections, analyses, the database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.tenancy import Role
from projections.runner import ProjectionRunner
from tests.service.api import setup_community
from tests.service.conftest import County, issue
from tests.service.research_api import created, result_body, sitting_body

if TYPE_CHECKING:
    import asyncpg
    import httpx


async def test_results_are_recorded_corrected_with_a_reason_and_analysed(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county, "T")
    admin = county.auth("admin")
    sitting = await created(
        client,
        county,
        "/v1/quality/sittings",
        sitting_body([lead, first], community_id=str(community_id)),
    )
    path = f"/v1/quality/sittings/{sitting}"
    recorded = await client.post(
        f"{path}/results",
        json={"results": [result_body(first), result_body(lead, subject="chinese")]},
        headers=admin,
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["reported_school_ids"] == [str(lead), str(first)]
    assert recorded.json()["results"][1] == {
        "school_id": str(first),
        "subject": {"code": "math", "label": "数学"},
        "grade": 4,
        "students": 42,
        "pass_rate": 92.86,
        "good_rate": 61.9,
        "mean": 83.25,
        "full_marks": 100,
    }
    again = await client.post(
        f"{path}/results", json={"results": [result_body(first, mean=84)]}, headers=admin
    )
    assert (again.status_code, again.json()["code"]) == (409, "result_recorded")
    fixed = await client.post(
        f"{path}/results",
        json={"results": [result_body(first, mean=84)], "reason": "登分错误"},
        headers=admin,
    )
    assert fixed.json()["results"][1]["mean"] == 84.0
    for result, status, code in (
        (result_body(first, pass_rate=92.861), 422, "too_precise"),
        (result_body(first, good_rate=95), 422, "rates_order"),
        (result_body(first, pass_rate=101), 400, "invalid_request"),
        (result_body(first, mean=101), 422, "result_range"),
        (result_body(first, grade=5), 422, "result_outside_sitting"),
        (result_body(second), 422, "result_outside_sitting"),
        (result_body(first, students=0), 400, "invalid_request"),
    ):
        answer = await client.post(
            f"{path}/results", json={"results": [result], "reason": "x"}, headers=admin
        )
        assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text

    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=first
    )
    mine = county.auth("recorder")
    analysis = await client.post(
        f"{path}/analyses",
        json={"school_id": str(first), "text": "四年级数学合格率提高"},
        headers=mine,
    )
    assert analysis.status_code == 200, analysis.text
    for body in ({"school_id": str(lead), "text": "x"}, {"text": "总体分析"}):
        refused = await client.post(f"{path}/analyses", json=body, headers=mine)
        assert (refused.status_code, refused.json()["code"]) == (403, "not_your_school")
    lead_result = await client.post(
        f"{path}/results", json={"results": [result_body(lead)]}, headers=mine
    )
    assert lead_result.status_code == 403
    whole = await client.post(f"{path}/analyses", json={"text": "联考总体分析"}, headers=admin)
    assert whole.json()["analysis_texts"] == [
        {"school_id": str(first), "text": "四年级数学合格率提高"},
        {"school_id": None, "text": "联考总体分析"},
    ]
    held = await client.post("/v1/quality/sittings", json=sitting_body([first]), headers=mine)
    assert held.status_code == 403
    one = await client.get(path, headers=county.auth("auditor", "en"))
    assert (one.json()["kind_label"], one.json()["semester"], one.json()["analyses"]) == (
        "Joint test",
        "2023-spring",
        2,
    )
    assert one.headers["ETag"] == '"5"'


async def test_a_sitting_names_schools_of_its_community_and_a_joint_one_two(
    client: httpx.AsyncClient, county: County
) -> None:
    community_id, lead, first, _ = await setup_community(client, county, "U")
    outsider = await created(
        client,
        county,
        "/v1/schools",
        {"name": "外校", "code": "UX9", "stage": "primary", "location": "town"},
    )
    admin = county.auth("admin")
    for body, status, code in (
        (sitting_body([first]), 422, "sitting_scope"),
        (sitting_body([first, first]), 422, "duplicate_sitting_item"),
        (sitting_body([lead, outsider], community_id=str(community_id)), 422, "sitting_school"),
        (sitting_body([lead, first], held_on="2099-06-25"), 422, "sitting_in_future"),
        (sitting_body([lead, first], grades=[13]), 400, "invalid_request"),
        (sitting_body([lead, first], subjects=[]), 400, "invalid_request"),
        (sitting_body([lead, first], kind="final"), 400, "invalid_request"),
        (sitting_body([lead, community_id]), 422, "unknown_reference"),
    ):
        answer = await client.post("/v1/quality/sittings", json=body, headers=admin)
        assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    midterm = sitting_body([first], kind="midterm")
    assert (
        await client.post("/v1/quality/sittings", json=midterm, headers=admin)
    ).status_code == 201


async def test_the_quality_database_holds_the_latest_sitting_of_a_period_with_the_change_from_the_year_before(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county, "V")
    admin = county.auth("admin")

    async def sitting(held_on: str, kind: str, *figures: dict[str, object]) -> str:
        found = await created(
            client,
            county,
            "/v1/quality/sittings",
            sitting_body([lead, first, second], held_on=held_on, kind=kind),
        )
        answer = await client.post(
            f"/v1/quality/sittings/{found}/results", json={"results": list(figures)}, headers=admin
        )
        assert answer.status_code == 200, answer.text
        return found

    last_year = await sitting(
        "2022-06-28", "end_of_term", result_body(first, pass_rate=85.5, good_rate=40, mean=76)
    )
    # This year's end-of-term test is recorded before its midterm: the later sitting stands.
    final = await sitting(
        "2023-06-25", "joint", result_body(first), result_body(second, full_marks=120, mean=99.5)
    )
    midterm = await sitting(
        "2023-04-20", "midterm", result_body(first, pass_rate=80, good_rate=30, mean=70)
    )
    autumn = await sitting(
        "2022-12-30", "end_of_term", result_body(first, pass_rate=88, good_rate=50, mean=79)
    )
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])

    reader = county.auth("supervisor")
    answer = await client.get("/v1/quality/results", headers=reader, params={"school": str(first)})
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert [(i["school_year"], i["semester"], i["sitting_id"]) for i in items] == [
        ("2022-2023", "2023-spring", final),
        ("2022-2023", "2022-autumn", autumn),
        ("2021-2022", "2022-spring", last_year),
    ]
    spring = items[0]
    assert (spring["pass_rate"], spring["good_rate"], spring["mean"]) == (92.86, 61.9, 83.25)
    assert spring["year_before"]["school_year"] == "2021-2022"
    assert (spring["pass_rate_change"], spring["good_rate_change"], spring["mean_change"]) == (
        7.36,
        21.9,
        7.25,
    )
    assert items[1]["year_before"] is None and items[1]["pass_rate_change"] is None
    assert midterm not in answer.text

    # A correction of the standing sitting's figures moves them; of an older one changes nothing.
    fixed = await client.post(
        f"/v1/quality/sittings/{final}/results",
        json={"results": [result_body(first, pass_rate=95)], "reason": "复核"},
        headers=admin,
    )
    assert fixed.status_code == 200, fixed.text
    older = await client.post(
        f"/v1/quality/sittings/{midterm}/results",
        json={"results": [result_body(first, pass_rate=99, good_rate=10)], "reason": "复核"},
        headers=admin,
    )
    assert older.status_code == 200, older.text
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    filtered = await client.get(
        "/v1/quality/results",
        headers=reader,
        params={"semester": "2023-spring", "subject": "math", "grade": "4"},
    )
    rows = {i["school_id"]: i for i in filtered.json()["items"]}
    assert set(rows) == {str(first), str(second)}
    assert (rows[str(first)]["pass_rate"], rows[str(first)]["pass_rate_change"]) == (95.0, 9.5)
    assert (
        rows[str(second)]["full_marks"],
        rows[str(second)]["mean"],
        rows[str(second)]["year_before"],
    ) == (120, 99.5, None)

    pages, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/quality/results", headers=reader, params=params)).json()
        pages.append([(i["school_id"], i["semester"]) for i in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    flat = [row for page in pages for row in page]
    assert len(flat) == len(set(flat)) == 4
    other = await created(
        client,
        county,
        "/v1/communities",
        {
            "name": "另一教共体",
            "type": "collaborative",
            "lead_school_id": str(second),
            "member_school_ids": [str(lead)],
            "starts_on": "2022-09-01",
            "ends_on": "2024-08-31",
        },
    )
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    for community, expected in ((community_id, 4), (other, 1)):
        found = await client.get(
            "/v1/quality/results", headers=reader, params={"community": str(community)}
        )
        assert len(found.json()["items"]) == expected, found.text
    assert (
        await client.get("/v1/quality/results", headers=reader, params={"grade": 13})
    ).status_code == 400
    sittings = await client.get(
        "/v1/quality/sittings",
        headers=reader,
        params={"school_year": "2022-2023", "kind": "end_of_term"},
    )
    assert [i["id"] for i in sittings.json()["items"]] == [autumn]
