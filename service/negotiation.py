"""Answers written in the asked language say which, and that they vary with Accept-Language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.problems import LANGUAGE_KEY

if TYPE_CHECKING:
    from litestar.types import Message, Scope

_NO_BODY = {204, 304}


async def send_content_language(message: Message, scope: Scope) -> None:
    """The app's `before_send` hook: `Content-Language` and `Vary` where a label was chosen.

    Whatever asked for the language (a problem, a view with labels, the catalogue) noted it in
    the scope (service/problems.py: `chosen_language`); an answer that never asked, such as the
    token list or a 204, does not depend on it and says nothing.
    """
    if message["type"] != "http.response.start" or message["status"] in _NO_BODY:
        return
    state: dict[str, Any] = scope.get("state", {})
    chosen = state.get(LANGUAGE_KEY)
    if not isinstance(chosen, str):
        return
    headers = [
        (name, value) for name, value in message.get("headers", []) if name.lower() != b"vary"
    ]
    varies = [
        item.strip()
        for name, value in message.get("headers", [])
        if name.lower() == b"vary"
        for item in value.decode("latin-1").split(",")
        if item.strip()
    ]
    if not any(item.lower() == "accept-language" for item in varies):
        varies.append("Accept-Language")
    headers = [(name, value) for name, value in headers if name.lower() != b"content-language"]
    headers += [(b"content-language", chosen.encode()), (b"vary", ", ".join(varies).encode())]
    message["headers"] = headers
