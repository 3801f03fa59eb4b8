"""Tenants never see each other: every route, asked with county A's tokens for county B's ids."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import msgspec
from litestar import Litestar

from infra.db import tenant_transaction
from infra.inbox import ActivityNotice, deliver
from infra.tenancy import Role
from projections.runner import ProjectionRunner
from service.access import PUBLIC
from tests.conftest import new_tenant
from tests.service.api import PDF, activity_body, evidence, setup_community, teacher, upload
from tests.service.conftest import County, issue
from tests.service.research_api import RESEARCH_EVENTS, research_records

STAFF_EVENTS = 4  # two teachers, an assignment, a mentor pair

# A name that appears only in county B's data, so any leak shows in an answer's text.
MARKER = "乙县独有标记"


@dataclass
class Filled:
    county: County
    ids: dict[str, str]  # path parameter name -> one of this county's ids


async def filled_county(
    client: httpx.AsyncClient,
    pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    name: str,
    prefix: str,
) -> Filled:
    """A county with schools, a community, an action with its evidence file and sign-in link,
    its notification, teachers, an assignment, a mentor pair, and folded lists.
    """
    tenant_id = await new_tenant(pool, name)
    county = County(tenant_id)
    for role in (Role.ADMIN, Role.SUPERVISOR, Role.AUDITOR):
        county.tokens[role.value] = await issue(pool, tenant_id, role, label=f"{name} {role}")
    community_id, lead, first, _ = await setup_community(client, county, prefix)
    county.tokens["recorder"] = await issue(pool, tenant_id, Role.RECORDER, school_id=lead)
    photo = await upload(client, county, PDF + f"% {name}\n".encode(), role="recorder")
    recorded = await client.post(
        "/v1/activities",
        json=activity_body(
            community_id,
            lead,
            first,
            title=f"{name} 送教下乡",
            note=name,
            evidence=[evidence(photo, f"{name}.pdf")],
        ),
        headers=county.auth("recorder"),
    )
    assert recorded.status_code == 201, recorded.text
    research = await research_records(client, county, community_id, lead, first)
    link = await client.post(
        f"/v1/activities/{recorded.json()['id']}/sign-in-links",
        json={},
        headers=county.auth("recorder"),
    )
    assert link.status_code == 200, link.text
    rules = await client.post(
        "/v1/rule-sets/templates/yongli-pairing",
        json={"version": 1, "publish": True},
        headers=county.auth("admin"),
    )
    assert rules.status_code == 201, rules.text
    assessment = await client.post(
        "/v1/assessments",
        json={
            "community_id": str(community_id),
            "school_year": "2022-2023",
            "grade": "pass",
            "reason": f"{name} 考核",
        },
        headers=county.auth("admin"),
    )
    assert assessment.status_code == 201, assessment.text
    # A person of the county, with its name as the marker, and review levels set by an admin
    # person, so that the review routes and the queue have something to leak.
    user = await client.post(
        "/v1/users", json={"name": f"{name}审核人", "role": "admin"}, headers=county.auth("admin")
    )
    assert user.status_code == 201, user.text
    person_token = await client.post(
        "/v1/tokens",
        json={"user_id": user.json()["id"], "label": f"{name} 审核人"},
        headers=county.auth("admin"),
    )
    county.tokens["person"] = person_token.json()["token"]
    levels = {"levels": ["school", "county"]}
    assert (
        await client.post("/v1/review-levels", json=levels, headers=county.auth("person"))
    ).status_code == 200
    approved = await client.post(
        f"/v1/activities/{recorded.json()['id']}/review/approve",
        json={"level": "school"},
        headers=county.auth("person"),
    )
    assert approved.status_code == 200, approved.text
    tokens = await client.get("/v1/tokens", headers=county.auth("admin"))
    staff = await staff_of(client, county, name, lead, first)
    # The lead school's notification, as the job delivers it, and the lists folded.
    async with system_pool.acquire() as conn:
        row = await conn.fetchrow(
            "select outbox_id, payload from outbox where tenant_id = $1", tenant_id
        )
    assert row is not None
    outbox_id, payload = row["outbox_id"], row["payload"]
    async with tenant_transaction(pool, tenant_id) as conn:
        await deliver(conn, tenant_id, outbox_id, msgspec.json.decode(payload, type=ActivityNotice))
    await ProjectionRunner(system_pool).catch_up([tenant_id])
    return Filled(
        county,
        {
            "school_id": str(lead),
            "community_id": str(community_id),
            "activity_id": recorded.json()["id"],
            "token_id": tokens.json()[0]["token_id"],
            "user_id": user.json()["id"],
            "tenant_id": str(tenant_id),
            "notification_id": str(outbox_id),
            **research,
            "sha256": photo["sha256"],
            "link": link.json()["url"].rsplit("/", 1)[1],
            "rule_set_id": rules.json()["id"],
            "assessment_id": assessment.json()["id"],
            # A template's name is the same in every county: not one the county loaded, so
            # that its own lists, which name theirs, do not look like a leak.
            "name": "school-partnership",
            **staff,
            # A compliance result's key beside the community: the same in every county.
            "rule_id": "no-such-rule",
            "period": "no-such-period",
        },
    )


async def staff_of(
    client: httpx.AsyncClient, county: County, name: str, lead: UUID, member: UUID
) -> dict[str, str]:
    """Two teachers (named after the county), one sent to a member school, paired."""
    mentor = await teacher(client, county, lead, f"{name}教师甲")
    apprentice = await teacher(client, county, lead, f"{name}教师乙")
    admin = county.auth("admin")
    assignment = await client.post(
        "/v1/assignments",
        json={
            "kind": "dispatch",
            "teacher_id": str(mentor),
            "role": "backbone_teacher",
            "from_school_id": str(lead),
            "to_school_id": str(member),
            "starts_on": "2022-09-01",
            "planned_ends_on": "2024-08-31",
        },
        headers=admin,
    )
    assert assignment.status_code == 201, assignment.text
    mentorship = await client.post(
        "/v1/mentorships",
        json={
            "mentor_id": str(mentor),
            "apprentice_id": str(apprentice),
            "school_id": str(lead),
            "starts_on": "2022-09-01",
            "planned_ends_on": "2023-08-31",
        },
        headers=admin,
    )
    assert mentorship.status_code == 201, mentorship.text
    return {
        "teacher_id": str(mentor),
        "assignment_id": assignment.json()["id"],
        "mentorship_id": mentorship.json()["id"],
    }


def routes(app: Litestar) -> list[tuple[str, str]]:
    """Every /v1 route that takes a token. The public ones answer whoever holds a signed link
    (sign-in by phone; tests/service/test_sign_in.py bends and forges links) or tell nothing
    of a county (the codes).
    """
    found = []
    for route in app.routes:
        for method in sorted(getattr(route, "methods", set())):
            if method in {"HEAD", "OPTIONS"}:
                continue
            if not route.path.startswith("/v1/") and route.path != "/metrics":
                continue
            if (method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)) in PUBLIC:
                continue
            found.append((method, route.path))
    return found


def fill(path: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in ids:
            raise AssertionError(f"the isolation test does not know path parameter {name!r}")
        return ids[name]

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def leaks(answer: httpx.Response, other: Filled) -> list[str]:
    text = answer.text
    if answer.headers.get("content-type", "").startswith("application/problem+json"):
        text = text.replace(answer.json().get("instance") or "", "")  # the request's own path
    # A notification id is a small number: it shows up in any text, so the inbox is checked
    # by its items below instead.
    searched = [v for k, v in other.ids.items() if k != "notification_id"]
    return [v for v in (*searched, MARKER) if v in text]


async def test_no_route_lets_one_county_read_count_or_change_anothers_records(
    client: httpx.AsyncClient, app: Litestar, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    a = await filled_county(client, app_pool, system_pool, "甲县教育局", "A")
    b = await filled_county(client, app_pool, system_pool, f"{MARKER}教育局", "B")
    filters: dict[str, Any] = {
        "community": b.ids["community_id"],
        "community_id": b.ids["community_id"],
        "school": b.ids["school_id"],
        "school_id": b.ids["school_id"],
        "stream_id": b.ids["activity_id"],
        "person": b.ids["teacher_id"],
    }
    checked = 0
    for method, path in routes(app):
        for role in ("admin", "recorder", "supervisor", "auditor"):
            headers = a.county.auth(role)
            if "{" in path:
                target = fill(path, b.ids)
                answer = await client.request(method, target, headers=headers, json={})
                # Not found, forbidden, or a body that fails validation first: never success.
                assert answer.status_code in {400, 403, 404}, (role, method, target, answer.text)
                assert not leaks(answer, b), (role, method, target, answer.text)
            elif method == "GET":
                plain = await client.get(path, headers=headers)
                filtered = await client.get(path, headers=headers, params=filters)
                for answer in (plain, filtered):
                    assert answer.status_code < 500, (role, path, answer.text)
                    assert not leaks(answer, b), (role, path, answer.text)
            checked += 1
    assert checked >= 4 * 25

    # The same lists and counts do hold A's own records: the checks above were not vacuous.
    mine = a.county.auth("supervisor")
    for path, key in (
        ("/v1/schools", "school_id"),
        ("/v1/communities", "community_id"),
        ("/v1/activities", "activity_id"),
        ("/v1/research/projects", "project_id"),
        ("/v1/research/papers", "paper_id"),
        ("/v1/quality/sittings", "sitting_id"),
        ("/v1/money/entries", "entry_id"),
        ("/v1/commendations", "commendation_id"),
        ("/v1/rule-sets", "rule_set_id"),
        ("/v1/assessments", "assessment_id"),
        ("/v1/teachers", "teacher_id"),
        ("/v1/assignments", "assignment_id"),
        ("/v1/mentorships", "mentorship_id"),
    ):
        listed = (await client.get(path, headers=mine)).json()["items"]
        assert a.ids[key] in [item["id"] for item in listed], path
    quality = (await client.get("/v1/quality/results", headers=mine)).json()["items"]
    assert [item["sitting_id"] for item in quality] == [a.ids["sitting_id"]]
    counts = await client.get("/v1/dashboards/activity-counts", headers=mine)
    assert counts.json()["total"] == 1, counts.text
    for role in ("recorder", "admin"):  # the inbox is theirs alone (service/access.py)
        inbox = (await client.get("/v1/inbox", headers=a.county.auth(role))).json()
        assert [n["notification_id"] for n in inbox["items"]] == [int(a.ids["notification_id"])]

    # And county B's records are as B left them.
    ids = {
        "schools": "school_id",
        "communities": "community_id",
        "activities": "activity_id",
        "rule-sets": "rule_set_id",
        "assessments": "assessment_id",
        "teachers": "teacher_id",
        "assignments": "assignment_id",
        "mentorships": "mentorship_id",
    }
    for kind, id_name in ids.items():
        own = await client.get(f"/v1/{kind}/{b.ids[id_name]}", headers=b.county.auth("admin"))
        assert own.status_code == 200
        versions = {"activities": 2, "rule-sets": 3, "assessments": 2}
        assert own.json()["version"] == versions.get(kind, 1), own.json()
    file = await client.get(f"/v1/files/{b.ids['sha256']}", headers=b.county.auth("auditor"))
    assert file.status_code == 200
    verified = await client.get("/v1/audit/verify", headers=b.county.auth("auditor"))
    assert verified.json()["intact"] is True
    # The link's event, the rule set's three, the assessment's two, the review levels and
    # one review opened and approved too.
    assert verified.json()["events_checked"] == 11 + RESEARCH_EVENTS + STAFF_EVENTS + 3


async def test_a_token_of_one_county_cannot_be_bent_to_another(
    client: httpx.AsyncClient, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    a = await filled_county(client, app_pool, system_pool, "丙县教育局", "C")
    b = await filled_county(client, app_pool, system_pool, "丁县教育局", "D")
    # A token names its county; swapping in another county's id breaks the secret's match.
    token = a.county.tokens["admin"]
    raw = bytearray(base64.urlsafe_b64decode(token[4:] + "=" * (-len(token[4:]) % 4)))
    raw[:16] = UUID(b.ids["tenant_id"]).bytes
    forged = "jgt_" + base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")
    answer = await client.get(
        f"/v1/schools/{b.ids['school_id']}", headers={"Authorization": f"Bearer {forged}"}
    )
    assert answer.status_code == 401
