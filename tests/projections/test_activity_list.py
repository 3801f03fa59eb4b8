"""The action list, folded event by event, says what the action as it stands says."""

from __future__ import annotations

import asyncpg
import msgspec

from domain.community.activity import Activity
from infra.db import tenant_transaction
from infra.event_store import EventStore
from projections.community.activity_list import ActivityRow, activity_list, activity_row
from projections.runner import ProjectionRunner
from projections.tables import load_rows
from tests.conftest import new_tenant
from tests.projections.history import write_history

# What only the fold knows: the files that earlier versions of the action named.
FOLD_ONLY = ("file_hashes",)


async def test_every_row_counts_attendance_and_reflections_as_its_action_stands(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool, "点名县")
    history = await write_history(store, tenant_id, seed=21, activities=40)
    await ProjectionRunner(system_pool).catch_up([tenant_id])
    async with tenant_transaction(app_pool, tenant_id) as conn:
        rows = await load_rows(conn, tenant_id, activity_list, history.activities)
    signed = reflected = 0
    for activity_id in history.activities:
        activity = await store.get(Activity, tenant_id, activity_id)
        expected = activity_row(activity)
        folded: ActivityRow = rows[activity_id]
        for name in msgspec.structs.asdict(expected):
            if name in FOLD_ONLY:
                continue
            mine, theirs = getattr(folded, name), getattr(expected, name)
            if name in {"sign_ins", "reflections"}:  # the same, in any order
                mine, theirs = sorted(map(repr, mine)), sorted(map(repr, theirs))
            assert mine == theirs, (activity_id, name)
        assert set(expected.file_hashes) <= set(folded.file_hashes)
        signed += folded.signed_in
        reflected += folded.reflection_count
    assert signed > 0 and reflected > 0  # the history signed in and reflected: not vacuous
