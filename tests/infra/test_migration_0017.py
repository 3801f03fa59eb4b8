"""Migration 0017 folds the assignments stored before it into the full-time guard."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

import asyncpg

from domain.codes import AssignmentKind, AssignmentRole, AssignmentSide, Relation
from domain.staff.assignment import Assignment
from infra.event_store import WriteContext
from tests.conftest import Database, new_tenant
from tests.domain.support import school, teacher
from tests.infra.outbox_support import isolated_database

if TYPE_CHECKING:
    from domain.community.school import School
    from domain.staff.teacher import Teacher
    from infra.event_store import EventStore


def backfill_sql() -> str:
    sql = resources.files("infra.migrations").joinpath("0017_full_time_terms.sql")
    text = sql.read_text("utf-8")
    return text[text.index("-- backfill: begin") : text.index("-- backfill: end")]


def arranged(
    person: Teacher, host: School, starts_on: date, ends_on: date, *, full_time: bool = True
) -> Assignment:
    return Assignment.arrange(
        id=uuid4(),
        kind=AssignmentKind.DISPATCH,
        teacher=person,
        role=AssignmentRole.BACKBONE_TEACHER,
        from_school=SENDING,
        to_school=host,
        host_posts=(),
        starts_on=starts_on,
        planned_ends_on=ends_on,
        community=None,
        personnel_relation=Relation.UNCHANGED,
        party_relation=Relation.UNCHANGED,
        others=(),
        by=uuid4(),
        full_time=full_time,
    )


SENDING, HOST = school("S1"), school("H1")


async def test_assignments_stored_before_the_guard_are_folded_in_their_order(
    server_url: str,
) -> None:
    # A database of its own: the fold reads every county's events, as the migration does once.
    async with isolated_database(server_url) as isolated:
        await fold_before_the_guard(isolated.database, isolated.store, isolated.app_pool)


async def fold_before_the_guard(
    database: Database, store: EventStore, app_pool: asyncpg.Pool
) -> None:
    tenant_id: UUID = await new_tenant(app_pool, "迁移县")
    zhao, qian = teacher(SENDING, 1), teacher(SENDING, 2)
    ctx = WriteContext(tenant_id=tenant_id, actor_id=uuid4(), role="admin")
    first = arranged(zhao, HOST, date(2022, 9, 1), date(2024, 8, 31))
    clash = arranged(zhao, HOST, date(2023, 1, 1), date(2023, 6, 30))  # the race of before
    part_time = arranged(zhao, HOST, date(2023, 1, 1), date(2023, 6, 30), full_time=False)
    handed = arranged(qian, HOST, date(2022, 9, 1), date(2024, 8, 31))
    ended = arranged(qian, HOST, date(2024, 9, 1), date(2026, 8, 31))
    owner = await asyncpg.connect(database.owner_url)
    try:
        # As before the guard: events appended with no trigger to fold them.
        await owner.execute("alter table events disable trigger events_full_time_terms")
        try:
            for made in (first, clash, part_time, handed, ended):
                await store.save(made, ctx)
            handed.replace(
                zhao,
                on=date(2023, 9, 1),
                side=AssignmentSide.HOST,
                reason="",
                others=(),
                by=uuid4(),
            )
            ended.end_early(date(2025, 1, 31), "借调", by=uuid4())
            for made in (handed, ended):
                await store.save(made, ctx)
        finally:
            await owner.execute("alter table events enable trigger events_full_time_terms")
        async with owner.transaction():  # as the migration runs: one transaction, the owner
            await owner.execute(backfill_sql())
        async with owner.transaction():
            await owner.execute("select set_config('jgt.tenant_id', $1, true)", str(tenant_id))
            rows = await owner.fetch(
                "select assignment_id, teacher_id, lower(during) as since, upper(during) as until"
                " from full_time_terms where tenant_id = $1 order by assignment_id, since",
                tenant_id,
            )
    finally:
        await owner.close()
    folded = {(r["assignment_id"], r["teacher_id"], r["since"], r["until"]) for r in rows}
    assert folded == {
        (first.id, zhao.id, date(2022, 9, 1), date(2024, 9, 1)),
        # Qian until the replacement; Zhao's part after it overlaps his first term: left out,
        # as the clashing second term is (the first to be stored keeps its days).
        (handed.id, qian.id, date(2022, 9, 1), date(2023, 9, 1)),
        (ended.id, qian.id, date(2024, 9, 1), date(2025, 2, 1)),
    }
