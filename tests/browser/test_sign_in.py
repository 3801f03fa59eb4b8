"""Sign-in in the browser: a wrong password is refused on the form, the right one leads to the
password change and the overview, and sign-out ends the session."""

from __future__ import annotations

from tests.browser.pages import Site, sign_in, signed_in
from tests.service.web_helpers import Person


async def test_a_wrong_password_then_the_right_one_then_sign_out(
    site: Site, supervisor: Person
) -> None:
    page = await site.page()
    await page.goto(f"/app/sign-in?county={supervisor.tenant_id}")
    await site.look(page, "sign-in")
    await sign_in(page, supervisor, password="not-the-password")
    assert page.url.endswith("/app/sign-in")
    assert await page.get_by_role("alert").is_visible()
    await site.look(page, "sign-in-refused")

    await signed_in(page, supervisor)
    assert await page.get_by_role("heading", level=1).inner_text() == "全县概览"
    await site.look(page, "overview")

    async with page.expect_navigation():
        await page.get_by_role("button", name="退出").click()
    assert "/app/sign-in" in page.url
    await page.goto("/app/communities")  # the session is over: back to the sign-in
    assert "/app/sign-in" in page.url
