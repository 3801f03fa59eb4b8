"""Every page answers in Chinese and English with the county's own data, and never another's."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from infra.db import tenant_transaction
from infra.logins import sign_ins_of
from infra.tenancy import Role
from infra.users import create_user, find_user
from service.access import PAGES
from service.runtime import Urls
from service.settings import Settings
from tests.conftest import new_tenant
from tests.service.api import activity_body
from tests.service.test_api_reads import folded
from tests.service.test_isolation import MARKER, Filled, filled_county
from tests.service.web_helpers import (
    Person,
    change_first_password,
    csrf_of,
    pages_app,
    person,
    sign_in,
    signed_in,
)

OPEN = {"/app/sign-in", "/app/static/{file_path}"}  # before a session, or none needed


def pages(app: Litestar) -> set[str]:
    return {
        re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for route in app.routes
        if route.path.startswith("/app")
    }


def test_every_page_has_its_roles_in_the_one_table(app: Litestar) -> None:
    assert pages(app) - OPEN == set(PAGES)


FORM_TARGETS = {  # POST only
    "/app/sign-out",
    "/app/users/{user_id}/password",
    "/app/users/{user_id}/disable",
    "/app/users/{user_id}/enable",
}
FILES = {t for t in PAGES if "/evidence/" in t}  # an action's evidence files: not pages


def page_paths(ids: dict[str, str], role: Role) -> list[str]:
    """Every page `role` may see, filled with one county's ids."""
    paths = []
    for template, roles in PAGES.items():
        if template in FORM_TARGETS | FILES or role not in roles:
            continue
        paths.append(re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template))
    return [
        *paths,
        f"/app/activities?community={ids['community_id']}",
        f"/app/activities?school={ids['school_id']}&kind=sending_lessons",
        f"/app/quality?school={ids['school_id']}",
        "/app/schools?in=yes",
        f"/app/compliance?community={ids['community_id']}&status=missed",
        f"/app/communities/{ids['community_id']}?as_of=2023-06-30&mode=happened",
        "/app?as_of=2023-06-30",
    ]


async def with_result(client: httpx.AsyncClient, filled: Filled) -> dict[str, str]:
    """The county's ids with one of its community's compliance results (rule and period)."""
    community = filled.ids["community_id"]
    found = await client.get(
        f"/v1/compliance?period=2022-2023&community={community}",
        headers=filled.county.auth("supervisor"),
    )
    assert found.status_code == 200, found.text
    item = found.json()["items"][0]
    return {**filled.ids, "rule_id": item["rule_id"], "period": item["period"]}


@pytest.fixture
async def web(settings: Settings, urls: Urls) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncTestClient(pages_app(settings, urls)) as client:
        client.follow_redirects = False
        yield client


def file_paths(activity_id: str, sha256: str) -> list[str]:
    return [t.format(activity_id=activity_id, sha256=sha256) for t in sorted(FILES)]


def leaked(answer: httpx.Response, other: Filled) -> list[str]:
    text = answer.text
    if answer.headers.get("content-type", "").startswith("application/problem+json"):
        text = text.replace(answer.json().get("instance") or "", "")  # the request's own path
    # The ids the request itself sent come back in the page's own links (the language switch).
    asked = str(answer.request.url)
    searched = [v for k, v in other.ids.items() if k != "notification_id" and v not in asked]
    return [v for v in (*searched, MARKER) if v in text]


async def test_every_page_in_both_languages_shows_the_county_and_nothing_of_another(
    client: httpx.AsyncClient,
    web: httpx.AsyncClient,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    a = await filled_county(client, app_pool, system_pool, "戊县教育局", "E")
    b = await filled_county(client, app_pool, system_pool, f"{MARKER}教育局", "F")
    lead = a.ids["school_id"]
    ids, b_ids = await with_result(client, a), await with_result(client, b)
    checked = 0
    for role in (Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN, Role.RECORDER):
        school = UUID(lead) if role is Role.RECORDER else None
        web.cookies.clear()
        await signed_in(web, await person(app_pool, a.county.tenant_id, role, school_id=school))
        for path in page_paths(ids, role):
            for lang, word in (("zh", "教共体台账"), ("en", "Education community ledger")):
                sep = "&" if "?" in path else "?"
                answer = await web.get(f"{path}{sep}lang={lang}")
                assert answer.status_code == 200, (role, path, answer.text)
                assert word in answer.text, (role, path, lang)
                assert not leaked(answer, b), (role, path, leaked(answer, b))
                checked += 1
        # A's action's evidence file (a PDF: no thumbnail) to every role that reads.
        for path in file_paths(a.ids["activity_id"], a.ids["sha256"]):
            answer = await web.get(path)
            thumbnail = path.endswith("/thumbnail")
            assert answer.status_code == (404 if thumbnail else 200), (role, path, answer.text)
            assert thumbnail or answer.content.startswith(b"%PDF-"), (role, path)
            assert not leaked(answer, b), (role, path)
        # B's ids in A's pages: not found or empty, and nothing of B in the answer; B's file
        # not found, through B's action or A's, exactly as an unknown one.
        for path in page_paths(b_ids, role):
            answer = await web.get(path)
            assert answer.status_code in {200, 404}, (role, path, answer.text)
            assert not leaked(answer, b), (role, path)
        for activity_id in (a.ids["activity_id"], b.ids["activity_id"]):
            for path in file_paths(activity_id, b.ids["sha256"]):
                answer = await web.get(path)
                assert (answer.status_code, answer.json()["code"]) == (404, "file_not_found")
                assert not leaked(answer, b), (role, path)
    assert checked >= 4 * 2 * 14

    # The pages were not empty: A's own records are on them, linked.
    overview = await web.get("/app?lang=zh")
    assert 'href="/app/activities?semester=' in overview.text
    # Its three open schools (county B's three are not counted), linked to their list.
    assert '<span class="number">3</span><span>学校数</span>' in overview.text
    assert 'role="img"' in overview.text
    community = await web.get(f"/app/communities/{a.ids['community_id']}")
    assert f"/app/activities/{a.ids['activity_id']}" in community.text
    assert "学校E02" in community.text  # a member school, named in the roster
    activity = await web.get(f"/app/activities/{a.ids['activity_id']}")
    assert "戊县教育局 送教下乡" in activity.text
    assert "<dt>应到</dt><dd>1</dd>" in activity.text  # its one expected participant
    assert "李华" in activity.text
    school_page = await web.get(f"/app/schools/{lead}")
    assert f"/app/communities/{a.ids['community_id']}" in school_page.text
    quality = await web.get("/app/quality")
    assert "学校E01" in quality.text or "学校E02" in quality.text


async def test_another_countys_record_is_not_found_through_a_page(
    client: httpx.AsyncClient,
    web: httpx.AsyncClient,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    a = await filled_county(client, app_pool, system_pool, "己县教育局", "G")
    b = await filled_county(client, app_pool, system_pool, f"{MARKER}教育局", "H")
    await signed_in(web, await person(app_pool, a.county.tenant_id, Role.SUPERVISOR))
    for kind, key in (
        ("communities", "community_id"),
        ("schools", "school_id"),
        ("activities", "activity_id"),
    ):
        answer = await web.get(f"/app/{kind}/{b.ids[key]}")
        assert answer.status_code == 404, (kind, answer.text)
        assert not leaked(answer, b)
    for bad in ("kind=nonsense", "community=not-an-id", "semester=2023-winter"):
        refused = await web.get(f"/app/activities?{bad}")
        assert refused.status_code == 400, (bad, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
    listed = await web.get(f"/app/activities?community={b.ids['community_id']}")
    assert listed.status_code == 200
    assert not leaked(listed, b)

    # A's admin, with A's forms, cannot touch B's person: not found, and B's stays as it was.
    web.cookies.clear()
    await signed_in(web, await person(app_pool, a.county.tenant_id, Role.ADMIN))
    csrf = csrf_of(await web.get("/app/users"))
    other = b.ids["user_id"]
    fields = {"csrf": csrf, "username": "taken-over", "password": "long-enough-1"}
    for action in ("password", "disable", "enable"):
        answer = await web.post(f"/app/users/{other}/{action}", data=fields)
        assert answer.status_code == 404, (action, answer.text)
        assert not leaked(answer, b)
    async with tenant_transaction(app_pool, b.county.tenant_id) as conn:
        found = await find_user(conn, b.county.tenant_id, UUID(other))
        assert found is not None and found.is_active
        assert UUID(other) not in await sign_ins_of(conn, b.county.tenant_id)


async def test_the_language_switch_sticks_and_the_large_screen_refreshes_itself(
    client: httpx.AsyncClient,
    web: httpx.AsyncClient,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    a = await filled_county(client, app_pool, system_pool, "庚县教育局", "J")
    await signed_in(web, await person(app_pool, a.county.tenant_id, Role.SUPERVISOR))
    assert "全县概览" in (await web.get("/app")).text
    assert "County overview" in (await web.get("/app?lang=en")).text
    assert "County overview" in (await web.get("/app")).text  # the cookie keeps it
    assert "全县概览" in (await web.get("/app?lang=zh")).text
    web.cookies.delete("jgt_lang")
    english = await web.get("/app", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "County overview" in english.text
    screen = await web.get("/app?screen=1")
    assert '<meta http-equiv="refresh" content="60">' in screen.text
    assert 'class="screen"' in screen.text
    assert "refresh" not in (await web.get("/app")).text
    wall = await web.get("/app/communities?screen=wall")
    assert '<meta http-equiv="refresh" content="60">' in wall.text
    assert 'href="/app/schools?screen=wall"' in wall.text  # the wall stays a wall
    css = await web.get("/app/static/app.css")
    assert css.status_code == 200
    assert "@media print" in css.text
    print_rules = css.text.split("@media print", 1)[1]
    assert "nav" in print_rules and "form" in print_rules  # printed without either


async def test_an_admin_gives_a_user_a_first_password_in_the_users_page(
    web: httpx.AsyncClient, app_pool: asyncpg.Pool, settings: Settings, urls: Urls
) -> None:
    tenant_id = await new_tenant(app_pool, "辛县教育局")
    admin = await person(app_pool, tenant_id, Role.ADMIN, name="林管理")
    async with tenant_transaction(app_pool, tenant_id) as conn:
        auditor = await create_user(conn, tenant_id, name="吴审计", role=Role.AUDITOR)
    await signed_in(web, admin)
    page = await web.get("/app/users")
    assert page.status_code == 200, page.text
    assert "吴审计" in page.text
    assert admin.username in page.text
    target = f"/app/users/{auditor.user_id}/password"
    for fields, status in (
        ({"username": "has space", "password": "long-enough-1"}, 400),
        ({"username": admin.username, "password": "long-enough-1"}, 400),  # someone else's
        ({"username": "wu.audit", "password": "short"}, 400),
        ({"username": "wu.audit", "password": "long-enough-1", "csrf": "forged"}, 403),
    ):
        answer = await web.post(target, data={"csrf": csrf_of(page), **fields})
        assert answer.status_code == status, (fields, answer.text)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert await sign_ins_of(conn, tenant_id) == {admin.user_id: (admin.username, False)}
    done = await web.post(
        target, data={"csrf": csrf_of(page), "username": "Wu.Audit", "password": "long-enough-1"}
    )
    assert (done.status_code, done.headers["location"]) == (
        303,
        f"/app/users?set={auditor.user_id}&done=password",
    )

    # The auditor signs in with it, is asked to change it, and may not open the users page.
    async with AsyncTestClient(pages_app(settings, urls)) as other:
        other.follow_redirects = False
        who = Person(tenant_id, auditor.user_id, "wu.audit")
        first = await sign_in(other, who, password="long-enough-1")
        assert (first.status_code, first.headers["location"]) == (303, "/app/password")
        await change_first_password(other, "long-enough-1")
        assert (await other.get("/app/users")).status_code == 403
        refused = await other.post(
            target,
            data={"csrf": csrf_of(await other.get("/app")), "username": "x", "password": "y" * 12},
        )
        assert refused.status_code == 403


async def test_an_auditors_page_reads_are_recorded_with_the_person(
    web: httpx.AsyncClient, app_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool, "壬县教育局")
    auditor = await person(app_pool, tenant_id, Role.AUDITOR, name="吴审计")
    await signed_in(web, auditor)
    assert (await web.get("/app/schools?lang=en")).status_code == 200
    async with tenant_transaction(app_pool, tenant_id) as conn:
        reads = await conn.fetch(
            "select actor_id, user_id, method, path, query from audit_reads where tenant_id = $1",
            tenant_id,
        )
    assert [tuple(r.values()) for r in reads] == [
        (auditor.user_id, auditor.user_id, "GET", "/app/schools", "lang=en")
    ]


async def test_a_result_page_lists_its_records_and_the_rules_and_staff_pages_name_theirs(
    client: httpx.AsyncClient,
    web: httpx.AsyncClient,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    a = await filled_county(client, app_pool, system_pool, "丑县教育局", "L")
    await signed_in(web, await person(app_pool, a.county.tenant_id, Role.AUDITOR))
    auth = a.county.auth("supervisor")
    sent = await client.get(f"/v1/assignments/{a.ids['assignment_id']}", headers=auth)
    lead, member = a.ids["school_id"], sent.json()["to_school_id"]  # the member sent to
    body = activity_body(
        UUID(a.ids["community_id"]), UUID(lead), UUID(member), kind="public_lesson",
        title="丑县公开课", held_on="2023-04-12",
    )  # fmt: skip
    recorded = await client.post("/v1/activities", json=body, headers=a.county.auth("recorder"))
    assert recorded.status_code == 201, recorded.text
    activity = recorded.json()["id"]
    await folded(system_pool, a.county)  # the API's table of today, as the runner keeps it
    listed = await client.get(
        f"/v1/compliance?period=2022-2023&community={a.ids['community_id']}", headers=auth
    )
    shown = 0
    for item in listed.json()["items"]:
        detail = (await client.get(item["href"], headers=auth)).json()["results"][0]
        page = await web.get(item["href"].replace("/v1/", "/app/"))
        assert page.status_code == 200, page.text
        assert f"<dt>完成</dt><dd>{detail['done']}</dd>" in page.text
        assert f"<dt>要求</dt><dd>{detail['required']}" in page.text
        assert detail["status_label"] in page.text
        for excluded in detail["excluded_records"]:
            assert excluded["reason_label"] in page.text
        records = [*detail["counted_records"], *detail["excluded_records"]]
        if any(r["href"] == f"/v1/activities/{activity}" for r in records):
            assert f'href="/app/activities/{activity}"' in page.text
            shown += 1
    assert shown, "no result of the rules named the county's action"
    # The list's status counts link to the list filtered by that status.
    compliance = await web.get(
        f"/app/compliance?period=2022-2023&community={a.ids['community_id']}"
    )
    assert "status=missed" in compliance.text
    rules = await web.get("/app/rules")
    assert "yongli-pairing@1" in rules.text
    assert "seed 003" in rules.text  # each rule with its source
    assert "/app/compliance?rule=" in rules.text
    staff = await web.get("/app/assignments?as_of=2023-03-01")
    assert "丑县教育局教师甲" in staff.text
    assert f"/app/schools/{a.ids['school_id']}" in staff.text
    assert "丑县教育局教师甲" not in (await web.get("/app/assignments?as_of=2022-08-01")).text
