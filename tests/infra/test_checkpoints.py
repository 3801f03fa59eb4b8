"""Signed checkpoints anchor each chain: cutting the log back or re-hashing it is named."""

import asyncio
import contextlib
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import asyncpg
import msgspec
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infra.chain import ChainReport, event_hash, verify
from infra.checkpoints import (
    heads_to_sign,
    list_checkpoints,
    sign_every,
    sign_head,
    sign_moved_heads,
)
from infra.db import tenant_transaction
from infra.event_store import EventStore, read_tenant
from infra.signing import Signer, SigningKeyError
from tests.conftest import Database, new_tenant
from tests.infra.test_chain import record_some


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer.of(Ed25519PrivateKey.generate())


@pytest.fixture
async def owner(database: Database) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(database.owner_url)
    yield conn
    await conn.close()


async def checked(app_pool: asyncpg.Pool, tenant_id: UUID, signer: Signer) -> ChainReport:
    async with app_pool.acquire() as conn:
        return await verify(conn, tenant_id, public_key=signer.public_key, batch=3)


async def signed(system_pool: asyncpg.Pool, tenant_id: UUID, signer: Signer) -> None:
    async with system_pool.acquire() as conn:
        await sign_head(conn, tenant_id, signer)


async def tamper(owner: asyncpg.Connection, *statements: tuple[str, tuple[object, ...]]) -> None:
    """As the owner: the immutability trigger off, the statements, the trigger on again."""
    async with owner.transaction():
        await owner.execute("alter table events disable trigger events_immutable")
        for sql, args in statements:
            await owner.execute(sql, *args)
        await owner.execute("alter table events enable trigger events_immutable")


async def test_a_log_cut_back_with_its_head_is_named_a_truncation(
    store: EventStore,
    tenant_id: UUID,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    owner: asyncpg.Connection,
    signer: Signer,
) -> None:
    await record_some(store, tenant_id)  # 10 events
    await signed(system_pool, tenant_id, signer)
    assert (await checked(app_pool, tenant_id, signer)).intact

    seventh = await owner.fetchval(
        "select hash from events where tenant_id = $1 and tenant_seq = 7", tenant_id
    )
    await tamper(
        owner,
        ("delete from events where tenant_id = $1 and tenant_seq > 7", (tenant_id,)),
        (
            "update tenant_heads set last_seq = 7, last_hash = $2 where tenant_id = $1",
            (tenant_id, seventh),
        ),
    )
    report = await checked(app_pool, tenant_id, signer)
    assert not report.intact
    assert (report.problem_code, report.first_bad_seq, report.events_checked) == ("truncated", 8, 7)
    assert report.problem is not None and "10 events were signed" in report.problem


REHASH = (
    "update events set payload = $3, prev_hash = $4, hash = $5"
    " where tenant_id = $1 and tenant_seq = $2"
)


async def test_a_chain_rewritten_and_re_hashed_from_an_altered_event_is_named(
    store: EventStore,
    tenant_id: UUID,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    owner: asyncpg.Connection,
    signer: Signer,
) -> None:
    await record_some(store, tenant_id, n=2)  # 4 events
    await signed(system_pool, tenant_id, signer)
    await record_some(store, tenant_id, n=3)  # 10 events
    await signed(system_pool, tenant_id, signer)

    async with tenant_transaction(app_pool, tenant_id) as conn:
        events = await read_tenant(conn, tenant_id)
    statements: list[tuple[str, tuple[object, ...]]] = []
    prev_hash = events[4].prev_hash
    for event in events[4:]:  # event 5 altered, then every hash after it made to fit
        payload = (
            event.payload.replace(b'"t0"', b'"tX"') if event.tenant_seq == 5 else event.payload
        )
        forged = event_hash(tenant_id, msgspec.structs.replace(event, payload=payload), prev_hash)
        statements.append(
            (
                REHASH,
                (tenant_id, event.tenant_seq, payload, prev_hash, forged),
            )
        )
        prev_hash = forged
    statements.append(
        ("update tenant_heads set last_hash = $2 where tenant_id = $1", (tenant_id, prev_hash))
    )
    await tamper(owner, *statements)
    assert events[4].payload != statements[0][1][2]  # the test did alter event 5

    async with app_pool.acquire() as conn:
        report = await verify(conn, tenant_id, public_key=signer.public_key)
    assert not report.intact
    assert (report.problem_code, report.first_bad_seq) == ("rewritten", 10)
    assert report.events_checked == 9  # everything before it chains: only the signature tells
    assert report.checkpoints_checked == 1  # the one at event 4 still matches
    assert report.problem is not None and "after event 4" in report.problem


async def test_a_checkpoint_not_signed_by_the_services_key_is_named(
    store: EventStore,
    tenant_id: UUID,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    owner: asyncpg.Connection,
    signer: Signer,
) -> None:
    await record_some(store, tenant_id, n=1)
    await signed(system_pool, tenant_id, Signer.of(Ed25519PrivateKey.generate()))
    report = await checked(app_pool, tenant_id, signer)
    assert (report.problem_code, report.first_bad_seq) == ("bad_signature", 2)

    other = await new_signed_county(store, app_pool, system_pool, signer)
    async with owner.transaction():
        await owner.execute("alter table chain_checkpoints disable trigger user")
        await owner.execute(
            "update chain_checkpoints set head_hash = $2 where tenant_id = $1", other, bytes(32)
        )
        await owner.execute("alter table chain_checkpoints enable trigger user")
    report = await checked(app_pool, other, signer)
    assert report.problem_code == "bad_signature"


async def new_signed_county(
    store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool, signer: Signer
) -> UUID:
    county = await new_tenant(app_pool)
    await record_some(store, county, n=1)
    await signed(system_pool, county, signer)
    assert (await checked(app_pool, county, signer)).intact
    return county


async def test_only_heads_that_moved_are_signed_and_an_unmoved_head_keeps_its_checkpoint(
    store: EventStore,
    tenant_id: UUID,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    signer: Signer,
) -> None:
    await record_some(store, tenant_id, n=1)
    async with system_pool.acquire() as conn:
        assert tenant_id in await heads_to_sign(conn)
    made = await sign_moved_heads(system_pool, signer)
    mine = [c for c in made if c.tenant_id == tenant_id]
    assert [(c.tenant_seq, c.public_key) for c in mine] == [(2, signer.public_key)]
    async with system_pool.acquire() as conn:
        assert tenant_id not in await heads_to_sign(conn)
        again = await sign_head(conn, tenant_id, signer)
    assert again == mine[0]
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert await list_checkpoints(conn, tenant_id) == mine


def test_the_key_file_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "signing_key.pem"
    first = Signer(path=path).public_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Signer(path=path).public_key == first
    assert Signer(pem=path.read_text()).public_key == first  # JGT_SIGNING_KEY holds the same
    path.chmod(0o640)
    with pytest.raises(SigningKeyError, match="chmod 600"):
        _ = Signer(path=path).public_key
    with pytest.raises(SigningKeyError, match="JGT_SIGNING_KEY"):
        _ = Signer(pem="not a key").public_key


async def test_the_background_loop_signs_a_head_soon_after_it_moves(
    store: EventStore,
    tenant_id: UUID,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    signer: Signer,
) -> None:
    loop = asyncio.create_task(sign_every(system_pool, signer, seconds=0.05))
    try:
        await record_some(store, tenant_id, n=1)
        for _ in range(200):
            async with tenant_transaction(app_pool, tenant_id) as conn:
                signed = await list_checkpoints(conn, tenant_id)
            if signed and signed[-1].tenant_seq == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
    assert [c.tenant_seq for c in signed][-1:] == [2]
    assert (await checked(app_pool, tenant_id, signer)).checkpoints_checked >= 1
