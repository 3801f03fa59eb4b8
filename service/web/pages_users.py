"""The admin's page of the county's users: who signs in as whom, and a first password for one."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from infra.db import tenant_transaction
from infra.logins import USERNAME, set_credential, sign_ins_of, username_owner
from infra.users import find_user, list_users
from projections.community import queries
from service.context import Caller, reading
from service.services import Shared
from service.web.i18n import word
from service.web.logins import PASSWORD_MIN, hash_password
from service.web.render import render
from service.web.session import form_of


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
        schools = await queries.schools_by_id(
            conn, ctx.tenant_id, [p.school_id for p in people if p.school_id is not None]
        )
    return render(
        request,
        services,
        "users.html",
        status=status,
        people=people,
        logins=logins,
        schools=schools,
        message=message,
        set_done=request.query_params.get("set"),
        min=PASSWORD_MIN,
    )


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
        owner = await username_owner(conn, ctx.tenant_id, username)
    if not USERNAME.match(username) or (owner is not None and owner != user_id):
        return await _page(
            request, services, ctx, message=word("username_rules", ctx.lang), status=400
        )
    if len(password) < PASSWORD_MIN:
        message = word("first_password_rules", ctx.lang, min=PASSWORD_MIN)
        return await _page(request, services, ctx, message=message, status=400)
    password_hash = await asyncio.to_thread(hash_password, password)
    async with tenant_transaction(services.pool, ctx.tenant_id) as conn:
        await set_credential(conn, ctx.tenant_id, user_id, username, password_hash)
    return Redirect(f"/app/users?set={user_id}", status_code=303)
