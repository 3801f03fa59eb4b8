"""The admin's page of the county's users: add one, give a first password, disable, enable.

Every form is a POST under /app, so the one CSRF check covers it; only admins reach these
routes (PAGES). A new or re-enabled person always gets a first password that must be changed at
the first sign-in; disabling ends the person's sessions and tokens at once, as the API's
deactivation does.
"""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.errors import DomainError
from infra.db import tenant_transaction
from infra.logins import USERNAME, end_sessions, set_credential, sign_ins_of, username_owner
from infra.tenancy import Role
from infra.users import (
    USER_NAME_LIMIT,
    create_user,
    deactivate_user,
    find_user,
    list_users,
    reactivate_user,
)
from projections.community import queries
from service.context import Caller, reading
from service.http.users import check_school_for
from service.problems import ApiError
from service.services import Shared
from service.web.i18n import word
from service.web.logins import PASSWORD_MIN, hash_password
from service.web.pages_county import ALL
from service.web.render import render
from service.web.session import form_of

COUNTY_ROLES = (Role.ADMIN, Role.RECORDER, Role.SUPERVISOR, Role.AUDITOR)  # not the platform's


@get("/app/users", name="users")
async def users(request: Request[Any, Any, Any], services: Shared, ctx: Caller) -> Template:
    return await _page(request, services, ctx, message=None, status=200)


async def _page(
    request: Request[Any, Any, Any],
    services: Shared,
    ctx: Caller,
    *,
    message: str | None,
    status: int,
) -> Template:
    async with reading(services, ctx) as conn:
        people = await list_users(conn, ctx.tenant_id)
        logins = await sign_ins_of(conn, ctx.tenant_id)
        schools = await queries.schools(conn, ctx.tenant_id, limit=ALL)
    return render(
        request,
        services,
        "users.html",
        status=status,
        people=people,
        logins=logins,
        schools={s.school_id: s for s in schools},
        open_schools=[s for s in schools if s.closed_on is None],
        roles=COUNTY_ROLES,
        message=message,
        done=request.query_params.get("done"),
        min=PASSWORD_MIN,
        name_limit=USER_NAME_LIMIT,
        me=ctx.user_id,
    )


async def _credential_problem(
    services: Shared, ctx: Caller, user_id: UUID | None, username: str, password: str
) -> str | None:
    """What is wrong with a username and first password, in the reader's language; or None."""
    async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
        owner = await username_owner(conn, ctx.tenant_id, username)
    if not USERNAME.match(username) or (owner is not None and owner != user_id):
        return word("username_rules", ctx.lang)
    if len(password) < PASSWORD_MIN:
        return word("first_password_rules", ctx.lang, min=PASSWORD_MIN)
    return None


async def _school_fits(services: Shared, ctx: Caller, role: Role, code: str) -> bool:
    """A recorder's one open school of the county, no other's: the API's own check."""
    try:
        await check_school_for(services, ctx.tenant_id, role, UUID(code) if code else None)
    except (ValueError, ApiError, DomainError):
        return False
    return True


@post("/app/users", name="create_user", status_code=303)
async def add_user(
    request: Request[Any, Any, Any], services: Shared, ctx: Caller
) -> Redirect | Template:
    form = form_of(request)
    name, role_code = form.get("name", "").strip(), form.get("role", "")
    school_code = form.get("school", "")
    username = form.get("username", "").strip().lower()
    password = form.get("password", "")
    role = next((r for r in COUNTY_ROLES if r.value == role_code), None)
    message = None
    if not 1 <= len(name) <= USER_NAME_LIMIT:
        message = word("name_rules", ctx.lang, limit=USER_NAME_LIMIT)
    elif role is None:
        message = word("role_rules", ctx.lang)
    elif not await _school_fits(services, ctx, role, school_code):
        message = word("school_rules", ctx.lang)
    else:
        message = await _credential_problem(services, ctx, None, username, password)
    if message is not None or role is None:
        return await _page(request, services, ctx, message=message, status=400)
    password_hash = await asyncio.to_thread(hash_password, password)
    async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
        user = await create_user(
            conn, ctx.tenant_id, name=name, role=role,
            school_id=UUID(school_code) if school_code else None,
            created_by=ctx.user_id,
        )  # fmt: skip
        await set_credential(conn, ctx.tenant_id, user.user_id, username, password_hash)
    return Redirect(f"/app/users?done=created#u-{user.user_id}", status_code=303)


@post("/app/users/{user_id:uuid}/password", name="set_password", status_code=303)
async def set_password(
    request: Request[Any, Any, Any], services: Shared, ctx: Caller, user_id: FromPath[UUID]
) -> Redirect | Template:
    form = form_of(request)
    username = form.get("username", "").strip().lower()
    password = form.get("password", "")
    async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
        user = await find_user(conn, ctx.tenant_id, user_id)
    if user is None or not user.is_active:
        raise NotFoundException(word("not_found", ctx.lang))
    message = await _credential_problem(services, ctx, user_id, username, password)
    if message is not None:
        return await _page(request, services, ctx, message=message, status=400)
    password_hash = await asyncio.to_thread(hash_password, password)
    async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
        await set_credential(conn, ctx.tenant_id, user_id, username, password_hash)
    return Redirect(f"/app/users?set={user_id}&done=password", status_code=303)


@post("/app/users/{user_id:uuid}/disable", name="disable_user", status_code=303)
async def disable(
    request: Request[Any, Any, Any], services: Shared, ctx: Caller, user_id: FromPath[UUID]
) -> Redirect | Template:
    if ctx.user_id == user_id:
        message = word("not_yourself", ctx.lang)  # the county would lose its way back in
        return await _page(request, services, ctx, message=message, status=400)
    async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
        user = await deactivate_user(conn, ctx.tenant_id, user_id)
        if user is None:
            raise NotFoundException(word("not_found", ctx.lang))
        await end_sessions(conn, ctx.tenant_id, user_id)
    services.auth.forget_user(ctx.tenant_id, user_id)
    return Redirect(f"/app/users?done=disabled#u-{user_id}", status_code=303)


@post("/app/users/{user_id:uuid}/enable", name="enable_user", status_code=303)
async def enable(
    request: Request[Any, Any, Any], services: Shared, ctx: Caller, user_id: FromPath[UUID]
) -> Redirect | Template:
    """Enabled again with a new first password: the old one is not trusted after a disable."""
    form = form_of(request)
    username = form.get("username", "").strip().lower()
    password = form.get("password", "")
    message = await _credential_problem(services, ctx, user_id, username, password)
    if message is not None:
        return await _page(request, services, ctx, message=message, status=400)
    password_hash = await asyncio.to_thread(hash_password, password)
    async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
        user = await reactivate_user(conn, ctx.tenant_id, user_id)
        if user is None:
            raise NotFoundException(word("not_found", ctx.lang))
        await set_credential(conn, ctx.tenant_id, user_id, username, password_hash)
    services.auth.forget_user(ctx.tenant_id, user_id)
    return Redirect(f"/app/users?done=enabled#u-{user_id}", status_code=303)
