"""`jgt projections`: keep the read models current, rebuild them, and show how current they are."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
import msgspec

from infra.db import create_pool
from infra.tenancy import tenant_name
from service.cli_common import CommandError, one_line_errors, settings_of, with_pool
from service.logs import configure_logging
from service.runtime import run_until_stopped as run

if TYPE_CHECKING:
    from uuid import UUID

    import asyncpg

    from projections.status import CountyStatus
    from service.runtime import Urls

# `status` exits with this when a county is parked, as `verify` does for a broken chain.
PARKED_EXIT = 2


@click.group()
def projections() -> None:
    """The read models behind lists and dashboards, folded from the events."""


@projections.command("run")
@click.pass_context
@one_line_errors
def projections_run(ctx: click.Context) -> None:
    """Keep the read models current until Ctrl-C or SIGTERM.

    `jgt serve` and `jgt worker` run the same; any number may run side by side (each county
    is folded by one at a time).
    """
    from projections.runner import ProjectionRunner  # noqa: PLC0415

    settings = settings_of(ctx)
    configure_logging(settings.log_level, settings.log_format)

    async def work(pool: asyncpg.Pool, urls: Urls) -> None:
        del pool
        system_pool = await create_pool(urls.system, max_size=2)
        try:
            runner = ProjectionRunner(
                system_pool,
                poll_seconds=settings.poll_seconds,
                timezone=settings.timezone,
                judge_url=urls.system if settings.judge_process else None,
            )
            click.echo("jiaogongti projection runner")
            await runner.run_forever()
        finally:
            await system_pool.close()

    try:
        run(with_pool(settings, work))
    except KeyboardInterrupt:
        click.echo("stopped")


async def _counties(pool: asyncpg.Pool, tenant_id: UUID | None) -> list[tuple[UUID, str]]:
    """Every county (id, name), or only `tenant_id`, which must exist."""
    from infra.tenancy import list_tenants  # noqa: PLC0415

    async with pool.acquire() as conn:
        if tenant_id is None:
            return [(t.tenant_id, t.name) for t in await list_tenants(conn)]
        async with conn.transaction():
            name = await tenant_name(conn, tenant_id)
    if name is None:
        raise CommandError(f"no county with id {tenant_id}")
    return [(tenant_id, name)]


@projections.command("rebuild")
@click.option("--tenant", "tenant_id", type=click.UUID, help="Only this county (default: all).")
@click.pass_context
@one_line_errors
def projections_rebuild(ctx: click.Context, tenant_id: UUID | None) -> None:
    """Fold the read models again from the first event, a county at a time.

    Each county is rebuilt in one transaction: readers see its old rows until the new ones
    are complete. Other counties are not touched. A county whose events cannot be folded
    keeps its old rows and is parked; the others are rebuilt, and the command lists the
    ones it could not rebuild and exits 1.
    """
    from projections.runner import FoldError, ProjectionRunner  # noqa: PLC0415

    settings = settings_of(ctx)

    async def work(pool: asyncpg.Pool, urls: Urls) -> None:
        counties = await _counties(pool, tenant_id)
        failed = []
        system_pool = await create_pool(urls.system, max_size=2)
        try:
            runner = ProjectionRunner(system_pool, timezone=settings.timezone)
            for county, name in counties:
                try:
                    folded = await runner.rebuild(county)
                except FoldError as failure:
                    click.echo(f"{county}  not rebuilt, parked at {failure}  {name}")
                    failed.append(str(county))
                    continue
                click.echo(f"{county}  {folded:>8} events folded  {name}")
        finally:
            await system_pool.close()
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(counties)} counties could not be rebuilt: "
                + ", ".join(failed)
            )

    run(with_pool(settings_of(ctx), work))


@projections.command("status")
@click.option("--tenant", "tenant_id", type=click.UUID, help="Only this county (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array instead.")
@click.pass_context
@one_line_errors
def projections_status(ctx: click.Context, tenant_id: UUID | None, *, as_json: bool) -> None:
    """Each county: its last event, the last one folded, the lag, and where it is parked.

    Exits 2 when a county is parked (its events could not be folded).
    """
    from projections.status import statuses  # noqa: PLC0415

    async def work(pool: asyncpg.Pool, urls: Urls) -> list[CountyStatus]:
        if tenant_id is not None:
            await _counties(pool, tenant_id)
        system_pool = await create_pool(urls.system, max_size=1)
        try:
            async with system_pool.acquire() as conn:
                found = await statuses(conn)  # the system role sees every county
        finally:
            await system_pool.close()
        return [s for s in found if tenant_id is None or s.tenant_id == tenant_id]

    found = run(with_pool(settings_of(ctx), work))
    if as_json:
        click.echo(msgspec.json.encode(found).decode())
    else:
        for county in found:
            click.echo(_line(county))
    if any(county.parked is not None for county in found):
        sys.exit(PARKED_EXIT)


def _line(county: CountyStatus) -> str:
    line = f"{county.tenant_id}  folded {county.folded:>8} of {county.head:>8}  lag {county.lag:>6}"
    parked = county.parked
    if parked is not None:
        since = parked.parked_at.isoformat(timespec="seconds")
        line += (
            f"  PARKED at event {parked.position} since {since}"
            f" ({parked.attempts} tries): {parked.error}"
        )
    return f"{line}  {county.name}"
