from uuid import UUID

import asyncpg

from infra.chain import verify
from infra.event_store import EventStore
from tests.conftest import Database
from tests.infra.sample import Tally
from tests.infra.test_event_store import ctx


async def record_some(store: EventStore, tenant_id: UUID, n: int = 5) -> list[Tally]:
    tallies = []
    for i in range(n):
        tally = Tally.open(f"t{i}")
        tally.count(i)
        await store.save(tally, ctx(tenant_id))
        tallies.append(tally)
    return tallies


async def test_an_untouched_chain_verifies(
    store: EventStore, tenant_id: UUID, app_pool: asyncpg.Pool
) -> None:
    await record_some(store, tenant_id)
    async with app_pool.acquire() as conn:
        report = await verify(conn, tenant_id, batch=3)  # several batches
    assert report.intact, report.problem
    assert report.events_checked == report.head_seq == 10


async def test_verify_names_the_event_a_superuser_altered(
    store: EventStore, tenant_id: UUID, app_pool: asyncpg.Pool, database: Database
) -> None:
    await record_some(store, tenant_id)
    owner = await asyncpg.connect(database.owner_url)
    try:
        # A superuser can switch triggers off; the chain still tells.
        await owner.execute("set session_replication_role = replica")
        status = await owner.execute(
            "update events set payload = convert_to("
            """replace(convert_from(payload, 'UTF8'), '"t2"', '"tX"'), 'UTF8')"""
            " where tenant_id = $1 and tenant_seq = 5",
            tenant_id,
        )
        assert status == "UPDATE 1"
    finally:
        await owner.close()
    async with app_pool.acquire() as conn:
        report = await verify(conn, tenant_id)
    assert not report.intact
    assert report.first_bad_seq == 5
    assert report.events_checked == 4
    assert report.problem is not None and "altered" in report.problem


async def test_verify_notices_a_removed_event_and_a_cut_tail(
    store: EventStore, tenant_id: UUID, app_pool: asyncpg.Pool, database: Database
) -> None:
    await record_some(store, tenant_id)
    owner = await asyncpg.connect(database.owner_url)
    try:
        await owner.execute("set session_replication_role = replica")
        await owner.execute("delete from events where tenant_id = $1 and tenant_seq = 3", tenant_id)
        async with app_pool.acquire() as conn:
            report = await verify(conn, tenant_id)
        assert (report.first_bad_seq, report.events_checked) == (4, 2)
        assert report.problem is not None and "missing" in report.problem

        await owner.execute(
            "delete from events where tenant_id = $1 and tenant_seq >= 3", tenant_id
        )
        async with app_pool.acquire() as conn:
            report = await verify(conn, tenant_id)
        assert report.first_bad_seq == 3
        assert report.problem is not None and "head" in report.problem
    finally:
        await owner.close()
