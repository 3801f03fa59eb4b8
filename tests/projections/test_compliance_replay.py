"""The compliance kept between reads equals the pure evaluation on replay, over random histories.

Random county histories (actions recorded, corrected, voided; a rule set published, then a
second version mid-year; review levels set, then changed; actions approved, returned,
corrected and resubmitted, approved actions corrected and approved again) are written through
the store; the per-process facts are caught up at random points while they grow, and at the
end (and at each point) judge exactly as a fold from the first event does, as known on
several days and as happened.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest

from domain.assessment.codes import EvaluationMode, ExclusionReason
from domain.assessment.rule_set import RuleSet
from domain.codes import ReviewLevel, ReviewState
from domain.community.activity import Activity
from domain.community.community import Community
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review, review_id
from infra.codec import EventMapper
from infra.db import tenant_transaction
from infra.event_store import AggregateNotFoundError
from projections.assessment.facts import CountyFacts
from service.assessment.facts import FactsCache, catch_up
from service.assessment.judging import judge, question
from service.commands.review.review import levels_for, reopen_review
from service.http.common import today_in
from tests.conftest import new_tenant
from tests.projections.history import (
    ON_SITE_KINDS,
    TODAY,
    History,
    one_more_change,
    write_history,
    writer,
)
from tests.service.compliance_api import lessons_rule_set

if TYPE_CHECKING:
    import asyncpg

    from domain.assessment.outcome import Result
    from infra.event_store import EventStore

ZONE = "Asia/Shanghai"
SCHOOL, COMMUNITY, COUNTY = ReviewLevel


async def publish(
    store: EventStore, tenant_id: UUID, version: int, minimum: int, start: date
) -> None:
    ctx = writer(tenant_id)
    source = lessons_rule_set(version=version, minimum=minimum)
    source["rules"][0]["counts"]["kinds"] = [kind.value for kind in ON_SITE_KINDS]
    source["require_approval"] = True
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


async def set_levels(
    store: EventStore, tenant_id: UUID, levels: tuple[ReviewLevel, ...], applies_from: date | None
) -> None:
    ctx = writer(tenant_id)
    try:
        policy = await store.get(ReviewPolicy, tenant_id, policy_id(tenant_id))
    except AggregateNotFoundError:
        policy = ReviewPolicy.adopt(
            id=policy_id(tenant_id), levels=levels, applies_from=applies_from, by=ctx.actor_id
        )
    else:
        policy.change(levels, applies_from, by=ctx.actor_id)
    await store.save(policy, ctx)


async def one_more_review_step(store: EventStore, history: History, rng: random.Random) -> str:
    """A step of one action's review as the service takes it: approve or return the level it
    waits at, correct and resubmit a returned one, correct an approved one (which reopens)."""
    ctx, by = writer(history.tenant_id), uuid4()
    activity = await store.get(Activity, history.tenant_id, rng.choice(history.activities))
    if activity.is_void:
        return "none"
    try:
        review: Review | None = await store.get(Review, history.tenant_id, review_id(activity.id))
    except AggregateNotFoundError:
        review = None
    levels = levels_for(
        await store.get(ReviewPolicy, ctx.tenant_id, policy_id(ctx.tenant_id)), activity
    )
    if review is None or review.state is not ReviewState.PENDING:
        if review is None and not levels:
            return "none"  # the county's levels do not cover it: it counts as it is
        if review is None:
            review = Review.open(activity_id=activity.id, levels=levels, by=by)
        else:  # returned or approved: the school corrects it
            assert history.community_id is not None
            community = await store.get(Community, ctx.tenant_id, history.community_id)
            note = f"更正{rng.randrange(10**6)}"
            facts = replace(activity.facts, note=note)
            activity.correct(community, facts, "按意见更正", TODAY, by=ctx.actor_id)
            await store.save(activity, ctx)
            if review.state is ReviewState.APPROVED:
                return "reopened" if await reopen_review(store, ctx, activity) else "none"
            review.resubmit(levels, activity.version, "", by=by)
            await store.save(review, ctx)
            return "resubmitted"
    level = review.awaiting
    assert level is not None
    if rng.random() < 0.75:
        review.approve(level, activity.version, "", by=by)
    else:
        review.send_back(level, activity.version, "缺签到表", by=by)
    await store.save(review, ctx)
    return review.state.value


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
    await set_levels(store, tenant_id, (SCHOOL, COUNTY), None)
    cache = FactsCache(ZONE)
    steps: set[str] = set()
    for step in range(60):
        await one_more_change(store, history, rng)
        for _ in range(rng.randrange(4)):
            steps.add(await one_more_review_step(store, history, rng))
        if step == 30:  # the bureau changes its rules mid-year
            await publish(store, tenant_id, 2, 1, date(2023, 2, 1))
        if step == 40:  # and its review: one level, for actions from the spring on
            await set_levels(store, tenant_id, (COUNTY,), date(2023, 2, 1))
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
    assert steps >= {"pending", "approved", "returned", "resubmitted", "reopened"}, steps
    # Review decided some of it: actions awaiting review excluded, approved ones counted.
    judged = [r for found in kept_answers for r in found]
    reasons = {e.reason for r in judged for e in r.excluded}
    assert ExclusionReason.NOT_APPROVED in reasons, reasons
    assert any(r.counted for r in judged)
