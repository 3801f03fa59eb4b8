"""One command of a group commit that fails inside the database fails alone."""

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import pytest

from infra.chain import verify
from infra.db import tenant_transaction
from infra.event_store import AppendFailedError, EventStore, OutboxMessage, read_tenant
from tests.conftest import Database, new_tenant
from tests.infra.sample import Tally
from tests.infra.test_event_store import ctx

COUNTIES, EACH = 5, 10  # 50 valid commands and 10 failing ones: one batch (MAX_BATCH is 64)


@pytest.fixture
async def lone_lane(app_pool: asyncpg.Pool) -> AsyncIterator[EventStore]:
    """One lane, so every command below shares one call of `jgt_append`."""
    store = EventStore(app_pool, lanes=1)
    yield store
    await store.close()


@pytest.fixture
async def refused_county(app_pool: asyncpg.Pool, database: Database) -> AsyncIterator[UUID]:
    """A county whose events the database refuses, by a trigger no input check could foresee."""
    county = await new_tenant(app_pool, "拒收县")
    owner = await asyncpg.connect(database.owner_url)
    try:
        await owner.execute(
            f"""create function test_refuse_county() returns trigger language plpgsql as $$
            begin
                if new.tenant_id = '{county}' then
                    raise exception 'this county is refused' using errcode = 'check_violation';
                end if;
                return new;
            end $$"""
        )
        await owner.execute(
            "create trigger test_refuse_county before insert on events"
            " for each row execute function test_refuse_county()"
        )
        yield county
    finally:
        await owner.execute("drop trigger if exists test_refuse_county on events")
        await owner.execute("drop function if exists test_refuse_county()")
        await owner.close()


async def _race(
    store: EventStore, app_pool: asyncpg.Pool, bad: UUID, bad_outbox: list[OutboxMessage]
) -> tuple[list[UUID], list[object], list[AppendFailedError]]:
    """Valid commands of other counties interleaved with failing ones of `bad`, all at once."""
    counties = [await new_tenant(app_pool, f"邻县{i}") for i in range(COUNTIES)]
    good = [counties[i % COUNTIES] for i in range(COUNTIES * EACH)]

    async def valid(county: UUID) -> object:
        tally = Tally.open()
        tally.count(1)
        return await store.save(tally, ctx(county))

    async def failing(n: int) -> object:
        return await store.save(Tally.open(), ctx(bad, key=f"bad-{n}"), outbox=bad_outbox)

    work = [valid(county) for county in good]
    for n in range(EACH):
        work.insert(n * 5, failing(n))
    outcomes = await asyncio.gather(*work, return_exceptions=True)
    good_outcomes = [o for o in outcomes if not isinstance(o, AppendFailedError)]
    bad_outcomes = [o for o in outcomes if isinstance(o, AppendFailedError)]
    return counties, good_outcomes, bad_outcomes


async def _assert_the_others_committed(
    app_pool: asyncpg.Pool, counties: list[UUID], bad: UUID, good: list[object]
) -> None:
    assert [o for o in good if isinstance(o, BaseException)] == []
    assert len(good) == COUNTIES * EACH
    for county in counties:
        async with tenant_transaction(app_pool, county) as conn:
            assert len(await read_tenant(conn, county)) == 2 * EACH
        async with app_pool.acquire() as conn:
            report = await verify(conn, county)
        assert report.intact, report.problem  # no hole where a failed command was undone
    async with tenant_transaction(app_pool, bad) as conn:
        assert await read_tenant(conn, bad) == []
        assert await conn.fetchval("select count(*) from idempotency_keys") == 0
        assert await conn.fetchval("select count(*) from outbox") == 0
        assert await conn.fetchval("select last_seq from tenant_heads") == 0


async def test_a_command_the_database_refuses_fails_alone_and_the_others_commit(
    lone_lane: EventStore, app_pool: asyncpg.Pool, refused_county: UUID
) -> None:
    counties, good, bad = await _race(lone_lane, app_pool, refused_county, [])
    await _assert_the_others_committed(app_pool, counties, refused_county, good)
    assert len(bad) == EACH
    assert all(e.sqlstate == "23514" for e in bad)
    assert "this county is refused" in str(bad[0])


async def test_an_outbox_payload_jsonb_cannot_hold_fails_only_its_own_command(
    lone_lane: EventStore, app_pool: asyncpg.Pool
) -> None:
    # A NUL is valid JSON ("\u0000") but jsonb refuses it: found only inside the database.
    bad_county = await new_tenant(app_pool, "空字符县")
    nul = [OutboxMessage("notify_lead_school", {"title": "x\u0000"})]
    counties, good, bad = await _race(lone_lane, app_pool, bad_county, nul)
    await _assert_the_others_committed(app_pool, counties, bad_county, good)
    assert len(bad) == EACH
    assert all(e.sqlstate == "22P05" for e in bad)

    # The failed command left nothing behind: its key works once the cause is gone.
    retried = await lone_lane.save(Tally.open(), ctx(bad_county, key="bad-0"))
    assert (retried.first_seq, retried.duplicate) == (1, False)
