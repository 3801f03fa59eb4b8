"""Sign-in by phone: a signed, short-lived link opens a page where a teacher signs in."""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from infra.db import tenant_transaction
from infra.sign_in_links import SignInLink
from infra.tenancy import Role, set_suspended
from projections.runner import ProjectionRunner
from service.app import create_app
from service.runtime import Urls
from service.services import signer_of
from service.settings import Settings
from tests.service.api import activity_body, setup_community
from tests.service.conftest import County, issue
from tests.service.test_api_commands import event_count

PEOPLE = ["李华", "王芳", "赵磊"]


async def lesson(client: httpx.AsyncClient, county: County, **extra: Any) -> dict[str, Any]:
    """An action with three expected participants that started at 08:30 (+08:00)."""
    community_id, lead, first, _ = await setup_community(client, county)
    participants = [{"name": name, "school_id": str(first)} for name in PEOPLE]
    body = activity_body(
        community_id,
        lead,
        first,
        participants=participants,
        starts_at="2023-03-15T08:30:00+08:00",
        **extra,
    )
    answer = await client.post("/v1/activities", json=body, headers=county.auth("admin"))
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def link_of(
    client: httpx.AsyncClient, county: County, activity_id: str, **body: Any
) -> dict[str, Any]:
    answer = await client.post(
        f"/v1/activities/{activity_id}/sign-in-links", json=body, headers=county.auth("admin")
    )
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


async def test_a_teacher_opens_the_link_picks_a_name_and_signs_in_once(
    client: httpx.AsyncClient, county: County, system_pool: asyncpg.Pool
) -> None:
    activity = await lesson(client, county)
    school = activity["participants"][0]["school_id"]
    link = await link_of(client, county, activity["id"], minutes=30)
    expires = datetime.fromisoformat(link["expires_at"])
    assert timedelta(minutes=29) < expires - datetime.now(UTC) <= timedelta(minutes=30)
    page = await client.get(path_of(link["url"]))
    assert page.status_code == 200, page.text
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    for name in PEOPLE:
        assert name in page.text
    assert "学校S02" in page.text  # each name with its school
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text)  # nothing fetched

    signed = await client.post(path_of(link["url"]), json={"name": "王芳", "school_id": school})
    assert signed.status_code == 201, signed.text
    assert (signed.json()["name"], signed.json()["late"]) == ("王芳", True)  # after 08:30
    again = await client.post(path_of(link["url"]), json={"name": "王芳", "school_id": school})
    assert (again.status_code, again.json()["code"]) == (409, "already_signed_in")
    stranger = await client.post(path_of(link["url"]), json={"name": "路人", "school_id": school})
    assert (stranger.status_code, stranger.json()["code"]) == (422, "not_expected")

    whole = (
        await client.get(f"/v1/activities/{activity['id']}", headers=county.auth("admin"))
    ).json()
    assert [(s["name"], s["late"]) for s in whole["sign_ins"]] == [("王芳", True)]
    assert "disabled>王芳" in (await client.get(path_of(link["url"]))).text
    events = await client.get("/v1/audit/events", headers=county.auth("auditor"))
    mine = [e for e in events.json()["items"] if e["event_type"].endswith("Activity.SignedIn")]
    assert len(mine) == 1
    assert mine[0]["metadata"]["role"] == "sign_in_link"
    assert mine[0]["metadata"]["actor"] == link["link_id"]  # the link stands as the actor

    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    listed = (await client.get("/v1/activities", headers=county.auth("supervisor"))).json()
    [item] = listed["items"]
    assert item["attendance_count"] == {
        "expected": 3,
        "signed_in": 1,
        "late": 1,
        "left_early": 0,
        "on_leave": 0,
        "absent": 2,
    }


async def test_the_qr_code_is_an_svg_of_the_page(client: httpx.AsyncClient, county: County) -> None:
    activity = await lesson(client, county)
    link = await link_of(client, county, activity["id"])
    assert link["qr_svg_url"] == link["url"] + "/qr.svg"
    qr = await client.get(path_of(link["qr_svg_url"]))
    assert qr.status_code == 200, qr.text
    assert qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.text.startswith("<svg") and "<path" in qr.text
    default = datetime.fromisoformat(link["expires_at"]) - datetime.now(UTC)
    assert timedelta(minutes=119) < default <= timedelta(minutes=120)  # JGT_SIGN_IN_LINK_MINUTES
    longer = await link_of(client, county, activity["id"], minutes=600)  # capped by the setting
    capped = datetime.fromisoformat(longer["expires_at"]) - datetime.now(UTC)
    assert capped <= timedelta(minutes=120)


async def test_a_forged_or_bent_link_gets_a_problem_and_records_nothing(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool, settings: Settings
) -> None:
    activity = await lesson(client, county)
    school = activity["participants"][0]["school_id"]
    link = await link_of(client, county, activity["id"])
    token = path_of(link["url"]).rsplit("/", 1)[1]
    before = await event_count(app_pool, county.tenant_id)
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[20] ^= 1  # another action, the signature kept
    bent = base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    forged_key = SignInLink(
        tenant_id=county.tenant_id,
        activity_id=UUID(activity["id"]),
        link_id=uuid4(),
        expires_at=datetime.now(UTC) + timedelta(hours=1),
    ).token(signer_of(msgspec.structs.replace(settings, data_dir=settings.data_dir / "other")))
    for bad in (bent, forged_key, token[:-4], "not-a-link", "x" * 300):
        for method in ("GET", "POST"):
            answer = await client.request(
                method, f"/v1/sign-in/{bad}", json={"name": "王芳", "school_id": school}
            )
            assert (answer.status_code, answer.json()["code"]) == (404, "bad_sign_in_link"), bad
        qr = await client.get(f"/v1/sign-in/{bad}/qr.svg")
        assert qr.status_code == 404
    assert await event_count(app_pool, county.tenant_id) == before


async def test_an_expired_link_gets_410_and_a_link_the_action_never_issued_409(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool, settings: Settings
) -> None:
    activity = await lesson(client, county)
    school = activity["participants"][0]["school_id"]
    before = await event_count(app_pool, county.tenant_id)
    signer = signer_of(settings)  # the service's own key
    expired = SignInLink(
        tenant_id=county.tenant_id,
        activity_id=UUID(activity["id"]),
        link_id=uuid4(),
        expires_at=(datetime.now(UTC) - timedelta(seconds=1)).replace(microsecond=0),
    ).token(signer)
    for method in ("GET", "POST"):
        answer = await client.request(
            method, f"/v1/sign-in/{expired}", json={"name": "王芳", "school_id": school}
        )
        assert (answer.status_code, answer.json()["code"]) == (410, "sign_in_link_expired")
    never_issued = SignInLink(
        tenant_id=county.tenant_id,
        activity_id=UUID(activity["id"]),
        link_id=uuid4(),
        expires_at=datetime.now(UTC) + timedelta(hours=1),
    ).token(signer)
    answer = await client.post(
        f"/v1/sign-in/{never_issued}", json={"name": "王芳", "school_id": school}
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "sign_in_link")
    assert await event_count(app_pool, county.tenant_id) == before


async def test_a_recorder_issues_links_for_its_own_schools_actions_only(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    activity = await lesson(client, county)
    member = activity["participants"][0]["school_id"]
    county.tokens["recorder"] = await issue(
        app_pool, county.tenant_id, Role.RECORDER, school_id=UUID(member)
    )
    answer = await client.post(
        f"/v1/activities/{activity['id']}/sign-in-links", json={}, headers=county.auth("recorder")
    )
    assert (answer.status_code, answer.json()["code"]) == (403, "not_your_school")
    supervisor = await client.post(
        f"/v1/activities/{activity['id']}/sign-in-links", json={}, headers=county.auth("supervisor")
    )
    assert supervisor.status_code == 403
    voided = await client.post(
        f"/v1/activities/{activity['id']}/void",
        json={"reason": "重复"},
        headers=county.auth("admin"),
    )
    assert voided.status_code == 200
    late = await client.post(
        f"/v1/activities/{activity['id']}/sign-in-links", json={}, headers=county.auth("admin")
    )
    assert (late.status_code, late.json()["code"]) == (409, "activity_voided")


@pytest.fixture(scope="module")
async def strict_client(settings: Settings, urls: Urls) -> AsyncIterator[httpx.AsyncClient]:
    """An app that lets a client address make three sign-in requests a minute."""
    strict = msgspec.structs.replace(
        settings, sign_ins_per_minute=3, queue_name=f"jgt:test:{uuid4().hex}"
    )
    async with AsyncTestClient(create_app(strict, urls, background=False)) as test_client:
        yield test_client


async def test_sign_ins_and_bad_links_are_throttled_per_client(
    strict_client: httpx.AsyncClient, county: County
) -> None:
    activity = await lesson(strict_client, county)
    school = activity["participants"][0]["school_id"]
    link = path_of((await link_of(strict_client, county, activity["id"]))["url"])
    answers = [
        await strict_client.post(link, json={"name": name, "school_id": school}) for name in PEOPLE
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    throttled = await strict_client.get("/v1/sign-in/forged")
    assert (throttled.status_code, throttled.json()["code"]) == (429, "too_many_sign_ins")
    assert int(throttled.headers["retry-after"]) >= 1
    page = await strict_client.post(link, json={"name": "李华", "school_id": school})
    assert page.status_code == 429


async def test_a_link_of_a_suspended_county_is_not_valid_until_it_is_resumed(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    activity = await lesson(client, county)
    page = path_of((await link_of(client, county, activity["id"]))["url"])
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        assert await set_suspended(conn, county.tenant_id, suspended=True)
    refused = await client.get(page)
    assert (refused.status_code, refused.json()["code"]) == (404, "bad_sign_in_link")
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        assert await set_suspended(conn, county.tenant_id, suspended=False)
    assert (await client.get(page)).status_code == 200
