"""Compliance over HTTP from the runner's table: the same answers as the replay, paged, filtered."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from projections.runner import ProjectionRunner
from service.http.common import today_in
from tests.service.compliance_api import fill

if TYPE_CHECKING:
    import asyncpg
    import httpx

    from tests.service.conftest import County

YEAR = {"period": "2022-2023"}


async def listed(client: httpx.AsyncClient, county: County, **params: Any) -> dict[str, Any]:
    answer = await client.get(
        "/v1/compliance", params={**YEAR, **params}, headers=county.auth("supervisor")
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def walked(client: httpx.AsyncClient, county: County, **params: Any) -> list[Any]:
    """Every item, a page of one at a time."""
    items: list[Any] = []
    cursor = None
    while True:
        page = await listed(
            client, county, limit=1, **({"cursor": cursor} if cursor else {}), **params
        )
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def answer(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in {"folded_seq", "source"}}


async def test_the_table_answers_as_the_replay_did_paged_and_filtered(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    filled = await fill(client, county)
    replay = await listed(client, county)
    assert replay["source"] == "replay"  # no runner has judged the county yet
    assert len(replay["items"]) >= 2
    details = {}
    for item in replay["items"]:
        one = await client.get(item["href"], headers=county.auth("auditor", "en"))
        assert one.status_code == 200, one.text
        details[item["href"]] = one.json()
    replay_pages = await walked(client, county)

    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    table = await listed(client, county)
    assert table["source"] == "table"
    assert answer(table) == answer(replay)
    assert await walked(client, county) == replay_pages == replay["items"]
    for href, detail in details.items():
        one = await client.get(href, headers=county.auth("auditor", "en"))
        assert one.status_code == 200, one.text
        assert one.json()["source"] == "table"
        assert answer(one.json()) == answer(detail)
        assert any(r["href"] for r in one.json()["results"][0]["counted_records"])

    # Each filter keeps what it keeps of the whole list, totals counted over all it keeps.
    first = replay["items"][0]
    for params in (
        {"status": first["status"]},
        {"rule": first["rule_id"]},
        {"community": str(filled.community_id)},
        {"period": "2023-spring"},
    ):
        kept = await listed(client, county, **params)
        assert kept["source"] == "table"
        assert kept["items"] == await walked(client, county, **params)
        if "period" in params:
            assert {i["period"] for i in kept["items"]} == {"2023-spring"}
        else:
            key, value = next(iter(params.items()))
            field = {"status": "status", "rule": "rule_id", "community": "community_id"}[key]
            assert kept["items"] == [i for i in replay["items"] if i[field] == value]
        assert sum(t["results"] for t in kept["totals"]) == len(kept["items"])

    # Another day is folded again from the log.
    yesterday = today_in("Asia/Shanghai") - timedelta(days=1)
    past = await listed(client, county, as_of=str(yesterday))
    assert past["source"] == "replay"
    happened = await listed(client, county, mode="as_happened")
    assert happened["source"] == "replay"
