"""The demo county: `jgt demo --json`, and `jgt serve --demo` with curl lines that work."""

from __future__ import annotations

import asyncio
import json
import re
import signal
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest

from domain.codes import AssignmentKind
from infra.crypto import Keyring, MasterKey
from infra.db import tenant_transaction
from infra.event_store import EventStore
from infra.tenancy import TokenError, authenticate
from infra.users import list_users
from projections.review.queries import approved_activity_counts
from projections.review.queries import waiting as waiting_for_review
from projections.runner import ProjectionRunner
from service import demo_quality as quality
from service.commands.community.sign_in import SIGN_IN_ROLE
from service.demo import (
    LEAD,
    PARTNERS,
    DemoCounty,
    create_demo_county,
    ensure_demo_county,
)
from service.demo_research import FUNDING_FEN
from service.demo_review import PEOPLE
from service.demo_staff import LEAD_EXTRA, TEACHERS_PER_SCHOOL
from service.first_minute import RULE, first_minute
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
    # Every semester's plan of 16 actions since the community began (a school year back) and
    # the first year's other kinds count; a duplicate was recorded and voided.
    listed = await client.get("/v1/activities", headers=auth("supervisor"), params={"limit": 200})
    assert counts.json()["total"] == len(listed.json()["items"]) >= 3 * 16
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
    assert len(named) == 5 * TEACHERS_PER_SCHOOL + LEAD_EXTRA, teachers.text
    assert all(name and 2 <= len(name) <= 3 for name in named), named
    assignments = await client.get("/v1/assignments", headers=auth("supervisor"))
    assert {a["kind"] for a in assignments.json()["items"]} == {k.value for k in AssignmentKind}
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
    """A joint project approved, a paper awarded, and sittings whose results fill the database.

    (tests/service/test_demo_records.py walks every kind of record.)
    """
    projects = (await client.get("/v1/research/projects", headers=headers)).json()["items"]
    joint = [p for p in projects if p["is_joint"] and p["level"] == "county"]
    assert [p["stage"] for p in joint] == ["approved"]
    papers = (await client.get("/v1/research/papers", headers=headers)).json()["items"]
    assert "awarded" in [p["outcome"] for p in papers]
    sittings = (await client.get("/v1/quality/sittings", headers=headers)).json()["items"]
    assert len(sittings) >= 4  # two school years' end-of-term tests
    assert all(len(s["reported_school_ids"]) == 5 and s["analyses"] >= 1 for s in sittings)
    results = await client.get("/v1/quality/results", headers=headers, params={"limit": 200})
    cells = 5 * len(quality.SUBJECTS) * len(quality.GRADES)
    assert len(results.json()["items"]) == min(cells * len(sittings), 200)
    totals = (await client.get("/v1/money/totals", headers=headers)).json()["items"]
    assert all(t["funding_fen"] % FUNDING_FEN == 0 for t in totals)
    assert sum(t["funding_fen"] for t in totals) >= FUNDING_FEN
    assert any(t["subsidy_fen"] for t in totals)
    commended = (await client.get("/v1/commendations", headers=headers)).json()["items"]
    assert sorted(c["kind"] for c in commended) == ["community", "dispatched_teacher"]


async def run_block(variables: list[str], block: list[str]) -> tuple[int, str]:
    """Runs a printed block as a person would paste it (after the variables); status, body."""
    script = "\n".join([*variables, *block]).replace("-w '\\n'", "-w '\\n%{http_code}\\n'")
    done = await asyncio.create_subprocess_exec(
        "bash", "-c", script, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await done.communicate()
    body, _, status = out.decode().rstrip("\n").rpartition("\n")
    return int(status), body


async def signs_in_to_the_pages(line: str) -> None:
    """The printed sign-in works: it leads to the first password's change."""
    words = line.split()
    link, username, password = words[1], words[3], words[5]
    base = link.split("/app/")[0]
    async with httpx.AsyncClient(base_url=base) as web:
        form = await web.get(link)
        csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
        county = link.split("county=")[1]
        answer = await web.post(
            "/app/sign-in",
            data={"csrf": csrf, "county": county, "username": username, "password": password},
        )
        assert (answer.status_code, answer.headers["location"]) == (303, "/app/password")


def blocks_of(text: str) -> tuple[list[str], list[list[str]]]:
    """The variable lines and the command blocks (blank-line separated, comments left out)."""
    variables, commands = [], []
    for chunk in text.split("\n\n"):
        lines = [line for line in chunk.splitlines() if line and not line.startswith("#")]
        if lines and all(re.fullmatch(r"[A-Z]+=\S+", line) for line in lines):
            variables += lines
        elif lines:
            commands.append(lines)
    return variables, commands


def test_the_first_minute_is_short_lines_with_each_token_once_and_ids_on_their_own() -> None:
    roles = ("admin", "recorder", "supervisor", "auditor")
    tokens = {role: f"jgt_{role}".ljust(90, "x") for role in roles}  # as long as real ones
    schools = {LEAD[1]: uuid4(), PARTNERS[0][1]: uuid4()}
    county = DemoCounty(uuid4(), "示范县教育局", tokens, schools, uuid4())
    text = first_minute("http://127.0.0.1:8000", county, date(2024, 4, 15), LEAD[1], PARTNERS[0][1])
    for line in text.splitlines():  # short, but a token's own line: it is one word
        assert len(line) <= 92 or re.fullmatch(r"[A-Z]+=jgt_\w+", line), line
    for secret in tokens.values():
        assert text.count(secret) == 1
    ids = re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text)
    assert len(ids) == 4
    for found in ids:  # each alone on its line, as a shell variable: nothing glued to it
        assert re.search(rf"^[A-Z]+={found}$", text, re.MULTILINE), found
    variables, commands = blocks_of(text)
    assert len(variables) == 9
    assert len(commands) == 6


async def test_serve_with_demo_prints_commands_that_work_and_an_inbox_that_waits(
    world: Isolated, redis_url: str
) -> None:
    queue_name = f"jgt:test:{uuid4().hex}"
    env = jgt_env(
        world.database.owner_url,
        redis_url,
        JGT_QUEUE_NAME=queue_name,
        JGT_PORT="0",
        JGT_POLL_SECONDS="0.2",
        JGT_INSECURE_COOKIES="true",  # the test signs in to the pages over plain http
    )
    async with jgt_process(env, "serve", "--demo") as process:
        assert process.stdout is not None
        printed: list[str] = []
        while sum(line.startswith(RULE) for line in printed) < 2:
            line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
            assert line, "".join(printed)
            printed.append(line)
        text = "".join(printed)
        assert text.index("listening on") < text.index(RULE)
        variables, commands = blocks_of(text[text.index(RULE) :])
        record, dashboard, inbox, verify, events, school = commands
        status, body = await run_block(variables, dashboard)
        assert status == 200, body
        before = int(json.loads(body)["total"])
        status, body = await run_block(variables, record)
        assert status == 201, body
        # At once, without waiting here: the printed inbox command waits for the notice.
        status, body = await run_block(variables, inbox)
        assert status == 200, body
        assert "五年级英语" in json.loads(body)["items"][0]["activity"]["title"]
        again, body = await run_block(variables, record)  # the same Idempotency-Key
        assert again == 201, body

        async def counted_the_new_lesson_once() -> bool:
            status, body = await run_block(variables, dashboard)
            return status == 200 and int(json.loads(body)["total"]) == before + 1

        await eventually(counted_the_new_lesson_once, within=10)
        answers = [await run_block(variables, block) for block in (verify, events, school)]
        assert [status for status, _ in answers] == [200, 200, 200], answers
        assert json.loads(answers[0][1])["intact"] is True
        await signs_in_to_the_pages(next(line for line in printed if line.startswith("pages ")))
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


async def test_jgt_demo_prints_the_first_minute_once(database: Database) -> None:
    result = await asyncio.to_thread(jgt, database, "demo")
    assert result.exit_code == 0, result.output
    text = result.output[result.output.index(RULE) :]
    variables, commands = blocks_of(text)
    assert {line.split("=", 1)[0] for line in variables} >= {"API", "ADMIN", "RECORDER", "LEAD"}
    assert "API=http://127.0.0.1:8000" in variables
    assert len(commands) == 6
    for line in variables[1:]:  # each token and id printed once: in its variable
        assert result.output.count(line.split("=", 1)[1]) == 1, line


async def test_the_demos_tokens_belong_to_its_people_and_its_events_name_them(
    app_pool: asyncpg.Pool, system_pool: asyncpg.Pool, store: EventStore, settings: Settings
) -> None:
    county = await create_demo_county(
        app_pool,
        store,
        date(2024, 4, 15),
        name="人员示范县",
        files=file_store_of(settings),
        keyring=Keyring(app_pool, MasterKey.generate()),
    )
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        people = {user.user_id: user for user in await list_users(conn, county.tenant_id)}
        for role, token in county.tokens.items():
            principal = await authenticate(conn, token)
            assert principal.user_id in people, role
            assert people[principal.user_id].role == principal.role
        # A phone sign-in's authority is its link (no person signs in with a token).
        unnamed = await conn.fetch(
            "select convert_from(metadata, 'UTF8')::jsonb ->> 'role' as role from events"
            " where tenant_id = $1 and convert_from(metadata, 'UTF8')::jsonb ->> 'user' is null",
            county.tenant_id,
        )
    assert {user.name for user in people.values()} == set(PEOPLE.values())
    assert unnamed, "the demo has phone sign-ins"
    assert {row["role"] for row in unnamed} == {SIGN_IN_ROLE}
    # Its actions went through its review levels: all but one returned and one waiting count.
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        approved = await approved_activity_counts(conn, county.tenant_id)
        waiting = await waiting_for_review(conn, county.tenant_id)
    assert sum(approved.values()) == len(county.activities) - 2
    assert [row.activity_id for row in waiting] == [county.activities[-1]]
