"""`jgt tenant …` and `jgt token …`: counties, their suspension, and API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from infra.tenancy import (
    PLATFORM_TENANT_ID,
    Role,
    create_tenant,
    ensure_platform_tenant,
    issue_token,
    list_tenants,
    list_tokens,
    revoke_token,
    set_suspended,
    tenant_name,
)
from infra.users import find_user
from service.auth import CACHE_SECONDS, expiry
from service.cli_common import (
    CommandError,
    checked_text,
    one_line_errors,
    settings_of,
    with_pool,
)
from service.runtime import run_until_stopped as run

if TYPE_CHECKING:
    from uuid import UUID

    import asyncpg

    from infra.db import Connection
    from service.runtime import Urls


@click.group()
def tenant() -> None:
    """Counties (tenants): each sees only its own data."""


@tenant.command("create")
@click.argument("name")
@click.pass_context
@one_line_errors
def tenant_create(ctx: click.Context, name: str) -> None:
    """Create the county NAME and print its id and first admin token (shown once)."""
    name = checked_text(name, what="the county's name")

    async def work(pool: asyncpg.Pool, urls: Urls) -> None:
        del urls
        async with pool.acquire() as conn, conn.transaction():
            tenant_id = await create_tenant(conn, name)
            token = await issue_token(conn, tenant_id, Role.ADMIN, label=f"{name} 管理员")
        click.echo(f"tenant {tenant_id}")
        click.echo(f"admin token {token.secret}")

    run(with_pool(settings_of(ctx), work))


@tenant.command("list")
@click.pass_context
@one_line_errors
def tenant_list(ctx: click.Context) -> None:
    """List every county with its number of events."""

    async def work(pool: asyncpg.Pool, urls: Urls) -> None:
        del urls
        async with pool.acquire() as conn:
            for info in await list_tenants(conn):
                click.echo(f"{info.tenant_id}  {info.event_count:>8} events  {info.name}")

    run(with_pool(settings_of(ctx), work))


def _suspend(ctx: click.Context, tenant_id: UUID, *, suspended: bool) -> None:
    if tenant_id == PLATFORM_TENANT_ID:
        raise CommandError("the platform itself cannot be suspended")

    async def work(pool: asyncpg.Pool, urls: Urls) -> None:
        del urls
        async with pool.acquire() as conn, conn.transaction():
            if not await set_suspended(conn, tenant_id, suspended=suspended):
                raise CommandError(f"no county with id {tenant_id}")

    run(with_pool(settings_of(ctx), work))
    if suspended:
        click.echo(
            f"county {tenant_id} suspended: its tokens get 403 within {CACHE_SECONDS:g} s;"
            " nothing is deleted"
        )
    else:
        click.echo(f"county {tenant_id} resumed: its tokens work again")


@tenant.command("suspend")
@click.argument("tenant_id", type=click.UUID)
@click.pass_context
@one_line_errors
def tenant_suspend(ctx: click.Context, tenant_id: UUID) -> None:
    """Suspend a county: its tokens are refused (403), its data and tokens are kept."""
    _suspend(ctx, tenant_id, suspended=True)


@tenant.command("resume")
@click.argument("tenant_id", type=click.UUID)
@click.pass_context
@one_line_errors
def tenant_resume(ctx: click.Context, tenant_id: UUID) -> None:
    """Lift a county's suspension: its tokens work again."""
    _suspend(ctx, tenant_id, suspended=False)


@click.group()
def token() -> None:
    """API tokens: random secrets, shown once, stored hashed."""


_TENANT_HELP = "The county's id (operator tokens: leave it out)."


@token.command("create")
@click.option("--tenant", "tenant_id", type=click.UUID, help=_TENANT_HELP)
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="What the token may do (operator: the hosting platform, creates counties).",
)
@click.option("--school", "school_id", type=click.UUID, help="A recorder's school.")
@click.option(
    "--user", "user_id", type=click.UUID, help="The person it is issued to (takes their school)."
)
@click.option("--label", help="Who holds the token, e.g. 张老师 (defaults to the role).")
@click.option("--expires-in", help="Lifetime, e.g. 90d, 12h or 30m (default: until revoked).")
@click.pass_context
@one_line_errors
def token_create(
    ctx: click.Context,
    *,
    tenant_id: UUID | None,
    role: str,
    school_id: UUID | None,
    user_id: UUID | None,
    label: str | None,
    expires_in: str | None,
) -> None:
    """Create a token for a county (or, for an operator, the platform) and print it once."""
    if user_id is not None and (tenant_id is None or school_id is not None):
        raise CommandError("a user's token needs --tenant and takes the user's school")
    if user_id is None and (role == Role.RECORDER) != (school_id is not None):
        raise CommandError(
            "a recorder token needs --school (or --user of a recorder),"
            " and only a recorder token takes --school"
        )
    if (role == Role.OPERATOR) == (tenant_id is not None):
        raise CommandError("an operator token takes no --tenant; every other token needs one")
    label = None if label is None else checked_text(label, what="the label")
    expires_at = expiry(expires_in)

    async def work(pool: asyncpg.Pool, urls: Urls) -> None:
        del urls
        async with pool.acquire() as conn, conn.transaction():
            if tenant_id is None:
                county = await ensure_platform_tenant(conn)
            elif await tenant_name(conn, tenant_id) is None:
                raise CommandError(f"no county with id {tenant_id}")
            else:
                county = tenant_id
            school = (
                school_id if user_id is None else await _users_school(conn, county, user_id, role)
            )
            issued = await issue_token(
                conn,
                county,
                Role(role),
                label=label or role,
                school_id=school,
                expires_at=expires_at,
                user_id=user_id,
            )
        click.echo(issued.secret)

    run(with_pool(settings_of(ctx), work))


async def _users_school(conn: Connection, county: UUID, user_id: UUID, role: str) -> UUID | None:
    """The school of the active user a token is issued to, whose role it must have."""
    user = await find_user(conn, county, user_id)
    if user is None or not user.is_active:
        raise CommandError(f"no active user {user_id} in county {county}")
    if user.role.value != role:
        raise CommandError(f"user {user_id} has the role {user.role.value}, not {role}")
    return user.school_id


@token.command("list")
@click.option("--tenant", "tenant_id", type=click.UUID, help=_TENANT_HELP)
@click.pass_context
@one_line_errors
def token_list(ctx: click.Context, tenant_id: UUID | None) -> None:
    """A county's tokens, newest first: id, role, state, label, user (never their secrets)."""
    county = tenant_id or PLATFORM_TENANT_ID

    async def work(pool: asyncpg.Pool, urls: Urls) -> None:
        del urls
        async with pool.acquire() as conn, conn.transaction():
            if tenant_id is not None and await tenant_name(conn, tenant_id) is None:
                raise CommandError(f"no county with id {tenant_id}")
            tokens = await list_tokens(conn, county)
        for info in tokens:
            if info.revoked_at is not None:
                state = f"revoked {info.revoked_at:%Y-%m-%d %H:%M}Z"
            elif info.expires_at is not None:
                state = f"expires {info.expires_at:%Y-%m-%d %H:%M}Z"
            else:
                state = "active"
            school = f"  school {info.school_id}" if info.school_id else ""
            person = f"  user {info.user_id}" if info.user_id else "  (no user)"
            click.echo(
                f"{info.token_id}  {info.role.value:<10} {state:<24} {info.label}{school}{person}"
            )

    run(with_pool(settings_of(ctx), work))


@token.command("revoke")
@click.argument("token_id", type=click.UUID)
@click.option("--tenant", "tenant_id", type=click.UUID, help=_TENANT_HELP)
@click.pass_context
@one_line_errors
def token_revoke(ctx: click.Context, token_id: UUID, tenant_id: UUID | None) -> None:
    """Revoke a token: every server refuses it within a second."""
    county = tenant_id or PLATFORM_TENANT_ID

    async def work(pool: asyncpg.Pool, urls: Urls) -> bool:
        del urls
        async with pool.acquire() as conn, conn.transaction():
            return await revoke_token(conn, county, token_id)

    if not run(with_pool(settings_of(ctx), work)):
        raise CommandError(f"no unrevoked token {token_id} in county {county}")
    click.echo(f"token {token_id} revoked")
