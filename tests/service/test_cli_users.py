"""`jgt user set-password`: the admin's first password for a user, hashed, changed at sign-in."""

from __future__ import annotations

import asyncio
from uuid import UUID, uuid4

import asyncpg
from click.testing import CliRunner, Result

from infra.db import tenant_transaction
from infra.tenancy import Role
from infra.users import create_user
from service.cli import main
from tests.conftest import Database

# Sync tests: the commands run their own event loop with asyncio.run.


def jgt(database: Database, *args: str, stdin: str | None = None) -> Result:
    environment = {"DATABASE_URL": database.owner_url, "REDIS_URL": ""}
    return CliRunner().invoke(main, list(args), env=environment, input=stdin)


def county_with_users(database: Database, count: int) -> tuple[UUID, list[UUID]]:
    created = jgt(database, "tenant", "create", "景宁县教育局")
    assert created.exit_code == 0, created.output
    tenant_id = UUID(created.output.splitlines()[0].removeprefix("tenant "))

    async def users() -> list[UUID]:
        pool = await asyncpg.create_pool(database.app_url, min_size=1, max_size=1)
        try:
            async with tenant_transaction(pool, tenant_id) as conn:
                return [
                    (
                        await create_user(conn, tenant_id, name=f"督导{n}", role=Role.SUPERVISOR)
                    ).user_id
                    for n in range(count)
                ]
        finally:
            await pool.close()

    return tenant_id, asyncio.run(users())


def credential(database: Database, tenant_id: UUID, user_id: UUID) -> asyncpg.Record | None:
    async def read() -> asyncpg.Record | None:
        conn = await asyncpg.connect(database.owner_url)
        try:
            return await conn.fetchrow(
                "select * from credentials where tenant_id = $1 and user_id = $2",
                tenant_id,
                user_id,
            )
        finally:
            await conn.close()

    return asyncio.run(read())


def test_an_admin_sets_a_first_password_that_is_stored_hashed(database: Database) -> None:
    tenant_id, (first, second) = county_with_users(database, 2)
    args = ("user", "set-password", "--tenant", str(tenant_id), "--password-stdin")
    done = jgt(
        database, *args, "--user", str(first), "--username", "Wang.Li", stdin="初始密码-12345\n"
    )
    assert done.exit_code == 0, done.output
    assert f"/app/sign-in?county={tenant_id}" in done.output
    row = credential(database, tenant_id, first)
    assert row is not None
    assert (row["username"], row["must_change"]) == ("wang.li", True)
    assert row["password_hash"].startswith("$argon2id$")
    assert "初始密码" not in row["password_hash"]

    # A username is one person's in the county; short passwords and unknown users are refused.
    for user, username, password, said in (
        (second, "wang.li", "another-password", "taken"),
        (second, "zhao", "short", "at least"),
        (uuid4(), "zhao", "long-enough-password", "no active user"),
        (second, "赵 老师", "long-enough-password", "a username is"),
    ):
        refused = jgt(
            database, *args, "--user", str(user), "--username", username, stdin=f"{password}\n"
        )
        assert refused.exit_code == 1, refused.output
        assert said in refused.output
        assert len(refused.output.strip().splitlines()) == 1, refused.output
    assert credential(database, tenant_id, second) is None
