"""The research and quality read models: the tables equal a replay, and the latest sitting stands."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.codes import ProjectStage, Subject
from infra.db import tenant_transaction
from projections.quality import queries as quality
from projections.quality.results import QualityRow, quality_results
from projections.research import queries as research
from projections.runner import ProjectionRunner
from projections.tables import row_of
from tests.conftest import new_tenant
from tests.projections.history import write_history
from tests.projections.test_runner import fold_all, replayed

if TYPE_CHECKING:
    import asyncpg

    from infra.event_store import EventStore


async def test_the_quality_database_and_research_lists_equal_a_replay_of_the_log(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    history = await write_history(store, tenant_id, seed=4, activities=5)
    await fold_all(ProjectionRunner(system_pool, batch=3), tenant_id)
    memory = await replayed(store, app_pool, tenant_id)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        records = await conn.fetch("select * from quality_results where tenant_id = $1", tenant_id)
        compared = await quality.results(conn, tenant_id, subject="math", limit=100)
        projects = await research.projects(conn, tenant_id)
        papers = await research.papers(conn, tenant_id, include_void=True)
        sittings = await quality.sittings(conn, tenant_id)
    tables = {quality_results.key_of(row): row for row in (row_of(r, QualityRow) for r in records)}
    assert tables == memory[quality_results.name].rows
    assert len(tables) == 2 * 2 * 2  # two schools, two subjects, two springs

    member = history.schools[1]
    mine = [found for found in compared if found.row.school_id == member]
    assert [(f.row.school_year, f.row.pass_rate, f.row.students) for f in mine] == [
        ("2023-2024", 9500, 41),  # the end-of-term test after the midterm, corrected
        ("2022-2023", 8550, 42),
    ]
    assert mine[0].year_before is not None
    assert mine[0].year_before.pass_rate == 8550
    assert mine[1].year_before is None
    assert {p.stage for p in projects} == {ProjectStage.CONCLUDED, ProjectStage.ABANDONED}
    assert [p.is_void for p in papers] == [True, False]  # the latest first
    assert [s.reported_school_ids for s in sittings] == [(history.schools[0], member)] * 3
    assert sittings[0].analyses == 1
    assert {row.subject for row in tables.values()} == {Subject.MATH, Subject.CHINESE}
