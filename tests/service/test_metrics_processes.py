"""With more web processes, each serves its own metrics on its own listener (port + index)."""

from __future__ import annotations

import signal
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from infra.tenancy import Role
from service.settings import from_env
from service.web_processes import metrics_listener_of
from tests.conftest import new_tenant
from tests.infra.outbox_support import Isolated, drop_queue, isolated_database
from tests.service.conftest import County, issue
from tests.service.processes import jgt_env, jgt_process, stop_cleanly
from tests.service.test_metrics import samples
from tests.service.test_serve_alone import listening


def test_each_web_process_listens_on_the_addresss_port_plus_its_index() -> None:
    fixed = from_env({"JGT_METRICS_ADDRESS": "10.0.0.5:9108"})
    assert metrics_listener_of(fixed, 2) == {"JGT_METRICS_ADDRESS": "10.0.0.5:9110"}
    ipv6 = from_env({"JGT_METRICS_ADDRESS": "[::1]:9108"})
    assert metrics_listener_of(ipv6, 1) == {"JGT_METRICS_ADDRESS": "[::1]:9109"}
    anywhere = from_env({"JGT_METRICS_ADDRESS": "127.0.0.1:0"})
    assert metrics_listener_of(anywhere, 3) == {"JGT_METRICS_ADDRESS": "127.0.0.1:0"}
    assert metrics_listener_of(from_env({}), 1) == {}


def two_free_ports() -> int:
    """A port p such that p and p + 1 were free a moment ago."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port: int = first.getsockname()[1]
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
                return port
    raise AssertionError("no two free ports in a row")


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


async def test_two_web_processes_count_their_own_requests_on_their_own_listeners(
    world: Isolated, redis_url: str
) -> None:
    queue_name = f"jgt:test:{world.database.name}"
    metrics_port = two_free_ports()
    env = jgt_env(
        world.database.owner_url,
        redis_url,
        JGT_PORT="0",
        JGT_QUEUE_NAME=queue_name,
        JGT_WEB_PROCESSES="2",
        JGT_METRICS_ADDRESS=f"127.0.0.1:{metrics_port}",
    )
    county = County(await new_tenant(world.app_pool, "景宁县教育局"))
    county.tokens["supervisor"] = await issue(world.app_pool, county.tenant_id, Role.SUPERVISOR)
    key = (("method", "GET"), ("route", "/v1/schools"), ("status", "200"))
    async with jgt_process(env, "serve") as server:
        base = await listening(server)
        clients = [httpx.AsyncClient(base_url=base) for _ in range(20)]  # 20 connections
        try:
            for client in clients:
                answer = await client.get("/v1/schools", headers=county.auth("supervisor"))
                assert answer.status_code == 200
        finally:
            for client in clients:
                await client.aclose()
        counted = 0.0
        async with httpx.AsyncClient() as scraper:
            for port in (metrics_port, metrics_port + 1):
                scraped = await scraper.get(f"http://127.0.0.1:{port}/metrics")
                assert scraped.status_code == 200, port
                counted += samples(scraped.text, "jgt_http_requests_total").get(key, 0.0)
        assert counted == 20  # every request in one process's count, none twice
        await stop_cleanly(server, signal.SIGTERM)
    await drop_queue(redis_url, queue_name)
