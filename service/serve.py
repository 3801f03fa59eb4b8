"""`jgt serve`: the API under uvicorn, on the configured or embedded servers."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import click
import uvicorn

from infra.db import create_pool, tenant_transaction
from infra.event_store import EventStore
from infra.outbox import pending_outbox
from projections.status import tenant_lag
from service.app import create_app
from service.demo import LEAD, PARTNERS, ensure_demo_county
from service.demo_files import AT_ONCE
from service.first_minute import first_minute
from service.http.common import today_in
from service.runtime import servers, settle_heap
from service.services import file_store_of, keyring_of, master_key_of
from service.web.demo import demo_sign_in
from service.web_processes import READY, shared_socket, web_children

if TYPE_CHECKING:
    from uuid import UUID

    from litestar import Litestar

    from service.demo import DemoCounty
    from service.runtime import Urls
    from service.services import Services
    from service.settings import Settings


DEMO_SETTLE_SECONDS = 10.0


async def serve_forever(settings: Settings, *, demo: bool = False, web_child: bool = False) -> None:
    """`jgt serve`; with `web_child`, one of its further web processes (web_processes.py)."""
    async with servers(settings, need_redis=True, run_migrations=not web_child) as urls:
        master_key_of(settings)  # a key file others may read stops the start in one line
        county, login = (
            await _demo_county(settings, urls) if demo and not web_child else (None, None)
        )
        background = settings.serve_background and not web_child
        app = create_app(settings, urls, background=background)
        shared = web_child or settings.web_processes > 1
        config = uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
            log_config=None,  # our handler and format hold (service/logs.py)
            lifespan="on",
            access_log=False,  # ours: the route template, never the query (service/observe.py)
        )
        server = uvicorn.Server(config)
        sockets = [shared_socket(settings.host, settings.port)] if shared else None
        task = asyncio.create_task(server.serve(sockets=sockets))
        while not server.started and not task.done():  # noqa: ASYNC110 - uvicorn has no event
            await asyncio.sleep(0.05)
        if server.started:
            settle_heap()
        async with contextlib.AsyncExitStack() as others:
            if server.started and web_child:
                click.echo(READY)
            elif server.started:
                host, port = server.servers[0].sockets[0].getsockname()[:2]
                if settings.web_processes > 1:
                    await others.enter_async_context(web_children(settings, urls, port))
                await _announce(settings, app, f"http://{host}:{port}", county, login)
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:  # SIGTERM (see run_until_stopped): shut down gracefully
                server.should_exit = True
                await task
                raise


async def _announce(
    settings: Settings,
    app: Litestar,
    base: str,
    county: DemoCounty | None,
    login: tuple[str, str] | None,
) -> None:
    processes = f"; {settings.web_processes} web processes" if settings.web_processes > 1 else ""
    click.echo(f"jiaogongti listening on {base}")
    click.echo(f"  data           {describe(settings)}{processes}")
    click.echo(f"  API reference  {base}/schema/swagger")
    click.echo(f"  health         {base}/healthz")
    if county is not None:
        # After the background work has told the lead school of the demo's semester and
        # folded it (or 10 s): the commands then show it, and the start-up lines are above.
        await settled(app.state.services, county.tenant_id, within=DEMO_SETTLE_SECONDS)
        if login is not None:  # before the block, which ends the start-up text
            link = f"{base}/app/sign-in?county={county.tenant_id}"
            click.echo(f"pages {link}  username {login[0]}  first-password {login[1]}")
        today = today_in(settings.timezone)
        click.echo(first_minute(base, county, today, LEAD[1], PARTNERS[0][1]))


async def settled(services: Services, tenant_id: UUID, *, within: float) -> bool:
    """Whether the county's read models and notifications caught up within `within` seconds."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        async with tenant_transaction(services.pool, tenant_id) as conn:
            _, lag = await tenant_lag(conn, tenant_id)
            waiting = await pending_outbox(conn, tenant_id)
        if lag == 0 and waiting == 0:
            return True
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.1)


async def _demo_county(settings: Settings, urls: Urls) -> tuple[DemoCounty, tuple[str, str]]:
    pool = await create_pool(urls.app, max_size=AT_ONCE)  # the demo's commands overlap
    store = EventStore(pool)
    try:
        today = today_in(settings.timezone)
        county = await ensure_demo_county(
            pool, store, today, files=file_store_of(settings), keyring=keyring_of(settings, pool)
        )
        return county, await demo_sign_in(pool, county.tenant_id)
    finally:
        await store.close()
        await pool.close()


def describe(settings: Settings) -> str:
    database = (
        "DATABASE_URL" if settings.database_url else f"embedded PostgreSQL in {settings.data_dir}"
    )
    redis = "REDIS_URL" if settings.redis_url else "embedded Valkey"
    return f"{database}; {redis}"
