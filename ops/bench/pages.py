"""The pages beside the JSON API's same questions, in one run on one database.

    python -m ops.bench.pages [--events 20000] [--json]

One county of about N events (five schools, one community, actions some corrected or voided),
folded; a supervisor signed in to the pages and holding a token. The app runs in process (ASGI,
no socket), so the figures are the route's own work: the overview page beside the dashboard's
activity counts, and a community's page beside its roster and first page of actions. On
`DATABASE_URL` when set, else an embedded PostgreSQL; in a fresh database dropped afterwards.
"""

from __future__ import annotations

import logging
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar.testing import AsyncTestClient

from infra.db import APP_ROLE, SYSTEM_ROLE, create_pool, tenant_transaction, with_user
from infra.event_store import EventStore
from infra.logins import set_credential
from infra.migrate import migrate
from infra.tenancy import Role, create_tenant, issue_token
from infra.users import create_user
from ops.bench.harness import bench_main, drop_database, fresh_database
from projections.runner import ProjectionRunner
from service.app import create_app
from service.runtime import Urls
from service.settings import Settings
from service.web.logins import hash_password
from tests.projections.history import write_history

if TYPE_CHECKING:
    import httpx

REQUESTS = 200
PASSWORD = "bench-password-1"  # noqa: S105 - a throwaway county's


async def timed(client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> list[float]:
    latencies = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        answer = await client.get(path, headers=headers)
        latencies.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (path, answer.status_code)  # noqa: S101 - a bench's check
    return latencies


async def sign_in(client: httpx.AsyncClient, tenant: object, username: str) -> None:
    form = await client.get("/app/sign-in")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    fields = {"csrf": csrf, "county": str(tenant), "username": username}
    await client.post("/app/sign-in", data={**fields, "password": PASSWORD})
    form = await client.get("/app/password")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    new = PASSWORD + "-changed"
    await client.post(
        "/app/password", data={"csrf": csrf, "current": PASSWORD, "new": new, "repeat": new}
    )


async def run(events: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        await migrate(owner_url)
        app_url, system_url = with_user(owner_url, APP_ROLE), with_user(owner_url, SYSTEM_ROLE)
        app_pool = await create_pool(app_url, max_size=4)
        system_pool = await create_pool(system_url, max_size=2)
        store = EventStore(app_pool)
        async with app_pool.acquire() as conn, conn.transaction():
            tenant = await create_tenant(conn, "基准县")
        history = await write_history(store, tenant, activities=max(events * 2 // 3, 10))
        await ProjectionRunner(system_pool).catch_up([tenant])
        async with tenant_transaction(app_pool, tenant) as tx:
            user = await create_user(tx, tenant, name="督导", role=Role.SUPERVISOR)
            await set_credential(tx, tenant, user.user_id, "bench", hash_password(PASSWORD))
            token = await issue_token(tx, tenant, Role.SUPERVISOR, label="bench")
            total = await tx.fetchval("select count(*) from events where tenant_id = $1", tenant)
        await store.close()
        await system_pool.close()
        await app_pool.close()
        with tempfile.TemporaryDirectory(prefix="jgt-bench-") as folder:
            settings = Settings(
                data_dir=Path(folder), database_url=owner_url, insecure_cookies=True
            )
            urls = Urls(owner=owner_url, app=app_url, system=system_url, redis=None)
            app = create_app(settings, urls, background=False)
            async with AsyncTestClient(app) as client:
                await sign_in(client, tenant, "bench")
                bearer = {"Authorization": f"Bearer {token.secret}"}
                community = history.community_id
                asked = {
                    "overview_page": ("/app", {}),
                    "activity_counts_api": ("/v1/dashboards/activity-counts", bearer),
                    "community_page": (f"/app/communities/{community}", {}),
                    "roster_api": (f"/v1/communities/{community}/roster", bearer),
                    "activities_api": (f"/v1/activities?community={community}", bearer),
                }
                figures: dict[str, Any] = {"events": total}
                for key, (path, headers) in asked.items():
                    latencies = await timed(client, path, headers)
                    figures[f"{key}_ms_p50"] = round(statistics.median(latencies), 2)
                    figures[f"{key}_ms_p99"] = round(statistics.quantiles(latencies, n=100)[-1], 2)
        return figures
    finally:
        await drop_database(server_url, name)


def report(figures: dict[str, Any]) -> str:
    rows = [
        ("overview page /app", "overview_page"),
        ("  its API: GET /v1/dashboards/activity-counts", "activity_counts_api"),
        ("community page /app/communities/{id}", "community_page"),
        ("  its API: GET …/roster", "roster_api"),
        ("  its API: GET /v1/activities?community= (50)", "activities_api"),
    ]
    lines = [f"one county of {figures['events']} events, {REQUESTS} requests each", ""]
    lines.append(f"  {'':<48} {'median':>9} {'p99':>9}")
    lines += [
        f"  {label:<48} {figures[key + '_ms_p50']:>6} ms {figures[key + '_ms_p99']:>6} ms"
        for label, key in rows
    ]
    return "\n".join(lines)


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    bench_main(__doc__ or "", run, report, default_events=20000)


if __name__ == "__main__":
    main()
