import asyncio
import dataclasses
import hashlib
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest

from infra.db import tenant_transaction
from infra.event_store import (
    AggregateNotFoundError,
    Appended,
    EventStore,
    IdempotencyKeyReusedError,
    OutboxMessage,
    StreamConflictError,
    WriteContext,
    read_tenant,
)
from tests.conftest import Database
from tests.infra.sample import Tally

ACTOR = UUID("00000000-0000-4000-8000-00000000a11c")


def ctx(tenant_id: UUID, key: str | None = None, body: bytes = b"") -> WriteContext:
    return WriteContext(
        tenant_id=tenant_id,
        actor_id=ACTOR,
        role="admin",
        request_id="req-1",
        idempotency_key=key,
        fingerprint=hashlib.sha256(body).digest(),
    )


async def opened(store: EventStore, tenant_id: UUID) -> Tally:
    tally = Tally.open()
    await store.save(tally, ctx(tenant_id))
    return await store.get(Tally, tenant_id, tally.id)


async def test_a_batch_of_events_is_appended_atomically_and_read_back(
    store: EventStore, tenant_id: UUID
) -> None:
    tally = Tally.open("语文教研")
    tally.count(2)
    tally.count(3)
    appended = await store.save(tally, ctx(tenant_id))
    assert (appended.first_version, appended.last_version) == (1, 3)
    assert (appended.first_seq, appended.last_seq) == (1, 3)

    loaded = await store.get(Tally, tenant_id, tally.id)
    assert (loaded.name, loaded.total, loaded.version) == ("语文教研", 5, 3)
    earlier = await store.get(Tally, tenant_id, tally.id, version=2)
    assert (earlier.total, earlier.version) == (2, 2)


async def test_an_event_written_for_a_person_names_the_person_and_the_token(
    store: EventStore, tenant_id: UUID, app_pool: asyncpg.Pool
) -> None:
    person = uuid4()
    written = dataclasses.replace(ctx(tenant_id), user_id=person)
    await store.save(Tally.open(), written)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        (event,) = await read_tenant(conn, tenant_id)
    metadata = msgspec.json.decode(event.metadata)
    assert (metadata["actor"], metadata["user"]) == (str(ACTOR), str(person))


async def test_every_event_stores_its_envelope(
    store: EventStore, tenant_id: UUID, app_pool: asyncpg.Pool
) -> None:
    tally = Tally.open()
    await store.save(tally, ctx(tenant_id, key="k-envelope"))
    async with tenant_transaction(app_pool, tenant_id) as conn:
        (event,) = await read_tenant(conn, tenant_id)
    assert event.tenant_id == tenant_id
    assert event.stream_id == tally.id
    assert event.stream_type == "tests.infra.sample:Tally"
    assert event.version == 1
    assert event.event_type == "tests.infra.sample:Tally.Opened"
    assert event.schema_version == 1
    assert msgspec.json.decode(event.payload)["name"] == "tally"
    assert msgspec.json.decode(event.metadata) == {
        "actor": str(ACTOR),
        "causation": None,
        "idempotency_key": "k-envelope",
        "request_id": "req-1",
        "role": "admin",
        "user": None,  # a token issued to no person
    }
    assert event.recorded_at.tzinfo is not None
    assert event.global_position > 0
    assert event.tx_id > 0
    assert event.tenant_seq == 1
    assert event.prev_hash == bytes(32)
    assert len(event.hash) == 32


async def test_unknown_stream_is_not_found(store: EventStore, tenant_id: UUID) -> None:
    with pytest.raises(AggregateNotFoundError):
        await store.get(Tally, tenant_id, uuid4())


async def test_stale_writer_gets_conflict(store: EventStore, tenant_id: UUID) -> None:
    tally = await opened(store, tenant_id)
    first = await store.get(Tally, tenant_id, tally.id)
    stale = await store.get(Tally, tenant_id, tally.id)
    first.count()
    await store.save(first, ctx(tenant_id))
    stale.count()
    with pytest.raises(StreamConflictError) as raised:
        await store.save(stale, ctx(tenant_id))
    assert (raised.value.expected, raised.value.actual) == (1, 2)
    with pytest.raises(StreamConflictError):
        await store.get(Tally, tenant_id, tally.id, expected_version=1)


async def test_fifty_concurrent_writers_on_one_stream_exactly_one_wins_each_version(
    app_pool: asyncpg.Pool, tenant_id: UUID
) -> None:
    # Five stores stand for five processes: their batches race in separate transactions.
    stores = [EventStore(app_pool) for _ in range(5)]
    tally = await opened(stores[0], tenant_id)
    rounds, writers = 4, 50

    async def write(store: EventStore) -> str:
        mine = await store.get(Tally, tenant_id, tally.id)
        mine.count()
        try:
            await store.save(mine, ctx(tenant_id))
        except StreamConflictError:
            return "conflict"
        return "won"

    for _ in range(rounds):
        # Every writer reads the same version before any of them writes.
        loaded = [await stores[i % 5].get(Tally, tenant_id, tally.id) for i in range(writers)]
        for mine in loaded:
            mine.count()

        async def save(i: int, mine: Tally) -> str:
            try:
                await stores[i % 5].save(mine, ctx(tenant_id))
            except StreamConflictError:
                return "conflict"
            return "won"

        outcomes = await asyncio.gather(*(save(i, m) for i, m in enumerate(loaded)))
        assert outcomes.count("won") == 1
        assert outcomes.count("conflict") == writers - 1

    final = await stores[0].get(Tally, tenant_id, tally.id)
    assert (final.version, final.total) == (1 + rounds, rounds)

    # Writers that retry on conflict: every one of them lands exactly once.
    async def write_until_done(i: int) -> int:
        attempts = 0
        while await write(stores[i % 5]) == "conflict":
            attempts += 1
        return attempts

    await asyncio.gather(*(write_until_done(i) for i in range(writers)))
    final = await stores[0].get(Tally, tenant_id, tally.id)
    assert (final.version, final.total) == (1 + rounds + writers, rounds + writers)
    events = await stores[0].read_stream(tenant_id, tally.id)
    assert [e.version for e in events] == list(range(1, final.version + 1))
    for store in stores:
        await store.close()


async def test_a_repeated_idempotency_key_appends_nothing_and_returns_the_first_result(
    store: EventStore, tenant_id: UUID
) -> None:
    first = Tally.open()
    result = await store.save(first, ctx(tenant_id, key="create-1", body=b"body"))
    retry = Tally.open()  # a retried create makes a new id; the key maps it to the first
    again = await store.save(retry, ctx(tenant_id, key="create-1", body=b"body"))
    assert again.duplicate
    assert (again.stream_id, again.first_seq, again.last_seq) == (
        result.stream_id,
        result.first_seq,
        result.last_seq,
    )
    assert await store.read_stream(tenant_id, retry.id) == []
    assert await store.find_idempotent(
        tenant_id, "create-1", ctx(tenant_id, body=b"body").fingerprint
    ) == Appended(
        result.stream_id,
        1,
        1,
        result.first_seq,
        result.last_seq,
        result.recorded_at,
        duplicate=True,
    )


async def test_concurrent_retries_with_one_key_append_once(
    store: EventStore, tenant_id: UUID
) -> None:
    results = await asyncio.gather(
        *(store.save(Tally.open(), ctx(tenant_id, key="burst", body=b"same")) for _ in range(20))
    )
    assert len({r.stream_id for r in results}) == 1
    assert sum(not r.duplicate for r in results) == 1
    async with tenant_transaction(store.pool, tenant_id) as conn:
        assert len(await read_tenant(conn, tenant_id)) == 1


async def test_an_idempotency_key_reused_for_another_command_is_refused(
    store: EventStore, tenant_id: UUID
) -> None:
    await store.save(Tally.open(), ctx(tenant_id, key="k", body=b"one"))
    with pytest.raises(IdempotencyKeyReusedError):
        await store.save(Tally.open(), ctx(tenant_id, key="k", body=b"two"))
    with pytest.raises(IdempotencyKeyReusedError):
        await store.find_idempotent(tenant_id, "k", ctx(tenant_id, body=b"two").fingerprint)


async def test_outbox_rows_are_written_with_the_events_and_not_for_conflicts(
    store: EventStore, tenant_id: UUID, app_pool: asyncpg.Pool
) -> None:
    tally = await opened(store, tenant_id)
    stale = await store.get(Tally, tenant_id, tally.id)
    tally.count()
    appended = await store.save(tally, ctx(tenant_id), outbox=[OutboxMessage("notify", {"n": 1})])
    stale.count()
    with pytest.raises(StreamConflictError):
        await store.save(stale, ctx(tenant_id), outbox=[OutboxMessage("notify", {"n": 2})])
    async with tenant_transaction(app_pool, tenant_id) as conn:
        rows = await conn.fetch("select job, payload, tenant_seq from outbox")
    assert [(r["job"], r["payload"], r["tenant_seq"]) for r in rows] == [
        ("notify", '{"n": 1}', appended.last_seq)
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "update events set payload = 'x'::bytea",
        "delete from events",
        "truncate events",
        "update idempotency_keys set key = 'x'",
        "delete from idempotency_keys",
    ],
)
async def test_events_cannot_be_changed_by_the_service_or_the_owner(
    statement: str, store: EventStore, tenant_id: UUID, database: Database
) -> None:
    await store.save(Tally.open(), ctx(tenant_id, key=f"immutable-{statement}"))
    async with tenant_transaction(store.pool, tenant_id) as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(statement)
    owner = await asyncpg.connect(database.owner_url)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="immutable"):
            await owner.execute(statement)
        assert (
            await owner.fetchval("select count(*) from events where tenant_id = $1", tenant_id) == 1
        )
    finally:
        await owner.close()
