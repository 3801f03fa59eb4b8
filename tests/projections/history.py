"""A county's history written through the real store: schools, a community, a few school years
of actions with corrections, voids, phone sign-ins and reflections, so that projections have
something worth folding."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from domain.codes import (
    ActivityKind,
    ActivityMode,
    CommunityType,
    SchoolLocation,
    SchoolStage,
    Subject,
)
from domain.community.activity import Activity, ActivityFacts, Participant
from domain.community.community import Community
from domain.community.school import School
from infra.db import tenant_transaction
from infra.event_store import EventStore, WriteContext
from projections.read_models import PROJECTIONS
from tests.projections.research_history import write_research

STARTS_ON, ENDS_ON = date(2022, 9, 1), date(2025, 8, 31)
TODAY = ENDS_ON
LAST_ACTIVITY = date(2025, 5, 31)  # before any member leaves
ON_SITE_KINDS = [k for k in ActivityKind if k is not ActivityKind.SYNCHRONOUS_LESSON]


@dataclass
class History:
    tenant_id: UUID
    schools: list[UUID] = field(default_factory=list)
    community_id: UUID | None = None
    activities: list[UUID] = field(default_factory=list)
    research: list[UUID] = field(default_factory=list)  # projects, papers, sittings


def writer(tenant_id: UUID) -> WriteContext:
    return WriteContext(tenant_id=tenant_id, actor_id=uuid4(), role="admin")


def activity_facts(rng: random.Random, community: Community) -> ActivityFacts:
    held_on = STARTS_ON + timedelta(days=rng.randrange((LAST_ACTIVITY - STARTS_ON).days))
    kind = rng.choice(ON_SITE_KINDS)
    lead, members = community.lead_school_id, sorted(community.member_ids_on(held_on))
    participating = tuple(rng.sample(members, rng.randrange(1, len(members) + 1)))
    return ActivityFacts(
        kind=kind,
        title=f"{kind.value} 第{rng.randrange(100)}次",
        host_school_id=lead,
        participating_school_ids=participating,
        held_on=held_on,
        ends_on=None,
        subjects=tuple(rng.sample(list(Subject), rng.randrange(0, 3))),
        participants=(Participant("李华", lead, "主讲"), Participant("王芳", participating[0])),
        mode=ActivityMode.ON_SITE,
        evidence=(),
        note="",
    )


async def write_history(
    store: EventStore, tenant_id: UUID, *, seed: int = 1, activities: int = 40
) -> History:
    """Five schools, one community, `activities` actions; some corrected, some voided."""
    rng = random.Random(seed)
    ctx = writer(tenant_id)
    history = History(tenant_id)
    schools = [
        School.register(
            namespace=tenant_id,
            name=f"第{i}小学",
            code=f"S{i:02d}",
            stage=SchoolStage.PRIMARY,
            location=SchoolLocation.URBAN if i == 0 else SchoolLocation.VILLAGE,
            district="城关学区" if i < 3 else "青山学区",
            by=ctx.actor_id,
        )
        for i in range(5)
    ]
    for school in schools:
        await store.save(school, ctx)
        history.schools.append(school.id)
    schools[2].rename("第二中心小学", "合并更名", by=ctx.actor_id)
    await store.save(schools[2], ctx)
    community = Community.form(
        id=uuid4(),
        name="城关教共体",
        type=CommunityType.CO_BUILT,
        lead=schools[0],
        members=schools[1:4],
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        agreement="共建协议",
        by=ctx.actor_id,
    )
    community.join(schools[4], on=date(2022, 10, 1), by=ctx.actor_id)
    await store.save(community, ctx)
    history.community_id = community.id
    recorded: list[Activity] = []
    for _ in range(activities):
        activity = Activity.record(
            id=uuid4(),
            community=community,
            facts=activity_facts(rng, community),
            today=TODAY,
            by=ctx.actor_id,
        )
        await store.save(activity, ctx)
        recorded.append(activity)
        history.activities.append(activity.id)
    for activity in rng.sample(recorded, len(recorded) // 3):
        moved = activity_facts(rng, community)
        activity.correct(
            community,
            replace(moved, title=activity.facts.title),
            "登记有误",
            TODAY,
            by=ctx.actor_id,
        )
        await store.save(activity, ctx)
    for activity in rng.sample(recorded, len(recorded) // 5):
        activity.void("重复登记", by=ctx.actor_id)
        await store.save(activity, ctx)
    history.research = await write_research(store, ctx, schools, community)
    for activity in rng.sample(recorded, len(recorded) // 4):
        if not activity.is_void:
            await _attend(store, ctx, activity, rng)
    community.leave(schools[3].id, on=date(2025, 6, 1), reason="调整", by=ctx.actor_id)
    await store.save(community, ctx)
    return history


async def _attend(
    store: EventStore, ctx: WriteContext, activity: Activity, rng: random.Random
) -> None:
    """A phone sign-in of the second participant and a reflection of the first."""
    now = datetime.now(UTC)
    link = uuid4()
    activity.issue_sign_in_link(link, now + timedelta(hours=2), now, by=ctx.actor_id)
    second = activity.facts.participants[1]
    activity.sign_in(second.name, second.school_id, now, link)
    first = activity.facts.participants[0]
    text = "心得" * rng.randrange(1, 1500)
    activity.submit_reflection(first.name, first.school_id, text, by=ctx.actor_id)
    await store.save(activity, ctx)


async def one_more_change(store: EventStore, history: History, rng: random.Random) -> None:
    """Records another action, or corrects or voids one, as a county's day goes on."""
    assert history.community_id is not None
    ctx = writer(history.tenant_id)
    community = await store.get(Community, history.tenant_id, history.community_id)
    choice = rng.random()
    if choice < 0.5 or not history.activities:
        activity = Activity.record(
            id=uuid4(),
            community=community,
            facts=activity_facts(rng, community),
            today=TODAY,
            by=ctx.actor_id,
        )
        history.activities.append(activity.id)
    else:
        activity = await store.get(Activity, history.tenant_id, rng.choice(history.activities))
        if activity.is_void:
            return
        if choice < 0.8:
            moved = replace(activity_facts(rng, community), title=activity.facts.title)
            activity.correct(community, moved, "登记有误", TODAY, by=ctx.actor_id)
        else:
            activity.void("重复登记", by=ctx.actor_id)
    await store.save(activity, ctx)


async def snapshot(pool: asyncpg.Pool, tenant_id: UUID) -> dict[str, Any]:
    """Every table of every projection of one county, as comparable values."""
    tables: dict[str, Any] = {}
    async with tenant_transaction(pool, tenant_id) as conn:
        for projection in PROJECTIONS:
            for table in projection.tables:
                rows = await conn.fetch(
                    f"select * from {table} where tenant_id = $1",  # noqa: S608
                    tenant_id,
                )
                tables[table] = sorted(tuple(map(str, row.values())) for row in rows)
    return tables
