"""The facts adapter over a county filled through the API: what each record carries, its
`known_at` the event's own time, and a fold caught up in steps equal to one from the first event."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID
from zoneinfo import ZoneInfo

from infra.codec import EventMapper
from infra.db import tenant_transaction
from infra.fact_events import events_of_types
from projections.assessment.actions import person_id
from projections.assessment.facts import CountyFacts
from service.assessment.facts import TOPICS, catch_up
from tests.service.api import activity_body
from tests.service.compliance_api import fill
from tests.service.research_api import research_records
from tests.service.test_isolation import staff_of

if TYPE_CHECKING:
    import asyncpg
    import httpx

    from domain.assessment.facts import Facts
    from tests.service.conftest import County

ZONE = ZoneInfo("Asia/Shanghai")


async def from_zero(pool: asyncpg.Pool, tenant_id: UUID) -> CountyFacts:
    fold = CountyFacts()
    async with tenant_transaction(pool, tenant_id) as conn:
        await catch_up(conn, tenant_id, fold, EventMapper(), ZONE)
    return fold


async def test_the_facts_carry_what_the_ledgers_recorded_when_they_recorded_it(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    filled = await fill(client, county)
    early = CountyFacts()  # caught up in steps below, as the runner's is
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        await catch_up(conn, county.tenant_id, early, EventMapper(), ZONE)
        stamps = {
            (row["stream_id"], row["version"]): row["recorded_at"]
            for row in await conn.fetch(
                "select stream_id, version, recorded_at from events where tenant_id = $1",
                county.tenant_id,
            )
        }
    facts = early.facts()
    [community] = facts.communities
    assert community.id == filled.community_id
    assert len(community.members) == 2
    assert len(facts.schools) == 3
    actions = {a.id: a for a in facts.actions}
    assert actions[filled.kept].known_at == stamps[(filled.kept, 1)].astimezone(ZONE)
    assert actions[filled.voided].voided_at == stamps[(filled.voided, 2)].astimezone(ZONE)
    [correction] = [a for a in facts.actions if a.corrected_from == filled.corrected]
    assert correction.known_at == stamps[(filled.corrected, 2)].astimezone(ZONE)
    assert str(correction.held_on) == "2023-04-05"
    assert early.links[correction.id] == f"/v1/activities/{filled.corrected}"
    assert [p.label for p in early.published] == ["test-lessons@1"]

    # More records: a sheet with a place and a follow-up, a reflection, research and money.
    lead, first = community.lead_school_id, community.members[0].school_id
    people = [{"name": "王芳", "school_id": str(first)}, {"name": "赵磊", "school_id": str(first)}]
    sheet = [{"name": "王芳", "school_id": str(first), "signed_in_at": "2023-03-15T08:41:00+08:00"}]
    body = activity_body(
        filled.community_id, lead, first, kind="teacher_training", participants=people,
        attendance=sheet, venue_school_id=str(first), follows_up=str(filled.kept),
    )  # fmt: skip
    admin = county.auth("admin")
    training = (await client.post("/v1/activities", json=body, headers=admin)).json()["id"]
    text = {"name": "王芳", "school_id": str(first), "text": "心" * 2100}
    done = await client.post(f"/v1/activities/{training}/reflections", json=text, headers=admin)
    assert done.status_code == 200, done.text
    ids = await research_records(client, county, filled.community_id, lead, first)
    staff = await staff_of(client, county, "青田", lead, first)

    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        assert await catch_up(conn, county.tenant_id, early, EventMapper(), ZONE) > 0
    later = early
    action = next(a for a in later.facts().actions if a.id == UUID(training))
    assert (action.place_school_id, action.follow_up_of) == (first, filled.kept)
    assert action.attendance is not None
    assert (action.attendance.expected, action.attendance.present) == (2, 1)
    assert action.sign_in_sheet
    assert [(r.person_id, r.characters) for r in action.reflections] == [
        (person_id(first, "王芳"), 2100)
    ]
    assert person_id(first, "王芳") in action.participant_ids
    facts = later.facts()
    assert [p.id for p in facts.projects] == [UUID(ids["project_id"])]
    assert [m.id for m in facts.money] == [UUID(ids["entry_id"])]
    assert facts.money[0].purpose == "lead_grant"
    assert len(facts.quality) == 1
    check_staff(facts, staff, first)

    # Caught up in steps, or folded from the first event: the same facts.
    whole = await from_zero(app_pool, county.tenant_id)
    assert whole.facts() == later.facts()
    assert whole.last_seq == later.last_seq
    assert whole.links == later.links
    # An action's events decoded slim (what the facts read) fold as the whole events do.
    assert (await whole_events(app_pool, county.tenant_id)).facts() == whole.facts()


async def whole_events(pool: asyncpg.Pool, tenant_id: UUID) -> CountyFacts:
    """The facts folded from every event decoded whole, by the codec."""
    fold, mapper = CountyFacts(), EventMapper()
    async with tenant_transaction(pool, tenant_id) as conn:
        for e in await events_of_types(conn, tenant_id, TOPICS, 0, limit=100_000):
            event = mapper.decode(e.event_type, e.payload, e.stream_id, e.version)
            fold.apply(event, e.tenant_seq, e.recorded_at.astimezone(ZONE))
    return fold


def check_staff(facts: Facts, staff: dict[str, str], member: UUID) -> None:
    assert UUID(staff["teacher_id"]) in {t.id for t in facts.teachers}
    assert len(facts.teachers) == 2
    [sent] = facts.assignments
    assert (sent.id, sent.person_id, sent.to_school_id) == (
        UUID(staff["assignment_id"]),
        UUID(staff["teacher_id"]),
        member,
    )
    [pairing] = facts.mentorships
    assert pairing.mentor_id == UUID(staff["teacher_id"])
