"""Authentication: throttled failures (Redis, or memory while it is away) and the token cache."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest
from limits import RateLimitItemPerMinute
from litestar.testing import AsyncTestClient

from infra.db import create_pool
from infra.tenancy import Role, _encode, revoke_token
from service.app import create_app
from service.auth import Authenticator, ThrottledError
from service.problems import ApiError
from service.runtime import Urls
from service.settings import Settings
from tests.service.conftest import County, issue


def unknown_token() -> str:
    """Well-formed, so only the database can tell it is unknown."""
    return _encode(uuid4(), uuid4(), b"\x01" * 32)


@contextlib.asynccontextmanager
async def held(pool: asyncpg.Pool) -> AsyncIterator[None]:
    """Every connection of `pool` taken: whatever needs the database now waits."""
    conns = [await pool.acquire() for _ in range(pool.get_max_size())]
    try:
        yield
    finally:
        for conn in conns:
            await pool.release(conn)


async def test_repeated_failures_get_429_with_retry_after_and_no_database_round_trip(
    settings: Settings, urls: Urls, county: County
) -> None:
    own = msgspec.structs.replace(settings, queue_name=f"jgt:test:{uuid4().hex}", pool_size=2)
    app = create_app(own, urls, background=False)
    async with AsyncTestClient(app) as client:
        valid = {"Authorization": f"Bearer {county.tokens['supervisor']}"}
        assert (await client.get("/v1/schools", headers=valid)).status_code == 200
        statuses = []
        for _ in range(31):
            answer = await client.get(
                "/v1/schools", headers={"Authorization": f"Bearer {unknown_token()}"}
            )
            statuses.append(answer.status_code)
        assert statuses == [401] * 30 + [429]
        assert 1 <= int(answer.headers["retry-after"]) <= 60
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == "too_many_failed_logins"


@pytest.fixture
async def small_pool(urls: Urls) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(urls.app, max_size=2)
    yield pool
    await pool.close()


async def refused(auth: Authenticator, token: str) -> int:
    try:
        await auth.authenticate(token, "203.0.113.7")
    except ApiError as error:
        return error.status
    return 200


async def test_throttled_and_malformed_tokens_are_refused_without_the_database(
    small_pool: asyncpg.Pool, redis_url: str
) -> None:
    auth = Authenticator(
        small_pool, redis_url, failures=RateLimitItemPerMinute(3), key_prefix=uuid4().hex
    )
    try:
        malformed = ["jgt_", "jgt_" + "A" * 85, "Bearer", "jgt_!!!!", "x" * 4000]
        async with held(small_pool), asyncio.timeout(10):
            # Had these needed a connection, they would wait for one until the timeout.
            assert [await refused(auth, token) for token in malformed[:3]] == [401] * 3
            assert [await refused(auth, token) for token in malformed[3:]] == [429] * 2
        assert await refused(auth, unknown_token()) == 429
        async with held(small_pool), asyncio.timeout(10):
            statuses = {await refused(auth, unknown_token()) for _ in range(200)}
        assert statuses == {429}
    finally:
        await auth.close()


async def test_failures_counted_by_one_process_throttle_the_others(
    small_pool: asyncpg.Pool, redis_url: str
) -> None:
    prefix, three = f"jgt:test:{uuid4().hex}", RateLimitItemPerMinute(3)
    first = Authenticator(small_pool, redis_url, failures=three, key_prefix=prefix)
    second = Authenticator(small_pool, redis_url, failures=three, key_prefix=prefix)
    try:
        assert [await refused(first, unknown_token()) for _ in range(3)] == [401] * 3
        assert await refused(second, unknown_token()) == 429
        other = Authenticator(small_pool, redis_url, failures=three, key_prefix=f"{prefix}:x")
        assert await refused(other, unknown_token()) == 401  # another deployment's counts
        await other.close()
    finally:
        await first.close()
        await second.close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextlib.asynccontextmanager
async def frozen_redis() -> AsyncIterator[str]:
    """A listener that accepts connections and never answers, like a Redis that hangs."""
    held_open: list[asyncio.StreamWriter] = []

    async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held_open.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        for writer in held_open:
            writer.close()
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize("outage", ["refused", "frozen"])
async def test_a_redis_outage_fails_no_valid_request_and_failures_are_still_throttled(
    small_pool: asyncpg.Pool, county: County, app_pool: asyncpg.Pool, outage: str
) -> None:
    recorder = await issue(app_pool, county.tenant_id, Role.SUPERVISOR, label="督导")
    async with contextlib.AsyncExitStack() as stack:
        if outage == "refused":
            url = f"redis://127.0.0.1:{closed_port()}/0"
        else:
            url = await stack.enter_async_context(frozen_redis())
        auth = Authenticator(small_pool, url, failures=RateLimitItemPerMinute(3))
        stack.push_async_callback(auth.close)
        async with asyncio.timeout(5):  # a frozen Redis must not hold requests up
            principal = await auth.authenticate(recorder, "203.0.113.8")
            assert principal.tenant_id == county.tenant_id
            assert [await refused(auth, unknown_token()) for _ in range(4)] == [401] * 3 + [429]
            assert await refused(auth, recorder) == 200  # valid callers go on


async def test_a_cached_token_needs_no_database(
    small_pool: asyncpg.Pool, county: County, redis_url: str
) -> None:
    auth = Authenticator(small_pool, redis_url, cache_seconds=60, key_prefix=uuid4().hex)
    try:
        token = county.tokens["admin"]
        first = await auth.authenticate(token, "203.0.113.9")
        async with held(small_pool), asyncio.timeout(5):
            for _ in range(100):
                assert await auth.authenticate(token, "203.0.113.9") == first
            # The same token id with another secret is no cache hit.
            tenant_id, token_id = first.tenant_id, first.token_id
            forged = _encode(UUID(str(tenant_id)), token_id, b"\x02" * 32)
            with pytest.raises(ApiError) as caught:
                await auth.authenticate(forged, "203.0.113.9")
            assert caught.value.status == 401
            assert not isinstance(caught.value, ThrottledError)
    finally:
        await auth.close()


async def test_a_token_in_use_is_looked_up_again_before_it_expires(
    small_pool: asyncpg.Pool, app_pool: asyncpg.Pool, county: County, redis_url: str
) -> None:
    """Callers of a busy token never wait for the database, and a revocation still reaches them."""
    ttl = 1.5  # the look-up a use starts at 0.6 of it has 0.6 of it to end (0.36 s was too few
    # on a loaded machine: the next use found the entry expired and waited on the held pool)
    auth = Authenticator(small_pool, redis_url, cache_seconds=ttl, key_prefix=uuid4().hex)
    try:
        token = await issue(app_pool, county.tenant_id, Role.SUPERVISOR, label="忙碌")
        first = await auth.authenticate(token, "203.0.113.10")
        await asyncio.sleep(ttl * 0.6)  # its second half-life: this use starts a look-up
        assert await auth.authenticate(token, "203.0.113.10") == first
        await asyncio.sleep(ttl * 0.6)  # past the first entry's expiry: the new one answers
        async with held(small_pool), asyncio.timeout(5):
            assert await auth.authenticate(token, "203.0.113.10") == first
        async with app_pool.acquire() as conn, conn.transaction():
            assert await revoke_token(conn, county.tenant_id, first.token_id)
        statuses = []
        step = ttl / 12  # 36 tries in three lifetimes: the failures stay under the throttle's
        async with asyncio.timeout(3 * ttl + 5):
            for _ in range(36):
                statuses.append(await refused(auth, token))
                await asyncio.sleep(step)
        assert statuses[0] == 200
        assert statuses[-1] == 401  # within about two lifetimes of the cache
        assert 401 in statuses[:26]
    finally:
        await auth.close()
