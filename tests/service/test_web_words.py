"""The demo county's pages in Chinese show words, never a code (`lead_school`, `at_risk`)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from enum import StrEnum
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import asyncpg
import httpx

from domain import codes, ledger_codes, periods
from domain.assessment import codes as assessment_codes
from infra.event_store import EventStore
from infra.tenancy import Role
from service.settings import Settings
from service.web.i18n import period_label
from tests.service.demo_support import folded_demo
from tests.service.test_web_pages import web
from tests.service.web_helpers import person, signed_in

__all__ = ["web"]

RULE_SET = Path(assessment_codes.__file__).parent / "templates" / "rongan_2022.json"

CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")  # snake_case
UNSHOWN = {"code", "pre", "script", "style"}  # code blocks and what a browser does not show
STEPS = {"opened", "approved", "returned", "resubmitted", "reopened"}  # a review step's codes
# Every code of ours as a word: a page in Chinese that shows one shows a code, not its label.
WORDS = STEPS | {
    code.value
    for module in (codes, ledger_codes, assessment_codes, periods)
    for found in vars(module).values()
    if isinstance(found, type) and issubclass(found, StrEnum) and found is not StrEnum
    for code in found
}
# Shown as written: the rule set's own note of where it comes from ("… 篇五's county rules").
PLAN = json.loads(RULE_SET.read_text(encoding="utf-8"))["plan"]
PER_ROUTE = 3  # pages walked per path shape (an id or a filter makes another page of the shape)


class Visible(HTMLParser):
    """A page's visible text (no attribute, no code block) and its links under /app."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSHOWN:
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in UNSHOWN:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def shape(path: str) -> str:
    """A path with its ids and days made alike, and its query's names (not values)."""
    parts = urlsplit(path)
    alike = re.sub(r"[0-9a-f-]{36}|\d{4}-\d{4}[-\w]*|\d{4}-\d\d-\d\d", "*", parts.path)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return alike + "?" + "&".join(n for n in names if n != "lang")


def walked(href: str, base: str) -> str | None:
    """A page to walk from a link, or None (another site, a file, the other language)."""
    url = urlsplit(urljoin(base, href))
    if url.netloc or not url.path.startswith("/app") or "/evidence/" in url.path:
        return None
    if "lang=en" in url.query or url.path.startswith("/app/static"):
        return None
    return url.path + ("?" + url.query if url.query else "")


async def test_the_demo_countys_pages_in_chinese_show_no_code(
    client: httpx.AsyncClient,
    web: httpx.AsyncClient,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    store: EventStore,
    settings: Settings,
) -> None:
    today = datetime.now(UTC).date()
    county = await folded_demo(app_pool, system_pool, store, settings, today, "词语示范县")
    await signed_in(web, await person(app_pool, county.tenant_id, Role.ADMIN, name="周管理员"))
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    waiting = ["/app?lang=zh", f"/app/activities?community={county.community_id}"]
    while waiting:
        path = waiting.pop(0)
        if path in seen or shapes.get(shape(path), 0) >= PER_ROUTE:
            continue
        seen.add(path)
        shapes[shape(path)] = shapes.get(shape(path), 0) + 1
        answer = await web.get(path)
        assert answer.status_code == 200, (path, answer.text[:300])
        page = Visible()
        page.feed(answer.text)
        text = " ".join(page.text).replace(PLAN, "")
        codes = set(CODE.findall(text)) | (set(re.findall(r"\b[a-z]+\b", text)) & WORDS)
        if codes:
            found[path] = sorted(codes)
        waiting += [p for href in page.links if (p := walked(href, path)) is not None]
    assert len(seen) >= 100, sorted(seen)  # 217 on the day this was written
    assert {"/app/users", "/app/quality", "/app/rules", "/app/assignments"} <= seen
    assert not found, found


def test_a_semester_and_a_school_year_read_in_words_and_other_periods_as_they_are() -> None:
    assert period_label("2026-autumn", "zh") == "2026 秋季学期"
    assert period_label("2027-spring", "en") == "2027 Spring semester"
    assert period_label("2026-2027", "zh") == "2026—2027学年"
    assert period_label("2026-2027", "en") == "school year 2026-2027"
    assert period_label("2026-09", "zh") == "2026-09"
