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
    table_results,
)

if TYPE_CHECKING:
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
