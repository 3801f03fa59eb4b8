"""The arq jobs, and the worker that runs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import asyncpg
import msgspec
from arq.worker import Retry, Worker, func

from infra.db import create_pool, tenant_transaction
from infra.inbox import ActivityNotice, deliver
from infra.outbox import finish, note_error
from infra.queue import REDIS_ERRORS, close_client, queue_client

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

# Failures that pass (the database restarting, a deadlock): arq tries the job again later.
_TRANSIENT = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.TransactionRollbackError,
    asyncpg.InterfaceError,
)
MAX_TRIES = 5
# A result only keeps arq from accepting the same job id again; the outbox row's done_at says
# the job ran. Shorter than the dispatcher's redispatch_after (10 minutes), so that a failed
# job's result no longer blocks its next hand-over.
KEEP_RESULT = timedelta(minutes=5)


async def notify_lead_school(
    ctx: dict[str, Any], *, tenant_id: str, outbox_id: int, payload: dict[str, Any]
) -> bool:
    """Puts a recorded activity in its community's lead school's inbox and finishes the row.

    Both in one transaction of the request path with the tenant set. Returns whether the
    notification is new: run twice for one outbox row, it delivers once.
    """
    pool: asyncpg.Pool = ctx["pool"]
    tenant = UUID(tenant_id)
    try:
        notice = msgspec.convert(payload, ActivityNotice)
    except msgspec.ValidationError as error:
        # Trying again cannot help; the row stays pending with the reason.
        async with tenant_transaction(pool, tenant) as conn:
            await note_error(conn, tenant, outbox_id, f"bad payload: {error}")
        raise
    try:
        async with tenant_transaction(pool, tenant) as conn:
            delivered = await deliver(conn, tenant, outbox_id, notice)
            await finish(conn, tenant, outbox_id)
    except _TRANSIENT as error:
        raise Retry(defer=timedelta(seconds=5 * ctx["job_try"])) from error
    return delivered


FUNCTIONS = (
    func(
        notify_lead_school, name="notify_lead_school", keep_result=KEEP_RESULT, max_tries=MAX_TRIES
    ),
)


def build_worker(
    *,
    database_url: str,
    redis_url: str,
    queue_name: str,
    burst: bool = False,
    poll_seconds: float = 0.5,
    max_jobs: int = 4,
    on_started: Callable[[], None] | None = None,
) -> Worker:
    """An arq worker for the jobs, to run in this process's event loop (it handles no signals).

    It opens its pool of the request path (`database_url`, role jgt_app) once it has reached
    Redis, calls `on_started`, and closes the pool on shutdown; stop it with `close_worker`.
    """

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["pool"] = await create_pool(database_url, max_size=max_jobs)
        if on_started is not None:
            on_started()

    return Worker(
        FUNCTIONS,
        queue_name=queue_name,
        redis_pool=queue_client(redis_url, queue_name),
        burst=burst,
        handle_signals=False,
        on_startup=on_startup,
        on_shutdown=_release,
        poll_delay=poll_seconds,
        max_jobs=max_jobs,
    )


async def close_worker(worker: Worker) -> None:
    """Stops a worker and releases what it holds, also when Redis is gone.

    arq's own `close` stops at its first Redis call that fails, leaving the pools open.
    """
    running = [task for task in (*worker.tasks.values(), worker.main_task) if task is not None]
    for task in running:
        task.cancel()  # a job cut short is run again: arq leaves it in the queue
    await asyncio.gather(*running, return_exceptions=True)
    started = "pool" in worker.ctx
    await _release(worker.ctx)
    if started:  # else it never reached Redis: no need to wait for it once more
        with contextlib.suppress(*REDIS_ERRORS):
            await worker.pool.delete(worker.health_check_key)
    await close_client(worker.pool)


async def _release(ctx: dict[str, Any]) -> None:
    pool: asyncpg.Pool | None = ctx.pop("pool", None)
    if pool is not None:
        await pool.close()
