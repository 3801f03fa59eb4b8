"""The outbox dispatcher: hands work written with the events to arq, the outbox id as job id."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING

import msgspec

from infra.backoff import Outage
from infra.db import set_tenant
from infra.event_store import OutboxMessage
from infra.queue import REDIS_ERRORS, QueuedJob, close_client, enqueue_many, queue_client

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    import asyncpg
    from arq.connections import ArqRedis

    from infra.db import Connection

log = logging.getLogger(__name__)

# One dispatcher hands rows over at a time (every process of the service runs one); the
# others skip the round instead of handing the same rows to arq again.
_LOCK_KEY = 0x6A67745F6F757462  # "jgt_outb"

# With the request id of the events that wrote each row (their metadata), for the job's log.
_PENDING = """
    select o.tenant_id, o.outbox_id, o.job, o.payload,
           convert_from(e.metadata, 'UTF8')::jsonb ->> 'request_id' as request_id
    from outbox o
    left join events e on e.tenant_id = o.tenant_id and e.tenant_seq = o.tenant_seq
    where o.done_at is null
      and (o.enqueued_at is null or o.enqueued_at < clock_timestamp() - $1::interval)
    order by o.outbox_id
    limit $2
"""


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class OutboxPayload(msgspec.Struct, frozen=True, kw_only=True, tag_field="job", tag=_snake_case):
    """Work for a worker, written with the events that cause it: the base of every kind.

    Each kind is a subclass named for its job as a command is (`NotifyLeadSchool` is the job
    `notify_lead_school`); that tag is the row's `job` column, the fields are its payload.
    """


def job_name(kind: type[OutboxPayload]) -> str:
    """The job a kind of payload is for: its tag, the one place the name is written."""
    tag = kind.__struct_config__.tag
    if not isinstance(tag, str):  # pragma: no cover - the base class gives every kind a tag
        raise TypeError(f"{kind.__name__} has no job name")
    return tag


def outbox_message(payload: OutboxPayload) -> OutboxMessage:
    """The row the store writes for `payload`: the tag in `job`, the fields (untagged) as JSON."""
    return OutboxMessage(job_name(type(payload)), msgspec.structs.asdict(payload))


def job_id(outbox_id: int) -> str:
    """The job id of an outbox row: arq refuses a second job with an id it still holds."""
    return f"outbox:{outbox_id}"


class OutboxDispatcher:
    """Hands every tenant's pending outbox rows to arq, oldest first.

    A row is finished (done_at) only by its job, so a job lost in Redis (one restarted without
    its data) is handed over again once `redispatch_after` has passed since the last time; arq
    refuses a job id it still holds and jobs are idempotent, so a second hand-over is harmless.
    Reads across tenants on the system role (`system_pool`) and marks each row with its tenant
    set. With Redis down, rows wait in the outbox: nothing is lost and nothing raises.
    """

    def __init__(
        self,
        system_pool: asyncpg.Pool,
        redis_url: str | None,
        queue_name: str,
        *,
        poll_seconds: float = 0.5,
        redispatch_after: timedelta = timedelta(minutes=10),
        batch: int = 100,
        max_backoff_seconds: float = 30.0,
        redis_timeout_seconds: float = 5.0,
    ) -> None:
        self._pool = system_pool
        self._redis_url = redis_url
        self._queue_name = queue_name
        self._poll_seconds = poll_seconds
        self._redispatch_after = redispatch_after
        self._batch = batch
        self._redis_timeout = redis_timeout_seconds
        self._redis: ArqRedis | None = None
        self._woken = asyncio.Event()
        self._redis_outage = Outage(
            log, "outbox dispatcher: Redis", first_delay=poll_seconds, max_delay=max_backoff_seconds
        )
        self._database_outage = Outage(
            log,
            "outbox dispatcher: the database",
            first_delay=poll_seconds,
            max_delay=max_backoff_seconds,
            traceback=True,
        )

    def wake(self, tenant_id: UUID | None = None) -> None:
        """A hint that rows were added (EventStore.on_append): the next round starts now."""
        del tenant_id
        self._woken.set()

    async def dispatch_once(self) -> int:
        """One round: up to `batch` pending rows handed to arq; returns how many.

        With Redis down the round stops at the first failure; rows not handed over stay
        pending. Raises only when the database fails.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("select pg_try_advisory_xact_lock($1)", _LOCK_KEY):
                return 0
            rows = await conn.fetch(_PENDING, self._redispatch_after, self._batch)
            if not rows:
                return 0
            handed = await self._enqueue(rows)
            await _mark_enqueued(conn, handed)
        return len(handed)

    async def run_forever(self) -> None:
        """Dispatches until cancelled: at once when woken, else every `poll_seconds`.

        Never raises: while Redis or the database is down, it retries with a growing delay
        and logs once per outage.
        """
        if self._redis_url is None:
            log.warning("no Redis configured: outbox rows wait until a dispatcher has one")
        while True:
            self._woken.clear()
            try:
                handed = await self.dispatch_once()
            except Exception as error:  # noqa: BLE001 - whatever failed, retry after a pause
                await asyncio.sleep(self._database_outage.failed(error))
                continue
            self._database_outage.recovered()
            if self._redis_outage.down:
                await asyncio.sleep(self._redis_outage.delay)  # a wake-up does not cut it short
            elif handed < self._batch:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._poll_seconds):
                        await self._woken.wait()

    async def close(self) -> None:
        redis, self._redis = self._redis, None
        if redis is not None:
            await close_client(redis)

    async def _enqueue(self, rows: Sequence[asyncpg.Record]) -> list[asyncpg.Record]:
        """Queues a job per row, all in one round trip: every row, or none while Redis is down."""
        if self._redis_url is None:
            return []
        if self._redis is None:
            self._redis = queue_client(self._redis_url, self._queue_name)
        jobs = [
            QueuedJob(
                job_id=job_id(row["outbox_id"]),
                function=row["job"],
                kwargs={
                    "tenant_id": str(row["tenant_id"]),
                    "outbox_id": row["outbox_id"],
                    "payload": msgspec.json.decode(row["payload"]),
                    "request_id": row["request_id"],
                },
            )
            for row in rows
        ]
        try:
            # redis-py waits for an answer without limit; a hung Redis must not hold the
            # round (and its transaction) forever.
            async with asyncio.timeout(self._redis_timeout):
                await enqueue_many(self._redis, jobs)
        except REDIS_ERRORS as error:
            self._redis_outage.failed(error)
            # Connections made before the failure may be stale; the next round makes new.
            with contextlib.suppress(*REDIS_ERRORS):
                await self._redis.connection_pool.disconnect()
            return []
        # A job whose id arq still holds counts too: it will run.
        self._redis_outage.recovered()
        return list(rows)


async def _mark_enqueued(conn: Connection, rows: Sequence[asyncpg.Record]) -> None:
    """Notes the hand-over, one tenant at a time: the update must pass the tenant's policy."""
    by_tenant: dict[UUID, list[int]] = {}
    for row in rows:
        by_tenant.setdefault(row["tenant_id"], []).append(row["outbox_id"])
    for tenant_id, outbox_ids in by_tenant.items():
        await set_tenant(conn, tenant_id)
        await conn.execute(
            "update outbox set enqueued_at = clock_timestamp(), attempts = attempts + 1"
            " where tenant_id = $1 and outbox_id = any($2::bigint[])",
            tenant_id,
            outbox_ids,
        )


async def pending_outbox(conn: Connection, tenant_id: UUID) -> int:
    """The county's rows not yet done (tenant set)."""
    count: int = await conn.fetchval(
        "select count(*) from outbox where tenant_id = $1 and done_at is null", tenant_id
    )
    return count


async def finish(conn: Connection, tenant_id: UUID, outbox_ids: Sequence[int]) -> list[float]:
    """Marks rows done; a job calls it in the transaction that does their work (tenant set).

    Returns the seconds each row waited, from its write to now (for the delivery metric).
    """
    rows = await conn.fetch(
        "update outbox set done_at = clock_timestamp(), last_error = null"
        " where tenant_id = $1 and outbox_id = any($2::bigint[]) and done_at is null"
        " returning extract(epoch from done_at - created_at)::float8 as waited",
        tenant_id,
        outbox_ids,
    )
    return [row["waited"] for row in rows]


async def note_error(conn: Connection, tenant_id: UUID, outbox_id: int, error: str) -> None:
    """Keeps why a row's job failed, for whoever looks at rows that stay pending."""
    await conn.execute(
        "update outbox set last_error = $3 where tenant_id = $1 and outbox_id = $2",
        tenant_id,
        outbox_id,
        error[:2000],
    )


async def claim(
    conn: Connection, tenant_id: UUID, outbox_id: int, job: str, *, more: int
) -> list[asyncpg.Record] | None:
    """Locks a row and up to `more` other pending rows of its job and tenant, oldest first.

    None when the row is done already. The others are those no other transaction holds
    (`skip locked`): a job delivers them with its own and finishes them all in its transaction.
    Waits only for its own row, holding nothing: two jobs never wait for each other in a cycle.
    """
    pending = await conn.fetchval(
        "select done_at is null from outbox where tenant_id = $1 and outbox_id = $2 for update",
        tenant_id,
        outbox_id,
    )
    if not pending:
        return None
    return await conn.fetch(
        "select outbox_id, payload from outbox"
        " where tenant_id = $1 and job = $2 and done_at is null and outbox_id <> $3"
        " order by outbox_id limit $4 for update skip locked",
        tenant_id,
        job,
        outbox_id,
        more,
    )
