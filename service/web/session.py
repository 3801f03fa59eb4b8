"""Who reads a page: the session cookie resolved to the county's user, the role rules, CSRF.

Every page goes through `signed_in` (a guard), which puts the same `RequestContext` in the
connection as a bearer token does, so a page reads through `reading` like the API. Every form
goes through `check_form` (the pages' before-request hook): a urlencoded body of storable text
whose `csrf` field matches the CSRF cookie (double submit; the cookie is SameSite=Strict).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote

from domain._text import storable
from infra.db import tenant_transaction
from infra.logins import Session, SessionCookieError, parse_session_cookie, touch_session
from infra.tenancy import Principal, Role
from service.access import page_roles
from service.context import RequestContext
from service.problems import ApiError
from service.request_id import request_id_of
from service.web.i18n import page_language

if TYPE_CHECKING:
    from litestar import Request
    from litestar.connection import ASGIConnection
    from litestar.handlers.base import BaseRouteHandler

    from service.services import Services

SESSION_COOKIE = "jgt_session"
CSRF_COOKIE = "jgt_csrf"
FORM_LIMIT = 16 * 1024  # a sign-in or a password: far less
FIELD_LIMIT = 256
_STATE_KEY = "jgt_context"  # as service/context.py keeps a bearer token's caller
_SESSION_KEY = "jgt_session"
SIGN_IN = "/app/sign-in"
PASSWORD = "/app/password"  # noqa: S105 - a path, not a secret
_OPEN = {SIGN_IN, "/app/sign-out", PASSWORD}


class SignInRequiredError(Exception):
    """No live session: the page answers with a redirect to the sign-in form."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def sign_in_url(next_path: str) -> str:
    return f"{SIGN_IN}?next={quote(next_path, safe='/')}"


def cookie_secure(services: Services) -> bool:
    return not services.settings.insecure_cookies


async def current_session(
    connection: ASGIConnection[Any, Any, Any, Any], services: Services
) -> Session | None:
    """The live session of the cookie, seen now (once per request)."""
    if _SESSION_KEY in connection.state:
        found: Session | None = connection.state[_SESSION_KEY]
        return found
    session = None
    cookie = connection.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            tenant_id, secret_hash = parse_session_cookie(cookie)
        except SessionCookieError:
            tenant_id = None
        if tenant_id is not None:
            idle = timedelta(minutes=services.settings.session_idle_minutes)
            async with tenant_transaction(services.pool, tenant_id) as conn:
                session = await touch_session(conn, tenant_id, secret_hash, idle)
    connection.state[_SESSION_KEY] = session
    return session


def context_of(connection: ASGIConnection[Any, Any, Any, Any], session: Session) -> RequestContext:
    # A person reads a page: the audit record names the user as the actor.
    principal = Principal(
        session.tenant_id,
        session.user_id,
        session.role,
        session.school_id,
        session.name,
        session.user_id,
    )
    return RequestContext(
        principal=principal,
        request_id=request_id_of(connection),
        method=str(connection.scope.get("method", "")),
        path=connection.url.path,
        query=connection.url.query or "",
        connection=connection,
        page_lang=page_language(connection),
    )


async def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """The guard of every page but the sign-in form: a live session whose role may see it."""
    path = connection.scope["path_template"]
    if path in {SIGN_IN, "/app/static/{file_path}"}:
        return
    services: Services = connection.app.state.services
    session = await current_session(connection, services)
    if session is None:
        raise SignInRequiredError(sign_in_url(connection.url.path))
    if session.must_change and path not in _OPEN:
        raise SignInRequiredError(PASSWORD)
    connection.state[_STATE_KEY] = context_of(connection, session)
    if session.role not in page_roles(path):
        raise ApiError(
            403,
            "forbidden",
            "角色 {role} 无权查看此页。",
            "Role {role} may not see this page.",
            role=session.role.value,
        )


def read_only(role: Role) -> bool:
    """Supervisors and auditors read; the pages hold no form that changes records anyway."""
    return role in {Role.SUPERVISOR, Role.AUDITOR}


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def bad_form(reason_zh: str, reason_en: str) -> ApiError:
    return ApiError(400, "bad_form", reason_zh, reason_en)


async def check_form(request: Request[Any, Any, Any]) -> None:
    """Every POST of the pages: a small urlencoded form of storable text with the CSRF token."""
    if request.method != "POST":
        return
    media_type, _ = request.content_type
    if media_type != "application/x-www-form-urlencoded":
        raise ApiError(
            415,
            "unsupported_media_type",
            "表单应以 application/x-www-form-urlencoded 提交。",
            "A form is sent as application/x-www-form-urlencoded.",
        )
    body = await request.body()
    if len(body) > FORM_LIMIT:
        raise bad_form("表单内容过大。", "The form is too large.")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body))
    except (UnicodeDecodeError, ValueError) as error:
        raise bad_form(
            "表单不是 UTF-8 编码的表单内容。", "The form is not UTF-8 form data."
        ) from error
    form: dict[str, str] = {}
    for key, value in pairs:
        if key in form:
            raise bad_form("表单字段重复。", "A form field appears twice.")
        if not (storable(key) and storable(value)) or len(value) > FIELD_LIMIT:
            raise bad_form(
                "表单含有不能保存的字符或过长的内容。",
                "The form holds characters that cannot be stored, or too long a value.",
            )
        form[key] = value
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(form.get("csrf", ""), cookie):
        raise ApiError(
            403,
            "csrf_failed",
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。",
            "The form is stale or came from elsewhere (CSRF check failed); reload and retry.",
        )
    request.state["form"] = form


def form_of(request: Request[Any, Any, Any]) -> dict[str, str]:
    form: dict[str, str] = request.state["form"]
    return form
