"""A process's background work: projections, the outbox dispatcher and an arq worker."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from infra.backoff import Outage
from infra.checkpoints import sign_every
from infra.evidence_files import sweep_every
from infra.outbox import OutboxDispatcher
from projections.runner import ProjectionRunner
from service.jobs import RoundWorker, build_worker, close_worker
from service.runtime import servers
from service.services import open_services

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable

    from service.services import Services
    from service.settings import Settings

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def run_background(
    services: Services, *, max_backoff_seconds: float = 30.0
) -> AsyncIterator[None]:
    """Runs the runner, the dispatcher, a job worker, checkpoints and the evidence sweep.

    Appends through `services.store` wake the runner and the dispatcher at once. None of them
    needs Redis to start: while it (or the database) is down they retry with a growing delay
    (up to `max_backoff_seconds`) and log once per outage. Leaving the block stops them all;
    a job cut short runs again later.
    """
    settings, urls = services.settings, services.urls
    dispatcher = OutboxDispatcher(
        services.system_pool,
        urls.redis,
        settings.queue_name,
        poll_seconds=settings.poll_seconds,
        max_backoff_seconds=max_backoff_seconds,
    )
    runner = ProjectionRunner(
        services.system_pool,
        poll_seconds=settings.poll_seconds,
        max_backoff_seconds=max_backoff_seconds,
        timezone=settings.timezone,
        judge_url=urls.system if settings.judge_process else None,
    )
    services.store.on_append(runner.wake)
    services.store.on_append(dispatcher.wake)
    tasks = [
        asyncio.create_task(runner.run_forever(), name="jgt projection runner"),
        asyncio.create_task(dispatcher.run_forever(), name="jgt outbox dispatcher"),
    ]
    signing = sign_every(services.system_pool, services.signer, seconds=settings.checkpoint_seconds)
    tasks.append(asyncio.create_task(signing, name="jgt chain checkpoints"))
    sweeping = sweep_every(
        services.system_pool,
        services.files,
        grace=timedelta(seconds=settings.file_grace_seconds),
        seconds=settings.file_sweep_seconds,
    )
    tasks.append(asyncio.create_task(sweeping, name="jgt evidence sweep"))
    if urls.redis is not None:
        worker_of = functools.partial(
            build_worker,
            database_url=urls.app,
            redis_url=urls.redis,
            queue_name=settings.queue_name,
        )
        work = keep_working(
            lambda on_started: worker_of(on_started=on_started),
            first_delay=settings.poll_seconds,
            max_delay=max_backoff_seconds,
        )
        tasks.append(asyncio.create_task(work, name="jgt job worker"))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        try:
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            await dispatcher.close()


async def keep_working(
    worker_of: Callable[[Callable[[], None]], RoundWorker], *, first_delay: float, max_delay: float
) -> None:
    """Runs arq workers until cancelled, a new one whenever the last lost Redis.

    `worker_of(on_started)` builds a worker that calls `on_started` once it is at work. A
    worker in burst mode ends this when it has emptied the queue.
    """
    outage = Outage(
        log, "job worker: Redis or the database", first_delay=first_delay, max_delay=max_delay
    )
    while True:
        worker = worker_of(outage.recovered)
        try:
            await worker.async_run()
        except Exception as error:  # noqa: BLE001 - Redis or the database away: start again
            delay = outage.failed(error)
        else:
            return
        finally:
            await close_worker(worker)
        await asyncio.sleep(delay)


async def work_until_stopped(settings: Settings, *, ready: Callable[[str], None]) -> None:
    """`jgt worker`: the background work on the configured (or embedded) servers.

    Runs until cancelled (Ctrl-C, or SIGTERM through `run_until_stopped`); `ready` gets one line
    once it runs.
    """
    async with (
        servers(settings, need_redis=True) as urls,
        open_services(settings, urls) as services,
        run_background(services),
        contextlib.AsyncExitStack() as stack,
    ):
        line = f"jiaogongti worker on queue {settings.queue_name}"
        if settings.metrics and settings.metrics_address:
            from service.metrics import metrics_listener  # noqa: PLC0415 - litestar only then

            port = await stack.enter_async_context(
                metrics_listener(services, settings.metrics_address)
            )
            line += f", metrics on port {port}"
        ready(line)
        await asyncio.Event().wait()
