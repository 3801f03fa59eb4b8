"""Every answer carries X-Request-ID: the caller's when it sent a valid one, else a new one."""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from litestar.connection import ASGIConnection
    from litestar.types import Message, Scope

# Visible, header-safe and short: ids travel into logs, problem bodies and event metadata.
_VALID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")
_KEY = "jgt.request_id"


def request_id_in(scope: Scope) -> str:
    """The request's id, chosen once: whoever asks first (context, problem, answer) fixes it."""
    state: dict[str, Any] = scope.setdefault("state", {})  # Litestar keeps a plain dict there
    found = state.get(_KEY)
    if isinstance(found, str):
        return found
    sent = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
    chosen = sent if _VALID.match(sent) else secrets.token_hex(8)
    state[_KEY] = chosen
    return chosen


def request_id_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    return request_id_in(connection.scope)


async def send_request_id(message: Message, scope: Scope) -> None:
    """The app's `before_send` hook: it sees every answer, also a 404 of no route."""
    if message["type"] == "http.response.start":
        headers = [h for h in message.get("headers", []) if h[0].lower() != b"x-request-id"]
        headers.append((b"x-request-id", request_id_in(scope).encode()))
        message["headers"] = headers
