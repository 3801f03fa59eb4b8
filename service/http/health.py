"""Liveness and readiness: the database, Redis and the schema version."""

from __future__ import annotations

import msgspec
from litestar import get
from litestar.response import Response

from infra.migrate import available, schema_version
from service.services import Shared


class Health(msgspec.Struct, frozen=True, kw_only=True):
    status: str  # "ok" or "degraded"
    database: bool
    redis: bool
    schema_version: int
    schema_expected: int


@get("/healthz", tags=["health"], summary="Service health", exclude_from_auth=True)
async def healthz(services: Shared) -> Response[Health]:
    """Database and Redis reachable, and the schema at the version this build expects.

    503 when the database cannot be reached; Redis being down only delays notifications.
    """
    database, version = False, 0
    try:
        async with services.pool.acquire() as conn:
            version = await schema_version(conn)
            database = True
    except (OSError, ConnectionError, msgspec.ValidationError):
        pass
    redis = False
    if services.redis is not None:
        try:
            redis = bool(await services.redis.ping())
        except (OSError, ConnectionError):
            redis = False
    expected = len(available())
    ok = database and redis and version == expected
    health = Health(
        status="ok" if ok else "degraded",
        database=database,
        redis=redis,
        schema_version=version,
        schema_expected=expected,
    )
    return Response(health, status_code=200 if database else 503)
