"""County KPIs over HTTP, from records made through the API and folded by the runner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.runner import ProjectionRunner
from tests.service.api import school, setup_community, teacher
from tests.service.research_api import created, result_body, sitting_body, subsidy_body
from tests.service.test_api_assignments import arrangement

if TYPE_CHECKING:
    import asyncpg
    import httpx

    from tests.service.conftest import County


async def test_the_bureau_reads_the_county_kpis_of_a_school_year(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    admin = county.auth("admin")
    kpis = "/v1/dashboards/county-kpis"
    empty = await client.get(kpis, params={"school_year": "2022-2023"}, headers=admin)
    assert empty.status_code == 200, empty.text
    assert empty.json()["subsidies"] is None  # no rule set yet
    assert empty.json()["compulsory_schools_in_communities"]["share"] is None
    loaded = await client.post(
        "/v1/rule-sets/templates/rongan-2022", json={"version": 1, "publish": True}, headers=admin
    )
    assert loaded.status_code == 201, loaded.text
    community_id, lead, first, second = await setup_community(client, county)
    await school(client, county, "S09")  # a primary school in no community
    await school(client, county, "S10", stage="senior")  # not compulsory
    sent = await teacher(client, county, lead, "派出教师")
    dispatch = await client.post(
        "/v1/assignments", json=arrangement(sent, lead, first), headers=admin
    )
    assert dispatch.status_code == 201, dispatch.text
    for month in ("2022-10-01", "2022-11-01"):
        body = subsidy_body(lead, month, teacher_id=str(sent), community_id=str(community_id))
        await created(client, county, "/v1/money/entries", body)
    for held_on, pass_rate in (("2022-06-25", 92.86), ("2023-06-25", 80.5)):
        sitting = await created(
            client, county, "/v1/quality/sittings", sitting_body([lead, first], held_on=held_on)
        )
        answer = await client.post(
            f"/v1/quality/sittings/{sitting}/results",
            json={"results": [result_body(first, pass_rate=pass_rate)]},
            headers=admin,
        )
        assert answer.status_code == 200, answer.text
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])

    answer = await client.get(
        kpis, params={"school_year": "2022-2023"}, headers=county.auth("supervisor")
    )
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["ownership_recorded"] is False
    assert found["compulsory_schools_in_communities"] == {"part": 3, "whole": 4, "share": 0.75}
    assert found["fused_or_co_built_communities"] == {"part": 1, "whole": 1, "share": 1.0}
    assert [(w["school_id"], w["subject"], w["fell"]) for w in found["weak_schools"]] == [
        (str(first), "math", ["pass_rate"])
    ]
    assert found["weak_schools"][0]["subject_label"] == "数学"
    assert found["weak_schools"][0]["year_before"]["pass_rate"] == 92.86
    # 12 months served in the year, capped at 10, at ¥200: ¥2,000 due; two months paid.
    assert found["subsidies"] == {
        "rule_set": "rongan-2022@1",
        "due_fen": 200_000,
        "paid_fen": 40_000,
        "shortfall_fen": 160_000,
        "persons": 1,
    }
    assert second != first
    bad = await client.get(kpis, params={"school_year": "2022"}, headers=admin)
    assert bad.status_code == 400, bad.text
    missing = await client.get(kpis, headers=admin)
    assert missing.status_code == 400, missing.text
