"""Commands' loads of one county that wait for the same turn are read in one transaction, and
each sees every append that committed before it was asked for."""

import asyncio
from uuid import uuid4

import asyncpg

from infra.event_store import AggregateNotFoundError, EventStore
from tests.conftest import new_tenant
from tests.infra.sample import Tally
from tests.infra.test_event_store import ctx

STREAMS = 30


async def test_loads_at_once_share_transactions_and_get_their_own_streams(
    store: EventStore, app_pool: asyncpg.Pool
) -> None:
    county, other = await new_tenant(app_pool, "合读县"), await new_tenant(app_pool, "邻县")
    tallies = []
    for n in range(STREAMS):
        tally = Tally.open(f"t{n}")
        for _ in range(n % 4):
            tally.count(n)
        await store.save(tally, ctx(county))
        tallies.append(tally)
    theirs = Tally.open("theirs")
    await store.save(theirs, ctx(other))

    reads = store.group_read.reads
    loads = [store.get(Tally, county, tally.id) for tally in tallies] * 2  # each one twice
    loaded = await asyncio.gather(*loads)
    assert [(t.id, t.version, t.total) for t in loaded] == [
        (t.id, t.version, t.total) for t in tallies * 2
    ]
    assert 0 < store.group_read.reads - reads < len(loads) // 4  # most came together
    missing = await asyncio.gather(
        store.get(Tally, county, theirs.id),  # another county's stream: not in this one
        store.get(Tally, county, uuid4()),
        return_exceptions=True,
    )
    assert all(isinstance(found, AggregateNotFoundError) for found in missing)


async def test_a_load_sees_the_append_that_committed_before_it_while_another_read_is_in_flight(
    store: EventStore, app_pool: asyncpg.Pool
) -> None:
    county = await new_tenant(app_pool, "新读县")
    tally = Tally.open()
    await store.save(tally, ctx(county))
    for _ in range(20):
        in_flight = asyncio.ensure_future(store.get(Tally, county, tally.id))
        await asyncio.sleep(0)  # its read has begun
        tally.count()
        await store.save(tally, ctx(county))
        after = await store.get(Tally, county, tally.id)  # asked for after the commit
        assert after.version == tally.version
        assert (await in_flight).version in {tally.version - 1, tally.version}


async def test_a_caller_that_goes_away_leaves_the_others_their_reads(
    store: EventStore, app_pool: asyncpg.Pool
) -> None:
    county = await new_tenant(app_pool, "离去县")
    tally = Tally.open()
    await store.save(tally, ctx(county))
    loads = [asyncio.ensure_future(store.get(Tally, county, tally.id)) for _ in range(5)]
    await asyncio.sleep(0)
    loads[0].cancel()
    found = await asyncio.gather(*loads[1:])
    assert {t.version for t in found} == {1}
    assert (await store.get(Tally, county, tally.id)).version == 1
