"""Who is asking: the bearer token's county, role and school, resolved once per request."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from litestar import Request  # noqa: TC002 - Litestar reads the annotation at runtime
from litestar.di import NamedDependency

from infra.db import set_tenant
from infra.event_store import WriteContext
from infra.tenancy import Principal, Role, TokenError, authenticate
from service.problems import ApiError, language
from service.services import Shared  # noqa: TC001 - Litestar reads the annotation at runtime

if TYPE_CHECKING:
    from uuid import UUID

    from infra.db import Connection


@dataclass(frozen=True)
class RequestContext:
    """The authenticated caller of one request."""

    principal: Principal
    request_id: str
    lang: str

    @property
    def tenant_id(self) -> UUID:
        return self.principal.tenant_id

    @property
    def actor_id(self) -> UUID:
        return self.principal.token_id

    @property
    def role(self) -> Role:
        return self.principal.role

    @property
    def school_id(self) -> UUID | None:
        return self.principal.school_id

    def require(self, *roles: Role) -> None:
        """Refuses the request (403) unless the caller has one of `roles`."""
        if self.role not in roles:
            raise ApiError(
                403,
                "forbidden",
                "角色 {role} 无权执行此操作（需要：{allowed}）。",
                "Role {role} may not do this (needs: {allowed}).",
                role=self.role.value,
                allowed=", ".join(r.value for r in roles),
            )

    def writing(self, *, idempotency_key: str | None, fingerprint: bytes) -> WriteContext:
        return WriteContext(
            tenant_id=self.tenant_id,
            actor_id=self.actor_id,
            role=self.role.value,
            request_id=self.request_id,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
        )


def not_authenticated(reason_zh: str, reason_en: str) -> ApiError:
    return ApiError(401, "not_authenticated", reason_zh, reason_en)


async def provide_context(request: Request[Any, Any, Any], services: Shared) -> RequestContext:
    """Authenticates the bearer token; an auditor's read is recorded in the same transaction."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise not_authenticated(
            "缺少访问令牌：请在 Authorization 头中提供 Bearer 令牌。",
            "Missing token: send `Authorization: Bearer <token>`.",
        )
    request_id = request.headers.get("x-request-id") or secrets.token_hex(8)
    async with services.pool.acquire() as conn, conn.transaction():
        try:
            principal = await authenticate(conn, token.strip())
        except TokenError as error:
            raise not_authenticated(
                "访问令牌无效或已被吊销。", "The token is not valid or was revoked."
            ) from error
        if principal.role is Role.AUDITOR:
            await record_read(conn, principal, request)
    return RequestContext(principal=principal, request_id=request_id[:64], lang=language(request))


async def record_read(
    conn: Connection, principal: Principal, request: Request[Any, Any, Any]
) -> None:
    await set_tenant(conn, principal.tenant_id)
    await conn.execute(
        "insert into audit_reads (tenant_id, actor_id, method, path, query)"
        " values ($1, $2, $3, $4, $5)",
        principal.tenant_id,
        principal.token_id,
        request.method,
        request.url.path,
        request.url.query or "",
    )


# How a route asks for its caller.
Caller = NamedDependency[RequestContext]
