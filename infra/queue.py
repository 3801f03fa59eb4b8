"""The job queue's client (arq on Redis), made without connecting: making one never fails."""

from __future__ import annotations

import contextlib

from arq.connections import ArqRedis
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

# Refused connections and timeouts are OSErrors; redis-py's own errors are not.
REDIS_ERRORS = (RedisError, OSError)
CONNECT_TIMEOUT_SECONDS = 1.0


def queue_client(url: str, queue_name: str) -> ArqRedis:
    """A client of the queue at `url` (`redis://`, `rediss://` or `unix://`).

    It connects on first use and again after a failure, so one client outlives Redis restarts.
    arq's `create_pool` connects at once instead, and a task cancelled while it connects leaves
    an open client that nobody can close.
    """
    pool = ConnectionPool.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
    return ArqRedis(pool, default_queue_name=queue_name)


async def close_client(client: ArqRedis) -> None:
    """Closes a client and its connections, whether or not Redis still answers."""
    with contextlib.suppress(*REDIS_ERRORS):
        await client.aclose(close_connection_pool=True)
