"""A pages app of its own (plain-http cookies, its own throttle counts) and signed-in people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

import msgspec

from infra.db import tenant_transaction
from infra.logins import set_credential
from infra.tenancy import Role
from infra.users import create_user
from service.app import create_app
from service.web.logins import hash_password

if TYPE_CHECKING:
    import asyncpg
    import httpx
    from litestar import Litestar

    from service.runtime import Urls
    from service.settings import Settings

FIRST_PASSWORD = "first-password-1"
NEW_PASSWORD = "a-new-password-2"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def pages_app(settings: Settings, urls: Urls) -> Litestar:
    """The app as a laptop runs it on http: the cookies come back to the test client."""
    changed = msgspec.structs.replace(
        settings, insecure_cookies=True, queue_name=f"jgt:test:{uuid4().hex}"
    )
    return create_app(changed, urls, background=False)


@dataclass(frozen=True)
class Person:
    tenant_id: UUID
    user_id: UUID
    username: str


async def person(
    pool: asyncpg.Pool,
    tenant_id: UUID,
    role: Role,
    *,
    school_id: UUID | None = None,
    name: str = "王老师",
) -> Person:
    """A user of the county with a first password set by the admin."""
    username = f"{role.value}-{uuid4().hex[:8]}"
    async with tenant_transaction(pool, tenant_id) as conn:
        user = await create_user(conn, tenant_id, name=name, role=role, school_id=school_id)
        await set_credential(conn, tenant_id, user.user_id, username, hash_password(FIRST_PASSWORD))
    return Person(tenant_id, user.user_id, username)


def csrf_of(page: httpx.Response) -> str:
    found = _CSRF.search(page.text)
    assert found is not None, page.text
    return found.group(1)


async def sign_in(
    client: httpx.AsyncClient, who: Person, password: str = FIRST_PASSWORD
) -> httpx.Response:
    form = await client.get(f"/app/sign-in?county={who.tenant_id}")
    assert form.status_code == 200, form.text
    return await client.post(
        "/app/sign-in",
        data={
            "csrf": csrf_of(form),
            "county": str(who.tenant_id),
            "username": who.username,
            "password": password,
            "next": "/app",
        },
        follow_redirects=False,
    )


async def signed_in(client: httpx.AsyncClient, who: Person) -> None:
    """Signs in and changes the first password, as the first sign-in asks."""
    answer = await sign_in(client, who)
    assert (answer.status_code, answer.headers["location"]) == (303, "/app/password"), answer.text
    await change_first_password(client, FIRST_PASSWORD)


async def change_first_password(client: httpx.AsyncClient, first: str) -> None:
    form = await client.get("/app/password")
    changed = await client.post(
        "/app/password",
        data={"csrf": csrf_of(form), "current": first, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
    )
    assert (changed.status_code, changed.headers["location"]) == (303, "/app"), changed.text
