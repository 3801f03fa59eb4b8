"""On a 375 px phone the charts' text is 11 px or more and the users page needs no sideways
scroll; the charts keep their text inside on a desktop, on the wall and in print too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.browser.pages import PHONE_375, SCREEN, Site, signed_in
from tests.service.test_isolation import Filled
from tests.service.web_helpers import Person

if TYPE_CHECKING:
    from playwright.async_api import Page

FITS = "() => document.scrollingElement.scrollWidth <= window.innerWidth"
# Each chart's text as drawn: its font size in CSS px times the picture's scale, and whether it
# lies inside the picture.
CHART_TEXT = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(text => {
    const at = text.getBoundingClientRect();
    return {
      text: text.textContent,
      px: parseFloat(getComputedStyle(text).fontSize) * scale,
      inside: at.left >= box.left - 1 && at.right <= box.right + 1,
    };
  });
})"""
# A box that scrolls sideways around the password form, or the form wider than the screen.
FORM_FITS = """() => [...document.querySelectorAll('#people form')].every(form => {
  for (let box = form.parentElement; box; box = box.parentElement) {
    if (box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== 'visible')
      return false;
  }
  return form.getBoundingClientRect().right <= window.innerWidth;
})"""


def chart_pages(a: Filled) -> list[str]:
    return [
        "/app",
        f"/app/communities/{a.ids['community_id']}",
        # as of a day its community ran: each rule's progress bar, its long label cut to fit
        f"/app/communities/{a.ids['community_id']}?as_of=2023-06-30&mode=happened",
        f"/app/schools/{a.ids['school_id']}",
        "/app/quality",
        "/app/compliance",
    ]


async def drawn(page: Page, path: str) -> list[dict[str, Any]]:
    answer = await page.goto(path)
    assert answer is not None
    assert answer.status == 200, path
    found: list[dict[str, Any]] = await page.evaluate(CHART_TEXT)
    assert found, (path, "no chart text")
    outside = [t["text"] for t in found if not t["inside"]]
    assert not outside, (path, "text outside its chart", outside)
    return found


async def test_the_charts_text_is_11_px_or_more_on_a_375_px_phone(
    site: Site, supervisor: Person, county_a: Filled
) -> None:
    page = await site.page(phone=True, viewport=PHONE_375)
    await signed_in(page, supervisor)
    for path in chart_pages(county_a):
        sizes = [t["px"] for t in await drawn(page, path)]
        assert min(sizes) >= 11, (path, min(sizes))
        assert await page.evaluate(FITS), (path, "scrolls sideways at 375 px")
        await site.look(page, "phone-375-" + path.strip("/").replace("/", "-")[:24])


async def test_the_charts_text_reads_well_on_a_desktop_the_wall_and_in_print(
    site: Site, supervisor: Person, county_a: Filled
) -> None:
    page = await site.page()
    await signed_in(page, supervisor)
    for path in chart_pages(county_a):
        sizes = [t["px"] for t in await drawn(page, path)]
        assert min(sizes) >= 13 and max(sizes) <= 20, (path, min(sizes), max(sizes))
        await site.look(page, "desktop-" + path.strip("/").replace("/", "-")[:24])
    await page.emulate_media(media="print")
    for path in chart_pages(county_a)[:3]:
        sizes = [t["px"] for t in await drawn(page, path)]
        assert min(sizes) >= 13 and max(sizes) <= 20, ("print", path, min(sizes), max(sizes))
    await page.emulate_media(media="screen")
    await page.set_viewport_size(SCREEN)
    sizes = [t["px"] for t in await drawn(page, "/app?screen=wall")]
    assert min(sizes) >= 24, min(sizes)  # read from across the room
    assert await page.evaluate(FITS)


async def test_the_users_page_on_a_375_px_phone_needs_no_sideways_scroll(
    site: Site, admin: Person, county_a: Filled
) -> None:
    page = await site.page(phone=True, viewport=PHONE_375)
    await signed_in(page, admin)
    answer = await page.goto("/app/users")
    assert answer is not None
    assert answer.status == 200
    assert await page.locator("#people form").count() >= 1
    assert await page.evaluate(FITS), "the users page scrolls sideways at 375 px"
    assert await page.evaluate(FORM_FITS), "a password form scrolls or sticks out at 375 px"
    # The password form is usable: its fields as wide as the card, the button in reach.
    me = page.locator(f"#u-{admin.user_id}")
    field = me.locator("input[name=password]")
    box = await field.bounding_box()
    assert box is not None
    assert box["width"] >= 200 and box["x"] + box["width"] <= 375, box
    await field.fill("another-first-password")
    button = me.locator("form[action$='/password'] button[type=submit]")
    assert await button.is_visible()
    await site.look(page, "phone-375-users")
