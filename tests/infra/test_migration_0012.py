"""Migration 0012 folds the action list again: rows folded before it lack the new counts."""

from __future__ import annotations

from importlib import resources
from uuid import UUID

import asyncpg

from infra.event_store import EventStore
from projections.runner import ProjectionRunner
from tests.conftest import Database, new_tenant
from tests.infra.test_migration_0019 import fill_sql
from tests.projections.history import snapshot, write_history


def refold_sql() -> str:
    sql = resources.files("infra.migrations").joinpath("0012_evidence.sql").read_text("utf-8")
    return sql[sql.index("-- refold: begin") : sql.index("-- refold: end")]


async def test_the_list_and_its_tally_are_folded_again_from_the_first_event(
    database: Database, store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id: UUID = await new_tenant(app_pool, "迁移县")
    await write_history(store, tenant_id, seed=7, activities=12)
    runner = ProjectionRunner(system_pool)
    await runner.catch_up([tenant_id])
    folded = await snapshot(app_pool, tenant_id)
    assert folded["activity_list"] and folded["activity_counts"]
    owner = await asyncpg.connect(database.owner_url)
    try:
        async with owner.transaction():  # as the migration runs: one transaction, the owner
            await owner.execute(refold_sql())
        async with owner.transaction():  # and 0019 after it: the school-month tally of the list
            await owner.execute(fill_sql())
        forced = await owner.fetch(
            "select relname, relforcerowsecurity from pg_class where relname = any($1)",
            ["activity_list", "activity_counts", "projection_checkpoints"],
        )
    finally:
        await owner.close()
    assert all(row["relforcerowsecurity"] for row in forced)  # forced again after it
    emptied = await snapshot(app_pool, tenant_id)
    assert emptied["activity_list"] == emptied["activity_counts"] == emptied["school_months"] == []
    await runner.catch_up([tenant_id])
    assert await snapshot(app_pool, tenant_id) == folded
