"""A county filled through the API for the compliance tests: a community, a rule set, actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from tests.service.api import activity_body, setup_community

if TYPE_CHECKING:
    import httpx

    from tests.service.conftest import County


def lessons_rule_set(version: int = 1, minimum: int = 2) -> dict[str, Any]:
    """One rule: at least `minimum` 送教 actions a semester in each community."""
    return {
        "id": "test-lessons",
        "county": "测试县",
        "version": version,
        "title": {"zh": "送教考核", "en": "Lesson visits"},
        "in_force": {"from": "2022-09-01", "to": "2024-08-31"},
        "rules": [
            {
                "id": "R1",
                "title": {"zh": "每学期送教不少于若干次", "en": "Lesson visits each semester"},
                "source": {"plan": "测试", "clause": "1"},
                "scope": "community",
                "period": {"grain": "semester"},
                "counts": {"kinds": ["sending_lessons"]},
                "measure": {"type": "count", "min": minimum},
                "score": {"points": 10, "partial": True},
            }
        ],
    }


async def draft(client: httpx.AsyncClient, county: County, source: dict[str, Any]) -> UUID:
    admin = county.auth("admin")
    drafted = await client.post("/v1/rule-sets", json={"rule_set": source}, headers=admin)
    assert drafted.status_code == 201, drafted.text
    return UUID(drafted.json()["id"])


async def publish(client: httpx.AsyncClient, county: County, rule_set_id: UUID) -> None:
    admin = county.auth("admin")
    done = await client.post(f"/v1/rule-sets/{rule_set_id}/validate", headers=admin)
    assert done.status_code == 200, done.text
    body = {"in_force_from": "2022-09-01", "in_force_to": "2024-08-31"}
    done = await client.post(f"/v1/rule-sets/{rule_set_id}/publish", json=body, headers=admin)
    assert done.status_code == 200, done.text


@dataclass(frozen=True)
class Filled:
    community_id: UUID
    autumn: UUID  # the one 送教 of 2022-autumn
    kept: UUID  # 2023-spring, counted
    corrected: UUID  # 2023-spring, corrected (still a 送教)
    voided: UUID  # 2023-spring, voided


async def record(client: httpx.AsyncClient, county: County, body: dict[str, Any]) -> UUID:
    done = await client.post("/v1/activities", json=body, headers=county.auth("admin"))
    assert done.status_code == 201, done.text
    return UUID(done.json()["id"])


async def fill(client: httpx.AsyncClient, county: County) -> Filled:
    community_id, lead, first, _ = await setup_community(client, county, "C")
    await publish(client, county, await draft(client, county, lessons_rule_set()))
    autumn = await record(
        client, county, activity_body(community_id, lead, first, held_on="2022-11-02")
    )
    kept = await record(client, county, activity_body(community_id, lead, first))
    corrected = await record(
        client, county, activity_body(community_id, lead, first, held_on="2023-04-03")
    )
    voided = await record(
        client, county, activity_body(community_id, lead, first, held_on="2023-05-10")
    )
    admin = county.auth("admin")
    fix = {"reason": "日期登记错误", "held_on": "2023-04-05"}
    done = await client.post(f"/v1/activities/{corrected}/corrections", json=fix, headers=admin)
    assert done.status_code == 200, done.text
    gone = {"reason": "重复登记"}
    done = await client.post(f"/v1/activities/{voided}/void", json=gone, headers=admin)
    assert done.status_code == 200, done.text
    return Filled(community_id, autumn, kept, corrected, voided)
