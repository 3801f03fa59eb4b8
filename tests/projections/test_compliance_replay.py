"""The compliance kept by the runner equals the pure evaluation on replay, over random histories.

Random county histories (actions recorded, corrected, voided; a rule set published, then a
second version mid-year; review levels set, then changed; actions approved, returned,
corrected and resubmitted, approved actions corrected and approved again) are written through
the store. Facts caught up at random points while they grow judge exactly as a fold from the
first event does, as known on several days and as happened; and the runner's table, caught up
at random points in batches of random sizes (two communities, a per-member rule), holds exactly
the results of the pure evaluation of a replay as known today, records and links too.
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
from domain.codes import CommunityType, ReviewLevel, ReviewState, SchoolLocation, SchoolStage
from domain.community.activity import Activity
from domain.community.community import Community
from domain.community.school import School
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review, review_id
from infra.codec import EventMapper
from infra.db import tenant_transaction
from infra.event_store import AggregateNotFoundError
from projections.assessment.compliance import ALL_TIME, ComplianceRow, links_of, result_of_row
from projections.assessment.facts import CountyFacts
from projections.assessment.judge import Question
from projections.runner import ProjectionRunner
from projections.tables import row_of
from service.assessment.facts import catch_up
from service.assessment.judging import judge, key, question
from service.commands.review.review import levels_for, reopen_review
from service.http.common import today_in
from tests.conftest import new_tenant
from tests.projections.history import (
    ENDS_ON,
    ON_SITE_KINDS,
    STARTS_ON,
    TODAY,
    History,
    one_more_change,
    write_history,
    writer,
)
from tests.projections.test_runner import fold_all
from tests.service.compliance_api import lessons_rule_set

if TYPE_CHECKING:
    import asyncpg

    from domain.assessment.outcome import Result
    from infra.event_store import EventStore

ZONE = "Asia/Shanghai"
SCHOOL, COMMUNITY, COUNTY = ReviewLevel


# A member school's rule by month, beside the community's by semester.
EACH_MEMBER = {
    "id": "R2",
    "title": {"zh": "成员校每月参与", "en": "Each member monthly"},
    "source": {"plan": "测试", "clause": "2"},
    "scope": "each_member",
    "period": {"grain": "month"},
    "counts": {"kinds": ["teacher_training", "public_lesson", "sending_lessons"]},
    "measure": {"type": "count", "min": 1},
    "score": {"points": 2},
}


async def publish(
    store: EventStore,
    tenant_id: UUID,
    version: int,
    minimum: int,
    start: date,
    *,
    each_member: bool = False,
) -> None:
    ctx = writer(tenant_id)
    source = lessons_rule_set(version=version, minimum=minimum)
    source["rules"][0]["counts"]["kinds"] = [kind.value for kind in ON_SITE_KINDS]
    source["require_approval"] = True
    if each_member:
        source["rules"].append(EACH_MEMBER)
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


async def caught_up(pool: asyncpg.Pool, tenant_id: UUID, fold: CountyFacts) -> CountyFacts:
    async with tenant_transaction(pool, tenant_id) as conn:
        await catch_up(conn, tenant_id, fold, EventMapper(), ZoneInfo(ZONE))
    return fold


async def replayed(pool: asyncpg.Pool, tenant_id: UUID) -> CountyFacts:
    return await caught_up(pool, tenant_id, CountyFacts())


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_facts_caught_up_at_random_points_judge_as_a_replay_does(
    store: EventStore, app_pool: asyncpg.Pool, seed: int
) -> None:
    rng = random.Random(seed)
    tenant_id = await new_tenant(app_pool, f"随机县{seed}-{uuid4().hex[:6]}")
    history = await write_history(store, tenant_id, seed=seed, activities=15)
    await publish(store, tenant_id, 1, 3, date(2022, 9, 1))
    await set_levels(store, tenant_id, (SCHOOL, COUNTY), None)
    kept = CountyFacts()
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
            await caught_up(app_pool, tenant_id, kept)
            assert answers(kept) == answers(await replayed(app_pool, tenant_id))
    await caught_up(app_pool, tenant_id, kept)
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


async def second_community(store: EventStore, history: History) -> History:
    """Another community of three new schools, with a few actions of its own."""
    ctx = writer(history.tenant_id)
    schools = [
        School.register(
            namespace=history.tenant_id, name=f"第二片{i}校", code=f"T{i:02d}",
            stage=SchoolStage.PRIMARY, location=SchoolLocation.VILLAGE, district="青山学区",
            by=ctx.actor_id,
        )
        for i in range(3)
    ]  # fmt: skip
    for school in schools:
        await store.save(school, ctx)
    community = Community.form(
        id=uuid4(), name="青山教共体", type=CommunityType.CO_BUILT, lead=schools[0],
        members=schools[1:], starts_on=STARTS_ON, ends_on=ENDS_ON, agreement="",
        by=ctx.actor_id,
    )  # fmt: skip
    await store.save(community, ctx)
    return History(history.tenant_id, schools=[s.id for s in schools], community_id=community.id)


async def table_results(
    pool: asyncpg.Pool, tenant_id: UUID
) -> list[tuple[Result, dict[UUID, str]]]:
    async with tenant_transaction(pool, tenant_id) as conn:
        records = await conn.fetch(
            "select * from compliance_results where tenant_id = $1", tenant_id
        )
    rows = [row_of(r, ComplianceRow) for r in records]
    return sorted(((result_of_row(r), links_of(r)) for r in rows), key=lambda x: key(x[0]))


def pure_results(fold: CountyFacts) -> list[tuple[Result, dict[UUID, str]]]:
    """The pure evaluation of all time as known today, each with its records' links."""
    judged = judge(fold, Question(ALL_TIME, today_in(ZONE), EvaluationMode.AS_KNOWN))
    found = []
    for r in judged.results:
        ids = {*r.counted, *(e.record_id for e in r.excluded), *(x.record_id for x in r.late)}
        found.append((r, {i: fold.links[i] for i in ids if i in fold.links}))
    return sorted(found, key=lambda x: key(x[0]))


async def judged_day(pool: asyncpg.Pool, tenant_id: UUID) -> tuple[date, list[str]]:
    async with tenant_transaction(pool, tenant_id) as conn:
        found = await conn.fetchrow(
            "select as_of, versions from compliance_judged where tenant_id = $1", tenant_id
        )
    assert found is not None
    return found["as_of"], found["versions"]


@pytest.mark.parametrize("seed", [4, 5, 6])
async def test_the_runners_table_equals_the_pure_evaluation_of_a_replay(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool, seed: int
) -> None:
    rng = random.Random(seed)
    tenant_id = await new_tenant(app_pool, f"随机表县{seed}-{uuid4().hex[:6]}")
    history = await write_history(store, tenant_id, seed=seed, activities=12)
    other = await second_community(store, history)
    await publish(store, tenant_id, 1, 3, date(2022, 9, 1), each_member=True)
    kept = ProjectionRunner(system_pool, batch=rng.randint(1, 40))  # one that keeps facts
    checked = 0
    for step in range(50):
        which = history if rng.random() < 0.6 else other
        await one_more_change(store, which, rng)
        if step == 20:  # review from the last year on: the actions before count as they are
            await set_levels(store, tenant_id, (SCHOOL, COUNTY), date(2024, 9, 1))
        for _ in range(rng.randrange(3) if step > 20 else 0):
            await one_more_review_step(store, which, rng)
        if step == 25:  # the bureau changes its rules mid-year
            await publish(store, tenant_id, 2, 1, date(2023, 2, 1), each_member=True)
        if rng.random() < 0.25:  # a fresh process's runner, or the one that kept facts
            fresh = ProjectionRunner(system_pool, batch=rng.randint(1, 40))
            await fold_all(kept if rng.random() < 0.5 else fresh, tenant_id)
            assert await table_results(app_pool, tenant_id) == pure_results(
                await replayed(app_pool, tenant_id)
            )
            checked += 1
    runner = kept
    await fold_all(runner, tenant_id)
    for _ in range(4):  # the same runner, events of one community at a time, review too
        await one_more_change(store, other, rng)
        await one_more_review_step(store, other, rng)
        await fold_all(runner, tenant_id)
        assert await table_results(app_pool, tenant_id) == pure_results(
            await replayed(app_pool, tenant_id)
        )
    fold = await replayed(app_pool, tenant_id)
    found = await table_results(app_pool, tenant_id)
    assert found == pure_results(fold)
    assert await judged_day(app_pool, tenant_id) == (
        today_in(ZONE),
        ["test-lessons@1", "test-lessons@2"],
    )
    # Not vacuous: both communities, per-member results, several statuses, both versions.
    results = [r for r, _ in found]
    assert {r.community_id for r in results} == {history.community_id, other.community_id}
    assert any(r.school_id is not None for r in results)
    assert len({r.status for r in results}) >= 2
    assert {r.version for r in results} == {"test-lessons@1", "test-lessons@2"}
    assert any(links for _, links in found)
    assert checked >= 1

    # The day turns: rows of yesterday are judged again as known today, with no new event.
    async with tenant_transaction(system_pool, tenant_id) as conn:
        await conn.execute(
            "update compliance_judged set as_of = as_of - 1 where tenant_id = $1", tenant_id
        )
        await conn.execute(
            "update compliance_results set status = 'open', done = -1 where tenant_id = $1",
            tenant_id,
        )
    await fold_all(runner, tenant_id)
    assert await table_results(app_pool, tenant_id) == pure_results(fold)
    assert (await judged_day(app_pool, tenant_id))[0] == today_in(ZONE)

    # A rebuild judges from the first event: the same rows.
    await ProjectionRunner(system_pool).rebuild(tenant_id)
    assert await table_results(app_pool, tenant_id) == pure_results(fold)
