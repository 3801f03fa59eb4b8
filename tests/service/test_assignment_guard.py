"""One full-time assignment of a person at once, also when commands race (migration 0017)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import pytest
from prometheus_client import REGISTRY

from domain.codes import AssignmentKind, AssignmentRole, AssignmentSide, Relation
from domain.community.school import School
from domain.staff.assignment import Assignment
from domain.staff.errors import OverlappingAssignmentError
from domain.staff.teacher import Teacher
from infra.db import set_tenant
from infra.event_store import AppendFailedError, WriteContext
from service.commands.staff.assignments import overlap_refused
from tests.service.api import setup_community, teacher
from tests.service.test_api_assignments import arrangement, post

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import asyncpg
    import httpx
    from litestar import Litestar

    from infra.event_store import EventStore
    from tests.service.conftest import County


async def arranged_streams(pool: asyncpg.Pool, tenant_id: UUID, teacher_id: UUID) -> set[UUID]:
    """The assignment streams stored whose first holder is `teacher_id`."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "select stream_id from events where tenant_id = $1"
            " and event_type = 'domain.staff.assignment:Assignment.Arranged'"
            " and convert_from(payload, 'UTF8')::jsonb ->> 'teacher_id' = $2",
            tenant_id,
            str(teacher_id),
        )
    return {row["stream_id"] for row in rows}


def _handed_to_the_store(store: EventStore) -> int:
    """Commands handed to the group commit so far: sent in a batch, or waiting for one."""
    sent = REGISTRY.get_sample_value("jgt_group_commit_batch_commands_sum") or 0
    waiting = sum(len(lane.pending) for lane in store.group_commit._lanes)
    return int(sent) + waiting


async def concurrently(
    client: httpx.AsyncClient, county: County, bodies: list[dict[str, Any]]
) -> list[httpx.Response]:
    """The POSTs at once, each from a thread of its own: the test client blocks its caller's
    thread until the app (on a loop of its own) answers."""
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=len(bodies)) as threads:
        return list(
            await asyncio.gather(
                *(
                    loop.run_in_executor(
                        threads, asyncio.run, post(client, county, "/v1/assignments", body)
                    )
                    for body in bodies
                )
            )
        )


@contextlib.asynccontextmanager
async def appends_held(pool: asyncpg.Pool, tenant_id: UUID) -> AsyncIterator[None]:
    """The county's chain head locked, as an append in flight locks it: appends wait."""
    async with pool.acquire() as conn, conn.transaction():
        await set_tenant(conn, tenant_id)
        await conn.execute("select 1 from tenant_heads where tenant_id = $1 for update", tenant_id)
        yield


async def raced(
    client: httpx.AsyncClient,
    county: County,
    app: Litestar,
    app_pool: asyncpg.Pool,
    bodies: list[dict[str, Any]],
) -> list[httpx.Response]:
    """The creations at once, their appends held until every one of them has decided."""
    store: EventStore = app.state.services.store
    before = _handed_to_the_store(store)
    async with appends_held(app_pool, county.tenant_id):
        racing = asyncio.ensure_future(concurrently(client, county, bodies))
        for _ in range(2000):
            if _handed_to_the_store(store) - before == len(bodies):
                break
            await asyncio.sleep(0.005)
        assert _handed_to_the_store(store) - before == len(bodies)
    return await racing


async def test_of_twenty_racing_overlapping_creations_exactly_one_is_stored(
    client: httpx.AsyncClient,
    county: County,
    app: Litestar,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    _, lead, first, second = await setup_community(client, county, "G")
    li = await teacher(client, county, lead, "李老师")
    hosts = [first, second]
    bodies = [
        arrangement(
            li,
            lead,
            hosts[n % 2],
            starts_on=f"2023-{n % 12 + 1:02d}-01",
            planned_ends_on="2024-08-31",
        )
        for n in range(20)
    ]
    # Every command decides (seeing no other assignment of Li) before any of them appends.
    answers = await raced(client, county, app, app_pool, bodies)

    made = [a for a in answers if a.status_code == 201]
    assert len(made) == 1, [a.text for a in answers]
    winner = made[0].json()["id"]
    refused = [a for a in answers if a.status_code != 201]
    assert {(a.status_code, a.json()["code"]) for a in refused} == {(409, "overlapping_assignment")}
    assert {a.json()["params"]["other_assignment_id"] for a in refused} == {winner}
    assert all(winner in a.json()["detail"] for a in refused)
    assert await arranged_streams(system_pool, county.tenant_id, li) == {UUID(winner)}


async def test_racing_creations_that_do_not_overlap_all_pass(
    client: httpx.AsyncClient,
    county: County,
    app: Litestar,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    _, lead, first, second = await setup_community(client, county, "N")
    wang, sun = (
        await teacher(client, county, lead, "王老师"),
        await teacher(client, county, lead, "孙老师"),
    )
    # Twenty consecutive months of 2021 and 2022, one full-time term each; part-time ones too.
    months = [date(2021 + n // 12, n % 12 + 1, 1) for n in range(21)]
    bodies: list[dict[str, Any]] = [
        arrangement(
            wang,
            lead,
            (first, second)[n % 2],
            starts_on=months[n].isoformat(),
            planned_ends_on=date.fromordinal(months[n + 1].toordinal() - 1).isoformat(),
        )
        for n in range(20)
    ]
    # Beside them: a part-time one of Wang's, and another person's over the same days.
    part_time = arrangement(wang, lead, first, full_time=False, kind="shadowing")
    other = arrangement(sun, lead, first, starts_on="2021-01-01", planned_ends_on="2022-08-31")
    answers = await raced(client, county, app, app_pool, [*bodies, part_time, other])
    assert [a.status_code for a in answers] == [201] * 22, [a.text for a in answers]
    stored = await arranged_streams(system_pool, county.tenant_id, wang)
    assert stored == {UUID(a.json()["id"]) for a in answers[:21]}


def _arranged(
    teacher_: Teacher, sending: School, host: School, starts_on: date, planned_ends_on: date
) -> Assignment:
    """As a handler decides it when it saw none of the person's other assignments (the race)."""
    return Assignment.arrange(
        id=uuid4(),
        kind=AssignmentKind.DISPATCH,
        teacher=teacher_,
        role=AssignmentRole.BACKBONE_TEACHER,
        from_school=sending,
        to_school=host,
        host_posts=(),
        starts_on=starts_on,
        planned_ends_on=planned_ends_on,
        community=None,
        personnel_relation=Relation.UNCHANGED,
        party_relation=Relation.UNCHANGED,
        others=(),
        by=uuid4(),
    )


async def _refusal(store: EventStore, ctx: WriteContext, aggregate: Assignment) -> str:
    """The guard's refusal, as the service names it: the conflicting assignment's id."""
    with pytest.raises(AppendFailedError) as refused:
        await store.save(aggregate, ctx)
    error = overlap_refused(refused.value)
    assert isinstance(error, OverlappingAssignmentError)
    return str(error.params["other_assignment_id"])


async def test_an_early_end_and_a_replacement_release_the_days_they_no_longer_fill(
    client: httpx.AsyncClient, county: County, store: EventStore
) -> None:
    _, lead_id, first_id, second_id = await setup_community(client, county, "R")
    ids = [await teacher(client, county, lead_id, name) for name in ("赵老师", "钱老师")]
    zhao, qian = [await store.get(Teacher, county.tenant_id, i) for i in ids]
    lead, first, second = [
        await store.get(School, county.tenant_id, i) for i in (lead_id, first_id, second_id)
    ]
    ctx = WriteContext(tenant_id=county.tenant_id, actor_id=uuid4(), role="admin")
    term = _arranged(zhao, lead, first, date(2022, 9, 1), date(2024, 8, 31))
    await store.save(term, ctx)

    # Within the term the guard refuses another, whatever the handler saw.
    inside = _arranged(zhao, lead, second, date(2024, 8, 31), date(2025, 1, 31))
    assert await _refusal(store, ctx, inside) == str(term.id)

    # Replaced by Qian from 1 September 2023: Zhao is free from that day, Qian is not.
    on = date(2023, 9, 1)
    term.replace(qian, on=on, side=AssignmentSide.HOST, reason="", others=(), by=ctx.actor_id)
    await store.save(term, ctx)
    after = _arranged(zhao, lead, second, date(2023, 9, 1), date(2024, 1, 31))
    await store.save(after, ctx)
    taken = _arranged(qian, lead, second, date(2024, 3, 1), date(2024, 6, 30))
    assert await _refusal(store, ctx, taken) == str(term.id)

    # Qian's term ended early on 31 January 2024: free from 1 February.
    term.end_early(date(2024, 1, 31), "借调", by=ctx.actor_id)
    await store.save(term, ctx)
    await store.save(_arranged(qian, lead, second, date(2024, 3, 1), date(2024, 6, 30)), ctx)
    assert await _refusal(
        store, ctx, _arranged(qian, lead, second, date(2024, 1, 31), date(2024, 2, 29))
    ) == str(term.id)
    # Zhao's second term still holds its days.
    clash = _arranged(zhao, lead, first, date(2024, 1, 1), date(2024, 2, 29))
    assert await _refusal(store, ctx, clash) == str(after.id)


def test_the_guard_reads_the_assignment_events_it_was_written_for() -> None:
    # Migration 0017's trigger reads these events' JSON by field name: a new version of any
    # of them needs the trigger changed with it (and this test).
    events = (Assignment.Arranged, Assignment.Replaced, Assignment.EndedEarly)
    assert [getattr(e, "class_version", 1) for e in events] == [1, 1, 1]
    fields = {e.__name__: {f.name for f in dataclasses.fields(e)} for e in events}
    assert {"teacher_id", "starts_on", "planned_ends_on", "full_time"} <= fields["Arranged"]
    assert {"teacher_id", "replaced_on"} <= fields["Replaced"]
    assert "ended_on" in fields["EndedEarly"]
