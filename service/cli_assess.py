"""`jgt assess`: a county's assessments of a school year as a table (Chinese labels, aligned).

The compliance read model is not on main yet, so the table shows the assessments the bureau
recorded (each kept as computed when it was recorded), and says so.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import click

from domain.assessment.record import Assessment
from domain.codes import label
from domain.community.community import Community
from domain.errors import DomainError
from domain.periods import SchoolYear
from infra.db import tenant_transaction
from infra.event_store import EventStore
from service.cli_common import CommandError, one_line_errors, settings_of, with_pool
from service.runtime import run_until_stopped as run

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    import asyncpg

    from domain.codes import AssessmentGrade
    from service.runtime import Urls

HEADER = ("教共体", "类型", "规则集", "计算得分", "计算等级", "最终等级", "下年度经费", "理由")
SOURCE_NOTE = "（取自已记录的考核：计算结果为局方记录时所见；合规读模型尚未接入）"


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: Sequence[Sequence[str]]) -> str:
    lines = [HEADER, *rows]
    widths = [max(width(line[i]) for line in lines) for i in range(len(HEADER))]
    return "\n".join(
        "  ".join(
            cell + " " * (w - width(cell)) for cell, w in zip(line, widths, strict=True)
        ).rstrip()
        for line in lines
    )


def _grade(grade: AssessmentGrade | None) -> str:
    return "—" if grade is None else label(grade).zh


def _points(centi: int | None) -> str:
    return "—" if centi is None else f"{centi / 100:.2f}"


def row(found: Assessment, name: str) -> tuple[str, ...]:
    return (
        name,
        label(found.community_type).zh,
        found.rule_set,
        _points(found.total),
        _grade(found.computed_grade),
        _grade(found.final_grade),
        "—" if found.funding is None else f"{found.funding:,}",
        found.reason or "—",
    )


@click.command()
@click.option("--tenant", "tenant_id", required=True, type=click.UUID, help="The county's id.")
@click.option("--school-year", "school_year", required=True, help="Like 2022-2023.")
@click.pass_context
@one_line_errors
def assess(ctx: click.Context, tenant_id: UUID, school_year: str) -> None:
    """Print the county's assessments of a school year: computed score and grades, funding."""
    try:
        year = SchoolYear.parse(school_year)
    except DomainError as error:
        raise CommandError(error.message("zh")) from error

    async def work(pool: asyncpg.Pool, _: Urls) -> list[tuple[str, ...]]:
        store = EventStore(pool)
        try:
            async with tenant_transaction(pool, tenant_id) as conn:
                found = await store.all_of(Assessment, tenant_id, conn=conn)
                found = [a for a in found if a.school_year == year.code]
                names = {
                    a.community_id: (
                        await store.get(Community, tenant_id, a.community_id, conn=conn)
                    ).name
                    for a in found
                }
        finally:
            await store.close()
        return sorted(row(a, names[a.community_id]) for a in found)

    rows = run(with_pool(settings_of(ctx), work))
    click.echo(f"{year.code} 学年考核 {SOURCE_NOTE}")
    click.echo(table(rows))
    click.echo(f"共 {len(rows)} 个教共体")
