"""The staff read models: the tables hold what an in-memory replay gives, an erasure drops data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from infra.crypto import ERASED, Keyring, MasterKey, PersonalData
from infra.db import tenant_transaction
from infra.event_store import EventStore, read_tenant
from projections.base import Projection
from projections.runner import ProjectionRunner
from projections.staff.assignment_list import assignment_list
from projections.staff.mentorship_list import mentorship_list
from projections.staff.teacher_list import teacher_list
from projections.tables import load_rows
from tests.conftest import new_tenant
from tests.projections.history import write_history
from tests.projections.staff_history import write_staff


async def test_the_staff_tables_hold_what_a_replay_gives_and_the_erased_row_holds_nothing(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool)
    history = await write_history(store, tenant_id, seed=4, activities=5)
    keyring = Keyring(app_pool, MasterKey.generate())
    staff = await write_staff(store, history, seed=4, teachers=12, keyring=keyring)
    runner = ProjectionRunner(system_pool, batch=7)  # many small batches
    while await runner.catch_up([tenant_id]):
        pass
    async with tenant_transaction(app_pool, tenant_id) as conn:
        recorded = await read_tenant(conn, tenant_id, 0, limit=100_000)
        events = [store.decode(event) for event in recorded]
        followed: list[tuple[Projection[Any], list[UUID]]] = [
            (teacher_list, staff.teachers),
            (assignment_list, staff.assignments),
            (mentorship_list, staff.mentorships),
        ]
        for projection, ids in followed:
            rows = await load_rows(conn, tenant_id, projection, ids)
            assert len(rows) == len(ids), projection.name
            assert rows == projection.replay(events), projection.name
        teachers = await load_rows(conn, tenant_id, teacher_list, staff.teachers)
        assignments = await load_rows(conn, tenant_id, assignment_list, staff.assignments)
        opened = await keyring.open_many(
            tenant_id, {t: row.personal for t, row in teachers.items()}, PersonalData, conn=conn
        )
    assert staff.erased is not None
    erased = teachers[staff.erased]
    assert (erased.personal, erased.is_erased) == (None, True)
    names = [p.name for t, p in opened.items() if isinstance(p, PersonalData)]
    assert len(names) == len(staff.teachers) - 1
    assert opened[staff.erased] is ERASED
    # Some assignments changed hands after the first year, some ended early.
    assert any(len(row.teacher_ids) == 2 for row in assignments.values())
    assert any(row.ended_on is not None for row in assignments.values())
