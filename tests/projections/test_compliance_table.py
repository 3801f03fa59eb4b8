"""A county whose facts cannot be folded keeps its compliance rows; the others are judged."""

from __future__ import annotations

import logging
import random
from datetime import date
from typing import TYPE_CHECKING
from uuid import uuid4

from eventsourcing.utils import get_topic

from domain.community.school import School
from infra.event_store import AppendRequest, NewEvent, WriteContext
from projections.runner import ProjectionRunner
from tests.conftest import new_tenant
from tests.projections.history import one_more_change, write_history
from tests.projections.test_compliance_replay import (
    publish,
    pure_results,
    replayed,
    second_community,
    table_results,
)

if TYPE_CHECKING:
    from uuid import UUID

    import asyncpg
    import pytest

    from infra.event_store import EventStore


async def test_a_county_whose_facts_cannot_be_folded_keeps_its_rows_and_is_logged_once(
    store: EventStore,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    healthy = await new_tenant(app_pool, f"判定县{uuid4().hex[:6]}")
    broken = await new_tenant(app_pool, f"坏账县{uuid4().hex[:6]}")
    histories = {}
    for county in (healthy, broken):
        histories[county] = await write_history(store, county, activities=6)
        await publish(store, county, 1, 1, date(2022, 9, 1))
    runner = ProjectionRunner(system_pool)
    await runner.catch_up([healthy, broken])
    before = await table_results(app_pool, broken)
    assert before, "the broken county was judged before its bad event"

    # An event of a type the facts read that no one can decode, then more in the healthy one.
    bad = NewEvent(get_topic(School.Registered), 1, b"not an event")
    ctx = WriteContext(tenant_id=broken, actor_id=uuid4(), role="admin")
    await store.append(
        AppendRequest(
            stream_id=uuid4(),
            stream_type=get_topic(School),
            expected_version=0,
            events=[bad],
            context=ctx,
        )
    )
    await one_more_change(store, histories[broken], random.Random(1))
    for seed in range(3):
        await one_more_change(store, histories[healthy], random.Random(seed))
    with caplog.at_level(logging.ERROR, logger="projections.assessment.compliance_table"):
        await runner.catch_up([healthy, broken])
        await runner.catch_up([healthy, broken])  # held back: not tried, not logged again
    judged = [r for r in caplog.records if "compliance of county" in r.getMessage()]
    assert [r.getMessage() for r in judged] == [f"compliance of county {broken} not judged"]
    assert await table_results(app_pool, broken) == before
    assert await table_results(app_pool, healthy) == pure_results(await replayed(app_pool, healthy))


async def versions_of_rows(pool: asyncpg.Pool, tenant_id: UUID) -> dict[tuple[str, ...], str]:
    """Each row's key and the transaction that wrote its version (PostgreSQL's xmin)."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "select community_key, rule_id, period, school_key, xmin::text as written"
            " from compliance_results where tenant_id = $1",
            tenant_id,
        )
    return {(r[0], r[1], r[2], r[3]): r["written"] for r in rows}


async def test_a_kept_judge_rewrites_only_the_rows_a_batch_changed(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    rng = random.Random(11)
    tenant_id = await new_tenant(app_pool, f"增量县{uuid4().hex[:6]}")
    history = await write_history(store, tenant_id, activities=10)
    other = await second_community(store, history)
    await publish(store, tenant_id, 1, 2, date(2022, 9, 1), each_member=True)
    runner = ProjectionRunner(system_pool)
    await runner.catch_up([tenant_id])
    rewritten = kept_as_they_were = 0
    for _ in range(6):  # one community's change at a time, judged by the judge that kept it
        before = await versions_of_rows(system_pool, tenant_id)
        await one_more_change(store, other, rng)
        await runner.catch_up([tenant_id])
        after = await versions_of_rows(system_pool, tenant_id)
        assert await table_results(app_pool, tenant_id) == pure_results(
            await replayed(app_pool, tenant_id)
        )
        same = {k for k, written in after.items() if before.get(k) == written}
        # The other community's rows and every row the change left as it was: not written.
        assert {k for k in after if k[0] == str(history.community_id)} <= same
        kept_as_they_were += sum(1 for k in same if k[0] in (str(other.community_id), "county"))
        rewritten += len(after) - len(same)
    assert rewritten, "no change reached a row"
    assert kept_as_they_were, "every row of the changed community was written again"
