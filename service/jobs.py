"""The arq jobs (one per kind of outbox payload), and the worker that runs them."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, NotRequired, TypeAlias, TypedDict, TypeVar, cast
from uuid import UUID

import asyncpg
import msgspec
from arq.worker import Function, Retry, Worker, func

from infra.db import create_pool, tenant_transaction
from infra.inbox import ActivityNotice, deliver_many
from infra.metrics import OUTBOX_DELIVERY, POOLS
from infra.outbox import OutboxPayload, claim, finish, job_id, job_name, note_error
from infra.queue import REDIS_ERRORS, close_client, queue_client, withdraw
from service.job_log import JobLine
from service.logs import quiet_arq

if TYPE_CHECKING:
    from arq.connections import ArqRedis
    from arq.typing import WorkerCoroutine

    from infra.db import Connection

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
POOL_SIZE = 10  # batches of different counties commit side by side
BATCH = 500  # rows a job delivers at most, its own and its county's others
# A job that finds its row done (swept by another) ends at once; the next ones start within
# a poll. Looking in Redis is one cheap command.
MAX_JOBS, POLL_SECONDS = 50, 0.05
STOP_GRACE_SECONDS = 2.0


class JobContext(TypedDict):
    """What a job finds in arq's context: what `on_startup` put there, and arq's own keys."""

    pool: asyncpg.Pool  # the request path (jgt_app): one tenant per transaction
    job_try: int  # 1 the first time
    redis: NotRequired[ArqRedis]  # the queue's client; absent when a test calls a job itself


P = TypeVar("P", bound=OutboxPayload)
# A kind's work for a county's rows (outbox id, payload), in the transaction that finishes
# them; returns the ids whose work is new (a row done before is not).
BatchWork: TypeAlias = Callable[["Connection", UUID, Sequence[tuple[int, P]]], Awaitable[set[int]]]
# What arq calls, with the arguments the dispatcher handed over.
JobFunction: TypeAlias = Callable[..., Coroutine[Any, Any, bool]]


class Jobs:
    """Every kind of outbox work and its handler: the one list a worker runs.

    A kind's job name is its tag (`infra.outbox.job_name`); the dispatcher hands each row to
    the job its `job` column names, so the name is written once, in the payload's class name.
    """

    def __init__(self) -> None:
        self._functions: dict[str, Function] = {}

    @property
    def functions(self) -> tuple[Function, ...]:
        return tuple(self._functions.values())

    def handles(self, kind: type[P]) -> Callable[[BatchWork[P]], JobFunction]:
        """Registers the work of `kind`; the decorated name becomes the job arq calls.

        The work gets a batch of one county's rows (those whose jobs run at the same time)
        in one transaction that also finishes them.
        """

        def register(handler: BatchWork[P]) -> JobFunction:
            name = job_name(kind)
            if name in self._functions:
                raise ValueError(f"two handlers for the job {name}")

            async def job(
                arq_ctx: Mapping[str, Any],
                *,
                tenant_id: str,
                outbox_id: int,
                payload: object,
                request_id: str | None = None,  # of the request that wrote the row; for logs
            ) -> bool:
                ctx = cast("JobContext", arq_ctx)  # arq's dict, filled by on_startup and arq
                tenant = UUID(tenant_id)
                line = JobLine(name, tenant_id, outbox_id, request_id)
                try:
                    message = msgspec.convert(payload, kind)
                except msgspec.ValidationError as error:
                    # Trying again cannot help; the row stays pending with the reason.
                    async with tenant_transaction(ctx["pool"], tenant) as conn:
                        await note_error(conn, tenant, outbox_id, f"bad payload: {error}")
                    line.failed(error)
                    raise
                try:
                    delivered, others, waits = await _deliver(
                        ctx["pool"],
                        handler,
                        kind,
                        tenant_id=tenant,
                        outbox_id=outbox_id,
                        message=message,
                    )
                except _TRANSIENT as error:
                    line.retry(error)
                    raise Retry(defer=timedelta(seconds=5 * ctx["job_try"])) from error
                except Exception as error:
                    line.failed(error)
                    raise
                line.done(delivered=delivered, rows=len(waits))
                for waited in waits:
                    OUTBOX_DELIVERY.observe(waited)
                if others and "redis" in ctx:
                    # Their jobs have nothing left to do; any that still runs finds its row done.
                    with contextlib.suppress(*REDIS_ERRORS):
                        await withdraw(ctx["redis"], [job_id(i) for i in others])
                return delivered

            functools.update_wrapper(job, handler)
            # arq's protocol takes any arguments; ours are the dispatcher's, by name.
            arq_job = cast("WorkerCoroutine", job)
            self._functions[name] = func(
                arq_job, name=name, keep_result=KEEP_RESULT, max_tries=MAX_TRIES
            )
            return job

        return register


JOBS = Jobs()


async def _deliver(
    pool: asyncpg.Pool,
    work: BatchWork[P],
    kind: type[P],
    *,
    tenant_id: UUID,
    outbox_id: int,
    message: P,
) -> tuple[bool, list[int], list[float]]:
    """Does a row's work with the county's other pending rows of its kind, in one transaction.

    Returns whether the row's own work was new, the other rows it finished, and how long each
    row it finished had waited. If the batch fails inside the database, the row is tried
    alone: another row's failure is not its own.
    """
    async with tenant_transaction(pool, tenant_id) as conn:
        claimed = await claim(conn, tenant_id, outbox_id, job_name(kind), more=BATCH - 1)
        if claimed is None:
            return False, [], []  # a retry, or a second hand-over: done already
        rows = [(outbox_id, message)]
        decoder = msgspec.json.Decoder(kind)
        for row in claimed:
            with contextlib.suppress(msgspec.ValidationError):  # left to its own job to report
                rows.append((row["outbox_id"], decoder.decode(row["payload"])))
        try:
            async with conn.transaction():  # a savepoint: a failed batch is undone alone
                new = await work(conn, tenant_id, rows)
                waits = await finish(conn, tenant_id, [i for i, _ in rows])
        except asyncpg.PostgresError as error:
            if len(rows) == 1 or isinstance(error, _TRANSIENT):
                raise
            rows = rows[:1]
            new = await work(conn, tenant_id, rows)
            waits = await finish(conn, tenant_id, [outbox_id])
    return outbox_id in new, [i for i, _ in rows[1:]], waits


class NotifyLeadSchool(ActivityNotice, OutboxPayload, frozen=True):
    """Tells a community's lead school (牵头学校) that an action was recorded."""


@JOBS.handles(NotifyLeadSchool)
async def notify_lead_school(
    conn: Connection, tenant_id: UUID, rows: Sequence[tuple[int, NotifyLeadSchool]]
) -> set[int]:
    """Puts each activity in its lead school's inbox; a row delivered before is not again."""
    # Stored as plain notices, without the job's tag.
    notices = [(i, ActivityNotice(**msgspec.structs.asdict(m))) for i, m in rows]
    return await deliver_many(conn, tenant_id, notices)


class RoundWorker(Worker):
    """An arq worker that says whether it is between rounds, so that it is stopped only there.

    A round picks jobs and starts each inside a Redis pipeline; a round cancelled midway leaves
    that pipeline's connection open (redis-py does not release it when cancelled mid-reply).
    """

    @functools.cached_property
    def between_rounds(self) -> asyncio.Event:
        event = asyncio.Event()
        event.set()
        return event

    async def _poll_iteration(self) -> None:
        self.between_rounds.clear()
        try:
            await super()._poll_iteration()
        finally:
            self.between_rounds.set()


def build_worker(
    *,
    database_url: str,
    redis_url: str,
    queue_name: str,
    burst: bool = False,
    poll_seconds: float = POLL_SECONDS,
    max_jobs: int = MAX_JOBS,
    on_started: Callable[[], None] | None = None,
) -> RoundWorker:
    """An arq worker for the jobs, to run in this process's event loop (it handles no signals).

    It opens its pool of the request path (`database_url`, role jgt_app) once it has reached
    Redis, calls `on_started`, and closes the pool on shutdown; stop it with `close_worker`.
    """

    async def on_startup(ctx: dict[str, Any]) -> None:
        ctx["pool"] = await create_pool(database_url, max_size=POOL_SIZE)
        POOLS.watch("jobs", ctx["pool"])
        if on_started is not None:
            on_started()

    quiet_arq()  # its two lines per job, quoting the job's arguments, go to debug
    return RoundWorker(
        JOBS.functions,
        queue_name=queue_name,
        redis_pool=queue_client(redis_url, queue_name),
        burst=burst,
        handle_signals=False,
        on_startup=on_startup,
        on_shutdown=_release,
        poll_delay=poll_seconds,
        max_jobs=max_jobs,
    )


async def close_worker(worker: RoundWorker) -> None:
    """Stops a worker and releases what it holds, also when Redis is gone.

    arq's own `close` stops at its first Redis call that fails, leaving the pools open. Jobs
    that are running get a moment to end first: one cut short inside a Redis pipeline leaves
    its connection behind (redis-py does not release it when cancelled mid-reply).
    """
    worker.allow_pick_jobs = False
    await _round_ended(worker)  # a round under way may still start the jobs it picked
    jobs = [task for task in worker.tasks.values() if not task.done()]
    if jobs:
        await asyncio.wait(jobs, timeout=STOP_GRACE_SECONDS)
    await _round_ended(worker)
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


async def _round_ended(worker: RoundWorker) -> None:
    """Returns between two rounds of the worker's loop (at once if it runs none), or after grace."""
    if worker.main_task is None:
        return
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(STOP_GRACE_SECONDS):
            while not worker.between_rounds.is_set() and not worker.main_task.done():
                await worker.between_rounds.wait()


async def _release(ctx: dict[str, Any]) -> None:
    pool: asyncpg.Pool | None = ctx.pop("pool", None)
    if pool is not None:
        await pool.close()
