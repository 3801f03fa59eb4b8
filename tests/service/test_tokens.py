"""Counties that are gone or suspended, tokens that expire or are revoked, operators' tokens."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from uuid import UUID

import asyncpg
import httpx
from click.testing import CliRunner, Result

from infra.tenancy import PLATFORM_TENANT_ID, Role, issue_token, revoke_token
from service.cli import main
from tests.conftest import Database, new_tenant
from tests.service.api import school
from tests.service.conftest import County, issue


def jgt(database: Database, *args: str) -> Result:
    environment = {"DATABASE_URL": database.owner_url, "REDIS_URL": ""}
    return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)


async def cli(database: Database, *args: str) -> Result:
    # The commands run their own event loop: off this one.
    return await asyncio.to_thread(jgt, database, *args)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


async def test_a_token_of_a_county_that_no_longer_exists_gets_401(
    client: httpx.AsyncClient, app_pool: asyncpg.Pool, database: Database
) -> None:
    tenant_id = await new_tenant(app_pool, "消失县")
    admin = await issue(app_pool, tenant_id, Role.ADMIN)
    owner = await asyncpg.connect(database.owner_url)
    try:  # as a restore from an older backup, or an operator's hand, would leave it
        await owner.execute("set session_replication_role = replica")
        await owner.execute("delete from tenant_heads where tenant_id = $1", tenant_id)
        await owner.execute("delete from tenants where tenant_id = $1", tenant_id)
    finally:
        await owner.close()
    issued = await client.post(
        "/v1/tokens", json={"role": "supervisor", "label": "x"}, headers=bearer(admin)
    )
    verify = await client.get("/v1/audit/verify", headers=bearer(admin))
    for answer in (issued, verify):
        assert answer.status_code == 401, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == "not_authenticated"


async def test_a_suspended_countys_tokens_get_403_and_nothing_is_deleted(
    client: httpx.AsyncClient, county: County, database: Database
) -> None:
    school_id = await school(client, county, "SUS01")
    before = await client.get("/v1/audit/events", headers=county.auth("auditor"))
    assert before.status_code == 200, before.text
    assert before.json()["items"]
    suspended = await cli(database, "tenant", "suspend", str(county.tenant_id))
    assert suspended.exit_code == 0, suspended.output
    assert "suspended" in suspended.output
    await asyncio.sleep(1.2)  # the auditor's token was cached: a second, across processes
    for role in ("admin", "supervisor", "auditor"):
        answer = await client.get("/v1/schools", headers=county.auth(role, "en"))
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "county_suspended"
        assert "suspended" in answer.json()["detail"]
    resumed = await cli(database, "tenant", "resume", str(county.tenant_id))
    assert resumed.exit_code == 0, resumed.output
    await asyncio.sleep(1.2)
    after = await client.get("/v1/audit/events", headers=county.auth("auditor"))
    assert after.status_code == 200, after.text
    assert after.json()["items"] == before.json()["items"]
    kept = await client.get(f"/v1/schools/{school_id}", headers=county.auth("admin"))
    assert kept.status_code == 200, kept.text
    unknown = await cli(database, "tenant", "suspend", "00000000-0000-0000-0000-0000000000ff")
    assert unknown.exit_code == 1
    assert "no county" in unknown.output


async def test_a_revocation_elsewhere_reaches_the_server_within_about_a_second(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    supervisor = county.tokens["supervisor"]
    assert (await client.get("/v1/schools", headers=bearer(supervisor))).status_code == 200
    token_id = await _token_id(client, county, "supervisor")
    async with app_pool.acquire() as conn, conn.transaction():  # as `jgt token revoke` would
        assert await revoke_token(conn, county.tenant_id, token_id)
    started, status = time.monotonic(), 200
    while status == 200 and time.monotonic() - started < 5:
        await asyncio.sleep(0.05)
        status = (await client.get("/v1/schools", headers=bearer(supervisor))).status_code
    waited = time.monotonic() - started
    assert status == 401
    assert waited < 3, f"revocation took {waited:.2f} s to reach the server"


async def test_a_revocation_through_the_api_is_refused_at_once(
    client: httpx.AsyncClient, county: County
) -> None:
    auditor = county.tokens["auditor"]
    assert (await client.get("/v1/audit/verify", headers=bearer(auditor))).status_code == 200
    token_id = await _token_id(client, county, "auditor")
    gone = await client.delete(f"/v1/tokens/{token_id}", headers=county.auth("admin"))
    assert gone.status_code == 204, gone.text
    assert (await client.get("/v1/audit/verify", headers=bearer(auditor))).status_code == 401


async def test_a_token_with_an_expiry_gets_401_once_it_has_passed(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    made = await client.post(
        "/v1/tokens",
        json={"role": "supervisor", "label": "季度督导", "expires_in": "90d"},
        headers=county.auth("admin"),
    )
    assert made.status_code == 201, made.text
    expires_at = datetime.fromisoformat(made.json()["expires_at"])
    assert abs(expires_at - (datetime.now(UTC) + timedelta(days=90))) < timedelta(minutes=1)
    listed = await client.get("/v1/tokens", headers=county.auth("admin"))
    mine = next(t for t in listed.json() if t["token_id"] == made.json()["token_id"])
    assert datetime.fromisoformat(mine["expires_at"]) == expires_at
    bad = await client.post(
        "/v1/tokens",
        json={"role": "supervisor", "label": "x", "expires_in": "forever"},
        headers=county.auth("admin"),
    )
    assert bad.status_code == 400, bad.text

    async with app_pool.acquire() as conn, conn.transaction():
        short = await issue_token(
            conn,
            county.tenant_id,
            Role.SUPERVISOR,
            label="一秒",
            expires_at=datetime.now(UTC) + timedelta(seconds=1),
        )
    assert (await client.get("/v1/schools", headers=bearer(short.secret))).status_code == 200
    await asyncio.sleep(1.1)
    expired = await client.get("/v1/schools", headers=bearer(short.secret))
    assert expired.status_code == 401
    assert expired.json()["code"] == "token_expired"


async def test_operators_make_list_and_revoke_tokens_from_the_command_line(
    client: httpx.AsyncClient, database: Database
) -> None:
    made = await cli(database, "token", "create", "--role", "operator", "--label", "平台值班")
    assert made.exit_code == 0, made.output
    operator = made.output.strip()
    county = await client.post("/v1/tenants", json={"name": "新建县"}, headers=bearer(operator))
    assert county.status_code == 201, county.text
    tenant_id = county.json()["tenant_id"]

    expiring = await cli(
        database,
        "token",
        "create",
        "--tenant",
        tenant_id,
        "--role",
        "auditor",
        "--expires-in",
        "12h",
    )
    assert expiring.exit_code == 0, expiring.output
    listing = await cli(database, "token", "list", "--tenant", tenant_id)
    assert listing.exit_code == 0, listing.output
    lines = listing.output.strip().splitlines()
    assert len(lines) == 2
    assert "auditor" in lines[0]
    assert "expires" in lines[0]
    assert "admin" in lines[1]
    assert "active" in lines[1]
    assert "jgt_" not in listing.output  # never a secret

    operators = await cli(database, "token", "list")
    line = next(x for x in operators.output.splitlines() if "平台值班" in x)
    operator_id = line.split()[0]
    revoked = await cli(database, "token", "revoke", operator_id)
    assert revoked.exit_code == 0, revoked.output
    again = await cli(database, "token", "revoke", operator_id)
    assert again.exit_code == 1
    await asyncio.sleep(1.2)
    refused = await client.get("/v1/tenants", headers=bearer(operator))
    assert refused.status_code == 401
    relisted = await cli(database, "token", "list", "--tenant", str(PLATFORM_TENANT_ID))
    assert any(operator_id in x and "revoked" in x for x in relisted.output.splitlines())

    wrong = await cli(database, "token", "create", "--role", "operator", "--tenant", tenant_id)
    assert wrong.exit_code == 1
    lifetime = await cli(
        database, "token", "create", "--tenant", tenant_id, "--role", "auditor", "--expires-in", "x"
    )
    assert lifetime.exit_code == 1
    assert "90d" in lifetime.output


def test_jgt_prints_its_version(database: Database) -> None:
    result = jgt(database, "--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"jgt, version {version('jiaogongti')}"


async def _token_id(client: httpx.AsyncClient, county: County, role: str) -> UUID:
    listed = await client.get("/v1/tokens", headers=county.auth("admin"))
    return UUID(next(t["token_id"] for t in listed.json() if t["label"] == role))
