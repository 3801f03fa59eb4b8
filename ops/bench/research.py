"""What the research, quality and money read models cost beside the community ones, one run.

    python -m ops.bench.research [--events 10000] [--json]

Writes 20 counties' histories (community actions for half of N events, and projects, papers,
payments, commendations), then test sittings with results (4 schools x 4 subjects x 3 grades:
48 results an event) up to about N events. Folds them with the runner from zero, once with
the community read models alone and once with the research, quality and money ones alone;
replays both in memory; and times the quality database's page (with the year before) beside
the dashboard's query. On `DATABASE_URL` when set, else an embedded PostgreSQL; in a fresh
database that is dropped afterwards.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from domain.codes import SittingKind, Subject
from domain.community.community import Community
from domain.community.school import School
from domain.quality.sitting import Result, Sitting
from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, tenant_transaction, with_user
from infra.event_store import EventStore, read_tenant
from infra.migrate import migrate
from infra.tenancy import create_tenant
from ops.bench.harness import bench_main, drop_database, fresh_database, rate
from ops.bench.projections import reset, timed
from projections.community import queries as community
from projections.quality import queries as quality
from projections.read_models import PROJECTIONS
from projections.runner import ProjectionRunner
from projections.status import tenant_lag
from tests.projections.history import write_history, writer

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from projections.base import ReadModel

TENANTS, QUERIES = 20, 200
SUBJECTS = (Subject.CHINESE, Subject.MATH, Subject.ENGLISH, Subject.SCIENCE)
COMMUNITY = PROJECTIONS[:4]  # schools, roster, actions, school months
RESEARCH = PROJECTIONS[4:]  # projects, papers, sittings, quality database, money, commendations


async def write_sittings(store: EventStore, tenant: UUID, history: Any, count: int) -> None:  # noqa: ANN401
    """`count` sittings of five schools, 4 subjects and 3 grades, over several school years."""
    ctx = writer(tenant)
    schools = [await store.get(School, tenant, school_id) for school_id in history.schools]
    group = await store.get(Community, tenant, history.community_id)
    for i in range(count):
        held_on = date(2023 + i % 2, 1 + 5 * (i // 2 % 2), 15 + i // 4 % 10)
        sitting = Sitting.hold(
            id=uuid4(),
            kind=SittingKind.JOINT,
            title=f"联考{i}",
            held_on=held_on,
            grades=(4, 5, 6),
            subjects=SUBJECTS,
            schools=schools[:4],
            community=group,
            today=date(2025, 8, 31),
            by=ctx.actor_id,
        )
        results = [
            Result(school.id, subject, grade, 40, 9000 - i, 6000, 8000, 100)
            for school in schools[:4]
            for subject in SUBJECTS
            for grade in (4, 5, 6)
        ]
        sitting.record_results(results, "", by=ctx.actor_id)
        sitting.record_analysis(None, "分析", by=ctx.actor_id)
        await store.save(sitting, ctx)


async def fold(system_pool: Any, projections: Sequence[ReadModel]) -> float:  # noqa: ANN401
    await reset(system_pool)
    return await timed(ProjectionRunner(system_pool, projections, batch=500).catch_up())


async def write_counties(store: EventStore, pool: Any, events: int) -> list[UUID]:  # noqa: ANN401
    """20 counties' histories (half the events), then sittings up to about `events` in all."""
    tenants, histories = [], []
    async with pool.acquire() as conn:
        for i in range(TENANTS):
            async with conn.transaction():
                tenants.append(await create_tenant(conn, f"基准县{i}"))
    for i, tenant in enumerate(tenants):
        actions = max(events // (2 * TENANTS), 1)
        histories.append(await write_history(store, tenant, seed=i, activities=actions))
    written = len(await every_event(store, pool, tenants))
    per_county = max((events - written) // (TENANTS * 2), 2)  # a sitting is 2 events
    for tenant, history in zip(tenants, histories, strict=True):
        await write_sittings(store, tenant, history, per_county)
    return tenants


async def every_event(store: EventStore, pool: Any, tenants: list[UUID]) -> list[Any]:  # noqa: ANN401
    decoded = []
    for tenant in tenants:
        async with tenant_transaction(pool, tenant) as conn:
            decoded += [store.decode(e) for e in await read_tenant(conn, tenant, limit=10**9)]
    return decoded


async def folds(system_pool: Any, events: list[Any]) -> dict[str, Any]:  # noqa: ANN401
    """Each set of read models folded from zero by the runner, and replayed in memory."""
    figures: dict[str, Any] = {}
    for label, models in (("community", COMMUNITY), ("research", RESEARCH)):
        followed = [e for e in events if any(m.follows(e) for m in models)]
        figures[f"{label}_events"] = len(followed)
        seconds = await fold(system_pool, models)
        figures[f"{label}_fold_events_per_s"] = rate(len(followed), seconds)
        started = time.perf_counter()
        for model in models:
            model.replay(followed)
        figures[f"{label}_replay_events_per_s"] = rate(len(followed), time.perf_counter() - started)
        if label == "research":
            results = sum(
                len(e.results) for e in followed if isinstance(e, Sitting.ResultsRecorded)
            )
            figures["results_folded_per_s"] = rate(results, seconds)
    return figures


async def latencies(pool: Any, tenants: list[UUID]) -> dict[str, Any]:  # noqa: ANN401
    figures: dict[str, Any] = {}
    for label, question in (("dashboard", dashboard), ("quality_page", quality_page)):
        taken = []
        for i in range(QUERIES):
            started = time.perf_counter()
            await question(pool, tenants[i % TENANTS])
            taken.append((time.perf_counter() - started) * 1000)
        figures[f"{label}_ms_p50"] = round(statistics.median(taken), 2)
        figures[f"{label}_ms_p95"] = round(statistics.quantiles(taken, n=20)[-1], 2)
    return figures


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        await migrate(owner_url)
        app_pool = await create_pool(with_user(owner_url, APP_ROLE), max_size=10)
        system_pool = await create_pool(with_user(owner_url, SYSTEM_ROLE), max_size=2)
        store = EventStore(app_pool)
        tenants = await write_counties(store, app_pool, events)
        decoded = await every_event(store, app_pool, tenants)
        figures: dict[str, Any] = {"events": len(decoded), "tenants": TENANTS}
        figures |= await folds(system_pool, decoded)
        await ProjectionRunner(system_pool).catch_up()
        figures |= await latencies(app_pool, tenants)
        await store.close()
        await system_pool.close()
        await app_pool.close()
        return figures
    finally:
        await drop_database(server_url, name)


async def dashboard(pool: Any, tenant: UUID) -> None:  # noqa: ANN401 - an asyncpg pool
    async with tenant_transaction(pool, tenant) as reader:
        counts = await community.activity_count_rows(reader, tenant)
        await community.community_names(reader, tenant, [k.community_id for k in counts])
        await tenant_lag(reader, tenant)


async def quality_page(pool: Any, tenant: UUID) -> None:  # noqa: ANN401 - an asyncpg pool
    async with tenant_transaction(pool, tenant) as reader:
        rows = await quality.results(reader, tenant, limit=51)
        assert len(rows) == 51  # noqa: S101 - a full page, with the year before joined
        await tenant_lag(reader, tenant)


def report(figures: dict[str, Any]) -> str:
    lines = [
        (
            f"{figures['events']} events in {figures['tenants']} counties: "
            f"{figures['community_events']} community, {figures['research_events']} research,"
            " quality and money"
        ),
        "",
        f"  {'':<52} {'community':>10} {'research…':>10}",
    ]
    for label, key, unit in (
        ("runner from zero, batches of 500 (events it follows)", "fold_events_per_s", "/s"),
        ("in-memory replay of the events it follows", "replay_events_per_s", "/s"),
    ):
        community_figure, research_figure = figures[f"community_{key}"], figures[f"research_{key}"]
        lines.append(f"  {label:<52} {community_figure:>10} {research_figure:>10} {unit}")
    results = figures["results_folded_per_s"]
    lines.append(f"  {'of which quality results (rows) folded':<52} {'':>10} {results:>10} /s")
    for label, key in (("median", "p50"), ("95th percentile", "p95")):
        lines.append(
            f"  {'dashboard / quality database page, ' + label:<52}"
            f" {figures[f'dashboard_ms_{key}']:>10} {figures[f'quality_page_ms_{key}']:>10} ms"
        )
    return "\n".join(lines)


def main() -> None:
    bench_main(__doc__ or "", run, report, default_events=10_000)


if __name__ == "__main__":
    main()
