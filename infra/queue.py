"""The job queue's client (arq on Redis), made without connecting: making one never fails."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from arq.connections import ArqRedis
from arq.constants import (
    expires_extra_ms,
    in_progress_key_prefix,
    job_key_prefix,
    result_key_prefix,
    retry_key_prefix,
)
from arq.jobs import serialize_job
from arq.utils import timestamp_ms
from redis.asyncio import ConnectionPool
from redis.exceptions import RedisError

if TYPE_CHECKING:
    from collections.abc import Sequence

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


# arq's enqueue, for many jobs in one round trip: a job whose id arq still holds (queued,
# running, or its result kept) is left alone, as `ArqRedis.enqueue_job` leaves it.
_ENQUEUE = """
local queue, score, expires = KEYS[1], ARGV[1], ARGV[2]
for i = 3, #ARGV, 2 do
    local id = ARGV[i]
    if redis.call('exists', '{job}' .. id, '{result}' .. id) == 0 then
        redis.call('psetex', '{job}' .. id, expires, ARGV[i + 1])
        redis.call('zadd', queue, score, id)
    end
end
return 0
"""

# Takes jobs whose work is done out of the queue, unless a worker has started one already.
# Touching the in-progress key makes a worker that is starting one at this moment give up
# (arq starts a job under WATCH of that key).
_WITHDRAW = """
local queue = KEYS[1]
for i = 1, #ARGV do
    local id = ARGV[i]
    if redis.call('set', '{in_progress}' .. id, '1', 'NX', 'PX', 10000) then
        redis.call('zrem', queue, id)
        redis.call('del', '{job}' .. id, '{retry}' .. id)
    end
end
return 0
"""
_KEYS = {
    "job": job_key_prefix,
    "result": result_key_prefix,
    "in_progress": in_progress_key_prefix,
    "retry": retry_key_prefix,
}
_ENQUEUE, _WITHDRAW = _ENQUEUE.format(**_KEYS), _WITHDRAW.format(**_KEYS)


@dataclass(frozen=True)
class QueuedJob:
    job_id: str
    function: str
    kwargs: dict[str, Any]


async def enqueue_many(client: ArqRedis, jobs: Sequence[QueuedJob]) -> None:
    """Queues every job (in order, now) in one round trip; raises as redis-py does."""
    if not jobs:
        return
    now = timestamp_ms()
    args: list[str | int | bytes] = [now, expires_extra_ms]
    for job in jobs:
        args += [job.job_id, serialize_job(job.function, (), job.kwargs, None, now)]
    await client.register_script(_ENQUEUE)(keys=[client.default_queue_name], args=args)


async def withdraw(client: ArqRedis, job_ids: Sequence[str]) -> None:
    """Takes jobs that no longer need to run out of the queue (one round trip)."""
    if job_ids:
        await client.register_script(_WITHDRAW)(keys=[client.default_queue_name], args=job_ids)
