"""The shell in a real browser (Debian chromium through Playwright)."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menu_opens_on_a_phone_and_leads_to_the_offices(logged_in_page, cast):
    page = logged_in_page(cast.diana, mobile=True)
    page.goto("/")
    toggler = page.get_by_role("button", name="メニュー")
    assert toggler.is_visible()
    toggler.click()
    page.get_by_role("link", name="事業所", exact=True).click()
    page.wait_for_url("**/offices/")
    assert page.get_by_role("link", name=cast.office_a2.name).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
