"""No input freezes a county: every write route refuses what the database or a reader cannot hold."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import msgspec
from litestar import Litestar

from infra.chain import verify
from infra.db import tenant_transaction
from infra.tenancy import list_tenants, list_tokens
from projections.runner import ProjectionRunner
from service.body import MAX_DEPTH, MULTIPART
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County
from tests.service.test_api_commands import event_count
from tests.service.test_isolation import Filled, fill, filled_county

WRITES = ("POST", "PUT", "PATCH", "DELETE")
PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class WriteRoute:
    method: str
    path: str
    body: type[msgspec.Struct] | None  # the struct its body decodes into; None: takes none
    multipart: bool = (
        False  # an upload: its form is checked by tests/service/test_evidence_files.py
    )


def write_routes(app: Litestar) -> list[WriteRoute]:
    """Every write route of the API, found from its handlers: a new one is covered at once.

    The pages' forms (/app) take urlencoded forms, not JSON: tests/service/test_web_logins.py
    sends them bad text.
    """
    found = []
    for route in app.routes:
        if route.path.startswith("/app"):
            continue
        for method, (handler, _) in sorted(getattr(route, "route_handler_map", {}).items()):
            if method not in WRITES:
                continue
            data = handler.parsed_fn_signature.parameters.get("data")
            if handler.opt.get(MULTIPART):
                found.append(WriteRoute(method, route.path, None, multipart=True))
                continue
            found.append(WriteRoute(method, route.path, None if data is None else data.annotation))
    return found


def required_texts(struct: type[msgspec.Struct]) -> list[str]:
    """The paths of a body's required names, titles, labels and reasons (RequiredText)."""

    def walk(info: msgspec.inspect.Type, path: str) -> list[str]:
        match info:
            case msgspec.inspect.StrType(pattern=r"\S"):
                return [path]
            case msgspec.inspect.StructType(fields=fields):
                return [
                    found
                    for f in fields
                    for found in walk(f.type, f"{path}.{f.encode_name}".lstrip("."))
                ]
            case msgspec.inspect.ListType(item_type=item):
                return walk(item, f"{path}[0]")
            case msgspec.inspect.UnionType(types=types):
                return [found for member in types for found in walk(member, path)]
            case msgspec.inspect.Metadata(type=inner):
                return walk(inner, path)
        return []

    return walk(msgspec.inspect.type_info(struct), "")


def first_field(route: WriteRoute) -> str:
    assert route.body is not None
    texts = required_texts(route.body)
    if texts and "." not in texts[0] and "[" not in texts[0]:
        return texts[0]
    return msgspec.structs.fields(route.body)[0].encode_name


def bad_bodies(field: str) -> list[tuple[str, bytes, dict[str, str], int, str, str]]:
    """(name, body, extra headers, status, code, the field the problem names) per bad input."""
    nested = [{"name": "李华"}, {"name": "王芳"}, {"name": "x\u0000"}]
    text = json.dumps
    return [
        ("nul", text({field: "t\u0000"}).encode(), {}, 400, "unstorable_text", field),
        ("escape", text({field: "\u001b[31m红"}).encode(), {}, 400, "unstorable_text", field),
        ("carriage return", text({field: "a\r\nb"}).encode(), {}, 400, "unstorable_text", field),
        ("bell", text({field: "a\u0007"}).encode(), {}, 400, "unstorable_text", field),
        ("raw c1", '{"%s": "a\u0085b"}'.encode() % field.encode(), {}, 400, "unstorable_text", field),
        ("del", text({field: "a\u007f"}).encode(), {}, 400, "unstorable_text", field),
        ("lone surrogate", b'{"%s": "\\ud800"}' % field.encode(), {}, 400, "unstorable_text", field),
        ("reversed pair", b'{"%s": "\\udc00\\ud800"}' % field.encode(), {}, 400, "unstorable_text", field),
        ("nul in a key", text({"na\u0000me": "x"}).encode(), {}, 400, "unstorable_text", "na\\u0000me"),
        ("nested", text({"participants": nested}).encode(), {}, 400, "unstorable_text", "participants[2].name"),
        ("not utf-8", b'{"%s": "\xff"}' % field.encode(), {}, 400, "invalid_utf8", ""),
        ("deep", b"[" * 10_000 + b"]" * 10_000, {}, 400, "too_deep", "$"),
        ("just too deep", b'{"%s": %s%s}' % (field.encode(), b"[" * MAX_DEPTH, b"]" * MAX_DEPTH), {}, 400, "too_deep", field + "[0]" * (MAX_DEPTH - 1)),
        ("key twice", b'{"%s": "a", "%s": "b"}' % (field.encode(), field.encode()), {}, 400, "duplicate_key", field),
        ("text/plain", text({field: "ok"}).encode(), {"Content-Type": "text/plain"}, 415, "unsupported_media_type", ""),
        ("form", text({field: "ok"}).encode(), {"Content-Type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", ""),
        ("latin-1 json", text({field: "ok"}).encode(), {"Content-Type": "application/json; charset=latin-1"}, 415, "unsupported_media_type", ""),
    ]  # fmt: skip


async def stored(pool: asyncpg.Pool, filled: Filled) -> tuple[int, int, int, Any]:
    """What a write could leave behind: the county's events, counties, tokens, notifications."""
    tenant_id = filled.county.tenant_id
    async with tenant_transaction(pool, tenant_id) as conn:
        tokens = await list_tokens(conn, tenant_id)
        read = await conn.fetchval(
            "select count(*) from notifications where tenant_id = $1 and read_at is not null",
            tenant_id,
        )
        users = await conn.fetchval(
            "select count(*) filter (where deactivated_at is null) from users where tenant_id = $1",
            tenant_id,
        )
    async with pool.acquire() as conn:
        counties = len(await list_tenants(conn))
    revoked = sum(token.revoked_at is not None for token in tokens)
    return await event_count(pool, tenant_id), counties, len(tokens) - revoked, (read, users)


async def test_every_write_route_refuses_every_kind_of_bad_input_and_stores_nothing(
    client: httpx.AsyncClient,
    app: Litestar,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    operator_token: str,
) -> None:
    filled = await filled_county(client, app_pool, system_pool, "丙县教育局", "C")
    before = await stored(app_pool, filled)
    routes = write_routes(app)
    assert len(routes) >= 14, routes
    sent = without_body = uploads = 0
    for route in routes:
        token = operator_token if route.path == "/v1/tenants" else filled.county.tokens["admin"]
        target = fill(route.path, filled.ids)
        field = "title" if route.body is None else first_field(route)
        for name, body, extra, status, code, named in bad_bodies(field):
            if route.multipart:  # an upload takes a form, never any of these bodies
                headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
                answer = await client.request(
                    route.method, target, content=body, headers={**headers, **extra}
                )
                where = (route.method, route.path, name, answer.text)
                assert answer.status_code == 415, where
                assert answer.json()["code"] == "unsupported_media_type", where
                uploads += 1
                continue
            headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en", **extra}
            headers.setdefault("Content-Type", "application/json")
            answer = await client.request(route.method, target, content=body, headers=headers)
            where = (route.method, route.path, name, answer.text)
            assert 400 <= answer.status_code < 500, where
            assert answer.headers["content-type"].startswith(PROBLEM), where
            problem = answer.json()
            if route.body is None:  # a route that takes no body refuses one
                assert (answer.status_code, problem["code"]) == (400, "unexpected_body"), where
                without_body += 1
                continue
            assert (answer.status_code, problem["code"]) == (status, code), where
            if named:
                assert problem["params"]["field"] == named, where
                assert problem["errors"][0]["field"] == named, where
                assert named in problem["detail"], where
            sent += 1
        for path in [] if route.body is None else required_texts(route.body):
            for blank in (" ", "\u3000", "\n\t"):
                headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
                answer = await client.request(
                    route.method, target, json=_at(path, blank), headers=headers
                )
                blank_at = (route.path, path, answer.text)
                assert answer.status_code == 400, blank_at
                error = {"field": path, "message": "must not be blank"}
                assert answer.json()["errors"] == [error], blank_at
                sent += 1
    assert sent >= 12 * 17 + 3 * 14, sent  # twelve body routes, every class; 14 names blank
    assert without_body >= 2 * 17, without_body  # revoking a token, marking a notification read
    assert uploads == 17, uploads
    assert await stored(app_pool, filled) == before


def _at(path: str, value: str) -> dict[str, Any]:
    """A body holding `value` at `path` (`participants[0].name`) and nothing else."""
    body: dict[str, Any] = {}
    here: Any = body
    steps = path.replace("[0]", ".[0]").split(".")
    for step, following in zip(steps, [*steps[1:], None], strict=True):
        if step == "[0]":
            continue
        if following is None:
            here[step] = value
        elif following == "[0]":
            here[step] = [{}]
            here = here[step][0]
        else:
            here[step] = {}
            here = here[step]
    return body


async def test_the_issues_inputs_get_a_problem_naming_the_field_in_chinese_or_english(
    client: httpx.AsyncClient, county: County, operator_token: str
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    recorded = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first),
        headers=county.auth("admin"),
    )
    corrections = f"/v1/activities/{recorded.json()['id']}/corrections"
    body = {"reason": "错别字", "title": "t\u0000"}
    chinese = await client.post(corrections, json=body, headers=county.auth("admin"))
    assert (chinese.status_code, chinese.json()["code"]) == (400, "unstorable_text")
    assert chinese.json()["detail"].startswith("title 含有不能保存的字符")
    english = await client.post(corrections, json=body, headers=county.auth("admin", "en"))
    assert english.json()["detail"].startswith("title holds characters that cannot be stored")

    operator = {"Authorization": f"Bearer {operator_token}", "Accept-Language": "zh"}
    blank = await client.post("/v1/tenants", json={"name": " "}, headers=operator)
    assert blank.status_code == 400, blank.text
    assert blank.json()["errors"] == [{"field": "name", "message": "不能为空白"}]
    plain = await client.post(
        "/v1/schools",
        content=json.dumps(
            {"name": "学校", "code": "T1", "stage": "primary", "location": "village"}
        ),
        headers=county.auth("admin", **{"Content-Type": "text/plain"}),
    )
    assert (plain.status_code, plain.json()["code"]) == (415, "unsupported_media_type")
    listed = await client.get("/v1/schools", headers=county.auth("admin"))
    assert "T1" not in listed.text
    # A missing Content-Type is read as JSON, as before.
    bare = await client.post(
        "/v1/schools",
        content=json.dumps(
            {"name": "学校", "code": "T2", "stage": "primary", "location": "village"}
        ),
        headers={"Authorization": county.auth("admin")["Authorization"]},
    )
    assert bare.status_code == 201, bare.text


async def test_a_county_keeps_folding_after_bad_input_was_refused(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    admin = county.auth("admin")
    good = await client.post(
        "/v1/activities", json=activity_body(community_id, lead, first), headers=admin
    )
    assert good.status_code == 201, good.text
    activity = good.json()["id"]
    for bad in ("t\u0000", "\ud800", "a\u0085", "\u001b"):
        for path, body in (
            (f"/v1/activities/{activity}/corrections", {"reason": "更正", "title": bad}),
            ("/v1/activities", activity_body(community_id, lead, first, title=bad)),
            ("/v1/activities", activity_body(community_id, lead, first, note=bad)),
            (f"/v1/activities/{activity}/void", {"reason": bad}),
        ):
            # json.dumps escapes a lone surrogate as \ud800, as a browser's JSON.stringify does
            refused = await client.post(path, content=json.dumps(body), headers=admin)
            assert refused.status_code == 400, refused.text
    again = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first, title="送教下乡：五年级语文"),
        headers=admin,
    )
    assert again.status_code == 201, again.text

    runner = ProjectionRunner(system_pool)
    await runner.catch_up([county.tenant_id])
    counts = (await client.get("/v1/dashboards/activity-counts", headers=admin)).json()
    assert (counts["total"], counts["pending_events"]) == (2, 0), counts
    listed = (await client.get("/v1/activities", headers=admin)).json()["items"]
    assert {item["id"] for item in listed} == {activity, again.json()["id"]}
    assert await runner.rebuild(county.tenant_id) == await event_count(app_pool, county.tenant_id)
    async with app_pool.acquire() as conn:
        assert (await verify(conn, county.tenant_id)).intact
