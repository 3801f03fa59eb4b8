"""Requests the research and quality API tests make again and again."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx

from tests.service.conftest import County

TEACHER = "6f1c2a4e-0000-4000-8000-00000000fe01"
RESEARCH_EVENTS = 6  # the events research_records writes


def project_body(owners: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "title": "农村小学整本书阅读的实践研究",
        "owner_school_ids": [str(school) for school in owners],
        "participant_ids": [TEACHER],
        "subjects": ["chinese"],
        "level": "county",
        "applied_on": "2022-10-08",
        **extra,
    }


def paper_body(school: object, **extra: Any) -> dict[str, Any]:
    return {
        "title": "小学数学分层作业设计",
        "school_id": str(school),
        "author_ids": [TEACHER],
        "level": "city",
        "outcome": "awarded",
        "award_grade": "一等奖",
        "venue": "市教育学会论文评比",
        "dated_on": "2023-05-20",
        **extra,
    }


def sitting_body(schools: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "kind": "joint",
        "title": "期末联考",
        "held_on": "2023-06-25",
        "grades": [4],
        "subjects": ["math", "chinese"],
        "school_ids": [str(school) for school in schools],
        **extra,
    }


def result_body(school: object, **extra: Any) -> dict[str, Any]:
    return {
        "school_id": str(school),
        "subject": "math",
        "grade": 4,
        "students": 42,
        "pass_rate": 92.86,
        "good_rate": 61.9,
        "mean": 83.25,
        **extra,
    }


def funding_body(community_id: object, lead: object, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "funding",
        "amount_fen": 1_000_000,
        "school_id": str(lead),
        "community_id": str(community_id),
        "year": 2023,
        "paid_on": "2023-03-01",
        **extra,
    }


def subsidy_body(school: object, month: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "subsidy",
        "amount_fen": 20_000,
        "school_id": str(school),
        "teacher_id": TEACHER,
        "month": month,
        "paid_on": "2023-06-30",
        **extra,
    }


def commendation_body(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "community",
        "year": 2022,
        "title": "2022年度优秀教育共同体",
        "basis": "年度考核优秀",
        "document": "教[2023]12号",
        "awarded_on": "2023-03-10",
        **extra,
    }


async def created(client: httpx.AsyncClient, county: County, path: str, body: Any) -> str:
    answer = await client.post(path, json=body, headers=county.auth("admin"))
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def research_records(
    client: httpx.AsyncClient, county: County, community_id: UUID, lead: UUID, member: UUID
) -> dict[str, str]:
    """A project, a paper, a sitting with a result, a payment and a commendation: their ids."""
    project = await created(
        client,
        county,
        "/v1/research/projects",
        project_body([member], community_id=str(community_id)),
    )
    paper = await created(client, county, "/v1/research/papers", paper_body(member))
    sitting = await created(client, county, "/v1/quality/sittings", sitting_body([lead, member]))
    answer = await client.post(
        f"/v1/quality/sittings/{sitting}/results",
        json={"results": [result_body(member)]},
        headers=county.auth("admin"),
    )
    assert answer.status_code == 200, answer.text
    entry = await created(client, county, "/v1/money/entries", funding_body(community_id, lead))
    commendation = await created(
        client, county, "/v1/commendations", commendation_body(community_id=str(community_id))
    )
    return {
        "project_id": project,
        "paper_id": paper,
        "sitting_id": sitting,
        "entry_id": entry,
        "commendation_id": commendation,
    }
