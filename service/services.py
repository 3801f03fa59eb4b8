"""What request handlers and jobs share: pools, the event store, the queue, the settings."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from arq.connections import ArqRedis  # noqa: TC002 - Services' annotations are read at runtime
from limits import RateLimitItemPerMinute
from litestar.di import NamedDependency

from infra.crypto import MASTER_KEY_ENV, Keyring, MasterKey, load_master_key
from infra.db import create_pool as create_db_pool
from infra.event_store import EventStore
from infra.file_store import FileStore, FolderStore
from infra.metrics import POOLS
from infra.queue import close_client, queue_client
from infra.signing import KEY_FILE, Signer
from service.assessment.kept import KeptFacts
from service.auth import Authenticator, FailureThrottle
from service.problems import ApiError
from service.read_cache import ReadCache

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import asyncpg

    from service.runtime import Urls
    from service.settings import Settings


LOGIN_FAILURES_PER_MINUTE = 10  # wrong passwords one client address may try a minute


class Services:
    """Shared state of one process.

    A plain class, not a dataclass: Litestar then checks an injected value by isinstance rather
    than field by field.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        urls: Urls,
        pool: asyncpg.Pool,
        system_pool: asyncpg.Pool,
        store: EventStore,
        redis: ArqRedis | None,
        auth: Authenticator,
        keyring: Keyring,
    ) -> None:
        self.settings = settings
        self.urls = urls
        self.pool = pool  # the request path (jgt_app): one tenant per transaction
        self.system_pool = system_pool  # the cross-tenant path (jgt_system); never for requests
        self.store = store
        self.redis = redis  # connects on use; commands never need it
        self.signer = signer_of(settings)
        self.auth = auth  # bearer tokens, from a short-lived cache
        self.keyring = keyring  # teachers' personal data, sealed and opened
        self.files: FileStore = file_store_of(settings)
        self.read_cache = ReadCache(enabled=settings.read_cache == "on")
        # The pages' wrong passwords per client address, apart from the tokens' failures.
        self.login_throttle = FailureThrottle(
            urls.redis,
            RateLimitItemPerMinute(LOGIN_FAILURES_PER_MINUTE),
            key_prefix=settings.queue_name,
            counts="login-failures",
        )
        # Sign-ins by phone (no token) and the look-ups of sign-in links, per client address.
        self.sign_in_throttle = FailureThrottle(
            urls.redis,
            RateLimitItemPerMinute(settings.sign_ins_per_minute),
            key_prefix=settings.queue_name,
            counts="sign-ins",
            refusal=too_many_sign_ins,
        )
        # Where "as known on D" is told: the county's day, for the compliance facts.
        self.zone = ZoneInfo(settings.timezone)
        # The pages' folds of a few counties (the API reads the runner's table or folds anew).
        self.facts = KeptFacts(self.zone, store.mapper)


def file_store_of(settings: Settings) -> FileStore:
    """Evidence files: the folder `files` in the data folder."""
    return FolderStore(settings.data_dir / "files")


def too_many_sign_ins(retry_after: int) -> ApiError:
    error = ApiError(
        429,
        "too_many_sign_ins",
        "签到请求过于频繁，请 {retry_after} 秒后再试。",
        "Too many sign-in requests; try again in {retry_after} s.",
        retry_after=retry_after,
    )
    error.headers = {"Retry-After": str(retry_after)}
    return error


def signer_of(settings: Settings) -> Signer:
    """The checkpoints' key: JGT_SIGNING_KEY, else the key file in the data folder."""
    return Signer(pem=settings.signing_key, path=settings.data_dir / KEY_FILE)


def master_key_of(settings: Settings) -> MasterKey:
    """JGT_MASTER_KEY, else the key file in the data folder (made on first use)."""
    given = {} if settings.master_key is None else {MASTER_KEY_ENV: settings.master_key}
    return load_master_key(given, settings.data_dir)


def keyring_of(settings: Settings, pool: asyncpg.Pool) -> Keyring:
    """Teachers' keys on `pool`, under the master key."""
    return Keyring(pool, master_key_of(settings))


@contextlib.asynccontextmanager
async def open_services(settings: Settings, urls: Urls) -> AsyncIterator[Services]:
    pool = await create_db_pool(urls.app, max_size=settings.pool_size)
    system_pool = await create_db_pool(urls.system, max_size=4)
    store = EventStore(pool)
    POOLS.watch("app", pool)
    POOLS.watch("system", system_pool)
    services = Services(
        settings=settings,
        urls=urls,
        pool=pool,
        system_pool=system_pool,
        store=store,
        redis=queue_client(urls.redis, settings.queue_name) if urls.redis else None,
        auth=Authenticator(pool, urls.redis, key_prefix=settings.queue_name),
        keyring=keyring_of(settings, pool),
    )
    try:
        yield services
    finally:
        await services.auth.close()
        await services.sign_in_throttle.close()
        await services.login_throttle.close()
        await store.close()
        if services.redis is not None:
            await close_client(services.redis)
        await system_pool.close()
        await pool.close()


# How a route asks for them (Litestar injects dependencies by parameter name).
Shared = NamedDependency[Services]
