"""The auditor's reads: the event log with hashes and actors, the chain check, recorded reads."""

from __future__ import annotations

import asyncpg
import httpx

from infra.checkpoints import sign_head
from infra.db import tenant_transaction
from service.services import signer_of
from service.settings import Settings
from tests.conftest import Database
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County


async def test_the_auditor_lists_every_event_with_its_actor_and_hash_in_pages(
    client: httpx.AsyncClient, county: County
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first),
        headers=county.auth("admin"),
    )
    pages, after = [], 0
    while True:
        answer = await client.get(
            "/v1/audit/events", params={"after": after, "limit": 2}, headers=county.auth("auditor")
        )
        assert answer.status_code == 200, answer.text
        pages.append(answer.json())
        if answer.json()["next_after"] is None:
            break
        after = answer.json()["next_after"]
    events = [event for page in pages for event in page["items"]]
    assert [e["seq"] for e in events] == list(range(1, 6))  # 3 schools, a community, an activity
    assert [e["event_type"] for e in events] == [
        "domain.community.school:School.Registered",
        "domain.community.school:School.Registered",
        "domain.community.school:School.Registered",
        "domain.community.community:Community.Formed",
        "domain.community.activity:Activity.Recorded",
    ]
    recorded = events[-1]
    assert recorded["stream_type"] == "Activity"
    assert recorded["data"]["facts"]["kind"] == "sending_lessons"
    assert recorded["data"]["facts"]["title"] == "送教下乡：四年级数学"
    assert recorded["actor"]["role"] == "admin"
    assert recorded["metadata"]["role"] == "admin"
    assert recorded["prev_hash"] == events[-2]["hash"]
    assert events[0]["prev_hash"] == "00" * 32
    one_stream = await client.get(
        "/v1/audit/events",
        params={"stream_id": str(community_id)},
        headers=county.auth("auditor"),
    )
    assert [e["event_type"] for e in one_stream.json()["items"]] == [
        "domain.community.community:Community.Formed"
    ]


async def test_verify_says_intact_then_names_the_altered_event(
    client: httpx.AsyncClient, county: County, database: Database
) -> None:
    await setup_community(client, county)
    intact = await client.get("/v1/audit/verify", headers=county.auth("auditor"))
    assert intact.json()["intact"] is True
    assert intact.json()["events_checked"] == 4
    assert intact.json()["first_bad"] is None
    owner = await asyncpg.connect(database.owner_url)
    try:
        await owner.execute("set session_replication_role = replica")
        await owner.execute(
            "update events set metadata = convert_to('{}', 'UTF8')"
            " where tenant_id = $1 and tenant_seq = 3",
            county.tenant_id,
        )
    finally:
        await owner.close()
    broken = await client.get("/v1/audit/verify", headers=county.auth("auditor"))
    assert broken.json()["intact"] is False
    assert broken.json()["first_bad"]["seq"] == 3
    assert broken.json()["first_bad"]["problem_code"] == "altered"
    assert broken.json()["first_bad"]["problem"].startswith("该事件的内容与其哈希不符")
    english = await client.get("/v1/audit/verify", headers=county.auth("auditor", "en"))
    assert "altered" in english.json()["first_bad"]["problem"]


async def test_every_read_by_an_auditor_is_recorded_and_others_may_not_audit(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    await client.get("/v1/audit/verify", headers=county.auth("auditor"))
    await client.get("/v1/audit/events?limit=5", headers=county.auth("auditor"))
    await client.get("/v1/audit/verify", headers=county.auth("admin"))
    denied = await client.get("/v1/audit/events", headers=county.auth("supervisor"))
    assert (denied.status_code, denied.json()["code"]) == (403, "forbidden")
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        reads = await conn.fetch(
            "select method, path, query from audit_reads where tenant_id = $1 order by read_id",
            county.tenant_id,
        )
        assert [tuple(r.values()) for r in reads] == [
            ("GET", "/v1/audit/verify", ""),
            ("GET", "/v1/audit/events", "limit=5"),
        ]
        try:
            await conn.execute("delete from audit_reads")
        except asyncpg.InsufficientPrivilegeError:
            pass
        else:
            raise AssertionError("an auditor's trail could be deleted")


async def test_auditors_list_the_signed_checkpoints_and_verify_names_a_cut_back_log(
    client: httpx.AsyncClient,
    county: County,
    system_pool: asyncpg.Pool,
    database: Database,
    settings: Settings,
) -> None:
    await setup_community(client, county)  # 4 events
    signer = signer_of(settings)
    async with system_pool.acquire() as conn:
        await sign_head(conn, county.tenant_id, signer)
    listed = await client.get("/v1/audit/checkpoints", headers=county.auth("auditor"))
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["public_key"] == signer.public_key.hex()
    [only] = body["items"]
    assert (only["seq"], only["public_key"], len(bytes.fromhex(only["signature"]))) == (
        4,
        signer.public_key.hex(),
        64,
    )
    denied = await client.get("/v1/audit/checkpoints", headers=county.auth("supervisor"))
    assert denied.status_code == 403

    owner = await asyncpg.connect(database.owner_url)
    try:
        async with owner.transaction():
            await owner.execute("alter table events disable trigger events_immutable")
            third = await owner.fetchval(
                "select hash from events where tenant_id = $1 and tenant_seq = 3", county.tenant_id
            )
            await owner.execute(
                "delete from events where tenant_id = $1 and tenant_seq = 4", county.tenant_id
            )
            await owner.execute(
                "update tenant_heads set last_seq = 3, last_hash = $2 where tenant_id = $1",
                county.tenant_id,
                third,
            )
            await owner.execute("alter table events enable trigger events_immutable")
    finally:
        await owner.close()
    checked = (await client.get("/v1/audit/verify", headers=county.auth("auditor"))).json()
    assert not checked["intact"]
    assert (checked["first_bad"]["seq"], checked["first_bad"]["problem_code"]) == (4, "truncated")
    assert "检查点" in checked["first_bad"]["problem"]
