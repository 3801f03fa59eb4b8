"""Liveness and readiness: the database, Redis and the schema version."""

from __future__ import annotations

import msgspec
from litestar import get
from litestar.response import Response

from infra.migrate import available, schema_version
from projections.status import projection_lag
from service.services import Shared


class Health(msgspec.Struct, frozen=True, kw_only=True):
    status: str  # "ok" or "degraded"
    database: bool
    redis: bool
    schema_version: int
    schema_expected: int
    projection_lag: int | None  # events of all counties not yet folded; None without a database


@get("/healthz", tags=["health"], summary="Service health", exclude_from_auth=True)
async def healthz(services: Shared) -> Response[Health]:
    """Database and Redis reachable, the schema's version, and events not yet counted.

    503 when the database cannot be reached; Redis being down only delays notifications.
    """
    expected = len(available())
    database, version, lag = False, 0, None
    try:
        async with services.pool.acquire() as conn:
            version = await schema_version(conn)
            database = True
            if version == expected:
                lag = await projection_lag(conn)
    except (OSError, ConnectionError, msgspec.ValidationError):
        pass
    redis = False
    if services.redis is not None:
        try:
            redis = bool(await services.redis.ping())
        except (OSError, ConnectionError):
            redis = False
    ok = database and redis and version == expected
    health = Health(
        status="ok" if ok else "degraded",
        database=database,
        redis=redis,
        schema_version=version,
        schema_expected=expected,
        projection_lag=lag,
    )
    return Response(health, status_code=200 if database else 503)
