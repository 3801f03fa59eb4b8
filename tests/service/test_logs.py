"""One log format for every logger; an access line per request; jobs' lines carry the request id."""

from __future__ import annotations

import io
import json
import logging
import signal
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from uuid import UUID, uuid4

import httpx
import pytest

from infra.event_store import OutboxMessage, WriteContext
from infra.outbox import OutboxDispatcher
from service.jobs import build_worker, close_worker
from service.logs import configure_logging
from tests.conftest import new_tenant
from tests.infra.outbox_support import (
    RECORDER,
    Isolated,
    activity_payload,
    drop_queue,
    isolated_database,
)
from tests.infra.sample import Tally
from tests.service.conftest import County
from tests.service.processes import jgt_env, jgt_process, stop_cleanly

ACCESS_FIELDS = {"method", "route", "status", "duration_ms", "request_id", "tenant_id", "role"}


def configured(log_format: str, level: str = "info") -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    was = root.level
    handler = configure_logging(level, log_format, stream)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(was)


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    yield from configured("json")


@pytest.fixture
def text_lines() -> Iterator[io.StringIO]:
    yield from configured("text")


def parsed(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]  # each one object


async def test_each_request_has_one_json_access_line_with_its_fields(
    client: httpx.AsyncClient, county: County, json_lines: io.StringIO
) -> None:
    answer = await client.get(
        "/v1/schools", headers=county.auth("supervisor", **{"X-Request-ID": "r-access-1"})
    )
    assert answer.status_code == 200, answer.text
    await client.get("/v1/schools", headers={"X-Request-ID": "r-access-2"})  # no token: 401

    lines = [line for line in parsed(json_lines) if line["logger"] == "jgt.access"]
    assert len(lines) == 2, lines
    first, second = lines
    assert set(first) >= ACCESS_FIELDS
    assert first["level"] == "INFO"
    logged_at = datetime.fromisoformat(str(first["time"]))
    assert abs((datetime.now(UTC) - logged_at).total_seconds()) < 60
    assert str(first["time"]).endswith("+00:00")
    assert (first["method"], first["route"], first["status"]) == ("GET", "/v1/schools", 200)
    assert (first["request_id"], first["tenant_id"], first["role"]) == (
        "r-access-1",
        str(county.tenant_id),
        "supervisor",
    )
    assert isinstance(first["duration_ms"], float)
    assert first["message"] == f"GET /v1/schools 200 {first['duration_ms']:.1f} ms"
    assert (second["status"], second["request_id"], second["tenant_id"], second["role"]) == (
        401,
        "r-access-2",
        None,
        None,
    )


async def test_no_line_holds_a_token_a_query_or_a_body(
    client: httpx.AsyncClient, county: County, operator_token: str, json_lines: io.StringIO
) -> None:
    body = {"name": "秘密小学MARKER", "code": "S9", "stage": "primary", "location": "village"}
    created = await client.post("/v1/schools", json=body, headers=county.auth("admin"))
    assert created.status_code == 201, created.text
    school = created.json()["id"]
    await client.get(f"/v1/schools/{school}", headers=county.auth("auditor"))
    await client.get("/v1/activities?cursor=QUERYSECRET", headers=county.auth("supervisor"))
    await client.get("/v1/schools", headers={"Authorization": "Bearer jgt_not-a-real-token"})
    await client.get("/metrics", headers={"Authorization": f"Bearer {operator_token}"})

    # Every line but the test client's own (httpx logs each request it sends, with its URL).
    served = [line for line in parsed(json_lines) if line["logger"] != "httpx"]
    text = json.dumps(served, ensure_ascii=False)
    assert len(served) >= 5
    secrets = [*county.tokens.values(), operator_token, "jgt_not-a-real-token"]
    for secret in [*secrets, "MARKER", "秘密", "QUERYSECRET", school]:
        assert secret not in text, secret
    routes = [line["route"] for line in parsed(json_lines) if line["logger"] == "jgt.access"]
    assert "/v1/schools/{school_id}" in routes


async def test_text_lines_carry_the_fields_after_the_message(
    client: httpx.AsyncClient, county: County, text_lines: io.StringIO
) -> None:
    await client.get("/v1/communities", headers=county.auth("admin", **{"X-Request-ID": "r-t"}))
    [line] = [x for x in text_lines.getvalue().splitlines() if " jgt.access: " in x]
    assert " INFO jgt.access: GET /v1/communities 200 " in line
    assert f"request_id=r-t tenant_id={county.tenant_id} role=admin" in line


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


async def run_one_job(world: Isolated, redis_url: str, request_id: str) -> UUID:
    """An activity's notice written by a request `request_id`, handed to arq and run."""
    county = await new_tenant(world.app_pool)
    payload = activity_payload(uuid4(), "送教下乡：标题不进日志")
    context = WriteContext(
        tenant_id=county, actor_id=RECORDER, role="recorder", request_id=request_id
    )
    outbox = [OutboxMessage("notify_lead_school", payload)]
    await world.store.save(Tally.open("x"), context, outbox=outbox)
    queue = f"jgt:test:{uuid4().hex}"
    dispatcher = OutboxDispatcher(world.system_pool, redis_url, queue)
    try:
        assert await dispatcher.dispatch_once() == 1
    finally:
        await dispatcher.close()
    worker = build_worker(
        database_url=world.database.app_url, redis_url=redis_url, queue_name=queue, burst=True
    )
    try:
        await worker.async_run()
    finally:
        await close_worker(worker)
        await drop_queue(redis_url, queue)
    assert worker.jobs_complete == 1
    return county


async def test_arqs_job_lines_are_debug_and_the_jobs_own_line_names_the_request(
    world: Isolated, redis_url: str
) -> None:
    for stream in configured("json", "debug"):
        county = await run_one_job(world, redis_url, "r-job-debug")
        lines = parsed(stream)
    arq = [line for line in lines if line["logger"] == "arq.worker"]
    per_job = [line for line in arq if "→" in str(line["message"]) or "←" in str(line["message"])]
    assert [line["level"] for line in per_job] == ["DEBUG", "DEBUG"]  # start and finish
    assert "送教下乡" in str(per_job[0]["message"])  # the title: why it stays out of info
    [ours] = [line for line in lines if line["logger"] == "jgt.jobs"]
    assert ours["level"] == "INFO"
    assert (ours["request_id"], ours["tenant_id"], ours["job"], ours["rows"]) == (
        "r-job-debug",
        str(county),
        "notify_lead_school",
        1,
    )


async def test_arqs_job_lines_stay_out_at_info(world: Isolated, redis_url: str) -> None:
    for stream in configured("text", "info"):
        await run_one_job(world, redis_url, "r-quiet")
        text = stream.getvalue()
    assert "jgt.jobs: job notify_lead_school outbox:" in text
    assert "request_id=r-quiet" in text
    assert "→" not in text
    assert "←" not in text
    assert "送教下乡" not in text


async def test_jgt_serve_logs_uvicorns_lines_and_its_own_as_json(
    world: Isolated, redis_url: str
) -> None:
    queue_name = f"jgt:test:{world.database.name}"
    env = jgt_env(
        world.database.owner_url,
        redis_url,
        JGT_PORT="0",
        JGT_QUEUE_NAME=queue_name,
        JGT_LOG_FORMAT="json",
        JGT_METRICS_ADDRESS="127.0.0.1:0",
    )
    async with jgt_process(env, "serve") as process:
        assert process.stdout is not None
        printed: list[str] = []
        while not printed or "listening on" not in printed[-1]:
            line = (await process.stdout.readline()).decode()
            assert line, "".join(printed)
            printed.append(line)
        base = printed[-1].split("listening on ")[1].split()[0]
        async with httpx.AsyncClient() as http:
            assert (await http.get(f"{base}/healthz")).status_code == 200
            metrics_line = next(json.loads(x) for x in printed if "metrics on http" in x)
            listener = str(metrics_line["message"]).split("metrics on ")[1]
            scraped = await http.get(listener)
            assert scraped.status_code == 200
            assert 'jgt_http_requests_total{method="GET",route="/healthz",status="200"}' in (
                scraped.text
            )
        rest = await stop_cleanly(process, signal.SIGTERM)
    await drop_queue(redis_url, queue_name)
    logged = [json.loads(x) for x in [*printed, *rest.splitlines()] if x.startswith("{")]
    loggers = {line["logger"] for line in logged}
    assert {"uvicorn.error", "jgt.access", "jgt.metrics"} <= loggers, loggers
    # Every line is ours, JSON, but the lines the command prints for people.
    plain = [x for x in [*printed, *rest.splitlines()] if x.strip() and not x.startswith("{")]
    people = ("jiaogongti listening", "  data ", "  API reference ", "  health ", "stopped")
    assert all(x.startswith(people) for x in plain), plain
    [access] = [line for line in logged if line["logger"] == "jgt.access"]
    assert (access["route"], access["status"]) == ("/healthz", 200)


async def test_jgt_worker_serves_its_metrics_on_the_listener(
    world: Isolated, redis_url: str
) -> None:
    queue_name = f"jgt:test:{world.database.name}"
    env = jgt_env(
        world.database.owner_url,
        redis_url,
        JGT_QUEUE_NAME=queue_name,
        JGT_METRICS_ADDRESS="127.0.0.1:0",
    )
    async with jgt_process(env, "worker") as process:
        assert process.stdout is not None
        line = ""
        while "jiaogongti worker" not in line:
            line = (await process.stdout.readline()).decode()
            assert line
        port = int(line.rsplit("metrics on port ", 1)[1])
        async with httpx.AsyncClient() as http:
            scraped = await http.get(f"http://127.0.0.1:{port}/metrics")
        assert scraped.status_code == 200
        assert "jgt_metrics_database_ok 1.0" in scraped.text
        assert 'jgt_db_pool_max{pool="system"} 4.0' in scraped.text
        await stop_cleanly(process, signal.SIGTERM)
    await drop_queue(redis_url, queue_name)
