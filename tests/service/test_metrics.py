"""GET /metrics: request counts by route template, the store's and the database's figures."""

from __future__ import annotations

import asyncio
from uuid import UUID, uuid4

import httpx
from prometheus_client.parser import text_string_to_metric_families

from infra.event_store import EventStore, WriteContext
from service.metrics import database_figures, metrics_listener
from service.runtime import Urls
from service.services import open_services
from service.settings import Settings
from tests.infra.outbox_support import RECORDER
from tests.infra.sample import Tally
from tests.service.conftest import County

PLAIN = "text/plain; version=0.0.4; charset=utf-8"


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """Every sample called `name`, by its labels (sorted)."""
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    }


async def scrape(client: httpx.AsyncClient, token: str) -> str:
    answer = await client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == PLAIN
    return answer.text


def requests_of(text: str, route: str, status: str) -> float:
    key = (("method", "GET"), ("route", route), ("status", status))
    return samples(text, "jgt_http_requests_total").get(key, 0.0)


async def test_requests_are_counted_and_timed_by_route_template_and_status(
    client: httpx.AsyncClient, county: County, operator_token: str
) -> None:
    route = "/v1/schools/{school_id}"
    before = await scrape(client, operator_token)
    ids = [str(uuid4()) for _ in range(3)]
    for school in ids:
        answer = await client.get(f"/v1/schools/{school}", headers=county.auth("supervisor"))
        assert answer.status_code == 404
    assert (await client.get("/v1/schools")).status_code == 401
    assert (await client.get("/no/such/route")).status_code == 404

    after = await scrape(client, operator_token)
    assert requests_of(after, route, "404") - requests_of(before, route, "404") == 3
    assert requests_of(after, "/v1/schools", "401") - requests_of(before, "/v1/schools", "401") == 1
    assert requests_of(after, "unmatched", "404") - requests_of(before, "unmatched", "404") == 1
    durations = samples(after, "jgt_http_request_duration_seconds_count")
    assert durations[(("method", "GET"), ("route", route), ("status", "404"))] >= 3
    # The path's ids and the county's name are never labels.
    assert not any(school in after for school in ids)
    assert "青田县" not in after


async def test_metrics_need_an_operator_token(
    client: httpx.AsyncClient, county: County, operator_token: str
) -> None:
    assert (await client.get("/metrics")).status_code == 401
    for role in ("admin", "supervisor", "auditor"):
        answer = await client.get("/metrics", headers=county.auth(role))
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden"), role
    text = await scrape(client, operator_token)
    assert samples(text, "jgt_metrics_database_ok") == {(): 1.0}


async def test_the_database_figures_and_pools_are_read_at_the_scrape(
    client: httpx.AsyncClient, operator_token: str
) -> None:
    text = await scrape(client, operator_token)
    for name in (
        "jgt_projection_lag_events",
        "jgt_projection_parked_counties",
        "jgt_outbox_pending_rows",
        "jgt_outbox_oldest_pending_seconds",
    ):
        [value] = samples(text, name).values()
        assert value >= 0, name
    pools = samples(text, "jgt_db_pool_max")
    assert pools[(("pool", "app"),)] >= 10  # the app's (and any other open one in this process)
    assert pools[(("pool", "system"),)] >= 4
    assert samples(text, "jgt_db_pool_in_use")[(("pool", "app"),)] >= 0


async def test_appends_and_group_commit_batches_are_counted(
    client: httpx.AsyncClient, store: EventStore, tenant_id: UUID, operator_token: str
) -> None:
    before = await scrape(client, operator_token)
    context = WriteContext(tenant_id=tenant_id, actor_id=RECORDER, role="admin")
    await asyncio.gather(*(store.save(Tally.open(f"计数 {n}"), context) for n in range(20)))
    after = await scrape(client, operator_token)

    def total(text: str, name: str, labels: tuple[tuple[str, str], ...] = ()) -> float:
        return samples(text, name).get(labels, 0.0)

    appended = (("outcome", "appended"),)
    assert (
        total(after, "jgt_appends_total", appended) - total(before, "jgt_appends_total", appended)
        == 20
    )
    events = total(after, "jgt_events_appended_total") - total(before, "jgt_events_appended_total")
    assert events >= 20
    batches = "jgt_group_commit_batch_commands_sum"
    assert total(after, batches) - total(before, batches) == 20  # commands, in fewer batches
    calls = "jgt_group_commit_batch_commands_count"
    assert 1 <= total(after, calls) - total(before, calls) <= 20


async def test_a_slow_database_leaves_its_figures_out_and_says_so(
    settings: Settings, urls: Urls
) -> None:
    async with open_services(settings, urls) as services:
        figures = await database_figures(services, budget=0)
        assert [(m.name, m.samples[0].value) for m in figures] == [("jgt_metrics_database_ok", 0)]
        read = await database_figures(services)
        assert {m.name for m in read} >= {"jgt_metrics_database_ok", "jgt_outbox_pending_rows"}


async def fetch(port: int, target: str) -> tuple[str, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    answer = (await reader.read()).decode()
    writer.close()
    head, _, body = answer.partition("\r\n\r\n")
    return head.splitlines()[0], body


async def test_the_listener_of_its_own_serves_metrics_without_a_token(
    settings: Settings, urls: Urls
) -> None:
    async with open_services(settings, urls) as services:
        async with metrics_listener(services, "127.0.0.1:0") as port:
            status, body = await fetch(port, "/metrics")
            assert status == "HTTP/1.1 200 OK"
            assert samples(body, "jgt_metrics_database_ok") == {(): 1.0}
            assert "jgt_appends_total" in body
            assert (await fetch(port, "/v1/schools"))[0] == "HTTP/1.1 404 Not Found"
        try:
            await fetch(port, "/metrics")
        except OSError:
            pass  # closed with its block
        else:
            raise AssertionError("the listener still answers after its block")
