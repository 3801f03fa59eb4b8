"""Requests the API tests make again and again."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import httpx

from tests.service.conftest import County

# The smallest files of each kind the upload takes (their content decides their kind).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def school(client: httpx.AsyncClient, county: County, code: str, **extra: Any) -> UUID:
    body = {"name": f"学校{code}", "code": code, "stage": "primary", "location": "village", **extra}
    answer = await client.post("/v1/schools", json=body, headers=county.auth("admin"))
    assert answer.status_code == 201, answer.text
    return UUID(answer.json()["id"])


async def community(
    client: httpx.AsyncClient, county: County, lead: UUID, members: list[UUID], **extra: Any
) -> UUID:
    body = {
        "name": "城关小学教共体",
        "type": "co_built",
        "lead_school_id": str(lead),
        "member_school_ids": [str(m) for m in members],
        "starts_on": "2022-09-01",
        "ends_on": "2024-08-31",
        **extra,
    }
    answer = await client.post("/v1/communities", json=body, headers=county.auth("admin"))
    assert answer.status_code == 201, answer.text
    return UUID(answer.json()["id"])


def activity_body(
    community_id: UUID, host: UUID, *participating: UUID, **extra: Any
) -> dict[str, Any]:
    return {
        "community_id": str(community_id),
        "kind": "sending_lessons",
        "title": "送教下乡：四年级数学",
        "host_school_id": str(host),
        "participating_school_ids": [str(p) for p in participating],
        "held_on": "2023-03-15",
        "subjects": ["math"],
        "participants": [{"name": "李华", "school_id": str(host), "role": "授课教师"}],
        "mode": "on_site",
        **extra,
    }


async def setup_community(
    client: httpx.AsyncClient, county: County, prefix: str = "S"
) -> tuple[UUID, UUID, UUID, UUID]:
    """A lead county school and two rural members in a community; returns (community, lead, a, b)."""
    lead = await school(client, county, f"{prefix}01", location="urban")
    first = await school(client, county, f"{prefix}02")
    second = await school(client, county, f"{prefix}03")
    return await community(client, county, lead, [first, second]), lead, first, second


def iso(day: date) -> str:
    return day.isoformat()


async def upload(
    client: httpx.AsyncClient,
    county: County,
    content: bytes = PNG,
    *,
    role: str = "admin",
    name: str = "photo.png",
) -> dict[str, Any]:
    """Uploads `content` as an evidence file; returns the answer's JSON (its sha256…)."""
    answer = await client.post(
        "/v1/files", files={"file": (name, content, "image/png")}, headers=county.auth(role)
    )
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


def evidence(uploaded: dict[str, Any], name: str = "签到表.png") -> dict[str, Any]:
    """An action's evidence item naming an uploaded file."""
    return {"name": name, "sha256": uploaded["sha256"], "size": uploaded["size"]}


async def teacher(
    client: httpx.AsyncClient, county: County, school_id: UUID, name: str, **extra: Any
) -> UUID:
    """A teacher registered over HTTP (names are made up: no real person)."""
    body = {
        "name": name,
        "school_id": str(school_id),
        "gender": "female",
        "birth_year": 1988,
        "subjects": ["math"],
        **extra,
    }
    answer = await client.post("/v1/teachers", json=body, headers=county.auth("admin"))
    assert answer.status_code == 201, answer.text
    return UUID(answer.json()["id"])
