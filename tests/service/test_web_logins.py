"""People sign in to the pages: sessions, CSRF, the throttle, the idle timeout, sign-out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient

from infra.db import tenant_transaction
from infra.tenancy import Role
from service.runtime import Urls
from service.services import LOGIN_FAILURES_PER_MINUTE
from service.settings import Settings
from tests.conftest import new_tenant
from tests.service.web_helpers import (
    FIRST_PASSWORD,
    NEW_PASSWORD,
    Person,
    csrf_of,
    pages_app,
    person,
    sign_in,
    signed_in,
)


@pytest.fixture
async def web(settings: Settings, urls: Urls) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncTestClient(pages_app(settings, urls)) as client:
        client.follow_redirects = False  # the tests look at each redirect
        yield client


@pytest.fixture
async def supervisor(app_pool: asyncpg.Pool) -> Person:
    tenant_id = await new_tenant(app_pool, "登录测试县教育局")
    return await person(app_pool, tenant_id, Role.SUPERVISOR)


async def sessions(pool: asyncpg.Pool, who: Person) -> list[asyncpg.Record]:
    async with tenant_transaction(pool, who.tenant_id) as conn:
        return await conn.fetch(
            "select * from web_sessions where tenant_id = $1 and user_id = $2",
            who.tenant_id,
            who.user_id,
        )


async def test_a_page_asks_to_sign_in_then_the_first_password_is_changed(
    web: httpx.AsyncClient, supervisor: Person, app_pool: asyncpg.Pool
) -> None:
    first = await web.get("/app/communities")
    assert (first.status_code, first.headers["location"]) == (
        303,
        "/app/sign-in?next=/app/communities",
    )
    wrong = await sign_in(web, supervisor, password="not-the-password")
    assert wrong.status_code == 401
    assert "用户名或密码不正确" in wrong.text
    assert await sessions(app_pool, supervisor) == []

    answer = await sign_in(web, supervisor)
    assert (answer.status_code, answer.headers["location"]) == (303, "/app/password")
    # Until the admin's password is changed, every page leads to the change.
    held = await web.get("/app")
    assert (held.status_code, held.headers["location"]) == (303, "/app/password")
    form = await web.get("/app/password")
    too_short = await web.post(
        "/app/password",
        data={"csrf": csrf_of(form), "current": FIRST_PASSWORD, "new": "short", "repeat": "short"},
    )
    assert too_short.status_code == 400
    changed = await web.post(
        "/app/password",
        data={
            "csrf": csrf_of(form),
            "current": FIRST_PASSWORD,
            "new": NEW_PASSWORD,
            "repeat": NEW_PASSWORD,
        },
    )
    assert (changed.status_code, changed.headers["location"]) == (303, "/app")
    overview = await web.get("/app")
    assert overview.status_code == 200, overview.text
    assert "全县概览" in overview.text

    # The old password no longer works; the new one does.
    web.cookies.clear()
    assert (await sign_in(web, supervisor)).status_code == 401
    again = await sign_in(web, supervisor, password=NEW_PASSWORD)
    assert (again.status_code, again.headers["location"]) == (303, "/app")


async def test_sign_out_ends_the_session_in_the_table_too(
    web: httpx.AsyncClient, supervisor: Person, app_pool: asyncpg.Pool
) -> None:
    await signed_in(web, supervisor)
    kept = web.cookies.get("jgt_session", path="/app")
    assert kept is not None
    page = await web.get("/app")
    out = await web.post("/app/sign-out", data={"csrf": csrf_of(page)})
    assert (out.status_code, out.headers["location"]) == (303, "/app/sign-in")
    assert all(row["ended_at"] is not None for row in await sessions(app_pool, supervisor))
    # The old cookie, sent again, opens nothing.
    web.cookies.set("jgt_session", kept, path="/app")
    assert (await web.get("/app")).status_code == 303


async def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    web: httpx.AsyncClient, supervisor: Person, app_pool: asyncpg.Pool
) -> None:
    form = await web.get(f"/app/sign-in?county={supervisor.tenant_id}")
    fields = {
        "county": str(supervisor.tenant_id),
        "username": supervisor.username,
        "password": FIRST_PASSWORD,
    }
    for csrf in (None, "", "forged-token", csrf_of(form) + "x"):
        data = fields if csrf is None else {**fields, "csrf": csrf}
        answer = await web.post("/app/sign-in", data=data)
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "csrf_failed"
    # Another site's page cannot read the cookie, so a form it sends carries no matching token.
    web.cookies.clear()
    answer = await web.post("/app/sign-in", data={**fields, "csrf": csrf_of(form)})
    assert answer.status_code == 403
    assert await sessions(app_pool, supervisor) == []

    await signed_in(web, supervisor)
    out = await web.post("/app/sign-out", data={"csrf": "forged-token"})
    assert out.status_code == 403
    assert all(row["ended_at"] is None for row in await sessions(app_pool, supervisor))


async def test_bad_text_or_a_json_body_in_a_form_is_refused(
    web: httpx.AsyncClient, supervisor: Person, app_pool: asyncpg.Pool
) -> None:
    form = await web.get("/app/sign-in")
    csrf = csrf_of(form)
    for username in ("a\u0000b", "\u001b[31m", "x" * 300):
        answer = await web.post(
            "/app/sign-in",
            data={"csrf": csrf, "county": str(supervisor.tenant_id), "username": username},
        )
        assert answer.status_code == 400, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
    as_json = await web.post("/app/sign-in", json={"csrf": csrf})
    assert as_json.status_code == 415
    assert await sessions(app_pool, supervisor) == []


async def test_failed_sign_ins_are_throttled_per_client(
    web: httpx.AsyncClient, supervisor: Person, app_pool: asyncpg.Pool
) -> None:
    for _ in range(LOGIN_FAILURES_PER_MINUTE):
        assert (await sign_in(web, supervisor, password="wrong-password")).status_code == 401
    throttled = await sign_in(web, supervisor, password="wrong-password")
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["retry-after"]) <= 60
    # Past the limit even the right password waits: guessing gains nothing.
    right = await sign_in(web, supervisor)
    assert right.status_code == 429
    assert "登录失败次数过多" in right.text
    assert await sessions(app_pool, supervisor) == []


async def test_a_session_idle_past_the_timeout_is_over(
    web: httpx.AsyncClient, supervisor: Person, app_pool: asyncpg.Pool, settings: Settings
) -> None:
    await signed_in(web, supervisor)
    assert (await web.get("/app")).status_code == 200
    idle = timedelta(minutes=settings.session_idle_minutes, seconds=5)
    async with tenant_transaction(app_pool, supervisor.tenant_id) as conn:
        await conn.execute(
            "update web_sessions set last_seen = last_seen - $3::interval"
            " where tenant_id = $1 and user_id = $2",
            supervisor.tenant_id,
            supervisor.user_id,
            idle,
        )
    expired = await web.get("/app/schools")
    assert (expired.status_code, expired.headers["location"]) == (
        303,
        "/app/sign-in?next=/app/schools",
    )


async def test_the_session_cookie_is_secure_httponly_and_lax_by_default(
    client: httpx.AsyncClient, supervisor: Person
) -> None:
    def set_cookie(answer: httpx.Response, name: str) -> set[str]:
        value = next(
            value
            for key, value in answer.headers.multi_items()
            if key == "set-cookie" and value.startswith(f"{name}=")
        )
        return {part.strip() for part in value.split(";")}

    form = await client.get(f"/app/sign-in?county={supervisor.tenant_id}")
    csrf_flags = {flag.lower() for flag in set_cookie(form, "jgt_csrf")}
    assert {"secure", "httponly", "samesite=strict"} <= csrf_flags, csrf_flags
    # The test client keeps a Secure cookie off plain http, as a browser does: send it by hand.
    csrf = csrf_of(form)
    answer = await client.post(
        "/app/sign-in",
        data={
            "csrf": csrf,
            "county": str(supervisor.tenant_id),
            "username": supervisor.username,
            "password": FIRST_PASSWORD,
        },
        headers={"Cookie": f"jgt_csrf={csrf}"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    flags = {flag.lower() for flag in set_cookie(answer, "jgt_session")}
    assert {"secure", "httponly", "samesite=lax", "path=/app"} <= flags, flags


async def test_a_deactivated_user_is_signed_out_at_once(
    web: httpx.AsyncClient, supervisor: Person, app_pool: asyncpg.Pool
) -> None:
    await signed_in(web, supervisor)
    async with tenant_transaction(app_pool, supervisor.tenant_id) as conn:
        await conn.execute(
            "update users set deactivated_at = now() where tenant_id = $1 and user_id = $2",
            supervisor.tenant_id,
            supervisor.user_id,
        )
    assert (await web.get("/app")).status_code == 303
    web.cookies.clear()
    assert (await sign_in(web, supervisor, password=NEW_PASSWORD)).status_code == 401
