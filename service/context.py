"""Who is asking: the bearer token's county, role and school, resolved once per request."""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from litestar import Request  # noqa: TC002 - Litestar reads the annotation at runtime
from litestar.connection import ASGIConnection  # noqa: TC002 - Litestar reads the hints
from litestar.di import NamedDependency

from infra.audit_reads import record_read
from infra.db import tenant_reading
from infra.event_store import WriteContext
from infra.tenancy import Principal, Role
from service.problems import ApiError, language
from service.request_id import request_id_of
from service.services import Shared  # noqa: TC001 - Litestar reads the annotation at runtime

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from uuid import UUID

    from litestar.types import Scope

    from infra.db import Connection
    from service.services import Services


@dataclass(frozen=True)
class RequestContext:
    """The authenticated caller of one request, and what it asked (for the auditors' record)."""

    principal: Principal
    request_id: str
    method: str
    path: str
    query: str
    connection: ASGIConnection[Any, Any, Any, Any] = field(repr=False, compare=False)
    page_lang: str | None = None  # a page's choice (query, cookie, header), else the header's

    @property
    def lang(self) -> str:
        """The answer's language; reading it marks the answer as depending on it."""
        return self.page_lang or language(self.connection)

    @property
    def tenant_id(self) -> UUID:
        return self.principal.tenant_id

    @property
    def actor_id(self) -> UUID:
        return self.principal.token_id

    @property
    def user_id(self) -> UUID | None:
        """The person acting; None for a token issued before tokens belonged to people."""
        return self.principal.user_id

    @property
    def role(self) -> Role:
        return self.principal.role

    @property
    def school_id(self) -> UUID | None:
        return self.principal.school_id

    def writing(self, *, idempotency_key: str | None, fingerprint: bytes) -> WriteContext:
        return WriteContext(
            tenant_id=self.tenant_id,
            actor_id=self.actor_id,
            user_id=self.user_id,
            role=self.role.value,
            request_id=self.request_id,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
        )


def not_authenticated(reason_zh: str, reason_en: str) -> ApiError:
    return ApiError(401, "not_authenticated", reason_zh, reason_en)


async def authenticate_bearer(services: Services, token: str, client: str) -> Principal:
    """The principal of a bearer token, or a 401/403/429 problem: the one place a token is checked.

    From the process's token cache (service/auth.py); failures are throttled per `client`.
    """
    return await services.auth.authenticate(token, client)


_STATE_KEY = "jgt_context"


async def authenticated(connection: ASGIConnection[Any, Any, Any, Any]) -> RequestContext:
    """The caller of this request, authenticated once (the access guard asks first)."""
    found: RequestContext | None = connection.state.get(_STATE_KEY)
    if found is not None:
        return found
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise not_authenticated(
            "缺少访问令牌：请在 Authorization 头中提供 Bearer 令牌。",
            "Missing token: send `Authorization: Bearer <token>`.",
        )
    services: Services = connection.app.state.services
    client = connection.client.host if connection.client else ""
    principal = await authenticate_bearer(services, token.strip(), client)
    ctx = RequestContext(
        principal=principal,
        request_id=request_id_of(connection),
        method=str(connection.scope.get("method", "")),
        path=connection.url.path,
        query=connection.url.query or "",
        connection=connection,
    )
    connection.state[_STATE_KEY] = ctx
    return ctx


_PRINCIPAL_KEY = "jgt.principal"


def remember_caller(scope: Scope, principal: Principal) -> None:
    """Notes the caller of a request answered in front of routing (service/cached_reads.py).

    Only the principal: a context would hold the scope that holds it, a cycle per request
    for the garbage collector to find.
    """
    scope["state"][_PRINCIPAL_KEY] = principal


def caller_in(scope: Scope) -> Principal | None:
    """The request's caller if it was authenticated (for its access log line)."""
    state = scope.get("state") or {}
    found = state.get(_PRINCIPAL_KEY) or state.get(_STATE_KEY)
    if isinstance(found, RequestContext):
        return found.principal
    return found if isinstance(found, Principal) else None


async def provide_context(request: Request[Any, Any, Any], services: Shared) -> RequestContext:
    """The caller; it names `services` only so that Litestar resolves the two in turn.

    Dependencies of one level are resolved in a task group of their own, tasks per request.
    """
    del services
    return await authenticated(request)


@asynccontextmanager
async def reading(services: Services, ctx: RequestContext) -> AsyncIterator[Connection]:
    """The one tenant transaction of a read; an auditor's read is recorded in it."""
    async with tenant_reading(services.pool, ctx.tenant_id) as conn:
        if ctx.role is Role.AUDITOR:
            await record_read(
                conn,
                tenant_id=ctx.tenant_id,
                actor_id=ctx.actor_id,
                user_id=ctx.user_id,
                method=ctx.method,
                path=ctx.path,
                query=ctx.query,
            )
        yield conn


# How a route asks for its caller.
Caller = NamedDependency[RequestContext]
