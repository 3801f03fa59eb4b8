"""Requests the API tests make again and again."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import httpx

from tests.service.conftest import County

SHA = "ab" * 32


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
        "evidence": [
            {"name": "签到表.jpg", "sha256": SHA, "size": 2048, "media_type": "image/jpeg"}
        ],
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
