"""`jgt serve` split: requests only with a `jgt worker` beside it, or in more than one web process."""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from infra.tenancy import Role
from tests.conftest import new_tenant
from tests.infra.outbox_support import Isolated, drop_queue, eventually, isolated_database
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County, issue
from tests.service.processes import first_line, jgt_env, jgt_process, stop_cleanly


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


async def listening(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    printed: list[str] = []
    while not printed or "listening on" not in printed[-1]:
        line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
        assert line, "".join(printed)
        printed.append(line)
    return printed[-1].split("listening on ")[1].split()[0]


async def test_serve_without_background_work_leaves_it_to_a_worker(
    world: Isolated, redis_url: str
) -> None:
    queue_name = f"jgt:test:{world.database.name}"
    env = jgt_env(
        world.database.owner_url,
        redis_url,
        JGT_PORT="0",
        JGT_QUEUE_NAME=queue_name,
        JGT_POLL_SECONDS="0.1",
        JGT_SERVE_BACKGROUND="false",
    )
    county = County(await new_tenant(world.app_pool, "松阳县教育局"))
    for role in (Role.ADMIN, Role.SUPERVISOR):
        county.tokens[role.value] = await issue(world.app_pool, county.tenant_id, role)
    async with jgt_process(env, "serve") as server:
        base = await listening(server)
        async with httpx.AsyncClient(base_url=base) as client:
            community_id, lead, member, _ = await setup_community(client, county, "W")
            recorded = await client.post(
                "/v1/activities",
                json=activity_body(community_id, lead, member),
                headers=county.auth("admin"),
            )
            assert recorded.status_code == 201, recorded.text

            async def counts() -> dict[str, Any]:
                answer = await client.get(
                    "/v1/dashboards/activity-counts",
                    params={"community": str(community_id)},
                    headers=county.auth("supervisor"),
                )
                assert answer.status_code == 200, answer.text
                found: dict[str, Any] = answer.json()
                return found

            await asyncio.sleep(1.0)  # ten poll intervals: a runner in `serve` would have folded
            alone = await counts()
            assert alone["items"] == []
            assert alone["pending_events"] > 0
            async with jgt_process(env, "worker") as worker:
                assert (await first_line(worker)).startswith("jiaogongti worker")

                async def folded() -> bool:
                    now = await counts()
                    return now["pending_events"] == 0 and [i["count"] for i in now["items"]] == [1]

                await eventually(folded, within=15)
                await stop_cleanly(worker, signal.SIGTERM)
        await stop_cleanly(server, signal.SIGTERM)
    await drop_queue(redis_url, queue_name)


async def test_more_web_processes_share_the_port_and_stop_together(
    world: Isolated, redis_url: str
) -> None:
    queue_name = f"jgt:test:{world.database.name}"
    env = jgt_env(
        world.database.owner_url,
        redis_url,
        JGT_PORT="0",
        JGT_QUEUE_NAME=queue_name,
        JGT_WEB_PROCESSES="3",
    )
    county = County(await new_tenant(world.app_pool, "庆元县教育局"))
    county.tokens["supervisor"] = await issue(world.app_pool, county.tenant_id, Role.SUPERVISOR)
    async with jgt_process(env, "serve") as server:
        base = await listening(server)
        assert server.stdout is not None
        assert "3 web processes" in (await server.stdout.readline()).decode()
        port = int(base.rsplit(":", 1)[1])
        if shutil.which("ss"):  # Linux: each process has its own socket on the port
            assert len(listeners(port)) == 3
        clients = [httpx.AsyncClient(base_url=base) for _ in range(30)]  # 30 connections
        try:
            answers = await asyncio.gather(
                *(c.get("/v1/schools", headers=county.auth("supervisor")) for c in clients)
            )
        finally:
            await asyncio.gather(*(c.aclose() for c in clients))
        assert {a.status_code for a in answers} == {200}
        await stop_cleanly(server, signal.SIGTERM)
    async with httpx.AsyncClient(base_url=base) as late:  # no web process outlived the first
        for _ in range(10):
            with pytest.raises(httpx.ConnectError):
                await late.get("/healthz")
    await drop_queue(redis_url, queue_name)


def listeners(port: int) -> list[str]:
    """The processes listening on `port` (Linux's `ss`)."""
    shown = subprocess.run(  # noqa: S603 - a fixed command
        ["ss", "-ltnpH", f"sport = :{port}"],  # noqa: S607 - ss from PATH
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in shown.stdout.splitlines() if line.strip()]
