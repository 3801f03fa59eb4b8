"""`jgt user set-password`: an admin gives a county's user a username and a first password."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from infra.db import tenant_transaction
from infra.logins import USERNAME, set_credential, username_owner
from infra.users import find_user
from service.cli_common import CommandError, one_line_errors, settings_of, with_pool
from service.runtime import run_until_stopped as run
from service.web.logins import PASSWORD_MIN, hash_password

if TYPE_CHECKING:
    from uuid import UUID

    import asyncpg

    from service.runtime import Urls


@click.group()
def user() -> None:
    """The county's users (people): their sign-in to the pages."""


@user.command("set-password")
@click.option("--tenant", "tenant_id", type=click.UUID, required=True, help="The county's id.")
@click.option("--user", "user_id", type=click.UUID, required=True, help="The user's id.")
@click.option("--username", required=True, help="The name to sign in with (a-z, 0-9, . _ -).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
@one_line_errors
def set_password(
    ctx: click.Context, tenant_id: UUID, user_id: UUID, username: str, *, password_stdin: bool
) -> None:
    """Set a user's username and first password; the user changes it at the first sign-in."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise CommandError("a username is 1 to 64 of a-z, 0-9, '.', '_' and '-'")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < PASSWORD_MIN:
        raise CommandError(f"a password needs at least {PASSWORD_MIN} characters")
    password_hash = hash_password(password)

    async def work(pool: asyncpg.Pool, urls: Urls) -> None:
        del urls
        async with tenant_transaction(pool, tenant_id) as conn:
            found = await find_user(conn, tenant_id, user_id)
            if found is None or not found.is_active:
                raise CommandError(f"no active user {user_id} in county {tenant_id}")
            taken = await username_owner(conn, tenant_id, username)
            if taken is not None and taken != user_id:
                raise CommandError(f"the username {username} is taken in this county")
            await set_credential(conn, tenant_id, user_id, username, password_hash)
        click.echo(f"user {user_id} signs in as {username} at /app/sign-in?county={tenant_id}")

    run(with_pool(settings_of(ctx), work))
