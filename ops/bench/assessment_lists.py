"""The rule-set and assessment lists: a page of the read models beside replaying every stream.

    python -m ops.bench.assessment_lists [--events 2000] [--json]

Writes one county's rule-set versions (the 融安 template, one version per 50 assessments, every
other published) and N/2 assessments (each a Computed and a Graded event, rule lines of the
template), folds them with the runner, then times the lists' page of 50 read from the read
models (what GET /v1/rule-sets and GET /v1/assessments do now) beside reading every stream of
the county (EventStore.all_of, what they did before). On `DATABASE_URL` when set, else an
embedded PostgreSQL; in a fresh database that is dropped afterwards.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from domain.assessment.assessment import Unit, assess
from domain.assessment.record import Assessment
from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from domain.codes import AssessmentGrade, CommunityType, ComplianceStatus
from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, tenant_transaction, with_user
from infra.event_store import EventStore
from infra.migrate import migrate
from infra.tenancy import create_tenant
from ops.bench.harness import bench_main, drop_database, fresh_database, rate
from projections.assessment import queries
from projections.runner import ProjectionRunner
from tests.domain.assessment_support import result
from tests.projections.history import writer

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

    import asyncpg

QUERIES, PAGE = 40, 50
PER_VERSION = 50  # assessments per rule-set version written


async def write_county(store: EventStore, pool: asyncpg.Pool, assessments: int) -> UUID:
    async with pool.acquire() as conn, conn.transaction():
        tenant = await create_tenant(conn, "测试县教育局")
    ctx = writer(tenant)
    source = template_source("rongan-2022")
    assert isinstance(source, dict)  # noqa: S101 - a template is an object
    versions = []
    for number in range(1, max(2, assessments // PER_VERSION) + 1):
        found = RuleSet.draft(
            namespace=tenant, source={**source, "version": number}, template="", by=ctx.actor_id
        )
        if number % 2:
            found.validate(by=ctx.actor_id)
            found.publish(date(2022, 9, 1), None, by=ctx.actor_id)
            versions.append(found)
        await store.save(found, ctx)
    for i in range(assessments):
        rules = versions[i % len(versions)]
        community = uuid4()
        results = [
            result(
                r.id,
                ComplianceStatus.MET if n % 3 else ComplianceStatus.MISSED,
                r.score.points,
                community=community,
            )
            for n, r in enumerate(rules.rules.rules)
        ]
        computed = assess(rules.rules, Unit(community, CommunityType.FUSED, None, ()), results)
        recorded = Assessment.record(
            namespace=tenant,
            school_year=f"{2022 + i % 3}-{2023 + i % 3}",
            rule_set_id=rules.id,
            rules=rules.rules,
            computed=computed,
            as_of=date(2023, 8, 1),
            folded_seq=i,
            grade=computed.grade or AssessmentGrade.PASS,
            reason="" if computed.grade else "测试",
            by=ctx.actor_id,
        )
        await store.save(recorded, ctx)
    return tenant


async def latency(work: Callable[[], Awaitable[object]]) -> dict[str, float]:
    times = []
    for _ in range(QUERIES):
        started = time.perf_counter()
        await work()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": round(statistics.median(times), 2), "p95": round(times[int(0.95 * QUERIES)], 2)}


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        await migrate(owner_url)
        app_pool = await create_pool(with_user(owner_url, APP_ROLE), max_size=4)
        system_pool = await create_pool(with_user(owner_url, SYSTEM_ROLE), max_size=2)
        store = EventStore(app_pool)
        tenant = await write_county(store, app_pool, events // 2)
        started = time.perf_counter()
        folded = await ProjectionRunner(system_pool).catch_up([tenant])
        figures: dict[str, Any] = {
            "events": folded,
            "assessments": events // 2,
            "fold_events_per_s": rate(folded, time.perf_counter() - started),
        }

        async def pages() -> None:
            async with tenant_transaction(app_pool, tenant) as conn:
                await queries.rule_sets(conn, tenant, limit=PAGE + 1)
                await queries.assessments(conn, tenant, limit=PAGE + 1)

        async def streams() -> None:
            async with tenant_transaction(app_pool, tenant) as conn:
                parsed = [r.rules for r in await store.all_of(RuleSet, tenant, conn=conn)]
                assert parsed  # noqa: S101 - parsed as the list's view did
                found = await store.all_of(Assessment, tenant, conn=conn)
                sorted(found, key=lambda a: (a.school_year, str(a.community_id)))

        figures["page_ms"] = await latency(pages)
        figures["streams_ms"] = await latency(streams)
        await store.close()
        await system_pool.close()
        await app_pool.close()
        return figures
    finally:
        await drop_database(server_url, name)


def report(figures: dict[str, Any]) -> str:
    page, streams = figures["page_ms"], figures["streams_ms"]
    head = f"{figures['events']} events ({figures['assessments']} assessments)"
    lines = [
        f"{head}, folded at {figures['fold_events_per_s']} events/s",
        f"  a page of {PAGE} of each list, read models: p50 {page['p50']} ms, p95 {page['p95']} ms",
        f"  every stream replayed (before): p50 {streams['p50']} ms, p95 {streams['p95']} ms",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    bench_main(__doc__, run, report, default_events=2000)
