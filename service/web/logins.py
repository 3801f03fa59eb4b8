"""Signing in and out, and changing one's password: argon2id hashes, throttled failures."""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from infra.db import tenant_transaction
from infra.logins import (
    USERNAME,
    change_password,
    end_session,
    end_sessions,
    find_credential,
    new_session_secret,
    parse_session_cookie,
    start_session,
)
from service.auth import ThrottledError
from service.services import Services, Shared
from service.web.i18n import page_language, word
from service.web.render import render
from service.web.session import (
    SESSION_COOKIE,
    SIGN_IN,
    cookie_secure,
    current_session,
    form_of,
)

PASSWORD_MIN = 10
_HASHER = PasswordHasher()


@cache
def _dummy_hash() -> str:
    # Checked against when the username is unknown, so both cost the same time.
    return _HASHER.hash("no such user: this never matches")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def password_matches(password_hash: str | None, password: str) -> bool:
    """Checked in a thread: a hash takes tens of milliseconds of CPU."""
    matched = await asyncio.to_thread(_matches, password_hash or _dummy_hash(), password)
    return matched and password_hash is not None


def _safe_next(target: str) -> str:
    # Only a page of ours: never another site (`//evil`, `/\evil`) after signing in.
    if target.startswith("/app") and not target.startswith(("//", "/\\")) and "\\" not in target:
        return target
    return "/app"


def _client(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


@get(SIGN_IN, name="sign_in_form", sync_to_thread=False)
def sign_in_form(request: Request[Any, Any, Any], services: Shared) -> Template:
    return _form(request, services, message=None, status=200)


def _form(
    request: Request[Any, Any, Any], services: Services, *, message: str | None, status: int
) -> Template:
    query = request.query_params
    form = request.state.get("form", {})
    return render(
        request,
        services,
        "sign_in.html",
        status=status,
        message=message,
        county=form.get("county") or query.get("county", ""),
        username=form.get("username", ""),
        next=_safe_next(form.get("next") or query.get("next", "/app")),
    )


@post(SIGN_IN, name="sign_in", status_code=303)
async def sign_in(request: Request[Any, Any, Any], services: Shared) -> Response[Any]:
    form, lang, client = form_of(request), page_language(request), _client(request)
    throttle = services.login_throttle
    try:
        await throttle.refuse_if_throttled(client)
    except ThrottledError as error:
        return _throttled(request, services, error)
    username = form.get("username", "").strip().lower()
    try:
        tenant_id: UUID | None = UUID(form.get("county", "").strip())
    except ValueError:
        tenant_id = None
    credential = None
    if tenant_id is not None and USERNAME.match(username):
        async with tenant_transaction(services.pool, tenant_id) as conn:
            credential = await find_credential(conn, tenant_id, username)
    password = form.get("password", "")
    hashed = None if credential is None else credential.password_hash
    if tenant_id is None or credential is None or not await password_matches(hashed, password):
        try:
            await throttle.failed(client)
        except ThrottledError as error:
            return _throttled(request, services, error)
        return _form(request, services, message=word("bad_login", lang), status=401)
    cookie, secret_hash = new_session_secret(tenant_id)
    async with tenant_transaction(services.pool, tenant_id) as conn:
        await start_session(conn, tenant_id, credential.user_id, secret_hash)
    target = "/app/password" if credential.must_change else _safe_next(form.get("next", "/app"))
    return Redirect(target, status_code=303, cookies=[_session_cookie(services, cookie)])


def _throttled(
    request: Request[Any, Any, Any], services: Services, error: ThrottledError
) -> Template:
    message = word("throttled", page_language(request), retry_after=error.params["retry_after"])
    answer = _form(request, services, message=message, status=429)
    answer.headers["Retry-After"] = error.headers["Retry-After"]
    return answer


def _session_cookie(services: Services, value: str, *, max_age: int | None = None) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=value,
        path="/app",
        httponly=True,
        secure=cookie_secure(services),
        samesite="lax",
        max_age=max_age,
    )


@post("/app/sign-out", name="sign_out", status_code=303)
async def sign_out(request: Request[Any, Any, Any], services: Shared) -> Redirect:
    cookie = request.cookies.get(SESSION_COOKIE, "")
    tenant_id, secret_hash = parse_session_cookie(cookie)  # the guard found it live
    async with tenant_transaction(services.pool, tenant_id) as conn:
        await end_session(conn, tenant_id, secret_hash)
    gone = _session_cookie(services, "", max_age=0)
    return Redirect(SIGN_IN, status_code=303, cookies=[gone])


@get("/app/password", name="password_form")
async def password_form(request: Request[Any, Any, Any], services: Shared) -> Template:
    return await _password_page(request, services, message=None, status=200)


async def _password_page(
    request: Request[Any, Any, Any], services: Services, *, message: str | None, status: int
) -> Template:
    session = await current_session(request, services)
    return render(
        request,
        services,
        "password.html",
        status=status,
        message=message,
        must_change=session is not None and session.must_change,
        min=PASSWORD_MIN,
    )


@post("/app/password", name="password", status_code=303)
async def password(request: Request[Any, Any, Any], services: Shared) -> Response[Any]:
    form, lang = form_of(request), page_language(request)
    session = await current_session(request, services)
    assert session is not None  # noqa: S101 - the guard let only a live session in
    tenant_id = session.tenant_id
    async with tenant_transaction(services.pool, tenant_id) as conn:
        credential = await find_credential(conn, tenant_id, session.username)
    current, new = form.get("current", ""), form.get("new", "")
    hashed = None if credential is None else credential.password_hash
    if not await password_matches(hashed, current):
        try:
            await services.login_throttle.failed(_client(request))
        except ThrottledError as error:
            return _throttled(request, services, error)
        return await _password_page(
            request, services, message=word("wrong_password", lang), status=400
        )
    if len(new) < PASSWORD_MIN or new != form.get("repeat") or new == current:
        message = word("password_rules", lang, min=PASSWORD_MIN)
        return await _password_page(request, services, message=message, status=400)
    new_hash = await asyncio.to_thread(hash_password, new)
    async with tenant_transaction(services.pool, tenant_id) as conn:
        await change_password(conn, tenant_id, session.user_id, new_hash)
        await end_sessions(conn, tenant_id, session.user_id, but=session.secret_hash)
    return Redirect("/app", status_code=303)
