"""Money (funding and subsidies in fen) and commendations over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.tenancy import Role
from projections.runner import ProjectionRunner
from tests.service.api import setup_community
from tests.service.conftest import County, issue
from tests.service.research_api import (
    TEACHER,
    commendation_body,
    created,
    funding_body,
    subsidy_body,
)

if TYPE_CHECKING:
    import asyncpg
    import httpx

OTHER_TEACHER = "6f1c2a4e-0000-4000-8000-00000000fe02"


async def test_payments_are_totalled_by_person_school_community_and_year(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, second = await setup_community(client, county, "Y")
    admin = county.auth("admin")
    await created(client, county, "/v1/money/entries", funding_body(community_id, lead))
    await created(
        client,
        county,
        "/v1/money/entries",
        funding_body(community_id, lead, year=2024, paid_on="2024-03-01", amount_fen=1_200_000),
    )
    for month in ("2023-03-01", "2023-04-01", "2023-05-01"):
        await created(client, county, "/v1/money/entries", subsidy_body(lead, month))
    await created(
        client,
        county,
        "/v1/money/entries",
        subsidy_body(first, "2023-03-01", teacher_id=OTHER_TEACHER, community_id=str(community_id)),
    )
    wrong = await created(
        client, county, "/v1/money/entries", subsidy_body(lead, "2023-06-01", amount_fen=200)
    )
    reversed_ = await client.post(
        f"/v1/money/entries/{wrong}/reverse", json={"reason": "金额录入错误"}, headers=admin
    )
    assert (reversed_.status_code, reversed_.json()["is_reversed"]) == (200, True)
    one = (await client.get(f"/v1/money/entries/{wrong}", headers=county.auth("auditor"))).json()
    assert (one["amount_yuan"], one["reverse_reason"], one["kind_label"]) == (
        "2.00",
        "金额录入错误",
        "交流人员补助",
    )
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])

    async def totals(**params: str) -> list[tuple[object, int, int, int, str]]:
        answer = await client.get(
            "/v1/money/totals", headers=county.auth("supervisor"), params=params
        )
        assert answer.status_code == 200, answer.text
        return [
            (i["id"], i["year"], i["funding_fen"], i["subsidy_fen"], i["total_yuan"])
            for i in answer.json()["items"]
        ]

    assert await totals() == [
        (None, 2024, 1_200_000, 0, "12000.00"),
        (None, 2023, 1_000_000, 80_000, "10800.00"),
    ]
    assert sorted(await totals(by="person"), key=str) == sorted(
        [(TEACHER, 2023, 0, 60_000, "600.00"), (OTHER_TEACHER, 2023, 0, 20_000, "200.00")], key=str
    )
    assert sorted(await totals(by="school", year="2023"), key=str) == sorted(
        [(str(lead), 2023, 1_000_000, 60_000, "10600.00"), (str(first), 2023, 0, 20_000, "200.00")],
        key=str,
    )
    assert await totals(by="community", year="2023") == [
        (str(community_id), 2023, 1_000_000, 20_000, "10200.00")
    ]
    pages, cursor = [], None
    while True:
        params = {"by": "school", "limit": "1", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/money/totals", headers=admin, params=params)).json()
        pages += [(i["id"], i["year"]) for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(pages, key=str) == sorted(
        [(str(lead), 2024), (str(lead), 2023), (str(first), 2023)], key=str
    )
    listed = await client.get("/v1/money/entries", headers=admin, params={"person": TEACHER})
    assert len(listed.json()["items"]) == 3
    everything = await client.get(
        "/v1/money/entries", headers=admin, params={"include_reversed": "true", "kind": "subsidy"}
    )
    assert len(everything.json()["items"]) == 5
    bad = await client.get("/v1/money/totals", headers=admin, params={"by": "galaxy"})
    assert bad.status_code == 400

    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=lead
    )
    for method, path in (
        ("GET", "/v1/money/totals"),
        ("GET", "/v1/money/entries"),
        ("POST", "/v1/money/entries"),
    ):
        refused = await client.request(
            method, path, headers=county.auth("recorder"), json=subsidy_body(lead, "2023-03-01")
        )
        assert refused.status_code == 403, path
    assert second  # a member without payments has no totals
    assert str(second) not in str(await totals(by="school"))


async def test_a_payment_is_checked_before_it_is_recorded(
    client: httpx.AsyncClient, county: County
) -> None:
    community_id, lead, first, _ = await setup_community(client, county, "Z")
    admin = county.auth("admin", "en")
    for body, status, code in (
        (funding_body(community_id, first), 422, "entry_payee"),
        ({**funding_body(None, lead), "community_id": None}, 422, "entry_payee"),
        (subsidy_body(lead, "2023-03-01", teacher_id=None), 422, "entry_payee"),
        (subsidy_body(lead, "2023-03-02"), 422, "entry_date"),
        (subsidy_body(lead, "2023-03-01", year=2022), 422, "entry_year"),
        (subsidy_body(lead, "2023-03-01", paid_on="2099-01-01"), 422, "entry_date"),
        (subsidy_body(lead, "2023-03-01", amount_fen=0), 400, "invalid_request"),
        (subsidy_body(lead, "2023-03-01", amount_fen=200.5), 400, "invalid_request"),
        (subsidy_body(community_id, "2023-03-01"), 422, "unknown_reference"),
    ):
        answer = await client.post("/v1/money/entries", json=body, headers=admin)
        assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    refused = await client.post(
        "/v1/money/entries", json=funding_body(community_id, first), headers=admin
    )
    assert refused.json()["detail"] == "A funding entry goes to the community's lead school only."


async def test_commendations_are_awarded_for_a_year_with_their_basis_and_revoked(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county, "X")
    admin = county.auth("admin")
    group = await created(
        client, county, "/v1/commendations", commendation_body(community_id=str(community_id))
    )
    person = await created(
        client,
        county,
        "/v1/commendations",
        commendation_body(
            kind="dispatched_teacher",
            teacher_id=TEACHER,
            school_id=str(first),
            title="2022年度优秀轮岗支教教师",
        ),
    )
    for body, code in (
        (commendation_body(kind="dispatched_teacher"), "commended"),
        (commendation_body(), "commended"),
        (commendation_body(community_id=str(community_id), year=2024), "commendation_year"),
        (
            commendation_body(community_id=str(community_id), awarded_on="2099-01-01"),
            "commendation_in_future",
        ),
        (commendation_body(community_id=str(lead)), "unknown_reference"),
    ):
        answer = await client.post("/v1/commendations", json=body, headers=admin)
        assert (answer.status_code, answer.json()["code"]) == (422, code), answer.text
    revoked = await client.post(
        f"/v1/commendations/{person}/revoke", json={"reason": "评选程序有误"}, headers=admin
    )
    assert (revoked.status_code, revoked.json()["is_revoked"]) == (200, True)
    twice = await client.post(
        f"/v1/commendations/{person}/revoke", json={"reason": "again"}, headers=admin
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "commendation_revoked")
    one = (
        await client.get(f"/v1/commendations/{group}", headers=county.auth("supervisor", "en"))
    ).json()
    assert (one["kind_label"], one["basis"], one["year"]) == (
        "Outstanding community",
        "年度考核优秀",
        2022,
    )
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    listed = await client.get(
        "/v1/commendations", headers=county.auth("auditor"), params={"year": "2022"}
    )
    assert [i["id"] for i in listed.json()["items"]] == [group]
    every = await client.get(
        "/v1/commendations", headers=admin, params={"include_revoked": "true", "person": TEACHER}
    )
    assert [i["id"] for i in every.json()["items"]] == [person]
