"""The `jgt` command line: run the service and its workers, migrate, manage counties and tokens."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import asyncpg
import click

from infra.chain import verify as verify_chain
from infra.checkpoints import sign_heads
from infra.db import create_pool
from infra.event_store import EventStore
from service.cli_access import tenant, token
from service.cli_common import one_line_errors, settings_of
from service.cli_common import with_pool as _with_pool
from service.cli_users import user
from service.logs import configure_logging
from service.runtime import run_until_stopped as run
from service.runtime import servers
from service.services import signer_of
from service.settings import from_env

if TYPE_CHECKING:
    from uuid import UUID

    from service.runtime import Urls


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jiaogongti", prog_name="jgt")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Folder of the embedded servers' data (JGT_DATA_DIR).",
)
@click.pass_context
@one_line_errors
def main(ctx: click.Context, data_dir: str | None) -> None:
    """教共体台账 jiaogongti: the ledger of county education communities.

    Without DATABASE_URL and REDIS_URL, commands start embedded PostgreSQL and Valkey servers
    in the data folder (reused on the next start); with them, they use those servers.
    """
    ctx.obj = from_env(data_dir=data_dir)


@main.command()
@click.option("--host", help="Address to listen on (JGT_HOST, default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (JGT_PORT, default 8000; 0 picks one).")
@click.option(
    "--demo", is_flag=True, help="Create a demo county (once) and print tokens and curl lines."
)
@click.option(
    "--web-child", is_flag=True, hidden=True
)  # JGT_WEB_PROCESSES: service/web_processes.py
@click.pass_context
@one_line_errors
def serve(
    ctx: click.Context, host: str | None, port: int | None, *, demo: bool, web_child: bool
) -> None:
    """Run the HTTP API (with /healthz and the OpenAPI schema at /schema).

    Migrates the database first. Stops cleanly on Ctrl-C and SIGTERM.
    """
    from service.serve import serve_forever  # noqa: PLC0415 - uvicorn only when serving

    settings = from_env(data_dir=str(settings_of(ctx).data_dir), host=host, port=port)
    configure_logging(settings.log_level, settings.log_format)
    try:
        run(serve_forever(settings, demo=demo, web_child=web_child))
    except KeyboardInterrupt:  # Ctrl-C is how a server is stopped: not a failure
        click.echo("stopped")


@main.command()
@click.pass_context
@one_line_errors
def worker(ctx: click.Context) -> None:
    """Run the background work: the projection runner, the outbox dispatcher, the job worker.

    Migrates the database first, runs until Ctrl-C or SIGTERM, and waits for Redis when it is
    down. `jgt serve` runs the same in its own process; any number may run side by side.
    """
    from service.background import work_until_stopped  # noqa: PLC0415 - arq only when working

    settings = settings_of(ctx)
    configure_logging(settings.log_level, settings.log_format)
    try:
        run(work_until_stopped(settings, ready=click.echo))
    except KeyboardInterrupt:  # Ctrl-C is how a worker is stopped: not a failure
        click.echo("stopped")


@main.command()
@click.pass_context
@one_line_errors
def migrate(ctx: click.Context) -> None:
    """Apply pending schema migrations (each once, under a lock) and exit."""

    async def work() -> None:
        async with servers(settings_of(ctx), need_redis=False) as urls:
            conn = await asyncpg.connect(urls.owner)
            try:
                from infra.migrate import schema_version  # noqa: PLC0415

                click.echo(f"schema at version {await schema_version(conn)}")
            finally:
                await conn.close()

    run(work())


main.add_command(tenant)
main.add_command(token)
main.add_command(user)


@main.command()
@click.option("--tenant", "tenant_id", required=True, type=click.UUID, help="The county's id.")
@click.pass_context
@one_line_errors
def verify(ctx: click.Context, tenant_id: UUID) -> None:
    """Recompute a county's chain and check it against its signed checkpoints (2: broken)."""
    public_key = signer_of(settings_of(ctx)).public_key_if_present()  # None: the keys they name

    async def work(pool: asyncpg.Pool, _: Urls) -> bool:
        async with pool.acquire() as conn:  # an unknown county is a LookupError: one line
            report = await verify_chain(conn, tenant_id, public_key=public_key)
        click.echo(report.summary())
        return report.intact

    if not run(_with_pool(settings_of(ctx), work)):
        sys.exit(2)


@main.command()
@click.option("--tenant", "tenant_id", type=click.UUID, help="One county (default: every county).")
@click.pass_context
@one_line_errors
def checkpoint(ctx: click.Context, tenant_id: UUID | None) -> None:
    """Sign the chain head now: of one county, or of every county whose head moved."""
    signer = signer_of(settings_of(ctx))

    async def work(_: asyncpg.Pool, urls: Urls) -> None:
        async with await create_pool(urls.system, max_size=1) as system_pool:
            made = await sign_heads(system_pool, signer, tenant_id)
        lines = [
            f"{c.tenant_id} event {c.tenant_seq} signed {c.signed_at.isoformat()}" for c in made
        ]
        click.echo("\n".join([*lines, f"{len(made)} signed; public key {signer.public_key.hex()}"]))

    run(_with_pool(settings_of(ctx), work))


async def fold(urls: Urls, tenant_id: UUID, timezone: str = "Asia/Shanghai") -> None:
    """Folds one county's events into the read models now, rather than when a runner does."""
    from projections.runner import ProjectionRunner  # noqa: PLC0415

    async with await create_pool(urls.system, max_size=1) as system_pool:
        await ProjectionRunner(system_pool, timezone=timezone).catch_up([tenant_id])


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead.")
@click.pass_context
@one_line_errors
def demo(ctx: click.Context, *, as_json: bool) -> None:
    """Create a demo county: a lead school, four rural partners, a year and more of every record.

    Prints its tokens and curl lines that work against `jgt serve` (or, with --json, one JSON
    object: tenant_id, name, tokens, schools, lead_school_id and community_id). Works with or
    without a server running.
    """
    from service.demo import LEAD, PARTNERS, create_demo_county  # noqa: PLC0415
    from service.first_minute import first_minute  # noqa: PLC0415
    from service.http.common import today_in  # noqa: PLC0415
    from service.services import file_store_of, keyring_of  # noqa: PLC0415

    settings = settings_of(ctx)

    async def work(pool: asyncpg.Pool, urls: Urls) -> None:
        store = EventStore(pool)
        files = file_store_of(settings)
        county = await create_demo_county(
            pool,
            store,
            today_in(settings.timezone),
            files=files,
            keyring=keyring_of(settings, pool),
        )
        await store.close()
        await fold(
            urls, county.tenant_id, settings.timezone
        )  # its lists and dashboards are ready at once
        if as_json:
            click.echo(county.as_json().decode())
            return
        base = f"http://{settings.host}:{settings.port}"
        today = today_in(settings.timezone)
        click.echo(first_minute(base, county, today, LEAD[1], PARTNERS[0][1]))

    run(_with_pool(settings, work))


# The read models' commands live beside this module; they use its helpers, defined above.
from service.cli_assess import assess  # noqa: E402
from service.cli_compliance import compliance  # noqa: E402
from service.cli_projections import projections  # noqa: E402
from service.cli_rules import rules  # noqa: E402

main.add_command(projections)
main.add_command(rules)
main.add_command(assess)
main.add_command(compliance)
