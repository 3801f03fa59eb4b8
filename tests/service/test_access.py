"""The one role matrix: every route and role answers as service/access.py says, before the body."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from uuid import uuid4

import asyncpg
import httpx
from litestar import Litestar

from infra.tenancy import Role
from service.access import MATRIX, PUBLIC, allowed, matrix_table
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County, issue

README = Path(__file__).parents[2] / "README.md"


def templates(app: Litestar) -> set[tuple[str, str]]:
    """Every /v1 route and /metrics as (method, path template without parameter types)."""
    return {
        (method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path))
        for route in app.routes
        if route.path.startswith("/v1/") or route.path == "/metrics"
        for method in getattr(route, "methods", set())
        if method not in {"HEAD", "OPTIONS"}
    }


def test_the_matrix_names_every_route_of_the_app_and_no_other(app: Litestar) -> None:
    assert templates(app) - PUBLIC == set(MATRIX)


def test_the_readme_shows_the_matrix_as_the_code_has_it() -> None:
    assert matrix_table() in README.read_text()


async def test_every_route_answers_each_role_as_the_matrix_says_whatever_the_body(
    client: httpx.AsyncClient,
    app: Litestar,
    county: County,
    app_pool: asyncpg.Pool,
    operator_token: str,
) -> None:
    _, lead, _, _ = await setup_community(client, county)
    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=lead
    )
    county.tokens["operator"] = operator_token
    junk = {"name": 1}  # wrong for every body: a role that may call the route gets 400 or 404
    checked = 0
    for method, template in sorted(templates(app) - PUBLIC):
        path = re.sub(
            r"\{\w+_id\}", lambda m: "7" if "notification" in m[0] else str(uuid4()), template
        )
        for role in Role:
            answer = await client.request(method, path, json=junk, headers=county.auth(role.value))
            if role in allowed(method, template):
                assert answer.status_code != 403, (role, method, path, answer.text)
            else:
                assert answer.status_code == 403, (role, method, path, answer.text)
                assert answer.json()["code"] == "forbidden"
                assert answer.headers["content-type"].startswith("application/problem+json")
            checked += 1
    assert checked == len(MATRIX) * len(Role)


async def test_a_supervisor_posting_a_bad_school_is_refused_before_its_body_is_read(
    client: httpx.AsyncClient, county: County
) -> None:
    answer = await client.post("/v1/schools", json={"name": 1}, headers=county.auth("supervisor"))
    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")
    assert "errors" not in answer.json()  # no field errors: the body was never looked at


async def test_the_inbox_is_closed_to_supervisors_and_auditors(
    client: httpx.AsyncClient, county: County
) -> None:
    for role in ("supervisor", "auditor"):
        answer = await client.get("/v1/inbox", headers=county.auth(role))
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden"), role
    assert (await client.get("/v1/inbox", headers=county.auth("admin"))).status_code == 200


async def test_fifty_concurrent_corrections_without_if_match_all_apply(
    client: httpx.AsyncClient, county: County
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    recorded = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first),
        headers=county.auth("admin"),
    )
    activity = recorded.json()["id"]

    async def correct(i: int) -> httpx.Response:
        return await client.post(
            f"/v1/activities/{activity}/corrections",
            json={"reason": "标题有误", "title": f"送教下乡：第 {i} 次更正"},
            headers=county.auth("admin"),
        )

    answers = await asyncio.gather(*(correct(i) for i in range(50)))
    assert [a.status_code for a in answers] == [200] * 50, [
        a.text for a in answers if a.status_code != 200
    ]
    assert sorted(int(a.headers["etag"].strip('"')) for a in answers) == list(range(2, 52))
    now = await client.get(f"/v1/activities/{activity}", headers=county.auth("admin"))
    assert now.json()["version"] == 51
    # With If-Match a stale version is still refused.
    stale = await client.post(
        f"/v1/activities/{activity}/corrections",
        json={"reason": "标题有误", "title": "送教下乡：过时的更正"},
        headers=county.auth("admin", **{"If-Match": '"1"'}),
    )
    assert (stale.status_code, stale.json()["code"]) == (409, "version_conflict")


async def test_if_match_on_a_creation_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, county: County
) -> None:
    body = {"name": "新建小学", "code": "IFM-1", "stage": "primary", "location": "town"}
    answer = await client.post(
        "/v1/schools", json=body, headers=county.auth("admin", **{"If-Match": '"1"'})
    )
    assert (answer.status_code, answer.json()["code"]) == (400, "if_match_on_creation")
    listed = await client.get("/v1/audit/events", headers=county.auth("auditor"))
    assert listed.json()["items"] == []
