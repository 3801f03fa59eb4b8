"""`jgt rules`: load a seed plan's template into a county as a rule-set version."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import click

from domain.assessment.templates import TEMPLATES
from domain.errors import DomainError
from infra.event_store import EventStore, WriteContext
from infra.tenancy import Role
from service.cli_common import CommandError, one_line_errors, settings_of, with_pool
from service.command import Env, create
from service.commands.assessment.rule_sets import LoadTemplateCommand, load_template
from service.http.common import today_in
from service.runtime import run_until_stopped as run

if TYPE_CHECKING:
    import asyncpg

    from service.runtime import Urls

# Who the events say wrote them when the command line did (it has no token).
CLI_ACTOR = UUID("00000000-0000-4000-8000-00000000c11e")


@click.group()
def rules() -> None:
    """Rule sets (考核细则) of a county."""


@rules.command("load-template")
@click.argument("name", type=click.Choice(sorted(TEMPLATES)))
@click.option("--tenant", "tenant_id", required=True, type=click.UUID, help="The county's id.")
@click.option("--version", "number", default=1, show_default=True, type=click.IntRange(1, 9999))
@click.option("--publish", is_flag=True, help="Validate and publish it for its period at once.")
@click.pass_context
@one_line_errors
def load(ctx: click.Context, name: str, tenant_id: UUID, number: int, *, publish: bool) -> None:
    """Load template NAME into the county as a rule-set version (a draft unless --publish)."""
    settings = settings_of(ctx)
    cmd = LoadTemplateCommand(
        name=name, version=number, publish=publish, in_force_from=None, in_force_to=None
    )

    async def work(pool: asyncpg.Pool, _: Urls) -> str:
        store = EventStore(pool)
        env = Env(
            store=store,
            write=WriteContext(tenant_id=tenant_id, actor_id=CLI_ACTOR, role=Role.ADMIN.value),
            role=Role.ADMIN,
            school_id=None,
            today=today_in(settings.timezone),
        )
        try:
            loaded, _appended = await create(env, load_template, cmd)
        except DomainError as error:
            raise CommandError(error.message("zh")) from error
        finally:
            await store.close()
        found = loaded.rules
        return (
            f"{loaded.label} {loaded.state.value} {loaded.id} {len(found.rules)} rules,"
            f" in force {found.in_force_from}..{found.in_force_to or ''}"
        )

    click.echo(run(with_pool(settings, work)))
