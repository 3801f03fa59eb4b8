"""People act, not tokens: users of the county, tokens issued to them, events naming them."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx

from infra.db import tenant_transaction
from infra.tenancy import Principal, Role, authenticate
from infra.users import create_user
from tests.conftest import Database
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County
from tests.service.test_cli import jgt


async def person(
    client: httpx.AsyncClient, county: County, name: str, role: str, **extra: Any
) -> tuple[UUID, str]:
    """A user of the county and a token issued to it; registers the token under `name`."""
    made = await client.post(
        "/v1/users", json={"name": name, "role": role, **extra}, headers=county.auth("admin")
    )
    assert made.status_code == 201, made.text
    user_id = UUID(made.json()["id"])
    issued = await client.post(
        "/v1/tokens",
        json={"user_id": str(user_id), "label": f"{name}的令牌"},
        headers=county.auth("admin"),
    )
    assert issued.status_code == 201, issued.text
    county.tokens[name] = issued.json()["token"]
    return user_id, issued.json()["token_id"]


async def test_a_user_is_a_person_of_the_county_whose_tokens_act_for_it(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    user_id, token_id = await person(client, county, "王晓红", "recorder", school_id=str(lead))
    listed = (await client.get("/v1/users", headers=county.auth("admin"))).json()
    assert [(u["id"], u["name"], u["role"], u["school_id"], u["active"]) for u in listed] == [
        (str(user_id), "王晓红", "recorder", str(lead), True)
    ]
    # The token takes the user's role and school, and the list of tokens names the person;
    # the tokens of before have none.
    tokens = (await client.get("/v1/tokens", headers=county.auth("admin"))).json()
    mine = next(t for t in tokens if t["token_id"] == token_id)
    assert (mine["role"], mine["school_id"], mine["user_id"], mine["user_name"]) == (
        "recorder",
        str(lead),
        str(user_id),
        "王晓红",
    )
    assert {t["user_id"] for t in tokens if t["token_id"] != token_id} == {None}

    recorded = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first),
        headers=county.auth("王晓红"),
    )
    assert recorded.status_code == 201, recorded.text
    # The event's metadata names the person as well as the token; the name is not in it.
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        row = await conn.fetchrow(
            "select metadata, payload from events where tenant_id = $1 and stream_id = $2",
            county.tenant_id,
            UUID(recorded.json()["id"]),
        )
    assert row is not None
    assert b'"user":"%s"' % str(user_id).encode() in row["metadata"]
    assert b'"actor":"%s"' % token_id.encode() in row["metadata"]
    assert "王晓红".encode() not in row["metadata"] + row["payload"]
    audit = (await client.get("/v1/audit/events", headers=county.auth("auditor"))).json()
    actors = [e["actor"] for e in audit["items"] if e["stream_id"] == recorded.json()["id"]]
    assert actors == [
        {
            "id": token_id,
            "role": "recorder",
            "label": "王晓红的令牌",
            "user_id": str(user_id),
            "user_name": "王晓红",
            "through_token": False,
        }
    ]
    earlier = [e["actor"] for e in audit["items"] if e["stream_id"] != recorded.json()["id"]]
    assert earlier and all(a["user_id"] is None for a in earlier)  # the admin token of before


async def test_a_deactivated_users_tokens_stop_and_it_gets_no_new_one(
    client: httpx.AsyncClient, county: County
) -> None:
    user_id, _ = await person(client, county, "赵督导", "supervisor")
    assert (await client.get("/v1/schools", headers=county.auth("赵督导"))).status_code == 200
    off = await client.post(f"/v1/users/{user_id}/deactivate", headers=county.auth("admin"))
    assert off.status_code == 200, off.text
    assert (off.json()["active"], off.json()["deactivated_at"] is not None) == (False, True)
    refused = await client.get("/v1/schools", headers=county.auth("赵督导"))
    assert refused.status_code == 401, refused.text
    again = await client.post(
        "/v1/tokens",
        json={"user_id": str(user_id), "label": "新令牌"},
        headers=county.auth("admin"),
    )
    assert (again.status_code, again.json()["code"]) == (409, "user_deactivated")
    shown = await client.get(f"/v1/users/{user_id}", headers=county.auth("admin"))
    assert shown.json()["name"] == "赵督导"  # kept for the ledger
    active = await client.get("/v1/users", params={"active": "true"}, headers=county.auth("admin"))
    assert active.json() == []


async def test_users_and_their_tokens_refuse_what_does_not_fit(
    client: httpx.AsyncClient, county: County
) -> None:
    admin = county.auth("admin")
    no_school = await client.post(
        "/v1/users", json={"name": "钱", "role": "recorder"}, headers=admin
    )
    assert (no_school.status_code, no_school.json()["code"]) == (422, "recorder_needs_school")
    blank = await client.post("/v1/users", json={"name": "\u3000", "role": "admin"}, headers=admin)
    assert blank.status_code == 400, blank.text
    user_id, _ = await person(client, county, "孙管理", "admin")
    other_role = await client.post(
        "/v1/tokens",
        json={"user_id": str(user_id), "label": "x", "role": "auditor"},
        headers=admin,
    )
    assert (other_role.status_code, other_role.json()["code"]) == (422, "not_the_users_role")
    unknown = await client.post(
        "/v1/tokens",
        json={"user_id": "00000000-0000-4000-8000-000000000000", "label": "x"},
        headers=admin,
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_reference")
    neither = await client.post("/v1/tokens", json={"label": "x"}, headers=admin)
    assert (neither.status_code, neither.json()["code"]) == (422, "role_required")
    assert len((await client.get("/v1/users", headers=admin)).json()) == 1


def test_the_cli_issues_a_token_to_a_user_and_lists_whose_each_token_is(
    database: Database,
) -> None:
    created = jgt(database, "tenant", "create", "庆元县教育局").output.splitlines()
    tenant_id = UUID(created[0].removeprefix("tenant "))
    school = uuid4()

    async def add_user() -> UUID:
        conn = await asyncpg.connect(database.app_url)
        try:
            async with conn.transaction():
                user = await create_user(
                    conn, tenant_id, name="吴老师", role=Role.RECORDER, school_id=school
                )
        finally:
            await conn.close()
        return user.user_id

    user_id = asyncio.run(add_user())
    base = ("token", "create", "--tenant", str(tenant_id), "--user", str(user_id))
    wrong = jgt(database, *base, "--role", "auditor")
    assert wrong.exit_code == 1
    assert "has the role recorder, not auditor" in wrong.output
    made = jgt(database, *base, "--role", "recorder", "--label", "吴老师")
    assert made.exit_code == 0, made.output

    async def principal() -> Principal:
        conn = await asyncpg.connect(database.app_url)
        try:
            async with conn.transaction():
                return await authenticate(conn, made.output.strip())
        finally:
            await conn.close()

    found = asyncio.run(principal())
    assert (found.user_id, found.school_id, found.role) == (user_id, school, Role.RECORDER)
    listing = jgt(database, "token", "list", "--tenant", str(tenant_id)).output.splitlines()
    assert any(line.endswith(f"user {user_id}") for line in listing), listing
    assert any(line.endswith("(no user)") for line in listing), listing  # the first admin's


async def test_an_auditors_read_is_recorded_with_the_person(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    user_id, token_id = await person(client, county, "郑审计", "auditor")
    assert (await client.get("/v1/audit/verify", headers=county.auth("郑审计"))).is_success
    assert (await client.get("/v1/audit/verify", headers=county.auth("auditor"))).is_success
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        reads = await conn.fetch(
            "select actor_id, user_id from audit_reads where tenant_id = $1 order by read_id",
            county.tenant_id,
        )
    assert [(r["actor_id"], r["user_id"]) for r in reads][:1] == [(UUID(token_id), user_id)]
    assert [r["user_id"] for r in reads][1:] == [None]  # a token of before
