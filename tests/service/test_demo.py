"""The demo county: `jgt demo --json`, and `jgt serve --demo` with curl lines that work."""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest

from infra.crypto import Keyring, MasterKey
from infra.event_store import EventStore
from infra.tenancy import TokenError, authenticate
from service.demo import create_demo_county, ensure_demo_county
from service.services import file_store_of
from service.settings import Settings
from tests.conftest import Database
from tests.infra.outbox_support import Isolated, drop_queue, eventually, isolated_database
from tests.service.processes import jgt_env, jgt_process, stop_cleanly
from tests.service.test_cli import jgt


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


async def test_jgt_demo_json_creates_a_county_whose_lists_and_dashboard_are_ready(
    database: Database, client: httpx.AsyncClient, data_dir: Path
) -> None:
    # The app's data folder: its master key opens the demo teachers' names.
    folder = {"JGT_DATA_DIR": str(data_dir)}
    result = await asyncio.to_thread(jgt, database, "demo", "--json", env=folder)
    assert result.exit_code == 0, result.output
    demo: dict[str, Any] = json.loads(result.output.strip().splitlines()[-1])
    assert set(demo["tokens"]) == {"admin", "recorder", "supervisor", "auditor"}
    UUID(demo["tenant_id"])
    assert len(demo["schools"]) == 5
    assert demo["lead_school_id"] in demo["schools"].values()

    def auth(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {demo['tokens'][role]}"}

    counts = await client.get(
        "/v1/dashboards/activity-counts",
        headers=auth("supervisor"),
        params={"community": demo["community_id"]},
    )
    assert counts.status_code == 200, counts.text
    # A semester's plan of 16 actions count; a duplicate was recorded and voided.
    assert counts.json()["total"] == 16
    assert counts.json()["pending_events"] == 0
    roster = await client.get(
        f"/v1/communities/{demo['community_id']}/roster", headers=auth("auditor")
    )
    assert roster.json()["lead"]["name"] == "城关第一小学"
    assert len(roster.json()["members"]) == 4
    verified = await client.get("/v1/audit/verify", headers=auth("auditor"))
    assert verified.json()["intact"] is True
    await demo_has_research(client, auth("supervisor"))
    teachers = await client.get(
        "/v1/teachers", headers=auth("supervisor"), params={"include_left": "true"}
    )
    named = [t["name"] for t in teachers.json()["items"]]
    assert len(named) == 21, teachers.text
    assert all(name and 2 <= len(name) <= 3 for name in named), named
    assignments = await client.get("/v1/assignments", headers=auth("supervisor"))
    assert {a["kind"] for a in assignments.json()["items"]} == {"dispatch", "shadowing"}
    pairs = await client.get("/v1/mentorships", headers=auth("supervisor"))
    assert len(pairs.json()["items"]) == 5
    community = await client.get(f"/v1/communities/{demo['community_id']}", headers=auth("admin"))
    set_up = community.json()["set_up"]
    assert set_up["agreement_signed"]["mode"].startswith("共建型")
    assert [m["role"] for m in set_up["leading_group"]][:2] == ["leader", "deputy"]
    assert [p["kind"] for p in set_up["phases"]] == ["launch", "implementation", "long_term"]
    assert set_up["base_school_ids"] == [demo["lead_school_id"]]

    again = await asyncio.to_thread(jgt, database, "demo", "--json", env=folder)
    assert json.loads(again.output.strip().splitlines()[-1])["tenant_id"] != demo["tenant_id"]


async def demo_has_research(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    """A joint project approved, a paper awarded, and sittings whose results fill the database."""
    projects = (await client.get("/v1/research/projects", headers=headers)).json()["items"]
    assert [(p["stage"], p["is_joint"]) for p in projects] == [("approved", True)]
    papers = (await client.get("/v1/research/papers", headers=headers)).json()["items"]
    assert [p["outcome"] for p in papers] == ["awarded"]
    sittings = (await client.get("/v1/quality/sittings", headers=headers)).json()["items"]
    assert len(sittings) >= 2
    assert all(len(s["reported_school_ids"]) == 5 and s["analyses"] == 1 for s in sittings)
    results = await client.get("/v1/quality/results", headers=headers, params={"limit": 200})
    assert len(results.json()["items"]) == 5 * 2 * len(sittings)
    totals = (await client.get("/v1/money/totals", headers=headers)).json()["items"]
    assert [t["funding_fen"] for t in totals] == [1_000_000]
    commended = (await client.get("/v1/commendations", headers=headers)).json()["items"]
    assert [c["kind"] for c in commended] == ["community"]


async def curl(line: str) -> tuple[int, str]:
    """Runs a printed curl line as a person would paste it; its status and body."""
    done = await asyncio.create_subprocess_exec(
        "bash", "-c", line + " -w '\\n%{http_code}'", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await done.communicate()
    body, _, status = out.decode().rpartition("\n")
    return int(status), body


async def test_serve_with_demo_prints_curl_lines_that_work(world: Isolated, redis_url: str) -> None:
    queue_name = f"jgt:test:{uuid4().hex}"
    env = jgt_env(
        world.database.owner_url,
        redis_url,
        JGT_QUEUE_NAME=queue_name,
        JGT_PORT="0",
        JGT_POLL_SECONDS="0.2",
    )
    async with jgt_process(env, "serve", "--demo") as process:
        assert process.stdout is not None
        printed: list[str] = []
        while not any(
            line.strip().startswith("curl") and "/v1/schools/" in line for line in printed
        ):
            line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
            assert line, "".join(printed)
            printed.append(line)
        curls = [line.strip() for line in printed if line.strip().startswith("curl")]
        assert len(curls) == 6, printed
        answers = [await curl(line) for line in curls]
        assert [status for status, _ in answers] == [201, 200, 200, 200, 200, 200], answers
        assert json.loads(answers[3][1])["intact"] is True
        supervisor = next(c for c in curls if "dashboards/activity-counts" in c)

        async def counted_the_new_lesson() -> bool:
            return int(json.loads((await curl(supervisor))[1])["total"]) == 17

        await eventually(counted_the_new_lesson, within=10)
        inbox_line = next(c for c in curls if c.endswith("/v1/inbox"))

        async def lead_school_told() -> bool:
            inbox = json.loads((await curl(inbox_line))[1])
            return any("五年级英语" in n["activity"]["title"] for n in inbox["items"])

        await eventually(lead_school_told, within=15)
        await stop_cleanly(process, signal.SIGTERM)
    await drop_queue(redis_url, queue_name)


async def test_a_restart_of_the_demo_revokes_the_tokens_it_printed_before(
    app_pool: asyncpg.Pool, store: EventStore, settings: Settings
) -> None:
    today = date(2024, 4, 15)
    files = file_store_of(settings)
    keyring = Keyring(app_pool, MasterKey.generate())
    first = await ensure_demo_county(app_pool, store, today, files=files, keyring=keyring)
    second = await ensure_demo_county(app_pool, store, today, files=files, keyring=keyring)
    assert first.tenant_id == second.tenant_id
    async with app_pool.acquire() as conn, conn.transaction():
        for role in ("admin", "recorder", "supervisor", "auditor"):
            with pytest.raises(TokenError):
                await authenticate(conn, first.tokens[role])
            principal = await authenticate(conn, second.tokens[role])
            assert principal.role == role


async def test_the_demo_county_is_judged_by_the_rongan_template(
    client: httpx.AsyncClient, app_pool: asyncpg.Pool, store: EventStore, settings: Settings
) -> None:
    # A fixed day, so that what is due, done and late is the same whenever the test runs.
    today = date(2024, 4, 15)
    keyring = Keyring(app_pool, MasterKey.generate())
    files = file_store_of(settings)
    county = await create_demo_county(
        app_pool, store, today, "示范县甲", files=files, keyring=keyring
    )
    headers = {"Authorization": f"Bearer {county.tokens['supervisor']}"}

    async def judged(period: str) -> dict[str, Any]:
        # Recorded now, long after the day asked: as happened, dated by when things happened.
        params = {"period": period, "as_of": today.isoformat(), "mode": "as_happened"}
        listed = await client.get("/v1/compliance", params=params, headers=headers)
        assert listed.status_code == 200, listed.text
        found: dict[str, Any] = listed.json()
        return found

    this, last = await judged("2023-2024"), await judged("2022-2023")
    assert this["versions"] == ["rongan-2022@1", "rongan-2022@2"]
    assert {i["community_id"] for i in this["items"] if i["community_id"]} == {
        str(county.community_id)
    }
    # The second version judges the periods ending after it came into force (2024-02-01).
    lessons = {i["period"]: i["version"] for i in this["items"] if i["rule_id"] == "S1-44"}
    assert lessons == {"2023-autumn": "rongan-2022@1", "2024-spring": "rongan-2022@2"}
    assert any(i["done"] > 0 for i in this["items"])
    assert any(i["late"] > 0 for i in this["items"])  # recorded long after: late entries (补录)
    shown = {i["status"] for i in (*this["items"], *last["items"])}
    assert shown >= {"met", "missed", "at_risk", "open", "not_applicable"}, shown
