"""Cached read answers given in front of routing, dependencies and guards: a hit costs little.

A hit needs all the full way would check: the bearer token's record in the token cache and
admitting it now (its secret, its expiry, its county not suspended: the cache's second bounds
how late a revocation or suspension is seen, as on the full way), a role the matrix lets call
the route, not an auditor (each of their reads is recorded in the database), and an answer
kept under the county's current token (service/read_cache.py), keyed as the full way keys it.
Anything else (a miss, a token not in the cache, a header given twice) goes the full way,
which answers it as always. The answer's headers are those of the full way: this layer sits
inside the app's `before_send` hooks (request id, Content-Language, Vary) and the metrics and
access log (service/observe.py), which it tells the route and the caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from litestar.enums import ScopeType

from infra.tenancy import Role
from service.access import allowed
from service.context import remember_caller
from service.problems import LANGUAGE_KEY, preferred_language
from service.read_cache import question

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.types import ASGIApp, Receive, Scope, Send

    from infra.tenancy import Principal
    from service.services import Services


class CachedReads:
    """Wraps the app's ASGI handler: GETs of cached routes are answered here on a hit."""

    def __init__(self, inner: ASGIApp, app: Litestar) -> None:
        self._inner, self._app = inner, app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["method"] == "GET":
            body = self._cached(scope)
            if body is not None:
                length = str(len(body)).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", length),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
        await self._inner(scope, receive, send)

    def _cached(self, scope: Scope) -> bytes | None:
        services: Services | None = self._app.state.get("services")
        path = scope["path"]
        if services is None or path not in services.read_cache.routes or scope.get("root_path"):
            return None
        headers = _headers(scope)
        if headers is None:
            return None
        principal = _reader(services, headers[0], path)
        current = None if principal is None else services.read_cache.token(principal.tenant_id)
        if principal is None or current is None:
            return None
        lang = preferred_language(headers[1].decode("latin-1"))
        try:
            key = question(scope, principal, lang, current)
        except UnicodeDecodeError:
            return None
        body = services.read_cache.hit(key)
        if body is not None:
            services.read_cache.front_hits += 1
            scope["path_template"] = path  # the route's metrics and access log line
            scope["state"][LANGUAGE_KEY] = lang  # Content-Language and Vary (negotiation.py)
            remember_caller(scope, principal)
        return body


def _headers(scope: Scope) -> tuple[bytes, bytes] | None:
    """Authorization and Accept-Language; None without the one or with either twice."""
    authorization = accept_language = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            if authorization is not None:
                return None  # which one the full way reads is its business
            authorization = value
        elif name == b"accept-language":
            if accept_language is not None:
                return None
            accept_language = value
    if authorization is None:
        return None
    return authorization, accept_language or b""


def _reader(services: Services, authorization: bytes, path: str) -> Principal | None:
    """The caller if its token is cached and admitted, and its role may read here on this path.

    Auditors take the full way: each of their reads is recorded in the database.
    """
    scheme, _, token = authorization.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer":
        return None
    principal = services.auth.cached(token.strip())
    if principal is None or principal.role is Role.AUDITOR:
        return None
    return principal if principal.role in allowed("GET", path) else None


def cached_reads(app: Litestar) -> None:
    """Puts the cheap path of cached reads in front of `app`'s routing."""
    app.asgi_handler = CachedReads(app.asgi_handler, app)
