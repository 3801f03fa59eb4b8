"""Liveness and readiness: the database, Redis and the schema version, always within a second."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, TypeVar

import asyncpg
import msgspec
from litestar import get
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Response

from infra.migrate import available, schema_version
from infra.queue import REDIS_ERRORS
from projections.status import projection_lag
from service.services import Services, Shared

if TYPE_CHECKING:
    from collections.abc import Coroutine

T = TypeVar("T")

# Each check has its own budget and they run side by side: a frozen server costs its budget.
DATABASE_SECONDS = 0.7
REDIS_SECONDS = 0.5


class Health(msgspec.Struct, frozen=True, kw_only=True):
    status: str  # "ok" or "degraded"
    degraded: list[str]  # what is not well: "database", "redis", "schema"
    database: bool
    redis: bool
    schema_version: int
    schema_expected: int
    projection_lag: int | None  # events of all counties not yet folded; None without a database


# Checks given up on, still cleaning up (asyncpg waits for a cancelled query's cancel request).
_abandoned: set[asyncio.Task[Any]] = set()


async def _within(seconds: float, check: Coroutine[Any, Any, T]) -> T | None:
    """The check's answer, or None after `seconds` without waiting for its clean-up."""
    task = asyncio.ensure_future(check)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        _abandoned.add(task)
        task.add_done_callback(_abandoned.discard)
        return None
    return task.result()


async def _database(services: Services) -> tuple[int, int | None] | None:
    """The schema's version and the lag, or None when the database does not answer."""
    try:
        async with services.pool.acquire() as conn:
            version = await schema_version(conn)
            lag = await projection_lag(conn) if version == len(available()) else None
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return None
    return version, lag


async def _redis(services: Services) -> bool:
    if services.redis is None:
        return False
    try:
        return bool(await services.redis.ping())
    except REDIS_ERRORS:
        return False


@get(
    "/healthz",
    tags=["health"],
    summary="Service health",
    responses={
        503: ResponseSpec(
            data_container=Health,
            generate_examples=False,
            description="The database does not answer: the same body, `database: false`.",
        )
    },
)
async def healthz(services: Shared) -> Response[Health]:
    """Database and Redis reachable, the schema's version, and events not yet counted.

    200, with what is degraded, unless the database cannot be reached (503); Redis being down
    only delays notifications. Never a county's data, and never slower than about a second.
    """
    expected = len(available())
    database, redis = await asyncio.gather(
        _within(DATABASE_SECONDS, _database(services)), _within(REDIS_SECONDS, _redis(services))
    )
    redis = bool(redis)
    version, lag = database or (0, None)
    degraded = [
        name
        for name, well in (
            ("database", database is not None),
            ("redis", redis),
            ("schema", version == expected),
        )
        if not well
    ]
    health = Health(
        status="degraded" if degraded else "ok",
        degraded=degraded,
        database=database is not None,
        redis=redis,
        schema_version=version,
        schema_expected=expected,
        projection_lag=lag,
    )
    return Response(health, status_code=200 if database is not None else 503)
