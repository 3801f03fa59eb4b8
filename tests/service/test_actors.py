"""People, not tokens, act: every event names the person, and reads name them by name and role."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.community.activity import Activity
from infra.db import tenant_transaction
from infra.event_store import WriteContext
from tests.service.api import activity_body, setup_community, teacher
from tests.service.test_api_assignments import arrangement
from tests.service.test_people import person

if TYPE_CHECKING:
    import asyncpg
    import httpx

    from infra.event_store import EventStore
    from tests.service.conftest import County


def who(change: dict[str, Any]) -> tuple[str, str | None, str | None, str | None, bool]:
    by = change["by"]
    return (change["change"], by["user_id"], by["name"], by["role"], by["through_token"])


async def history(client: httpx.AsyncClient, county: County, activity: str) -> list[Any]:
    answer = await client.get(
        f"/v1/activities/{activity}/history", headers=county.auth("supervisor", "en")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == activity
    changes: list[Any] = answer.json()["changes"]
    return changes


async def test_who_corrected_voided_and_approved_stays_the_person_after_a_token_rotates(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    zhang, first_token = await person(client, county, "张老师", "recorder", school_id=str(first))
    li, _ = await person(client, county, "李局长", "admin")
    levels = await client.post(
        "/v1/review-levels", json={"levels": ["school"]}, headers=county.auth("李局长")
    )
    assert levels.status_code == 200, levels.text
    body = activity_body(community_id, first, lead)
    recorded = await client.post("/v1/activities", json=body, headers=county.auth("张老师"))
    assert recorded.status_code == 201, recorded.text
    action = recorded.json()["id"]
    approved = await client.post(
        f"/v1/activities/{action}/review/approve",
        json={"level": "school"},
        headers=county.auth("张老师"),
    )
    assert approved.status_code == 200, approved.text

    # Zhang's token is revoked and another issued to her: she corrects with the new one.
    revoked = await client.delete(f"/v1/tokens/{first_token}", headers=county.auth("admin"))
    assert revoked.status_code == 204
    _, second_token = await person_token(client, county, zhang, "张老师")
    corrected = await client.post(
        f"/v1/activities/{action}/corrections",
        json={"reason": "补充说明", "note": "补充说明"},
        headers=county.auth("张老师"),
    )
    assert corrected.status_code == 200, corrected.text
    voided = await client.post(
        f"/v1/activities/{action}/void", json={"reason": "重复登记"}, headers=county.auth("李局长")
    )
    assert voided.status_code == 200, voided.text

    changes = await history(client, county, action)
    assert [who(c) for c in changes] == [
        ("Recorded", str(zhang), "张老师", "recorder", False),
        ("Corrected", str(zhang), "张老师", "recorder", False),
        ("Voided", str(li), "李局长", "admin", False),
    ]
    assert [c["by"]["id"] for c in changes] == [str(zhang), str(zhang), str(li)]
    assert [c["by"]["role_label"] for c in changes][2] == "Admin"
    assert [c["reason"] for c in changes] == ["", "补充说明", "重复登记"]
    review = await client.get(f"/v1/activities/{action}/review", headers=county.auth("auditor"))
    steps = review.json()["steps"]
    assert [(s["step"], s["by"]["user_id"], s["by"]["name"]) for s in steps] == [
        ("opened", str(zhang), "张老师"),
        ("approved", str(zhang), "张老师"),
        ("reopened", str(zhang), "张老师"),  # by her correction, with the new token
    ]

    # The events themselves name the person; neither token appears in their data.
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        payloads = await conn.fetch(
            "select payload from events where tenant_id = $1 and stream_id = $2 order by version",
            county.tenant_id,
            UUID(action),
        )
    for row in payloads:
        assert str(zhang).encode() in row["payload"] or str(li).encode() in row["payload"]
        assert first_token.encode() not in row["payload"]
        assert second_token.encode() not in row["payload"]


async def person_token(
    client: httpx.AsyncClient, county: County, user_id: UUID, name: str
) -> tuple[UUID, str]:
    """Another token issued to the user, registered under `name`."""
    issued = await client.post(
        "/v1/tokens",
        json={"user_id": str(user_id), "label": f"{name}的新令牌"},
        headers=county.auth("admin"),
    )
    assert issued.status_code == 201, issued.text
    county.tokens[name] = issued.json()["token"]
    return user_id, issued.json()["token_id"]


async def test_an_event_naming_a_token_is_read_as_the_tokens_person_where_known(
    client: httpx.AsyncClient, county: County, store: EventStore
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    # The county's first admin token belongs to no one: the event names the token.
    body = activity_body(community_id, first, lead)
    recorded = await client.post("/v1/activities", json=body, headers=county.auth("admin"))
    action = UUID(recorded.json()["id"])
    tokens = (await client.get("/v1/tokens", headers=county.auth("admin"))).json()
    admin_token = next(t["token_id"] for t in tokens if t["label"] == "admin")
    # An event of before people acted: it names the token of a user, which was revoked since.
    wang, token_id = await person(client, county, "王晓红", "recorder", school_id=str(first))
    activity = await store.get(Activity, county.tenant_id, action)
    activity.void("重复登记", by=UUID(token_id))
    ctx = WriteContext(tenant_id=county.tenant_id, actor_id=UUID(token_id), role="recorder")
    await store.save(activity, ctx)
    assert (await client.delete(f"/v1/tokens/{token_id}", headers=county.auth("admin"))).is_success

    changes = await history(client, county, str(action))
    assert [who(c) for c in changes] == [
        ("Recorded", None, None, "admin", True),
        ("Voided", str(wang), "王晓红", "recorder", True),
    ]
    assert [c["by"]["id"] for c in changes] == [admin_token, token_id]
    # The auditors' log says the same of the event's metadata, which names only the token.
    audit = await client.get(
        "/v1/audit/events", params={"stream_id": str(action)}, headers=county.auth("auditor")
    )
    actors = [e["actor"] for e in audit.json()["items"]]
    assert [(a["id"], a["user_id"], a["user_name"], a["through_token"]) for a in actors] == [
        (admin_token, None, None, False),
        (token_id, str(wang), "王晓红", True),
    ]


async def test_a_history_is_of_the_countys_actions_only(
    client: httpx.AsyncClient, county: County
) -> None:
    community_id, *_ = await setup_community(client, county)
    # A community is not an action: its id reads as no action at all.
    answer = await client.get(
        f"/v1/activities/{community_id}/history", headers=county.auth("supervisor")
    )
    assert (answer.status_code, answer.headers["content-type"]) == (
        404,
        "application/problem+json",
    )


async def test_every_kind_of_record_has_its_history_with_the_person(
    client: httpx.AsyncClient, county: County
) -> None:
    _, lead, first, _ = await setup_community(client, county)
    li, _ = await person(client, county, "李局长", "admin")
    zhao = await teacher(client, county, lead, "赵老师")
    qian = await teacher(client, county, lead, "钱老师")
    body = arrangement(zhao, lead, first)
    made = await client.post("/v1/assignments", json=body, headers=county.auth("李局长"))
    assert made.status_code == 201, made.text
    path = f"/v1/assignments/{made.json()['id']}"
    replaced = await client.post(
        f"{path}/replacement",
        json={"teacher_id": str(qian), "replaced_on": "2023-09-01", "side": "host"},
        headers=county.auth("李局长"),
    )
    assert replaced.status_code == 200, replaced.text
    ended = await client.post(
        f"{path}/end",
        json={"ended_on": "2024-01-31", "reason": "借调"},
        headers=county.auth("admin"),
    )
    assert ended.status_code == 200, ended.text
    shown = await client.get(f"{path}/history", headers=county.auth("auditor", "en"))
    assert shown.status_code == 200, shown.text
    assert [who(c) for c in shown.json()["changes"]] == [
        ("Arranged", str(li), "李局长", "admin", False),
        ("Replaced", str(li), "李局长", "admin", False),
        ("EndedEarly", None, None, "admin", True),  # the county's first token: no one's
    ]
    assert shown.json()["changes"][2]["reason"] == "借调"
    school = await client.get(f"/v1/schools/{lead}/history", headers=county.auth("supervisor"))
    assert [c["change"] for c in school.json()["changes"]] == ["Registered"]
    # A record of another kind is no teacher's.
    wrong = await client.get(f"/v1/teachers/{lead}/history", headers=county.auth("supervisor"))
    assert wrong.status_code == 404
