"""RFC 9457 problem details for every failure, in Chinese or English by Accept-Language."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from domain.errors import DomainError
from infra.event_store import (
    AggregateNotFoundError,
    IdempotencyKeyReusedError,
    StreamConflictError,
    UnknownTenantError,
)
from infra.paging import InvalidCursorError
from service.request_id import request_id_of

if TYPE_CHECKING:
    from litestar.connection import ASGIConnection
    from litestar.types import ExceptionHandlersMap, Scope

MEDIA_TYPE = "application/problem+json"
_log = logging.getLogger("jiaogongti")


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    message: str


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An RFC 9457 problem: `type` is stable per kind of problem, `code` is its short name."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    request_id: str | None = None  # the X-Request-ID of the answer, to quote to the operator
    errors: list[FieldError] = []
    params: dict[str, str] = {}


class ApiError(Exception):
    """A problem the service raises itself (authentication, permissions, bad headers)."""

    def __init__(self, status: int, code: str, zh: str, en: str, **params: object) -> None:
        super().__init__(en)
        self.status, self.code, self.zh, self.en = status, code, zh, en
        self.params = {k: str(v) for k, v in params.items()}
        self.headers: dict[str, str] = {}  # e.g. Retry-After on a 429


# Where a request notes the language its answer was written in: see service/negotiation.py.
LANGUAGE_KEY = "jgt.language"


def language(request: ASGIConnection[Any, Any, Any, Any]) -> str:
    """`en` when the client prefers English, else `zh` (the users' first language).

    Asking is what makes an answer depend on the language: it then says so in its headers.
    """
    return chosen_language(request.scope, request.headers.get("accept-language", ""))


def chosen_language(scope: Scope, header: str) -> str:
    """The language of `header`, noted in the request's scope for the answer's headers."""
    chosen = preferred_language(header)
    state: dict[str, Any] = scope.setdefault("state", {})  # Litestar keeps a plain dict there
    state[LANGUAGE_KEY] = chosen
    return chosen


def preferred_language(header: str) -> str:
    """The best of `zh` and `en` by the header's q-values (RFC 9110 12.5.4); `zh` on a tie."""
    best, best_q = "zh", 0.0
    for item in header.split(","):
        tag, _, rest = item.strip().lower().partition(";")
        q = 1.0
        if rest.strip().startswith("q="):
            try:
                q = float(rest.strip()[2:])
            except ValueError:
                q = 0.0  # an unreadable weight does not count
        lang = "en" if tag.startswith("en") else "zh" if tag.startswith("zh") else None
        if lang is not None and q > best_q:
            best, best_q = lang, q
    return best


_TITLES: dict[int, tuple[str, str]] = {
    400: ("请求有误", "Bad request"),
    401: ("未通过身份验证", "Not authenticated"),
    403: ("无权执行此操作", "Not allowed"),
    404: ("未找到", "Not found"),
    405: ("不支持此方法", "Method not allowed"),
    409: ("与当前状态冲突", "Conflict with the current state"),
    413: ("请求内容过大", "Request too large"),
    415: ("不支持的内容类型", "Unsupported media type"),
    422: ("无法处理的内容", "Unprocessable content"),
    429: ("请求过于频繁", "Too many requests"),
    500: ("服务器内部错误", "Internal server error"),
    503: ("服务暂不可用", "Service unavailable"),
}


def title_of(status: int, lang: str) -> str:
    zh, en = _TITLES.get(status, _TITLES[500] if status >= 500 else _TITLES[400])  # noqa: PLR2004
    return en if lang == "en" else zh


def problem_type(code: str) -> str:
    return f"urn:jiaogongti:problem:{code}"


def problem_response(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    detail: str,
    errors: list[FieldError] | None = None,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    problem = Problem(
        type=problem_type(code),
        title=title_of(status, language(request)),
        status=status,
        detail=detail,
        code=code,
        instance=request.url.path,
        request_id=request_id_of(request),
        errors=errors or [],
        params=params or {},
    )
    return Response(problem, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _localised(request: Request[Any, Any, Any], zh: str, en: str) -> str:
    return en if language(request) == "en" else zh


def on_domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[Problem]:
    return problem_response(
        request,
        status=error.status,
        code=error.code,
        detail=error.message(language(request)),
        params=error.params,
    )


def on_api_error(request: Request[Any, Any, Any], error: ApiError) -> Response[Problem]:
    detail = _localised(request, error.zh, error.en).format(**error.params)
    field = error.params.get("field")  # listed as validation problems list theirs
    return problem_response(
        request,
        status=error.status,
        code=error.code,
        detail=detail,
        errors=None if field is None else [FieldError(field=field, message=detail)],
        params=error.params,
        headers=error.headers or None,
    )


def on_conflict(request: Request[Any, Any, Any], error: StreamConflictError) -> Response[Problem]:
    detail = _localised(
        request,
        "记录已被他人修改：当前版本为 {actual}，而请求基于版本 {expected}。请重新读取后再提交。",
        "The record changed meanwhile: it is at version {actual}, the request was based on"
        " version {expected}. Read it again and retry.",
    ).format(actual=error.actual, expected=error.expected)
    return problem_response(
        request,
        status=409,
        code="version_conflict",
        detail=detail,
        params={"expected": str(error.expected), "actual": str(error.actual)},
        headers={"ETag": f'"{error.actual}"'},
    )


def on_key_reused(
    request: Request[Any, Any, Any], error: IdempotencyKeyReusedError
) -> Response[Problem]:
    detail = _localised(
        request,
        "幂等键 {key} 已用于另一个不同的请求；新请求请使用新的幂等键。",
        "Idempotency key {key} was already used for a different request; use a new key.",
    ).format(key=error.key)
    return problem_response(
        request, status=422, code="idempotency_key_reused", detail=detail, params={"key": error.key}
    )


def on_not_found(
    request: Request[Any, Any, Any], error: AggregateNotFoundError | UnknownTenantError
) -> Response[Problem]:
    del error  # the path names what was asked for; the id is not echoed
    detail = _localised(request, "未找到所请求的记录。", "No such record.")
    return problem_response(request, status=404, code="not_found", detail=detail)


_MSGSPEC_ZH = [
    (re.compile(r"Object contains unknown field `(.+)`"), "包含未知字段 `{0}`"),
    (re.compile(r"Object missing required field `(.+)`"), "缺少必填字段 `{0}`"),
    (re.compile(r"Expected `(.+)`, got `(.+)`"), "应为 `{0}` 类型，实际为 `{1}`"),
    (re.compile(r"Expected `str` of length <= (\d+)"), "文字长度不能超过 {0}"),
    (re.compile(r"Expected `str` of length >= (\d+)"), "文字长度不能少于 {0}"),
    (re.compile(r"Expected `array` of length <= (\d+)"), "列表最多 {0} 项"),
    (re.compile(r"Expected `array` of length >= (\d+)"), "列表至少 {0} 项"),
    (re.compile(r"Expected `int` <= (-?\d+)"), "数值不能大于 {0}"),
    (re.compile(r"Expected `int` >= (-?\d+)"), "数值不能小于 {0}"),
    (re.compile(r"Invalid enum value (.+)"), "不是可选的代码之一：{0}"),
    (re.compile(r"Invalid RFC3339 encoded date"), "不是有效的日期（格式 YYYY-MM-DD）"),
    (re.compile(r"Invalid UUID"), "不是有效的 UUID"),
    (re.compile(r"Expected `str` matching regex (.+)"), "格式不符：{0}"),
]
_AT = re.compile(r"^(.*?) - at `\$(.*)`$")
# How msgspec words a miss of RequiredText's pattern (service/body.py): say what it means.
_BLANK = r"Expected `str` matching regex '\\S'"


def _field_error(item: dict[str, Any], lang: str) -> FieldError:
    message, field = str(item.get("message", "")), str(item.get("key") or "")
    located = _AT.match(message)
    if located:  # nested: msgspec names the path inside the body
        message, path = located.groups()
        field = path.lstrip(".") or field
    if field == "data":
        field = ""
    if message == _BLANK:
        message = "不能为空白" if lang == "zh" else "must not be blank"
    if lang == "zh":
        for pattern, template in _MSGSPEC_ZH:
            found = pattern.fullmatch(message)
            if found:
                message = template.format(*found.groups())
                break
    return FieldError(field=field, message=message)


def on_validation(request: Request[Any, Any, Any], error: ValidationException) -> Response[Problem]:
    lang = language(request)
    extra = error.extra if isinstance(error.extra, list) else []
    errors = [_field_error(item, lang) for item in extra if isinstance(item, dict)]
    detail = _localised(
        request,
        "请求内容不合格，未保存任何内容："
        + "；".join(f"{e.field} {e.message}".strip() for e in errors),
        "The request is not valid and nothing was stored: "
        + "; ".join(f"{e.field} {e.message}".strip() for e in errors),
    )
    return problem_response(
        request, status=400, code="invalid_request", detail=detail, errors=errors
    )


_HTTP_CODES = {
    400: "malformed_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    415: "unsupported_media_type",
}


def on_http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Problem]:
    status = error.status_code
    code = _HTTP_CODES.get(status, "http_error")
    if status == 413:  # noqa: PLR2004
        detail = _localised(
            request,
            "请求内容超过允许的大小，未保存任何内容。",
            "The request body is too large; nothing was stored.",
        )
    elif status == 400:  # noqa: PLR2004 - litestar's malformed JSON
        detail = _localised(
            request, "请求内容不是有效的 JSON：", "The body is not valid JSON: "
        ) + str(error.detail)
    else:
        detail = str(error.detail)
    return problem_response(request, status=status, code=code, detail=detail)


def on_bad_cursor(request: Request[Any, Any, Any], error: InvalidCursorError) -> Response[Problem]:
    del error
    detail = _localised(
        request,
        "分页游标无效：请使用上一页返回的 next_cursor，或不带 cursor 从第一页开始。",
        "The cursor is not valid: pass the previous page's next_cursor, or none for page one.",
    )
    return problem_response(request, status=400, code="bad_cursor", detail=detail)


def on_unexpected(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    _log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    detail = _localised(
        request,
        "服务器出错，请稍后重试；如持续出现请联系管理员。",
        "Something went wrong on our side; try again later.",
    )
    return problem_response(request, status=500, code="internal_error", detail=detail)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: on_domain_error,
    ApiError: on_api_error,
    StreamConflictError: on_conflict,
    IdempotencyKeyReusedError: on_key_reused,
    AggregateNotFoundError: on_not_found,
    UnknownTenantError: on_not_found,
    InvalidCursorError: on_bad_cursor,
    ValidationException: on_validation,
    HTTPException: on_http_error,
    Exception: on_unexpected,
}
