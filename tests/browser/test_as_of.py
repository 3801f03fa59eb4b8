"""The date form: the overview as known on a past day shows that day's figures, and the day rides
along on every link."""

from __future__ import annotations

from tests.browser.pages import Site, signed_in
from tests.service.test_isolation import Filled
from tests.service.web_helpers import Person

DAY = "2023-03-15"  # county A's community ran from 2022-09-01 to 2024-08-31; today it has ended


async def test_the_date_form_shows_the_county_as_of_a_past_day(
    site: Site, supervisor: Person, county_a: Filled
) -> None:
    page = await site.page()
    await signed_in(page, supervisor)
    communities = page.locator("main a.figure").first.locator(".number")
    assert await communities.inner_text() == "0"  # none active today
    await page.locator("form.as-of input[name=as_of]").fill(DAY)
    async with page.expect_navigation():
        await page.locator("form.as-of button[type=submit]").click()
    assert f"as_of={DAY}" in page.url
    assert await communities.inner_text() == "1"  # the community, active on that day
    assert DAY in await page.locator("#when").inner_text()
    await site.look(page, "overview-as-of")
    async with page.expect_navigation():
        await page.locator("main a.figure").first.click()
    assert f"as_of={DAY}" in page.url  # the day rides along
    assert county_a.ids["community_id"] in await page.content()
    await site.look(page, "communities-as-of")
