"""`jgt assess`: a county's school year, each community computed now beside what was recorded.

The computed columns are what POST /v1/assessments would compute today (the same function,
service/assessment/assessing.py, over the county's facts as known today); the recorded ones
are the bureau's record, computed as it was then, with its final grade. A 协作型 community is
computed with the project scores it was recorded with (none yet: no total).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from domain.assessment.assessment import Criterion
from domain.assessment.record import Assessment
from domain.codes import label
from domain.errors import DomainError
from infra.codec import EventMapper
from infra.db import tenant_transaction
from infra.event_store import AggregateNotFoundError, EventStore
from infra.tenancy import tenant_name
from projections.assessment.facts import CountyFacts
from service.assessment.assessing import assessed, grading_version, school_year_of
from service.assessment.facts import catch_up
from service.cli_common import CommandError, one_line_errors, settings_of, with_pool
from service.errors import NoRuleSetInForceError
from service.http.common import today_in
from service.runtime import run_until_stopped as run

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from uuid import UUID

    import asyncpg

    from domain.codes import AssessmentGrade
    from infra.db import Connection
    from service.runtime import Urls

HEADER = (
    "教共体",
    "类型",
    "计算得分",
    "计算等级",
    "记录得分",
    "记录等级",
    "最终等级",
    "下年度经费",
    "记录依据",
    "理由",
)
NUMERIC = frozenset({2, 4, 7})
NONE = "—"


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: Sequence[Sequence[str]]) -> str:
    """The header and rows in aligned columns, two spaces apart; numbers to the right."""
    lines = [HEADER, *rows]
    widths = [max(width(line[i]) for line in lines) for i in range(len(HEADER))]

    def cell(i: int, value: str) -> str:
        space = " " * (widths[i] - width(value))
        return space + value if i in NUMERIC else value + space

    return "\n".join("  ".join(cell(i, v) for i, v in enumerate(line)).rstrip() for line in lines)


def _grade(grade: AssessmentGrade | None) -> str:
    return NONE if grade is None else label(grade).zh


def _points(value: float | None) -> str:
    return NONE if value is None else f"{value:.2f}"


def _criteria(found: Assessment | None) -> tuple[Criterion, ...]:
    if found is None:
        return ()
    return tuple(Criterion(p.name, p.points / 100, p.score / 100) for p in found.project)


def row(
    fold: CountyFacts, community_id: UUID, year: str, day: date, found: Assessment | None
) -> tuple[str, ...]:
    """One community: computed as known on `day`, and as recorded (dashes when not recorded)."""
    computed = assessed(fold, community_id, year, day, _criteria(found)).computed
    recorded: tuple[str, ...] = (NONE,) * 6
    if found is not None:
        recorded = (
            _points(None if found.total is None else found.total / 100),
            _grade(found.computed_grade),
            _grade(found.final_grade),
            NONE if found.funding is None else f"{found.funding:,}",
            f"{found.rule_set}（{found.as_of or '录入'}）",
            found.reason or NONE,
        )
    return (
        fold.names.get(community_id, str(community_id)),
        label(computed.community_type).zh,
        _points(computed.total),
        _grade(computed.grade),
        *recorded,
    )


async def _recorded(
    store: EventStore, conn: Connection, tenant_id: UUID, community_id: UUID, year: str
) -> Assessment | None:
    stream = Assessment.id_for(tenant_id, community_id, year)
    try:
        return await store.get(Assessment, tenant_id, stream, conn=conn)
    except AggregateNotFoundError:
        return None


@click.command()
@click.option("--tenant", "tenant_id", required=True, type=click.UUID, help="The county's id.")
@click.option("--school-year", "school_year", required=True, help="Like 2022-2023.")
@click.pass_context
@one_line_errors
def assess(ctx: click.Context, tenant_id: UUID, school_year: str) -> None:
    """Print a school year's assessments: computed now from compliance, and as recorded."""
    settings = settings_of(ctx)
    day = today_in(settings.timezone)
    try:
        year = school_year_of(school_year)
    except DomainError as error:
        raise CommandError(error.message("zh")) from error

    async def work(pool: asyncpg.Pool, _: Urls) -> tuple[str, list[tuple[str, ...]]]:
        fold = CountyFacts()
        store = EventStore(pool)
        try:
            async with tenant_transaction(pool, tenant_id) as conn:
                if await tenant_name(conn, tenant_id) is None:
                    raise CommandError(f"no county with id {tenant_id}")
                await catch_up(conn, tenant_id, fold, EventMapper(), ZoneInfo(settings.timezone))
                active = [
                    c.id
                    for c in fold.facts().communities
                    if c.starts_on <= year.ends_on and c.ends_on >= year.starts_on
                ]
                records = {c: await _recorded(store, conn, tenant_id, c, year.code) for c in active}
        finally:
            await store.close()
        try:
            version = grading_version(fold, year, day).label
        except NoRuleSetInForceError as error:
            raise CommandError(error.message("zh")) from error
        return version, sorted(row(fold, c, year.code, day, records[c]) for c in active)

    version, rows = run(with_pool(settings, work))
    click.echo(
        f"{year.code} 学年考核：按截至 {day} 已知的达标情况、规则集 {version} 计算；旁为局方记录"
    )
    click.echo(table(rows))
    recorded = sum(1 for r in rows if r[6] != NONE)
    click.echo(f"共 {len(rows)} 个教共体，已记录 {recorded} 个")
