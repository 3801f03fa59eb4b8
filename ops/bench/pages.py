"""The pages beside the JSON API's same questions, in one run on one database.

    python -m ops.bench.pages [--events 20000] [--json]

One county of about N events (five schools, one community, actions some corrected or voided,
a published rule set), folded; a supervisor signed in to the pages and holding a token. The app
runs in process (ASGI, no socket), so the figures are the route's own work: the overview page
beside the dashboard's activity counts and the compliance list, a community's page beside its
roster, first page of actions and compliance; each now and as of a past day. The history is
written at once (every record's recorded day is today), so as known on a past day nothing is
known yet: the past figures are asked as happened (`mode=happened`), where every record counts
and each late one is marked, the heavier question. The first request of each (it judges the
question and keeps the judgement until the county's next event) is printed apart. On
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
PAST = "2024-03-01"  # inside the history (2022-09 to 2025-05): as happened, most of it counts
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
            admin = await issue_token(tx, tenant, Role.ADMIN, label="bench admin")
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
                published = await client.post(
                    "/v1/rule-sets/templates/yongli-pairing",
                    json={"version": 1, "publish": True},
                    headers={"Authorization": f"Bearer {admin.secret}"},
                )
                assert published.status_code == 201, published.text  # noqa: S101 - a bench's check
                figures: dict[str, Any] = {"events": total, "past": PAST}
                for key, (path, headers) in asked(history.community_id, bearer).items():
                    latencies = await timed(client, path, headers)
                    figures[f"{key}_ms_first"] = round(latencies[0], 2)
                    rest = latencies[1:]
                    figures[f"{key}_ms_p50"] = round(statistics.median(rest), 2)
                    figures[f"{key}_ms_p99"] = round(statistics.quantiles(rest, n=100)[-1], 2)
        return figures
    finally:
        await drop_database(server_url, name)


def asked(community: object, bearer: dict[str, str]) -> dict[str, tuple[str, dict[str, str]]]:
    """Each page and the API's same questions, now and as of the past day (as happened)."""
    then, api_then = f"as_of={PAST}&mode=happened", f"as_of={PAST}&mode=as_happened"
    return {
        "overview_page": ("/app", {}),
        "activity_counts_api": ("/v1/dashboards/activity-counts", bearer),
        "compliance_api": ("/v1/compliance", bearer),
        "overview_page_past": (f"/app?{then}", {}),
        "compliance_api_past": (f"/v1/compliance?{api_then}", bearer),
        "community_page": (f"/app/communities/{community}", {}),
        "roster_api": (f"/v1/communities/{community}/roster", bearer),
        "activities_api": (f"/v1/activities?community={community}", bearer),
        "community_compliance_api": (f"/v1/compliance?community={community}", bearer),
        "community_page_past": (f"/app/communities/{community}?{then}", {}),
        "community_compliance_api_past": (
            f"/v1/compliance?community={community}&{api_then}",
            bearer,
        ),
    }


ROWS = [
    ("overview page /app", "overview_page"),
    ("  its API: GET /v1/dashboards/activity-counts", "activity_counts_api"),
    ("  its API: GET /v1/compliance", "compliance_api"),
    ("overview page, as of the past day", "overview_page_past"),
    ("  its API: GET /v1/compliance?as_of=", "compliance_api_past"),
    ("community page /app/communities/{id}", "community_page"),
    ("  its API: GET …/roster", "roster_api"),
    ("  its API: GET /v1/activities?community= (50)", "activities_api"),
    ("  its API: GET /v1/compliance?community=", "community_compliance_api"),
    ("community page, as of the past day", "community_page_past"),
    ("  its API: GET /v1/compliance?community=&as_of=", "community_compliance_api_past"),
]


def report(figures: dict[str, Any]) -> str:
    lines = [
        (
            f"one county of {figures['events']} events and a rule set, {REQUESTS} requests"
            f" each; the past day {figures['past']}, as happened"
        ),
        "",
        f"  {'':<50} {'first':>9} {'median':>9} {'p99':>9}",
    ]
    lines += [
        f"  {label:<50} {figures[key + '_ms_first']:>6} ms {figures[key + '_ms_p50']:>6} ms"
        f" {figures[key + '_ms_p99']:>6} ms"
        for label, key in ROWS
    ]
    return "\n".join(lines)


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    bench_main(__doc__ or "", run, report, default_events=20000)


if __name__ == "__main__":
    main()
