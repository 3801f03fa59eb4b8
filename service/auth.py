"""Bearer tokens checked from a short-lived cache; failed attempts throttled per client address."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import re
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import FixedWindowRateLimiter
from redis.asyncio import ConnectionPool

from infra.queue import REDIS_ERRORS
from infra.tenancy import (
    CountySuspendedError,
    TokenError,
    TokenExpiredError,
    TokenRecord,
    find_token,
    parse_token,
)
from service.problems import ApiError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

    import asyncpg

    from infra.tenancy import Principal

T = TypeVar("T")
_log = logging.getLogger("jiaogongti.auth")

# A revocation or suspension made by another process (or the CLI) is seen within this; the
# process that makes one forgets the token at once.
CACHE_SECONDS = 1.0
CACHE_MAX_TOKENS = 50_000
# Failed authentications one client address may make per minute before it gets 429.
FAILURES_PER_MINUTE = 30
# How long a failed Redis keeps the throttle in memory, and how long one call may wait.
REDIS_PAUSE_SECONDS = 5.0
REDIS_TIMEOUT_SECONDS = 0.5  # generous: a busy Redis must not split the counts


class ThrottledError(ApiError):
    """Too many failed authentications from one client: 429 with Retry-After."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429,
            "too_many_failed_logins",
            "身份验证失败次数过多，请 {retry_after} 秒后再试。",
            "Too many failed authentications; try again in {retry_after} s.",
            retry_after=retry_after,
        )
        self.headers = {"Retry-After": str(retry_after)}


def not_authenticated(error: TokenError) -> ApiError:
    if isinstance(error, TokenExpiredError):
        return ApiError(401, "token_expired", "访问令牌已过期。", "The token has expired.")
    return ApiError(
        401,
        "not_authenticated",
        "访问令牌无效或已被吊销。",
        "The token is not valid or was revoked.",
    )


def suspended(error: CountySuspendedError) -> ApiError:
    return ApiError(
        403,
        "county_suspended",
        "该县（租户）已被平台暂停使用，数据均保留；请联系平台运营方。",
        "This county is suspended by the platform; its data is kept. Ask the operator.",
        tenant_id=error.tenant_id,
    )


_DURATION = re.compile(r"^\s*([1-9][0-9]{0,5})\s*([mhd])\s*$")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
DURATION_PATTERN = _DURATION.pattern


def lifetime(text: str) -> timedelta:
    """A token's lifetime written as `90d`, `12h` or `30m`; ValueError otherwise."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"not a lifetime like 90d, 12h or 30m: {text!r}")
    return int(match.group(1)) * _UNITS[match.group(2)]


def expiry(text: str | None, now: datetime | None = None) -> datetime | None:
    return None if text is None else (now or datetime.now(UTC)) + lifetime(text)


class FailureThrottle:
    """Failed attempts per client in a fixed window, shared by every process through Redis.

    While Redis does not answer, each process counts in memory (limits' MemoryStorage) and
    tries Redis again after a pause: an outage never fails a request or slows every one.
    """

    def __init__(
        self,
        redis_url: str | None,
        item: RateLimitItem,
        *,
        key_prefix: str,
        counts: str = "auth-failures",
        refusal: Callable[[int], ApiError] = ThrottledError,
    ) -> None:
        """`counts` names what is counted (its Redis keys); `refusal(retry_after)` the 429."""
        self._item, self._refusal = item, refusal
        self._memory = FixedWindowRateLimiter(MemoryStorage())
        self._pool: ConnectionPool | None = None
        self._redis: FixedWindowRateLimiter | None = None
        self._paused_until = 0.0
        if redis_url:
            self._pool = ConnectionPool.from_url(
                redis_url,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
            storage = RedisStorage(
                _limits_uri(redis_url),
                implementation="redispy",
                key_prefix=f"{key_prefix}:{counts}",
                connection_pool=self._pool,  # type: ignore[arg-type] # limits types options as scalars
            )
            self._redis = FixedWindowRateLimiter(storage)

    async def refuse_if_throttled(self, client: str) -> None:
        """429 when `client` has used up its failures, without a database round trip."""
        if not await self._ask(lambda limiter: limiter.test(self._item, client)):
            raise self._refusal(await self._retry_after(client))

    async def failed(self, client: str) -> None:
        """Counts one failure; 429 when it was one too many."""
        if not await self._ask(lambda limiter: limiter.hit(self._item, client)):
            raise self._refusal(await self._retry_after(client))

    async def _retry_after(self, client: str) -> int:
        stats = await self._ask(lambda limiter: limiter.get_window_stats(self._item, client))
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def _ask(self, call: Callable[[FixedWindowRateLimiter], Awaitable[T]]) -> T:
        if self._redis is not None and time.monotonic() >= self._paused_until:
            try:
                async with asyncio.timeout(REDIS_TIMEOUT_SECONDS):
                    return await call(self._redis)
            except (*REDIS_ERRORS, TimeoutError) as error:
                self._paused_until = time.monotonic() + REDIS_PAUSE_SECONDS
                _log.warning("auth throttle counts in memory for now; Redis: %s", error)
        return await call(self._memory)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.disconnect()


def _quietly(done: asyncio.Future[TokenRecord | None]) -> None:
    """A background look-up that failed (the database away) leaves the entry to expire."""
    if not done.cancelled():
        done.exception()


def _limits_uri(url: str) -> str:
    # limits picks its client by scheme: `async+redis…`; a unix socket is `async+redis+unix`.
    if url.startswith("unix://"):
        return "async+redis+" + url
    return "async+" + url


class Authenticator:
    """Resolves bearer tokens to principals; one per process."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        redis_url: str | None,
        *,
        cache_seconds: float = CACHE_SECONDS,
        failures: RateLimitItem | None = None,
        key_prefix: str = "jgt",
    ) -> None:
        """`key_prefix` keeps the failure counts of deployments sharing one Redis apart."""
        self._pool = pool
        self._cache_seconds = cache_seconds
        self._cache: dict[tuple[UUID, UUID], tuple[float, TokenRecord]] = {}
        self._loading: dict[tuple[UUID, UUID], asyncio.Future[TokenRecord | None]] = {}
        self._parsed: dict[bytes, tuple[UUID, UUID, bytes]] = {}
        self._forgets = 0
        self.throttle = FailureThrottle(
            redis_url,
            failures or RateLimitItemPerMinute(FAILURES_PER_MINUTE),
            key_prefix=key_prefix,
        )

    async def authenticate(self, token: str, client: str) -> Principal:
        """The token's principal, or an ApiError: 401, 403 (county suspended) or 429."""
        try:
            tenant_id, token_id, secret_hash = self._parse(token)
            record = await self._record(
                tenant_id, token_id, client
            )  # a wrong shape never gets here
            if record is not None:
                return record.admit(secret_hash, datetime.now(UTC))
            error = TokenError("unknown or revoked token")
        except TokenError as refused:
            error = refused
        except CountySuspendedError as refused:
            raise suspended(refused) from refused
        await self.throttle.failed(client)
        raise not_authenticated(error) from error

    def forget(self, tenant_id: UUID, token_id: UUID) -> None:
        """Drops a token this process revoked, so its next use is refused at once."""
        self._forgets += 1  # a look-up in flight may have read it before the revocation
        self._cache.pop((tenant_id, token_id), None)

    def forget_user(self, tenant_id: UUID, user_id: UUID) -> None:
        """Drops every token of a user this process deactivated."""
        self._forgets += 1  # as `forget`: a look-up in flight may have read it before
        for key, (_, record) in list(self._cache.items()):
            if key[0] == tenant_id and record.principal.user_id == user_id:
                self._cache.pop(key, None)

    def cached(self, token: str) -> Principal | None:
        """The token's principal if its record is in the cache and admits it, else None.

        For the cheap path of cached reads (service/cached_reads.py): no wait, no throttle, no
        problem; whatever this does not admit goes the way of `authenticate`, which answers it.
        """
        try:
            tenant_id, token_id, secret_hash = self._parse(token)
            record = self._fresh((tenant_id, token_id))
            return None if record is None else record.admit(secret_hash, datetime.now(UTC))
        except (TokenError, CountySuspendedError):
            return None

    def _parse(self, token: str) -> tuple[UUID, UUID, bytes]:
        """`parse_token`, remembered for the tokens of cached records (base64 and SHA-256 once).

        Keyed by the SHA-256 of the token, so the cache never holds a token itself.
        """
        digest = hashlib.sha256(token.encode()).digest()
        found = self._parsed.get(digest)
        if found is None:
            found = parse_token(token)  # a token of the wrong shape raises: never kept
            if len(self._parsed) >= CACHE_MAX_TOKENS:
                self._parsed.clear()
            self._parsed[digest] = found
        return found

    def _fresh(self, key: tuple[UUID, UUID]) -> TokenRecord | None:
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is None or cached[0] <= now:
            return None
        # In its second half-life a token in use is looked up again in the background:
        # callers never wait for the expiry, and no answer is older than the cache allows.
        if cached[0] - now < self._cache_seconds / 2 and key not in self._loading:
            self._look_up(key).add_done_callback(_quietly)
        return cached[1]

    async def _record(self, tenant_id: UUID, token_id: UUID, client: str) -> TokenRecord | None:
        key = (tenant_id, token_id)
        cached = self._fresh(key)
        if cached is not None:
            return cached
        await self.throttle.refuse_if_throttled(client)
        # Concurrent requests with one token share one look-up.
        return await asyncio.shield(self._look_up(key))

    def _look_up(self, key: tuple[UUID, UUID]) -> asyncio.Future[TokenRecord | None]:
        loading = self._loading.get(key)
        if loading is None:
            loading = asyncio.ensure_future(self._load_and_keep(key))
            self._loading[key] = loading
            loading.add_done_callback(lambda _: self._loading.pop(key, None))
        return loading

    async def _load_and_keep(self, key: tuple[UUID, UUID]) -> TokenRecord | None:
        started, forgets = time.monotonic(), self._forgets
        record = await self._load(*key)
        if record is None or forgets != self._forgets:
            self._cache.pop(key, None)
        else:
            if len(self._cache) >= CACHE_MAX_TOKENS:
                self._cache.clear()
            self._cache[key] = (started + self._cache_seconds, record)
        return record

    async def _load(self, tenant_id: UUID, token_id: UUID) -> TokenRecord | None:
        async with self._pool.acquire() as conn, conn.transaction():
            return await find_token(conn, tenant_id, token_id)

    async def close(self) -> None:
        await self.throttle.close()
