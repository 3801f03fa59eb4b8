"""Teachers over HTTP: personal data sealed in the events, opened for reads, erased for good."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx
import pytest

from projections.runner import ProjectionRunner
from tests.conftest import Database
from tests.infra.test_crypto import assert_absent
from tests.service.api import school, teacher
from tests.service.conftest import County
from tests.service.test_cli import jgt

# Made up: no real person.
NAME, PHONE, ID_NUMBER = "司马晓岚", "13987654321", "33032719880202432X"
NEW_NAME = "司马晓兰"


@pytest.fixture(scope="module")
async def owner(database: Database) -> Any:
    conn = await asyncpg.connect(database.owner_url)
    yield conn
    await conn.close()


async def folded(system_pool: asyncpg.Pool, county: County) -> None:
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])


async def listed(
    client: httpx.AsyncClient, county: County, role: str = "supervisor", **params: Any
) -> list[dict[str, Any]]:
    answer = await client.get("/v1/teachers", headers=county.auth(role), params=params)
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_a_teacher_is_registered_changed_and_read_with_the_name_opened(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    first, second = await school(client, county, "T01"), await school(client, county, "T02")
    body = {
        "name": NAME,
        "phone": PHONE,
        "id_number": ID_NUMBER,
        "school_id": str(first),
        "gender": "female",
        "birth_year": 1988,
        "subjects": ["math", "science"],
        "title": "intermediate",
        "posts": ["class_teacher"],
    }
    admin = county.auth("admin")
    registered = await client.post("/v1/teachers", json=body, headers=admin)
    assert registered.status_code == 201, registered.text
    made = registered.json()
    assert registered.headers["location"] == f"/v1/teachers/{made['id']}"
    assert (made["name"], made["phone"], made["id_number"]) == (NAME, PHONE, ID_NUMBER)
    assert (made["erased"], made["title_label"], made["version"]) == (False, "中级", 1)
    path = f"/v1/teachers/{made['id']}"

    steps = [
        ("transfer", {"school_id": str(second), "transferred_on": "2023-09-01"}),
        ("title", {"title": "senior", "changed_on": "2024-01-10"}),
        ("backbone-level", {"backbone_level": "county", "changed_on": "2024-01-10"}),
        ("posts", {"posts": ["class_teacher", "prep_group_leader"], "changed_on": "2024-02-01"}),
        ("personal-data", {"name": NEW_NAME, "phone": PHONE}),
    ]
    for version, (step, change) in enumerate(steps, start=2):
        answer = await client.post(f"{path}/{step}", json=change, headers=admin)
        assert answer.status_code == 200, (step, answer.text)
        assert answer.headers["etag"] == f'"{version}"'
    again = await client.post(
        f"{path}/title", json={"title": "senior", "changed_on": "2024-03-01"}, headers=admin
    )
    assert (again.status_code, again.json()["code"]) == (409, "teacher_unchanged")

    read = await client.get(path, headers=county.auth("supervisor", "en"))
    view = read.json()
    assert read.headers["etag"] == '"6"'
    assert (view["name"], view["school_id"], view["title"]) == (NEW_NAME, str(second), "senior")
    assert (view["backbone_level_label"], view["id_number"], view["phone"]) == (
        "County backbone teacher",
        None,  # personal data but the name goes to the county's admins only
        None,
    )
    assert [p["code"] for p in view["posts"]] == ["class_teacher", "prep_group_leader"]
    mine = (await client.get(path, headers=admin)).json()
    assert (mine["phone"], mine["id_number"]) == (PHONE, None)  # replaced whole, without it

    await folded(system_pool, county)
    [row] = await listed(client, county)  # the list shows what the record shows
    assert row == (await client.get(path, headers=county.auth("supervisor"))).json()
    assert (row["title_label"], row["backbone_level_label"]) == ("高级", "县级骨干教师")


async def test_the_list_filters_and_pages_and_leaves_out_those_who_left(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    first, second = await school(client, county, "L01"), await school(client, county, "L02")
    a = await teacher(client, county, first, "甲老师", title="junior")
    b = await teacher(client, county, first, "乙老师", subjects=["chinese"], backbone_level="city")
    c = await teacher(client, county, second, "丙老师", title="junior")
    left = await client.post(
        f"/v1/teachers/{c}/leave",
        json={"left_on": "2024-07-01", "reason": "退休"},
        headers=county.auth("admin"),
    )
    assert left.status_code == 200, left.text
    await folded(system_pool, county)

    def ids(items: list[dict[str, Any]]) -> list[str]:
        return [item["id"] for item in items]

    assert ids(await listed(client, county)) == [str(a), str(b)]
    assert ids(await listed(client, county, include_left="true")) == [str(a), str(b), str(c)]
    assert ids(await listed(client, county, school=str(second))) == []
    assert ids(await listed(client, county, subject="chinese")) == [str(b)]
    assert ids(await listed(client, county, title="junior", include_left="true")) == [
        str(a),
        str(c),
    ]
    assert ids(await listed(client, county, backbone_level="city")) == [str(b)]
    page = await client.get("/v1/teachers", headers=county.auth("auditor"), params={"limit": 1})
    assert [i["name"] for i in page.json()["items"]] == ["甲老师"]
    rest = await client.get(
        "/v1/teachers",
        headers=county.auth("auditor"),
        params={"limit": 1, "cursor": page.json()["next_cursor"]},
    )
    assert [i["name"] for i in rest.json()["items"]] == ["乙老师"]
    # A supervisor may read teachers but not register them.
    refused = await client.post(
        "/v1/teachers", json={"name": "丁老师"}, headers=county.auth("supervisor")
    )
    assert refused.status_code == 403


async def test_the_raw_events_hold_no_name_phone_or_id_number_registered_over_http(
    client: httpx.AsyncClient, county: County, owner: asyncpg.Connection
) -> None:
    first = await school(client, county, "R01")
    teacher_id = await teacher(
        client, county, first, NAME, phone=PHONE, id_number=ID_NUMBER, posts=["class_teacher"]
    )
    changed = await client.post(
        f"/v1/teachers/{teacher_id}/personal-data",
        json={"name": NEW_NAME, "phone": "13900000000"},
        headers=county.auth("admin"),
    )
    assert changed.status_code == 200, changed.text
    rows = await owner.fetch(
        "select event_type, payload, metadata from events where tenant_id = $1 and stream_id = $2",
        county.tenant_id,
        teacher_id,
    )
    assert len(rows) == 2
    for row in rows:
        for secret in (NAME, NEW_NAME, PHONE, ID_NUMBER, "13900000000"):
            assert_absent(secret, row["payload"], f"{row['event_type']} payload")
            assert_absent(secret, row["metadata"], f"{row['event_type']} metadata")


async def test_after_erasure_no_read_list_audit_or_table_shows_the_name_and_the_chain_holds(
    client: httpx.AsyncClient,
    county: County,
    system_pool: asyncpg.Pool,
    owner: asyncpg.Connection,
    database: Database,
) -> None:
    first = await school(client, county, "E01")
    teacher_id = await teacher(client, county, first, NAME, phone=PHONE, id_number=ID_NUMBER)
    kept = await teacher(client, county, first, "留存老师")
    await folded(system_pool, county)
    path = f"/v1/teachers/{teacher_id}"
    assert NAME in (await client.get("/v1/teachers", headers=county.auth("admin"))).text
    sealed = await owner.fetchval(
        "select personal from teacher_list where tenant_id = $1 and teacher_id = $2",
        county.tenant_id,
        teacher_id,
    )
    assert isinstance(sealed, bytes)  # the list keeps it sealed until the erasure
    assert_absent(NAME, b'{"personal": "%s"}' % sealed.hex().encode(), "teacher_list")

    erased = await client.post(f"{path}/erase", headers=county.auth("admin"))
    assert erased.status_code == 200, erased.text
    assert (erased.json()["erased"], erased.json()["name"]) == (True, None)
    assert erased.json()["display_name"] == "已删除"
    await folded(system_pool, county)

    reads = [await client.get(path, headers=county.auth(role)) for role in ("admin", "supervisor")]
    reads += [
        await client.get("/v1/teachers", headers=county.auth("admin"), params={"limit": 200}),
        await client.get("/v1/audit/events", headers=county.auth("auditor")),
    ]
    for answer in reads:
        assert answer.status_code == 200, answer.text
        for secret in (NAME, PHONE, ID_NUMBER):
            assert_absent(secret, answer.content, answer.url.path)
    assert reads[0].json()["erased"] is True
    assert reads[0].json()["phone"] is None
    items = {item["id"]: item for item in reads[2].json()["items"]}
    assert (items[str(teacher_id)]["erased"], items[str(teacher_id)]["name"]) == (True, None)
    assert items[str(kept)]["name"] == "留存老师"  # the others are still named
    row = await owner.fetchrow(
        "select * from teacher_list where tenant_id = $1 and teacher_id = $2",
        county.tenant_id,
        teacher_id,
    )
    assert row is not None
    assert (row["personal"], row["is_erased"]) == (None, True)
    key = await owner.fetchval(
        "select wrapped_key from teacher_keys where tenant_id = $1 and teacher_id = $2",
        county.tenant_id,
        teacher_id,
    )
    assert key is None

    again = await client.post(f"{path}/erase", headers=county.auth("admin"))
    assert (again.status_code, again.json()["code"]) == (409, "teacher_erased")
    renamed = await client.post(
        f"{path}/personal-data", json={"name": NAME}, headers=county.auth("admin")
    )
    assert (renamed.status_code, renamed.json()["code"]) == (409, "teacher_erased")
    verified = await client.get("/v1/audit/verify", headers=county.auth("auditor"))
    assert verified.json()["intact"] is True, verified.text
    command = await asyncio.to_thread(jgt, database, "verify", "--tenant", str(county.tenant_id))
    assert command.exit_code == 0, command.output
    # A rebuild folds the same: the erased teacher's row holds nothing to open.
    await ProjectionRunner(system_pool).rebuild(county.tenant_id)
    again_row = await owner.fetchrow(
        "select personal, is_erased from teacher_list where tenant_id = $1 and teacher_id = $2",
        county.tenant_id,
        teacher_id,
    )
    assert again_row is not None
    assert (again_row["personal"], again_row["is_erased"]) == (None, True)


async def test_a_retried_registration_is_answered_once_and_a_stale_change_is_refused(
    client: httpx.AsyncClient, county: County, owner: asyncpg.Connection
) -> None:
    first = await school(client, county, "I01")
    body = {"name": NAME, "school_id": str(first), "gender": "male", "birth_year": 1990}
    headers = county.auth("admin", **{"Idempotency-Key": "register-1"})
    made = await client.post("/v1/teachers", json=body, headers=headers)
    again = await client.post("/v1/teachers", json=body, headers=headers)
    assert (made.status_code, again.status_code) == (201, 201), again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == made.json()  # named as the first answer was
    count = await owner.fetchval(
        "select count(*) from events where tenant_id = $1 and stream_type like '%Teacher'",
        county.tenant_id,
    )
    assert count == 1
    path = f"/v1/teachers/{made.json()['id']}"
    stale = await client.post(
        f"{path}/title",
        json={"title": "junior", "changed_on": "2024-01-10"},
        headers=county.auth("admin", **{"If-Match": '"0"'}),
    )
    assert stale.status_code == 409, stale.text
    fresh = await client.post(
        f"{path}/title",
        json={"title": "junior", "changed_on": "2024-01-10"},
        headers=county.auth("admin", **{"If-Match": '"1"'}),
    )
    assert (fresh.status_code, fresh.json()["name"]) == (200, NAME)
