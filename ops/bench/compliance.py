"""Compliance over a county-year: as-of judgement by replay, catch-up, the list's work.

    python -m ops.bench.compliance [--events 20000] [--json]

One county, 10 communities (a lead and four members each), a year of actions (2022-09 to
2023-08; some corrected, some voided) written through the aggregates into the event store, and
the `rongan-2022` template with 8 more count rules (30 rules) published. Then, side by side:

- `asof_s`: the judgement by replay, as a past `as_of` is answered: read the county's log (the
  types the facts read), fold the facts, evaluate the school year (median of 3); and
  `asof_kept_s`, as the routes answer once a process has read the county: the fold it keeps,
  caught up with the log (nothing new), evaluated (median of 3);
- `catchup_events_per_s`: the projection runner catching up from zero as `jgt serve` and
  `jgt worker` run it, the compliance table judged (fold, judge all time, write the rows) in
  the judge's own process while the runner folds the read models; `..._one_process_...`: the
  judge in the runner's process (`JGT_JUDGE_PROCESS=false`); then, from zero again, each alone;
- `list_p99_ms`: what `GET /v1/compliance` does as known today: the table's day, a page of 200
  rows, the totals, the items (100 reads; no HTTP); and `rejudge_after_event_ms`, the runner's
  step after one more action (that community judged again, rows rewritten).

On `DATABASE_URL` when set, else an embedded PostgreSQL; in a fresh database, dropped after.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import statistics
import time
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from domain.assessment.codes import EvaluationMode
from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from domain.codes import ActivityKind, ActivityMode, CommunityType, SchoolLocation, SchoolStage
from domain.community.activity import Activity
from domain.community.activity_facts import ActivityFacts, Participant
from domain.community.community import Community
from domain.community.school import School
from infra.codec import EventMapper
from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, tenant_transaction, with_user
from infra.event_store import EventStore, WriteContext
from infra.migrate import migrate
from infra.tenancy import create_tenant
from ops.bench.harness import analyzed, bench_main, drop_database, fresh_database, rate
from ops.bench.projections import reset
from projections.assessment.compliance_queries import (
    Asked,
    compliance_page,
    compliance_totals,
    judged_on,
)
from projections.assessment.compliance_table import ComplianceJudge
from projections.collection import no_collection
from projections.runner import ProjectionRunner
from service.assessment.facts import replayed
from service.assessment.judging import judge, question
from service.assessment.kept import KeptFacts
from service.http.common import today_in
from service.views.assessment.compliance import listed_item

if TYPE_CHECKING:
    import asyncpg

ZONE = "Asia/Shanghai"
START, TODAY = date(2022, 9, 1), date(2023, 8, 31)
KINDS = (
    ActivityKind.MANAGEMENT_VISIT, ActivityKind.COLLECTIVE_LESSON_PREP,
    ActivityKind.SENDING_LESSONS, ActivityKind.TEACHER_TRAINING, ActivityKind.PUBLIC_LESSON,
    ActivityKind.TEACHING_RESEARCH,
)  # fmt: skip
COMMUNITIES, MEMBERS, WRITERS, READS, LIMIT = 10, 4, 32, 100, 200


def rules_source() -> dict[str, Any]:
    """The 融安 template and 8 count rules more: 30 rules."""
    source = template_source("rongan-2022")
    assert isinstance(source, dict)  # noqa: S101 - a template is an object
    for n, kind in enumerate(KINDS + KINDS[:2]):
        grain = "month" if n % 2 else "semester"
        source["rules"].append(
            {
                "id": f"B-{n}",
                "title": {"zh": f"基准规则{n}", "en": f"Bench rule {n}"},
                "source": {"plan": "bench", "clause": str(n)},
                "scope": "each_member" if n % 3 == 0 else "community",
                "period": {"grain": grain},
                "counts": {"kinds": [kind.value]},
                "measure": {"type": "count", "min": 2 + n % 3},
                "score": {"points": 2},
            }
        )
    return source


async def write_county(store: EventStore, tenant: UUID, events: int) -> int:
    ctx = WriteContext(tenant_id=tenant, actor_id=uuid4(), role="admin")
    rng = random.Random(7)
    communities: list[Community] = []
    written = 0
    for c in range(COMMUNITIES):
        schools = [
            School.register(
                namespace=tenant, name=f"第{c}-{i}小学", code=f"S{c:02d}{i}",
                stage=SchoolStage.PRIMARY,
                location=SchoolLocation.URBAN if i == 0 else SchoolLocation.VILLAGE,
                district="城关学区", by=ctx.actor_id,
            )
            for i in range(MEMBERS + 1)
        ]  # fmt: skip
        for school in schools:
            await store.save(school, ctx)
        community = Community.form(
            id=uuid4(), name=f"第{c}教共体", type=CommunityType.CO_BUILT, lead=schools[0],
            members=schools[1:], starts_on=START, ends_on=date(2024, 8, 31), agreement="",
            by=ctx.actor_id,
        )  # fmt: skip
        await store.save(community, ctx)
        communities.append(community)
        written += len(schools) + 1
    rules = RuleSet.draft(namespace=tenant, source=rules_source(), template="", by=ctx.actor_id)
    rules.validate(ctx.actor_id)
    rules.publish(START, date(2024, 8, 31), ctx.actor_id)
    await store.save(rules, ctx)
    written += 3
    budget = events - written
    gate = asyncio.Semaphore(WRITERS)

    async def one(n: int) -> int:
        community = communities[n % COMMUNITIES]
        lead, members = community.lead_school_id, sorted(community.member_ids_on(START))
        held = START + timedelta(days=rng.randrange(330))
        member = rng.choice(members)
        facts = ActivityFacts(
            kind=rng.choice(KINDS), title=f"活动{n}", host_school_id=lead,
            participating_school_ids=(member,), held_on=held, ends_on=None, subjects=(),
            participants=(Participant("李华", lead, "主讲"), Participant("王芳", member)),
            mode=ActivityMode.ON_SITE, evidence=(), note="",
        )  # fmt: skip
        async with gate:
            action = Activity.record(
                id=uuid4(), community=community, facts=facts, today=TODAY, by=ctx.actor_id
            )
            await store.save(action, ctx)
            count, roll = 1, rng.random()
            if roll < 0.1:
                moved = replace(facts, held_on=held + timedelta(days=1))
                action.correct(community, moved, "日期有误", TODAY, by=ctx.actor_id)
                await store.save(action, ctx)
                count += 1
            elif roll < 0.15:
                action.void("重复登记", by=ctx.actor_id)
                await store.save(action, ctx)
                count += 1
            return count

    actions = int(budget / 1.15)
    written += sum(await asyncio.gather(*(one(n) for n in range(actions))))
    return written


def today() -> date:
    """As known today: the rule set was published today, so an earlier day knows no judge."""
    return today_in(ZONE)


async def as_of_once(
    pool: asyncpg.Pool, tenant: UUID, kept: KeptFacts | None = None
) -> tuple[float, float, int]:
    """Seconds taken, seconds of this process's CPU (the machine may be shared), results.

    From the log's first event, or (`kept`) as the routes answer: the fold the process keeps,
    caught up with the log.
    """
    started, cpu = time.perf_counter(), time.process_time()
    with no_collection():  # as the route answers, the fold freed before the collector is on
        async with tenant_transaction(pool, tenant) as conn:
            if kept is None:
                fold = await replayed(conn, tenant, EventMapper(), ZoneInfo(ZONE))
            else:
                fold = await kept.current(conn, tenant)
        found = len(judge(fold, question("2022-2023", today(), EvaluationMode.AS_KNOWN)).results)
        del fold
    return time.perf_counter() - started, time.process_time() - cpu, found


async def as_of_figures(pool: asyncpg.Pool, tenant: UUID) -> dict[str, Any]:
    # Writing the county left the process's heap full of garbage; a serving process collects
    # its own between requests (without this the replay took about 0.25 s more).
    gc.collect()
    runs = [await as_of_once(pool, tenant) for _ in range(3)]
    kept = KeptFacts(ZoneInfo(ZONE), EventMapper())
    await as_of_once(pool, tenant, kept)  # the first ask folds the log
    warm = [await as_of_once(pool, tenant, kept) for _ in range(3)]
    del kept
    gc.collect()
    return {
        "asof_s": round(statistics.median(s for s, _, _ in runs), 3),
        "asof_cpu_s": round(statistics.median(c for _, c, _ in runs), 3),
        "asof_kept_s": round(statistics.median(s for s, _, _ in warm), 3),
        "results": runs[0][2],
    }


async def read_list(pool: asyncpg.Pool, tenant: UUID) -> float:
    """The list's work as known today, as the route does it: the table's day, a page, totals."""
    started = time.perf_counter()
    asked = Asked(question("2022-2023", today(), EvaluationMode.AS_KNOWN).asked)
    async with tenant_transaction(pool, tenant) as conn:
        kept = await judged_on(conn, tenant)
        assert kept is not None  # noqa: S101 - the runner judged the county
        rows = await compliance_page(conn, tenant, asked, after=None, limit=LIMIT + 1)
        await compliance_totals(conn, tenant, asked)
    [listed_item(r, "zh") for r in rows]
    return (time.perf_counter() - started) * 1000


async def one_more(store: EventStore, tenant: UUID) -> None:
    """One more action in the first community, as a recorder's command would append it."""
    ctx = WriteContext(tenant_id=tenant, actor_id=uuid4(), role="admin")
    async with tenant_transaction(store.pool, tenant) as conn:
        first = await conn.fetchval(
            "select stream_id from events where tenant_id = $1 and event_type like '%Formed'"
            " order by tenant_seq limit 1",
            tenant,
        )
    community = await store.get(Community, tenant, first)
    lead, [member, *_] = community.lead_school_id, sorted(community.member_ids_on(START))
    facts = ActivityFacts(
        kind=KINDS[0], title="又一次", host_school_id=lead, participating_school_ids=(member,),
        held_on=TODAY - timedelta(days=3), ends_on=None, subjects=(),
        participants=(Participant("李华", lead, "主讲"),), mode=ActivityMode.ON_SITE,
        evidence=(), note="",
    )  # fmt: skip
    action = Activity.record(id=uuid4(), community=community, facts=facts, today=TODAY, by=uuid4())
    await store.save(action, ctx)


async def catch_up_figures(
    system_pool: asyncpg.Pool, system_url: str, total: int
) -> dict[str, Any]:
    """The runner from zero as `jgt serve` and `jgt worker` run it, then with the judge inside.

    As they run it: the judge in its own process, started with the runner (before the backlog
    came); then in the runner's process (`JGT_JUDGE_PROCESS=false`).
    """
    runner = ProjectionRunner(system_pool, judge_url=system_url)
    await runner.start()
    started = time.perf_counter()
    await runner.catch_up()
    apart = rate(total, time.perf_counter() - started)
    runner.close()
    await reset(system_pool, ComplianceJudge.tables)
    started = time.perf_counter()
    await ProjectionRunner(system_pool).catch_up()
    inside = rate(total, time.perf_counter() - started)
    return {"catchup_events_per_s": apart, "catchup_one_process_events_per_s": inside}


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        await migrate(owner_url)
        app_pool = await create_pool(with_user(owner_url, APP_ROLE), max_size=WRITERS)
        system_pool = await create_pool(with_user(owner_url, SYSTEM_ROLE), max_size=2)
        store = EventStore(app_pool)
        async with app_pool.acquire() as conn, conn.transaction():
            tenant = await create_tenant(conn, "基准县")
        total = await write_county(store, tenant, events)
        await analyzed(owner_url)
        figures: dict[str, Any] = {"events": total, "communities": COMMUNITIES, "rules": 30}

        figures["load_before"] = round(os.getloadavg()[0], 2)
        figures |= await as_of_figures(app_pool, tenant)

        figures |= await catch_up_figures(system_pool, with_user(owner_url, SYSTEM_ROLE), total)
        gc.collect()  # that runner and what it kept are gone: the next figures do not pay for it
        await reset(system_pool, ComplianceJudge.tables)
        started = time.perf_counter()
        await ProjectionRunner(system_pool, compliance=False).catch_up()
        figures["models_events_per_s"] = rate(total, time.perf_counter() - started)
        judge_of = ComplianceJudge(ZONE)
        started = time.perf_counter()
        await judge_of.catch_up(system_pool)
        figures["compliance_events_per_s"] = rate(total, time.perf_counter() - started)
        async with tenant_transaction(app_pool, tenant) as reader:
            figures["rows"] = await reader.fetchval(
                "select count(*) from compliance_results where tenant_id = $1", tenant
            )

        await read_list(app_pool, tenant)
        latencies = [await read_list(app_pool, tenant) for _ in range(READS)]
        figures["list_p50_ms"] = round(statistics.median(latencies), 1)
        figures["list_p99_ms"] = round(statistics.quantiles(latencies, n=100)[-1], 1)
        after = []
        for _ in range(3):  # one more action: its community judged again at the batch's end
            await one_more(store, tenant)
            started = time.perf_counter()
            await judge_of.catch_up(system_pool)
            after.append((time.perf_counter() - started) * 1000)
        figures["rejudge_after_event_ms"] = round(statistics.median(after), 1)
        figures["load_after"] = round(os.getloadavg()[0], 2)
        await store.close()
        await system_pool.close()
        await app_pool.close()
        return figures
    finally:
        await drop_database(server_url, name)


def report(figures: dict[str, Any]) -> str:
    rows = [
        ("as-of judgement by replay (log, fold, evaluate)", "asof_s", "s", "< 0.5"),
        ("  of which this process's CPU", "asof_cpu_s", "s", ""),
        ("  as the routes answer: the kept fold caught up", "asof_kept_s", "s", ""),
        ("runner catch-up from zero with compliance", "catchup_events_per_s", "/s", ">= 20000"),
        ("  the judge in the runner's process", "catchup_one_process_events_per_s", "/s", ""),
        ("  the read models alone", "models_events_per_s", "/s", ""),
        ("  the compliance table alone (fold, judge, rows)", "compliance_events_per_s", "/s", ""),
        ("compliance list from the table, median", "list_p50_ms", "ms", ""),
        ("compliance list from the table, 99th percentile", "list_p99_ms", "ms", ""),
        ("one more action: its community judged again", "rejudge_after_event_ms", "ms", ""),
    ]
    head = (
        f"{figures['events']:,} events, {figures['communities']} communities,"
        f" {figures['rules']} rules, {figures['results']:,} results a school year,"
        f" {figures['rows']:,} rows in the table (all time); load average"
        f" {figures['load_before']} before, {figures['load_after']} after"
    )
    lines = [
        head,
        "",
        f"  {'':<50} {'figure':>10}      {'target':>8}",
    ]
    lines += [
        f"  {label:<50} {figures[key]:>10} {unit:<4} {target:>8}"
        for label, key, unit, target in rows
    ]
    return "\n".join(lines)


def main() -> None:
    bench_main(__doc__ or "", run, report, default_events=20_000)


if __name__ == "__main__":
    main()
