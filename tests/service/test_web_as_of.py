"""Every page as of a day, as known or as happened: the API's figures, and links that keep them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient

from infra.tenancy import Role
from service.runtime import Urls
from service.settings import Settings
from tests.conftest import new_tenant
from tests.service.test_isolation import filled_county
from tests.service.test_web_pages import page_paths, with_result
from tests.service.web_helpers import pages_app, person, signed_in

STATUS = re.compile(r'class="figure status-(\w+)" href="[^"]*"><span class="number">(\d+)</span>')
APP_LINK = re.compile(r'href="(/app[^"]*)"')
HELD = (
    "2023-06-30"  # after the filled county's action (held 2023-03-15), long before it was recorded
)


@pytest.fixture
async def web(settings: Settings, urls: Urls) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncTestClient(pages_app(settings, urls)) as client:
        client.follow_redirects = False
        yield client


def statuses(page: httpx.Response) -> dict[str, int]:
    return {status: int(count) for status, count in STATUS.findall(page.text)}


def listed(page: httpx.Response) -> set[str]:
    return set(re.findall(r'href="/app/activities/([0-9a-f-]{36})', page.text))


async def test_the_pages_as_of_a_day_count_what_the_api_counts_and_keep_the_day_in_links(
    client: httpx.AsyncClient,
    web: httpx.AsyncClient,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    settings: Settings,
) -> None:
    a = await filled_county(client, app_pool, system_pool, "癸县教育局", "K")
    await signed_in(web, await person(app_pool, a.county.tenant_id, Role.SUPERVISOR))
    community, activity = a.ids["community_id"], a.ids["activity_id"]
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    yesterday = (today - timedelta(days=1)).isoformat()

    # Today asked by name is the read models' today: the same actions listed.
    now = await web.get(f"/app/activities?community={community}")
    named = await web.get(f"/app/activities?community={community}&as_of={today}")
    assert listed(now) == listed(named) == {activity}
    # As known yesterday the action, recorded today, was not there; as happened it was, late.
    before = await web.get(f"/app/activities?community={community}&as_of={yesterday}")
    assert before.status_code == 200, before.text
    assert listed(before) == set()
    happened = await web.get(f"/app/activities?community={community}&as_of={HELD}&mode=happened")
    assert listed(happened) == {activity}
    assert "补录，晚" in happened.text
    assert "补录，晚" not in now.text

    # The compliance figures are the API's, for the county and for the community.
    for mode, api_mode in (("known", "as_known"), ("happened", "as_happened")):
        asked = f"as_of={HELD}&mode={mode}"
        api = await client.get(
            f"/v1/compliance?as_of={HELD}&mode={api_mode}", headers=a.county.auth("supervisor")
        )
        assert api.status_code == 200, api.text
        totals = {t["status"]: t["results"] for t in api.json()["totals"]}
        overview = await web.get(f"/app?{asked}")
        shown = statuses(overview)
        assert shown, overview.text
        assert all(totals[status] == count for status, count in shown.items()), (shown, totals)
        assert (sum(totals.values()) > 0) is (mode == "happened")  # no rules known in 2023
        page = await web.get(f"/app/communities/{community}?{asked}")
        mine = await client.get(
            f"/v1/compliance?as_of={HELD}&mode={api_mode}&community={community}",
            headers=a.county.auth("supervisor"),
        )
        in_community = {t["status"]: t["results"] for t in mine.json()["totals"]}
        assert all(in_community[s] == n for s, n in statuses(page).items())

    # Every page shows its day and mode, and every link it renders keeps them.
    for path in page_paths(await with_result(client, a), Role.SUPERVISOR):
        sep = "&" if "?" in path else "?"
        answer = await web.get(f"{path}{sep}as_of={HELD}&mode=happened")
        assert answer.status_code == 200, (path, answer.text)
        assert f'name="as_of" value="{HELD}"' in answer.text, path
        assert "按实际发生" in answer.text, path
        # The form's way back to today is the one page link that drops them.
        body = re.sub(
            r'<form method="get" class="as-of".*?</form>', "", answer.text, flags=re.DOTALL
        )
        # Files (the stylesheet, an action's evidence) are the same whatever the day.
        links = [
            h
            for h in APP_LINK.findall(body)
            if not h.startswith("/app/static") and "/evidence/" not in h
        ]
        kept = [h for h in links if f"as_of={HELD}" in h and "mode=happened" in h]
        assert links == kept, (path, set(links) - set(kept))


async def test_a_bad_day_or_mode_is_a_problem(
    web: httpx.AsyncClient, app_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool, "子县教育局")
    await signed_in(web, await person(app_pool, tenant_id, Role.SUPERVISOR))
    for bad in ("as_of=2023-13-01", "as_of=1999-12-31", "mode=sometimes"):
        for path in ("/app", "/app/communities", "/app/activities"):
            answer = await web.get(f"{path}?{bad}")
            assert answer.status_code in {400, 422}, (path, bad, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
    for path, status in (
        ("/app/compliance?period=2023-winter", {400, 422}),
        ("/app/compliance?status=sometimes", {400}),
        ("/app/compliance?community=not-an-id", {400}),
        ("/app/compliance/not-an-id/S3-02/2022-2023", {400}),
        ("/app/compliance/county/S3-02/2022-2023", {404}),
        ("/app/rules?version=nothing@1", {404}),
    ):
        answer = await web.get(path)
        assert answer.status_code in status, (path, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
