from uuid import UUID

import asyncpg
import msgspec
import pytest

from domain.codes import ActivityKind
from domain.community.community import Community
from infra.db import tenant_transaction
from infra.event_store import EventStore
from infra.outbox import OutboxPayload, job_name, outbox_message
from infra.tenancy import Role
from service.command import Env, create
from service.commands.community.activities import RecordActivity, record_activity
from service.jobs import JOBS, Jobs, NotifyLeadSchool
from tests.projections.history import TODAY, write_history, writer


def kinds(base: type[OutboxPayload] = OutboxPayload) -> set[type[OutboxPayload]]:
    found = set()
    for kind in base.__subclasses__():
        found |= {kind, *kinds(kind)}
    return found


def test_every_kind_of_outbox_payload_has_the_job_its_tag_names() -> None:
    registered = {function.name for function in JOBS.functions}
    assert {job_name(kind) for kind in kinds()} <= registered
    assert job_name(NotifyLeadSchool) == "notify_lead_school"
    assert {function.name: function.coroutine.__qualname__ for function in JOBS.functions} == {
        "notify_lead_school": "notify_lead_school"
    }


def test_a_second_handler_for_one_job_is_refused() -> None:
    jobs = Jobs()

    async def deliver(*_: object) -> set[int]:
        return set()

    jobs.handles(NotifyLeadSchool)(deliver)
    with pytest.raises(ValueError, match="notify_lead_school"):
        jobs.handles(NotifyLeadSchool)(deliver)


def test_the_row_keeps_the_tag_as_its_job_and_the_fields_as_its_payload() -> None:
    message = NotifyLeadSchool(
        activity_id=UUID(int=1),
        community_id=UUID(int=2),
        lead_school_id=UUID(int=3),
        host_school_id=UUID(int=4),
        kind=ActivityKind.SENDING_LESSONS,
        title="送教下乡",
        held_on=TODAY,
    )
    row = outbox_message(message)
    assert row.job == "notify_lead_school"
    assert "job" not in row.payload
    assert msgspec.convert(msgspec.to_builtins(row.payload), NotifyLeadSchool) == message


async def test_recording_an_activity_writes_a_typed_notice_for_the_lead_school(
    store: EventStore, app_pool: asyncpg.Pool, tenant_id: UUID
) -> None:
    history = await write_history(store, tenant_id, activities=0)
    assert history.community_id is not None
    community = await store.get(Community, tenant_id, history.community_id)
    command = RecordActivity(
        community_id=community.id,
        kind=ActivityKind.COLLECTIVE_LESSON_PREP,
        title="集体备课：七年级英语",
        host_school_id=history.schools[1],
        participating_school_ids=[history.schools[0]],
        held_on=TODAY,
    )
    env = Env(store=store, write=writer(tenant_id), role=Role.ADMIN, school_id=None, today=TODAY)
    _, appended = await create(env, record_activity, command)

    async with tenant_transaction(app_pool, tenant_id) as conn:
        [row] = await conn.fetch("select job, payload from outbox where tenant_id = $1", tenant_id)
    assert row["job"] == job_name(NotifyLeadSchool)
    notice = msgspec.json.decode(row["payload"], type=NotifyLeadSchool)
    assert notice == NotifyLeadSchool(
        activity_id=appended.stream_id,
        community_id=community.id,
        lead_school_id=community.lead_school_id,
        host_school_id=history.schools[1],
        kind=ActivityKind.COLLECTIVE_LESSON_PREP,
        title="集体备课：七年级英语",
        held_on=TODAY,
    )
