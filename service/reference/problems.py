"""The problem answers of the reference: which a route can give, each with a real example."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

import msgspec

from domain.errors import DomainError
from infra.tenancy import CountySuspendedError, TokenExpiredError
from service.auth import ThrottledError, not_authenticated, suspended
from service.problems import (
    MEDIA_TYPE,
    ApiError,
    FieldError,
    Problem,
    problem_type,
    title_of,
)
from service.reference.ids import COUNTY

Problematic = ApiError | DomainError

# What each status means here, for every route that may answer it.
MEANING = {
    400: "The request is malformed or not valid (`errors` names the fields); nothing was stored.",
    401: "No token, or one that is not valid, was revoked or has expired.",
    403: "The token's role (or school) may not do this, or its county is suspended.",
    404: "No such record in this county (or an id of the wrong form).",
    409: "The record changed meanwhile (If-Match), or the change conflicts with its state.",
    413: "The body is larger than `JGT_MAX_BODY_BYTES`; nothing was stored.",
    415: "The body is not UTF-8 JSON (`Content-Type`); nothing was stored.",
    422: "The request breaks a rule of the domain; `code` says which. Nothing was stored.",
    410: "What the link named is no longer there to be had (it expired or was used up).",
    412: "A precondition of the request's headers does not hold.",
    428: "The request must say which version it is based on (If-Match).",
    429: "Too many requests from this address; wait `Retry-After` seconds.",
}

EXAMPLE_REQUEST_ID = "4f9c2a7d1e3b5a60"
_EXAMPLE_ID = "0b3e5f2a-6c1d-4e8f-9a7b-2d4c6e8f0a1b"

NOT_AUTHENTICATED = ApiError(
    401,
    "not_authenticated",
    "缺少访问令牌：请在 Authorization 头中提供 Bearer 令牌。",
    "Missing token: send `Authorization: Bearer <token>`.",
)
FORBIDDEN = ApiError(
    403,
    "forbidden",
    "角色 {role} 无权执行此操作（需要：{allowed}）。",
    "Role {role} may not do this (needs: {allowed}).",
    role="supervisor",
    allowed="admin",
)
TOKEN_EXPIRED = not_authenticated(TokenExpiredError())
SUSPENDED = suspended(CountySuspendedError(COUNTY))
NOT_FOUND = ApiError(404, "not_found", "未找到所请求的记录。", "No such record.")
TOO_LARGE = ApiError(
    413,
    "request_too_large",
    "请求内容超过允许的大小，未保存任何内容。",
    "The request body is too large; nothing was stored.",
)
NOT_JSON = ApiError(
    415,
    "unsupported_media_type",
    "请求内容应为 UTF-8 编码的 JSON（Content-Type: application/json），而不是 {media_type}。",
    "The body must be UTF-8 JSON (Content-Type: application/json), not {media_type}.",
    media_type="text/plain",
)
UNEXPECTED_BODY = ApiError(
    400,
    "unexpected_body",
    "此操作不接受请求内容，请不带内容重新发送。",
    "This route takes no body; send the request without one.",
)
VERSION_CONFLICT = ApiError(
    409,
    "version_conflict",
    "记录已被他人修改：当前版本为 {actual}，而请求基于版本 {expected}。请重新读取后再提交。",
    "The record changed meanwhile: it is at version {actual}, the request was based on"
    " version {expected}. Read it again and retry.",
    expected=2,
    actual=3,
)
KEY_REUSED = ApiError(
    422,
    "idempotency_key_reused",
    "幂等键 {key} 已用于另一个不同的请求；新请求请使用新的幂等键。",
    "Idempotency key {key} was already used for a different request; use a new key.",
    key="lesson-2024-04-15-01",
)
THROTTLED = ThrottledError(retry_after=42)


# Given by many routes alike: described once, named by reference.
SHARED_PROBLEMS = (
    NOT_AUTHENTICATED,
    TOKEN_EXPIRED,
    FORBIDDEN,
    SUSPENDED,
    THROTTLED,
    NOT_FOUND,
    TOO_LARGE,
    NOT_JSON,
    UNEXPECTED_BODY,
    VERSION_CONFLICT,
    KEY_REUSED,
)
_WRONG_TYPE = "应为 `str` 类型，实际为 `int`"


def invalid(field: str) -> ApiError:
    """A 400 of the kind `on_validation` answers, naming `field`."""
    return ApiError(
        400,
        "invalid_request",
        "请求内容不合格，未保存任何内容：{field} " + _WRONG_TYPE,
        "The request is not valid and nothing was stored: {field} Expected `str`, got `int`",
        field=field,
    )


def example(error: Problematic, instance: str | None) -> dict[str, Any]:
    """The problem `error` answers with, in Chinese, as a request to `instance` gets it."""
    if isinstance(error, DomainError):
        detail, params = error.message("zh"), error.params
    else:
        detail, params = error.zh.format(**error.params), error.params
    field = params.get("field")
    errors = [] if field is None else [FieldError(field=field, message=detail)]
    if error.code == "invalid_request":  # as `on_validation` words it: the field, no params
        errors, params = [FieldError(field=field or "", message=_WRONG_TYPE)], {}
    problem = Problem(
        type=problem_type(error.code),
        title=title_of(error.status, "zh"),
        status=error.status,
        detail=detail,
        code=error.code,
        instance=instance,
        request_id=EXAMPLE_REQUEST_ID,
        errors=errors,
        params=params,
    )
    return msgspec.to_builtins(problem)  # type: ignore[no-any-return]


def example_path(template: str) -> str:
    """A path as a request names it: each `{x_id}` an id of the right form."""
    return re.sub(r"\{(\w+)\}", lambda m: "42" if "notification" in m[1] else _EXAMPLE_ID, template)


def _header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}


# Headers every operation names, once in `components.headers`, by reference in each answer.
SHARED_HEADERS = {
    "X-Request-ID": _header(
        "The caller's `X-Request-ID` when it sent a valid one (1 to 64 of `A-Za-z0-9._:-`), else"
        " a new one; quote it to the operator."
    ),
    "Content-Language": _header(
        "`zh` or `en`: the language of the labels and messages, when the answer holds any"
    ),
    "Vary": _header("`Accept-Language`: the answer depends on it"),
}
REQUEST_ID, CONTENT_LANGUAGE, VARY = (
    {"$ref": f"#/components/headers/{name}"} for name in SHARED_HEADERS
)


def problem_answer(status: int, errors: list[Problematic], path: str) -> dict[str, Any]:
    """The OpenAPI response of one problem status, with an example of each error."""
    headers = {
        "X-Request-ID": REQUEST_ID,
        "Content-Language": CONTENT_LANGUAGE,
        "Vary": VARY,
    }
    if status == 409:  # noqa: PLR2004
        headers["ETag"] = _header('The version the record is at now, e.g. `"3"`')
    if status == 429:  # noqa: PLR2004
        headers["Retry-After"] = _header("Seconds until this address may try again")
    instance = example_path(path)
    return {
        "description": MEANING.get(status, HTTPStatus(status).phrase),
        "headers": headers,
        "content": {
            MEDIA_TYPE: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "examples": {
                    error.code: {"$ref": f"#/components/examples/{error.code}"}
                    if _shared(error)
                    else {"summary": error.code, "value": example(error, instance)}
                    for error in errors
                },
            }
        },
    }


def _shared(error: Problematic) -> bool:
    return any(error is found for found in SHARED_PROBLEMS)


def shared_examples() -> dict[str, Any]:
    """The problems many routes give, once in `components.examples` (without `instance`)."""
    return {e.code: {"summary": e.code, "value": example(e, None)} for e in SHARED_PROBLEMS}


def problem_schemas() -> dict[str, Any]:
    """The JSON Schemas of `Problem` and `FieldError`, as components."""
    _, components = msgspec.json.schema_components(
        (Problem,), ref_template="#/components/schemas/{name}"
    )
    return components
