"""Migration 0019 fills the school-month counts from the action list's rows as they stand."""

from __future__ import annotations

from importlib import resources
from typing import Any
from uuid import UUID

import asyncpg

from infra.db import tenant_transaction
from infra.event_store import EventStore
from projections.runner import ProjectionRunner
from tests.conftest import Database, new_tenant
from tests.projections.history import write_history


def fill_sql() -> str:
    sql = resources.files("infra.migrations").joinpath("0019_school_months_tally.sql")
    text = sql.read_text("utf-8")
    return text[text.index("-- fill: begin") : text.index("-- fill: end")]


async def counts(pool: asyncpg.Pool, tenant_id: UUID) -> list[tuple[Any, ...]]:
    async with tenant_transaction(pool, tenant_id) as conn:
        records = await conn.fetch(
            "select school_id, month, school_year, term, count from school_months"
            " where tenant_id = $1 order by 1, 2",
            tenant_id,
        )
    return [tuple(r) for r in records]


async def test_the_counts_are_those_of_the_list_and_the_old_checkpoint_goes(
    database: Database, store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool, "迁移县")
    await write_history(store, tenant_id, seed=11, activities=30)
    await ProjectionRunner(system_pool).catch_up([tenant_id])
    folded = await counts(app_pool, tenant_id)
    assert sum(row[-1] for row in folded) >= 30
    owner = await asyncpg.connect(database.owner_url)
    try:
        async with owner.transaction():  # counts spoilt, as an older fold could have left them
            await owner.execute("select set_config('jgt.tenant_id', $1, true)", str(tenant_id))
            await owner.execute("update school_months set count = count + 7")
            await owner.execute(
                "insert into projection_checkpoints (tenant_id, projection, last_seq)"
                " values ($1, 'school_months', 1)",
                tenant_id,
            )
        async with owner.transaction():  # as the migration runs: one transaction, the owner
            await owner.execute(fill_sql())
        forced = await owner.fetch(
            "select relname, relforcerowsecurity from pg_class where relname = any($1)",
            ["school_months", "activity_list", "projection_checkpoints"],
        )
        left = await owner.fetchval(
            "select count(*) from projection_checkpoints where projection = 'school_months'"
        )
    finally:
        await owner.close()
    assert len(forced) == 3
    assert all(row["relforcerowsecurity"] for row in forced)  # forced again after it
    assert left == 0
    assert await counts(app_pool, tenant_id) == folded
