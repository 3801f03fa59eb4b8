"""The admin's users page: add a person with a first password, disable and enable them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient

from infra.db import tenant_transaction
from infra.logins import sign_ins_of
from infra.tenancy import Role
from infra.users import list_users, reactivate_user
from service.runtime import Urls
from service.settings import Settings
from tests.conftest import new_tenant
from tests.service.api import school
from tests.service.conftest import County, issue
from tests.service.web_helpers import (
    Person,
    change_first_password,
    csrf_of,
    pages_app,
    person,
    sign_in,
    signed_in,
)


@pytest.fixture
async def web(settings: Settings, urls: Urls) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncTestClient(pages_app(settings, urls)) as client:
        client.follow_redirects = False
        yield client


@pytest.fixture
async def other(settings: Settings, urls: Urls) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncTestClient(pages_app(settings, urls)) as client:
        client.follow_redirects = False
        yield client


async def test_an_admin_adds_disables_and_enables_a_person(
    client: httpx.AsyncClient,
    web: httpx.AsyncClient,
    other: httpx.AsyncClient,
    app_pool: asyncpg.Pool,
) -> None:
    tenant_id = await new_tenant(app_pool, "寅县教育局")
    county = County(tenant_id)
    county.tokens["admin"] = await issue(app_pool, tenant_id, Role.ADMIN)
    own = await school(client, county, "Y01")
    elsewhere = await new_tenant(app_pool, "卯县教育局")
    county_b = County(elsewhere)
    county_b.tokens["admin"] = await issue(app_pool, elsewhere, Role.ADMIN)
    foreign = await school(client, county_b, "Z01")
    admin = await person(app_pool, tenant_id, Role.ADMIN, name="林管理")
    await signed_in(web, admin)
    page = await web.get("/app/users")
    csrf = csrf_of(page)
    good = {"csrf": csrf, "name": "赵填报", "role": "recorder", "school": str(own),
            "username": "zhao", "password": "first-pass-1"}  # fmt: skip
    for changed, status in (
        ({"school": ""}, 400),  # a recorder needs a school
        ({"school": str(foreign)}, 400),  # another county's is none of this one's
        ({"role": "operator", "school": ""}, 400),  # the platform's role is not the county's
        ({"role": "supervisor"}, 400),  # only a recorder names a school
        ({"name": ""}, 400),
        ({"username": admin.username}, 400),  # someone else's
        ({"password": "short"}, 400),
        ({"csrf": "forged"}, 403),
    ):
        answer = await web.post("/app/users", data={**good, **changed})
        assert answer.status_code == status, (changed, answer.text)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert [u.name for u in await list_users(conn, tenant_id)] == ["林管理"]
    added = await web.post("/app/users", data=good)
    assert added.status_code == 303, added.text
    async with tenant_transaction(app_pool, tenant_id) as conn:
        (zhao,) = [u for u in await list_users(conn, tenant_id) if u.name == "赵填报"]
        assert (zhao.role, zhao.school_id, zhao.created_by) == (Role.RECORDER, own, admin.user_id)
        assert (await sign_ins_of(conn, tenant_id))[zhao.user_id] == ("zhao", True)
    listed = (await web.get("/app/users")).text
    assert "赵填报" in listed and "zhao · 待修改" in listed

    # The person's first sign-in asks for a new password.
    who = Person(tenant_id, zhao.user_id, "zhao")
    first = await sign_in(other, who, password="first-pass-1")
    assert (first.status_code, first.headers["location"]) == (303, "/app/password")
    await change_first_password(other, "first-pass-1")
    assert (await other.get("/app")).status_code == 200

    # Disabled: the open session ends at once, and the password no longer signs in.
    assert (await web.post(f"/app/users/{admin.user_id}/disable", data={"csrf": csrf})).status_code == 400  # fmt: skip
    forged = await web.post(f"/app/users/{zhao.user_id}/disable", data={"csrf": "forged"})
    assert forged.status_code == 403
    assert (await other.get("/app")).status_code == 200  # still signed in: nothing happened
    off = await web.post(f"/app/users/{zhao.user_id}/disable", data={"csrf": csrf})
    assert off.status_code == 303, off.text
    assert (await other.get("/app")).status_code == 303  # to the sign-in
    other.cookies.clear()
    refused = await sign_in(other, who, password="a-new-password-2")
    assert refused.status_code in {400, 401}, refused.text
    assert "已停用" in (await web.get("/app/users")).text

    # Enabled with a new first password, changed at the next sign-in.
    enable = f"/app/users/{zhao.user_id}/enable"
    short = await web.post(enable, data={"csrf": csrf, "username": "zhao", "password": "x"})
    assert short.status_code == 400
    again = {"username": "zhao", "password": "again-pass-3"}
    assert (await web.post(enable, data={**again, "csrf": "forged"})).status_code == 403
    on = await web.post(enable, data={**again, "csrf": csrf})
    assert on.status_code == 303, on.text
    back = await sign_in(other, who, password="again-pass-3")
    assert (back.status_code, back.headers["location"]) == (303, "/app/password")


async def test_supervisors_auditors_and_recorders_use_none_of_the_users_forms(
    client: httpx.AsyncClient, other: httpx.AsyncClient, app_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool, "辰县教育局")
    county = County(tenant_id)
    county.tokens["admin"] = await issue(app_pool, tenant_id, Role.ADMIN)
    own = await school(client, county, "X01")
    target = await person(app_pool, tenant_id, Role.AUDITOR, name="钱审计")
    good = {"name": "赵填报", "role": "supervisor", "username": "zhao", "password": "first-pass-1"}
    for role in (Role.SUPERVISOR, Role.AUDITOR, Role.RECORDER):
        reader = await person(app_pool, tenant_id, role, school_id=own if role is Role.RECORDER else None)  # fmt: skip
        other.cookies.clear()
        await signed_in(other, reader)
        token = csrf_of(await other.get("/app"))
        assert (await other.get("/app/users")).status_code == 403
        for path in ("/app/users", f"/app/users/{target.user_id}/disable",
                     f"/app/users/{target.user_id}/enable", f"/app/users/{target.user_id}/password"):  # fmt: skip
            answer = await other.post(path, data={**good, "csrf": token})
            assert answer.status_code == 403, (role, path, answer.text)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        people = await list_users(conn, tenant_id)
    assert "赵填报" not in {u.name for u in people}
    assert all(u.is_active for u in people)


async def test_disabling_a_person_revokes_their_tokens_for_good(
    client: httpx.AsyncClient, app_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool, "辰县教育局")
    zhou = await person(app_pool, tenant_id, Role.SUPERVISOR, name="周督导")
    token = await issue(app_pool, tenant_id, Role.SUPERVISOR, user_id=zhou.user_id)
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/v1/schools", headers=bearer)).status_code == 200
    admin = {"Authorization": f"Bearer {await issue(app_pool, tenant_id, Role.ADMIN)}"}
    off = await client.post(f"/v1/users/{zhou.user_id}/deactivate", headers=admin)
    assert off.status_code == 200, off.text
    assert (await client.get("/v1/schools", headers=bearer)).status_code == 401
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert await reactivate_user(conn, tenant_id, zhou.user_id) is not None
    # Enabled again, the person signs in with a new password; the old token stays dead.
    assert (await client.get("/v1/schools", headers=bearer)).status_code == 401
