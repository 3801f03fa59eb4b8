"""Every answer counted and timed by route template, and one access log line per request.

Wrapped around the app's ASGI handler (outside Litestar's exception handling, inside its
`before_send` hooks), so it sees every answer: a 404 of no route, a 401 of the guard, a 500.
The line names the route template, never the path (ids) or the query (it may hold a cursor or
a secret), nor any header or body.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from litestar.enums import ScopeType
from prometheus_client import Counter, Histogram

from service.context import caller_in
from service.request_id import request_id_in

if TYPE_CHECKING:
    from litestar import Litestar
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

LABELS = ["method", "route", "status"]
REQUESTS = Counter(
    "jgt_http_requests", "Answered requests, by method, route template and status.", LABELS
)
DURATION = Histogram(
    "jgt_http_request_duration_seconds",
    "From a request's arrival to its answer's last byte, by method, route template and status.",
    LABELS,
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
NO_ROUTE = "unmatched"  # a 404 of no route: its path is the caller's, not a label
# Any other method (a client may send any token) is counted as one: labels stay few.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

log = logging.getLogger("jgt.access")


def observe(app: Litestar, *, metrics: bool, access_log: bool) -> None:
    """Wraps `app`'s handler with the request metrics and/or the access log."""
    if metrics or access_log:
        app.asgi_handler = _Observed(app.asgi_handler, metrics=metrics, access_log=access_log)


class _Observed:
    def __init__(self, inner: ASGIApp, *, metrics: bool, access_log: bool) -> None:
        self._inner = inner
        self._metrics, self._access_log = metrics, access_log
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._inner(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless an answer starts

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._inner(scope, receive, sending)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        method = scope.get("method", "")
        method = method if method in _METHODS else "OTHER"
        route = scope.get("path_template") or NO_ROUTE
        if self._metrics:
            key = (method, route, status)
            children = self._children.get(key)
            if children is None:  # a label look-up takes a lock: once per route and status
                labels = (method, route, str(status))
                children = self._children[key] = (
                    REQUESTS.labels(*labels),
                    DURATION.labels(*labels),
                )
            children[0].inc()
            children[1].observe(seconds)
        if self._access_log and log.isEnabledFor(logging.INFO):
            caller = caller_in(scope)
            duration_ms = round(seconds * 1000, 1)
            log.info(
                "%s %s %d %.1f ms",
                method,
                route,
                status,
                duration_ms,
                extra={
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": duration_ms,
                    "request_id": request_id_in(scope),
                    "tenant_id": None if caller is None else str(caller.tenant_id),
                    "role": None if caller is None else caller.role.value,
                },
            )
