"""Migration 0020 keeps a compliance row's records as text; rows of an older judging are judged again."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import TYPE_CHECKING

import asyncpg

from infra.db import tenant_transaction
from projections.assessment.compliance_queries import judged_on
from projections.runner import ProjectionRunner
from tests.conftest import Database, new_tenant
from tests.projections.history import write_history
from tests.projections.test_compliance_replay import (
    publish,
    pure_results,
    replayed,
    table_results,
)

if TYPE_CHECKING:
    from infra.event_store import EventStore

RECORDS = ("counted", "excluded", "late")


def migration_sql() -> str:
    sql = resources.files("infra.migrations").joinpath("0020_compliance_records_text.sql")
    return sql.read_text("utf-8")


async def column_types(conn: asyncpg.Connection) -> dict[str, str]:
    found = await conn.fetch(
        "select column_name, data_type from information_schema.columns"
        " where table_name = 'compliance_results' and column_name = any($1)",
        list(RECORDS),
    )
    return {r["column_name"]: r["data_type"] for r in found}


async def test_jsonb_rows_become_text_and_the_county_is_judged_again(
    database: Database, store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool, "迁移二零县")
    await write_history(store, tenant_id, seed=12, activities=20)
    await publish(store, tenant_id, 1, 3, date(2022, 9, 1), each_member=True)
    await ProjectionRunner(system_pool).catch_up([tenant_id])
    owner = await asyncpg.connect(database.owner_url)
    try:
        async with owner.transaction():  # the table as 0018 made it, judged by JUDGING 2
            back = ", ".join(f"alter column {c} type jsonb using {c}::jsonb" for c in RECORDS)
            await owner.execute(f"alter table compliance_results {back}")
            await owner.execute("alter table compliance_judged no force row level security")
            await owner.execute("update compliance_judged set judging = 2")
            await owner.execute("alter table compliance_judged force row level security")
        assert set((await column_types(owner)).values()) == {"jsonb"}
        rows_before = await owner.fetchval("select count(*) from compliance_results")
        async with owner.transaction():  # as the migration runs: one transaction, the owner
            await owner.execute(migration_sql())
        assert await column_types(owner) == dict.fromkeys(RECORDS, "text")
        assert await owner.fetchval("select count(*) from compliance_results") == rows_before
    finally:
        await owner.close()
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert await judged_on(conn, tenant_id) is None  # the routes answer by replay meanwhile
    await ProjectionRunner(system_pool).catch_up([tenant_id])
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert await judged_on(conn, tenant_id) is not None
    results = await table_results(app_pool, tenant_id)
    assert any(r.counted for r, _ in results)
    assert results == pure_results(await replayed(app_pool, tenant_id))
