"""What the `jgt` commands share: one-line errors, the settings, a pool on the servers."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import asyncpg
import click

from domain._text import required
from domain.errors import InvalidValueError
from infra.crypto import MasterKeyError
from infra.db import create_pool
from infra.embedded import EmbeddedUnavailableError
from infra.signing import SigningKeyError
from infra.tenancy import TokenError
from service.runtime import servers
from service.settings import SettingsError

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from service.runtime import Urls
    from service.settings import Settings

P = ParamSpec("P")
T = TypeVar("T")


class CommandError(click.ClickException):
    """Shown as one line on stderr, exit status 1."""


def one_line_errors(command: Callable[P, T]) -> Callable[P, T]:
    """Turns the failures a person can fix into one line and a non-zero exit, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except (SettingsError, SigningKeyError, MasterKeyError) as error:
            raise CommandError(f"bad setting: {error}") from error
        except EmbeddedUnavailableError as error:
            raise CommandError(str(error)) from error
        except (OSError, asyncpg.PostgresConnectionError, asyncpg.InvalidCatalogNameError) as error:
            raise CommandError(f"cannot reach the database: {_first_line(error)}") from error
        except asyncpg.InvalidAuthorizationSpecificationError as error:
            raise CommandError(f"the database refused the login: {_first_line(error)}") from error
        except (asyncpg.PostgresError, TokenError, LookupError, ValueError) as error:
            raise CommandError(_first_line(error)) from error

    return wrapper


def checked_text(value: str, *, what: str) -> str:
    """`value` stripped, by the API's rule: not blank, at most 100 characters, storable."""
    try:
        return required(value, field=what, limit=100)
    except InvalidValueError as error:
        raise CommandError(
            f"{what} must have 1 to 100 characters, none of them a control character"
        ) from error


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def settings_of(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


async def with_pool(
    settings: Settings, work: Callable[[asyncpg.Pool, Urls], Coroutine[Any, Any, T]]
) -> T:
    """Runs `work` with a small pool of the request path's role (after migrating)."""
    async with servers(settings, need_redis=False) as urls:
        pool = await create_pool(urls.app, max_size=2)
        try:
            return await work(pool, urls)
        finally:
            await pool.close()
