"""Every answer carries X-Request-ID; problems and the events a request records carry it too."""

import re

import httpx

from tests.service.conftest import County

_NEW = re.compile(r"^[0-9a-f]{16}$")


async def test_an_answer_echoes_a_valid_request_id_and_makes_one_otherwise(
    client: httpx.AsyncClient,
) -> None:
    made = await client.get("/healthz")
    assert _NEW.match(made.headers["x-request-id"])
    echoed = await client.get("/healthz", headers={"X-Request-ID": "lb-7f3a:42"})
    assert echoed.headers["x-request-id"] == "lb-7f3a:42"
    for bad in ("has spaces", "x" * 65, "引号"):
        replaced = await client.get("/healthz", headers={b"X-Request-ID": bad.encode()})
        assert _NEW.match(replaced.headers["x-request-id"]), bad
    no_route = await client.get("/no/such/route", headers={"X-Request-ID": "r-404"})
    assert no_route.status_code == 404
    assert no_route.headers["x-request-id"] == "r-404"


async def test_a_problem_names_the_request_id_of_its_answer(client: httpx.AsyncClient) -> None:
    answer = await client.get("/v1/schools", headers={"X-Request-ID": "r-401"})
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["request_id"] == "r-401" == answer.headers["x-request-id"]
    made = await client.get("/v1/schools")
    assert made.json()["request_id"] == made.headers["x-request-id"]


async def test_the_events_a_request_records_carry_its_id(
    client: httpx.AsyncClient, county: County
) -> None:
    body = {"name": "请求小学", "code": "R1", "stage": "primary", "location": "village"}
    created = await client.post(
        "/v1/schools", json=body, headers=county.auth("admin", **{"X-Request-ID": "r-school-1"})
    )
    assert created.status_code == 201, created.text
    assert created.headers["x-request-id"] == "r-school-1"
    events = await client.get("/v1/audit/events", headers=county.auth("auditor"))
    assert events.status_code == 200, events.text
    items = events.json()["items"]
    assert [e["metadata"]["request_id"] for e in items] == ["r-school-1"]
