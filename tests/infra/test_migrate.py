import asyncio

import asyncpg

from infra.migrate import available, migrate, schema_version
from tests.conftest import Database


async def test_migrations_apply_once_even_when_processes_race(database: Database) -> None:
    results = await asyncio.gather(*(migrate(database.owner_url) for _ in range(3)))
    assert results == [[], [], []]  # the session fixture already applied everything
    conn = await asyncpg.connect(database.owner_url)
    try:
        assert await schema_version(conn) == len(available())
        rows = await conn.fetch("select version from schema_migrations order by version")
        assert [r["version"] for r in rows] == list(range(1, len(available()) + 1))
    finally:
        await conn.close()


async def test_service_role_owns_nothing(database: Database) -> None:
    conn = await asyncpg.connect(database.owner_url)
    try:
        owned = await conn.fetchval(
            """
            select count(*) from pg_class c join pg_roles r on r.oid = c.relowner
            where r.rolname in ('jgt_app', 'jgt_system')
              and c.relpersistence <> 't' -- the runner's staging tables: its sessions' own
            """
        )
        assert owned == 0
        attrs = await conn.fetchrow(
            "select rolsuper, rolbypassrls, rolcreatedb, rolcreaterole from pg_roles"
            " where rolname = 'jgt_app'"
        )
        assert attrs is not None
        assert not any(attrs.values())
    finally:
        await conn.close()
