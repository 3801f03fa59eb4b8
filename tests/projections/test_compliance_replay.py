"""The compliance kept between reads equals the pure evaluation on replay, over random histories.

Random county histories (actions recorded, corrected, voided; a rule set published, then a
second version mid-year) are written through the store; the per-process facts are caught up
at random points while they grow, and at the end (and at each point) judge exactly as a fold
from the first event does, as known on several days and as happened.
"""

from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from domain.assessment.codes import EvaluationMode
from domain.assessment.rule_set import RuleSet
from infra.codec import EventMapper
from infra.db import tenant_transaction
from projections.assessment.facts import CountyFacts
from service.assessment.facts import FactsCache, catch_up
from service.assessment.judging import judge, question
from service.http.common import today_in
from tests.conftest import new_tenant
from tests.projections.history import one_more_change, write_history, writer
from tests.service.compliance_api import lessons_rule_set

if TYPE_CHECKING:
    import asyncpg

    from domain.assessment.outcome import Result
    from infra.event_store import EventStore

ZONE = "Asia/Shanghai"


async def publish(
    store: EventStore, tenant_id: UUID, version: int, minimum: int, start: date
) -> None:
    ctx = writer(tenant_id)
    source = lessons_rule_set(version=version, minimum=minimum)
    source["rules"][0]["counts"]["kinds"] = ["sending_lessons", "collective_lesson_prep"]
    rules = RuleSet.draft(namespace=ctx.tenant_id, source=source, template="", by=ctx.actor_id)
    rules.validate(ctx.actor_id)
    rules.publish(start, date(2025, 8, 31), ctx.actor_id)
    await store.save(rules, ctx)


def answers(fold: CountyFacts) -> list[list[Result]]:
    found = []
    today = today_in(ZONE)
    for period, as_of, mode in (
        ("2022-2023", today, EvaluationMode.AS_KNOWN),
        ("2023-spring", today, EvaluationMode.AS_KNOWN),
        ("2023-2024", date(2024, 1, 10), EvaluationMode.AS_HAPPENED),
        ("2022-2023", date(2020, 1, 1), EvaluationMode.AS_KNOWN),
    ):
        found.append(judge(fold, question(period, as_of, mode)).results)
    return found


async def replayed(pool: asyncpg.Pool, tenant_id: UUID) -> CountyFacts:
    fold = CountyFacts()
    async with tenant_transaction(pool, tenant_id) as conn:
        await catch_up(conn, tenant_id, fold, EventMapper(), ZoneInfo(ZONE))
    return fold


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_facts_caught_up_at_random_points_judge_as_a_replay_does(
    store: EventStore, app_pool: asyncpg.Pool, seed: int
) -> None:
    rng = random.Random(seed)
    tenant_id = await new_tenant(app_pool, f"随机县{seed}-{uuid4().hex[:6]}")
    history = await write_history(store, tenant_id, seed=seed, activities=15)
    await publish(store, tenant_id, 1, 3, date(2022, 9, 1))
    cache = FactsCache(ZONE)
    for step in range(60):
        await one_more_change(store, history, rng)
        if step == 30:  # the bureau changes its rules mid-year
            await publish(store, tenant_id, 2, 1, date(2023, 2, 1))
        if rng.random() < 0.2:
            async with tenant_transaction(app_pool, tenant_id) as conn:
                kept = await cache.current(conn, tenant_id)
            assert answers(kept) == answers(await replayed(app_pool, tenant_id))
    async with tenant_transaction(app_pool, tenant_id) as conn:
        kept = await cache.current(conn, tenant_id)
    fresh = await replayed(app_pool, tenant_id)
    assert kept.facts() == fresh.facts()
    kept_answers = answers(kept)
    assert kept_answers == answers(fresh)
    # Not vacuous: both versions judge, and statuses differ across the periods.
    statuses = {r.status for r in kept_answers[0]} | {r.status for r in kept_answers[2]}
    assert len(statuses) >= 2, statuses
    assert {r.version for r in kept_answers[2]} >= {"test-lessons@2"}
