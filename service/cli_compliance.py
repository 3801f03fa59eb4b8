"""`jgt compliance`: a county's compliance table, as known on a day, with Chinese labels."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from domain.assessment.codes import EvaluationMode
from domain.errors import DomainError
from infra.codec import EventMapper
from infra.db import tenant_transaction
from infra.tenancy import tenant_name
from projections.assessment.facts import CountyFacts
from service.assessment.facts import catch_up
from service.assessment.judging import judge, question
from service.cli_common import CommandError, one_line_errors, settings_of, with_pool
from service.http.common import today_in
from service.runtime import run_until_stopped as run
from service.views.labels import in_language, text

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, datetime
    from uuid import UUID

    import asyncpg

    from domain.assessment.outcome import Result
    from service.runtime import Urls

HEADERS = ("共同体", "学校", "规则", "周期", "要求", "完成", "状态", "判定版本")
TITLE_WIDTH = 30  # display columns of a rule's title before it is cut


def width(value: str) -> int:
    """Display columns: wide and full-width characters (Chinese) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in value)


def cut(value: str, columns: int) -> str:
    if width(value) <= columns:
        return value
    kept = ""
    for c in value:
        if width(kept + c) > columns - 1:
            break
        kept += c
    return kept + "…"


def pad(value: str, columns: int, *, right: bool = False) -> str:
    space = " " * (columns - width(value))
    return space + value if right else value + space


def table(rows: Sequence[Sequence[str]], numeric: frozenset[int]) -> list[str]:
    """Aligned columns, two spaces apart; numbers to the right."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(pad(cell, widths[i], right=i in numeric) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def _order(fold: CountyFacts, r: Result) -> tuple[str, str, date, str]:
    community = "" if r.community_id is None else fold.names.get(r.community_id, "")
    return (community, r.rule_id, r.period.starts_on, str(r.school_id))


def _name(fold: CountyFacts, record_id: UUID | None, none: str) -> str:
    return none if record_id is None else fold.names.get(record_id, str(record_id))


def compliance_rows(
    fold: CountyFacts, period: str | None, as_of: date, mode: EvaluationMode
) -> list[str]:
    judged = judge(fold, question(period, as_of, mode))
    rows: list[list[str]] = [list(HEADERS)]
    for r in sorted(judged.results, key=lambda r: _order(fold, r)):
        rule = judged.rule_of(r)
        title = in_language(rule.title, "zh") if rule is not None else ""
        rows.append(
            [
                _name(fold, r.community_id, "全县"),
                _name(fold, r.school_id, ""),
                cut(f"{r.rule_id} {title}", TITLE_WIDTH),
                r.period.code,
                str(r.required),
                str(r.done),
                text(r.status, "zh"),
                r.version,
            ]
        )
    return table(rows, frozenset({4, 5}))


@click.command()
@click.option("--tenant", "tenant_id", required=True, type=click.UUID, help="The county's id.")
@click.option("--period", default=None, help="A school year (2022-2023) or semester (2023-spring).")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    type=click.DateTime(["%Y-%m-%d"]),
    help="As known on this day (default today).",
)
@click.option("--as-happened", is_flag=True, help="Everything recorded, dated by when it happened.")
@click.pass_context
@one_line_errors
def compliance(
    ctx: click.Context,
    tenant_id: UUID,
    period: str | None,
    as_of: datetime | None,
    *,
    as_happened: bool,
) -> None:
    """A county's compliance (达标情况): every community, rule and period, aligned."""
    settings = settings_of(ctx)
    day = as_of.date() if as_of is not None else today_in(settings.timezone)
    mode = EvaluationMode.AS_HAPPENED if as_happened else EvaluationMode.AS_KNOWN

    async def work(pool: asyncpg.Pool, _: Urls) -> list[str]:
        fold = CountyFacts()
        async with tenant_transaction(pool, tenant_id) as conn:
            if await tenant_name(conn, tenant_id) is None:
                raise CommandError(f"no county with id {tenant_id}")
            await catch_up(conn, tenant_id, fold, EventMapper(), ZoneInfo(settings.timezone))
        try:
            return compliance_rows(fold, period, day, mode)
        except DomainError as error:
            raise CommandError(error.message("zh")) from error

    for line in run(with_pool(settings, work)):
        click.echo(line)
