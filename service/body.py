"""The request-body gate: a write's body is JSON text that the database and every reader can hold.

It runs as the app's `before_request` hook, after routing and before any route decodes its body
into a struct, so a new route is covered without a line of its own.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from domain._text import storable
from service.problems import ApiError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from litestar import Request

# A required name, title, label or reason: at least one character that is not a space (a
# full-width space 　 is one too). Used as `Annotated[RequiredText, msgspec.Meta(max_length=…)]`.
RequiredText = Annotated[str, msgspec.Meta(pattern=r"\S")]

# A route handler's `opt` key: the route takes multipart/form-data (an upload) and checks its
# parts itself; the gate lets such a body through there, and nowhere else.
MULTIPART = "multipart"
MAX_DEPTH = 32  # our deepest body (activity → participants → item) is 3 levels
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_UTF8 = frozenset({"utf-8", "utf8"})
# Raw C0 controls are not valid JSON; any other unstorable character in a key or string came
# raw (DEL, C1 as UTF-8) or from one of these escapes. A body without them has none.
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_ESCAPES = re.compile(rb"\\(?:[bfr]|u(?:00[0189]|007[fF]|[dD][89a-fA-F]))")
_SHOWN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


async def check_request_body(request: Request[Any, Any, Any]) -> None:
    """Refuses a write whose body is not JSON, not UTF-8, too deep, or holds unstorable text.

    A route that takes no body refuses one. A missing Content-Type is read as JSON. The upload
    route takes multipart/form-data only, and nothing else does.
    """
    if request.method not in _WRITES:
        return
    media_type, options = request.content_type
    if request.route_handler.opt.get(MULTIPART):
        if media_type != "multipart/form-data" or not options.get("boundary"):
            raise ApiError(
                415,
                "unsupported_media_type",
                "上传文件的请求内容应为 multipart/form-data，而不是 {media_type}。",
                "An upload's body must be multipart/form-data, not {media_type}.",
                media_type=request.headers.get("content-type", ""),
            )
        return  # unread: the route reads its parts as they stream in
    body = await request.body()  # Litestar keeps it for the route's own decoding
    if not body:
        return
    if "data" not in request.route_handler.parsed_fn_signature.parameters:
        raise ApiError(
            400,
            "unexpected_body",
            "此操作不接受请求内容，请不带内容重新发送。",
            "This route takes no body; send the request without one.",
        )
    if media_type and not _is_json(media_type, options.get("charset")):
        raise ApiError(
            415,
            "unsupported_media_type",
            "请求内容应为 UTF-8 编码的 JSON（Content-Type: application/json），"
            "而不是 {media_type}。",
            "The body must be UTF-8 JSON (Content-Type: application/json), not {media_type}.",
            media_type=request.headers.get("content-type", ""),
        )
    check_body(body)


def _is_json(media_type: str, charset: str | None) -> bool:
    json_type = media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )
    return json_type and (charset is None or charset.lower() in _UTF8)


def check_body(body: bytes) -> None:
    """Refuses, as a 400 problem naming the place, a body that is not storable JSON.

    Not UTF-8, not JSON, an object with a key twice, nesting deeper than `MAX_DEPTH`, or a key
    or string that `domain._text.storable` refuses.
    """
    try:
        text = body.decode()
    except UnicodeDecodeError as error:
        raise ApiError(
            400,
            "invalid_utf8",
            "请求内容不是有效的 UTF-8 文本（第 {position} 字节）。",
            "The body is not valid UTF-8 text (at byte {position}).",
            position=error.start,
        ) from None
    try:
        value = _parsed(text, _DECODER)
    except _DuplicateKeyError:  # parse again, keeping the object, to name where it is
        _refuse(_parsed(text, _MARKING_DECODER), texts=True)
        raise  # not reached: the marked object is refused
    if _maybe_unstorable(body):
        _refuse(value, texts=True)
    # Fewer containers than the limit cannot nest deeper than it: most bodies end here.
    elif body.count(b"[") + body.count(b"{") > MAX_DEPTH and _deeper_than_limit(value):
        _refuse(value, texts=False)


def _deeper_than_limit(value: object) -> bool:
    """Level by level, so a body of thousands of objects costs a comprehension, not a call each."""
    level = [value] if type(value) in _CONTAINERS else []
    for _ in range(MAX_DEPTH):
        level = [
            item
            for container in level
            for item in (container.values() if type(container) is dict else container)  # type: ignore[attr-defined] # a list
            if type(item) in _CONTAINERS
        ]
        if not level:
            return False
    return True


def _parsed(text: str, decoder: json.JSONDecoder) -> object:
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as error:
        raise ApiError(
            400,
            "malformed_request",
            "请求内容不是有效的 JSON：{error}",
            "The body is not valid JSON: {error}",
            error=f"{error.msg} (line {error.lineno}, column {error.colno})",
        ) from None
    except RecursionError:  # far deeper than MAX_DEPTH
        raise _too_deep("") from None


def _maybe_unstorable(body: bytes) -> bool:
    """False when no key or string can hold an unstorable character: most bodies, found fast."""
    return (
        b"\x7f" in body
        or (b"\xc2" in body and _C1.search(body) is not None)
        or (b"\\" in body and _ESCAPES.search(body) is not None)
    )


def _refuse(value: object, *, texts: bool) -> None:
    try:
        _walk(value, 0, texts=texts)
    except _RefusedError as refused:
        raise refused.problem(_path(reversed(refused.path))) from None


class _DuplicateKeyError(Exception):
    pass


class _DuplicatedKeys(dict[str, Any]):
    """An object that named `key` more than once (JSON parsers keep the last; we refuse)."""

    key: str


_CONTAINERS = frozenset({list, dict, _DuplicatedKeys})


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _DuplicateKeyError
    return found


def _marked(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    duplicated, seen = _DuplicatedKeys(found), set()
    for key, _ in pairs:
        if key in seen:
            duplicated.key = key
            break
        seen.add(key)
    return duplicated


def _no_constant(name: str) -> None:
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


_DECODER = json.JSONDecoder(object_pairs_hook=_unique, parse_constant=_no_constant)
_MARKING_DECODER = json.JSONDecoder(object_pairs_hook=_marked, parse_constant=_no_constant)


class _RefusedError(Exception):
    """Raised deep in a body; each level adds its step to `path` on the way out."""

    def __init__(self, reason: str, key: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.key = reason, key
        self.path: list[str | int] = [] if key is None else [key]

    def problem(self, field: str) -> ApiError:
        if self.reason == "duplicate_key":
            return ApiError(
                400,
                "duplicate_key",
                "字段 {field} 在同一对象中出现了不止一次。",
                "The field {field} appears more than once in the same object.",
                field=field,
            )
        if self.reason == "too_deep":
            return _too_deep(field)
        return ApiError(
            400,
            "unstorable_text",
            "{field} 含有不能保存的字符：控制字符（换行和制表符除外）"
            "或孤立的代理字符（如 \\ud800）。",
            "{field} holds characters that cannot be stored: a control character (but newline"
            " and tab) or a lone surrogate (like \\ud800).",
            field=field or "$",
        )


def _too_deep(field: str) -> ApiError:
    return ApiError(
        400,
        "too_deep",
        "请求内容嵌套超过 {limit} 层（{field}）。",
        "The body is nested deeper than {limit} levels (at {field}).",
        limit=MAX_DEPTH,
        field=field or "$",
    )


def _walk(value: object, depth: int, *, texts: bool) -> None:
    """Checks `value` and what it holds (its strings and keys too with `texts`).

    The path to a refusal is built on the way out, so a body that passes pays nothing for it.
    """
    if type(value) is str:
        if not storable(value):
            raise _RefusedError("unstorable_text")
        return
    if depth >= MAX_DEPTH:
        raise _RefusedError("too_deep")
    if type(value) is _DuplicatedKeys:
        raise _RefusedError("duplicate_key", key=value.key)
    steps = value.items() if isinstance(value, dict) else enumerate(value)  # type: ignore[arg-type] # a container
    for step, item in steps:
        if texts and type(step) is str and not storable(step):
            raise _RefusedError("unstorable_text", key=step)
        if type(item) in _CONTAINERS or (texts and type(item) is str):
            try:
                _walk(item, depth + 1, texts=texts)
            except _RefusedError as refused:
                refused.path.append(step)
                raise


def _path(steps: Iterable[str | int]) -> str:
    """`participants[2].name`, as msgspec names fields; unstorable characters escaped."""
    shown = ""
    for step in steps:
        if isinstance(step, int):
            shown += f"[{step}]"
        else:
            name = _SHOWN.sub(lambda found: f"\\u{ord(found.group()):04x}", step)
            shown += f".{name}" if shown else name
    return shown
