"""A person at the browser: contexts, sign-in, and a look at each page (screenshot and axe-core)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from tests.service.web_helpers import FIRST_PASSWORD, NEW_PASSWORD, Person

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.async_api import Browser, BrowserContext, Page, ViewportSize

# axe-core as the pinned axe-playwright-python wheel ships it (MPL-2.0): read from site-packages
# and put into the page by the test; nothing is fetched.
AXE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
BLOCKING = {"serious", "critical"}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 360, "height": 740}
PHONE_375: ViewportSize = {"width": 375, "height": 812}  # the charts' and users page's phone
SCREEN: ViewportSize = {"width": 1920, "height": 1080}  # the bureau's large screen


@dataclass
class Site:
    browser: Browser
    base_url: str
    screenshots: Path
    contexts: list[BrowserContext] = field(default_factory=list)

    async def page(
        self, *, phone: bool = False, viewport: ViewportSize = DESKTOP, locale: str = "zh-CN"
    ) -> Page:
        """A new context (no cookies) and its page; a phone is 360 x 740 (or `viewport`) with touch."""
        context = await self.browser.new_context(
            base_url=self.base_url,
            viewport=(PHONE if viewport is DESKTOP else viewport) if phone else viewport,
            device_scale_factor=2 if phone else 1,
            is_mobile=phone,
            has_touch=phone,
            locale=locale,
        )
        self.contexts.append(context)
        return await context.new_page()

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()

    async def look(self, page: Page, name: str, *, skip: tuple[str, ...] = ()) -> None:
        """Saves the page's screenshot as NAME.png and fails on a serious or critical axe finding
        (but for the rules in `skip`).
        """
        await page.wait_for_load_state("load")
        await page.screenshot(path=self.screenshots / f"{name}.png", full_page=True)
        found = await axe_violations(page, skip)
        assert not found, f"{name} ({page.url}): " + "; ".join(found)


async def axe_violations(page: Page, skip: tuple[str, ...] = ()) -> list[str]:
    """axe-core's serious and critical violations of the page, one line each."""
    await page.evaluate(AXE)  # defines window.axe in the page
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in skip}}
    result: dict[str, Any] = await page.evaluate("(options) => axe.run(document, options)", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


async def sign_in(page: Page, who: Person, password: str = FIRST_PASSWORD) -> None:
    """Fills the sign-in form as a person does (the county's id comes in the link)."""
    await page.goto(f"/app/sign-in?county={who.tenant_id}")
    await page.locator("input[name=username]").fill(who.username)
    await page.locator("input[name=password]").fill(password)
    await submit(page)


async def signed_in(page: Page, who: Person) -> None:
    """Signs in and sets a new password, as the first sign-in asks; ends on the overview."""
    await sign_in(page, who)
    assert page.url.endswith("/app/password"), page.url
    await page.locator("input[name=current]").fill(FIRST_PASSWORD)
    await page.locator("input[name=new]").fill(NEW_PASSWORD)
    await page.locator("input[name=repeat]").fill(NEW_PASSWORD)
    await submit(page)
    assert page.url.endswith("/app"), page.url


async def submit(page: Page) -> None:
    """Clicks the page's form button and waits for the page the answer leads to."""
    async with page.expect_navigation():
        await page.locator("form.form button[type=submit]").click()
