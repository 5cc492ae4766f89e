"""The managers' navigation bar in chromium: one line at 1280 px (the day's pages by themselves,
the rest in a few menus), and the same menus through the toggler on a 390 px phone."""

import pytest


def _bar_items(page):
    return page.evaluate(
        """() => [...document.querySelectorAll('#main-nav .navbar-nav > .nav-item')]
              .map(item => { const box = item.getBoundingClientRect();
                             return {text: item.innerText.trim(), top: box.top,
                                     height: box.height}; })"""
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_managers_bar_is_one_line_at_1280px(logged_in_page, cast):
    page = logged_in_page(cast.bob)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    items = _bar_items(page)
    texts = [item["text"] for item in items]
    for menu in ("記録", "実績・請求", "管理"):
        assert menu in texts
    line_height = min(item["height"] for item in items)
    assert all(item["height"] <= line_height + 1 for item in items), items  # no entry wraps
    assert len({round(item["top"]) for item in items}) == 1, items  # all on one row
    assert page.locator("nav.navbar").bounding_box()["height"] < 80
    # A menu opens on its entries.
    page.get_by_role("button", name="実績・請求").click()
    page.get_by_role("link", name="定着率").click()
    page.wait_for_url("**/retention/**")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menus_open_through_the_toggler_on_a_phone(logged_in_page, cast):
    page = logged_in_page(cast.bob, mobile=True)
    page.goto("/")
    page.get_by_role("button", name="メニュー").click()
    page.get_by_role("button", name="管理").click()
    page.get_by_role("link", name="監査ログ").click()
    page.wait_for_url("**/audit/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
