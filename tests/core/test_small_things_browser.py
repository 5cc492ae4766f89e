"""Small things a person sees, in chromium at 390 and 1280 px: a dropdown's empty choice says
「選択してください」, and every page has the favicon."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_a_dropdowns_empty_choice_says_please_choose(logged_in_page, live_server, cast, mobile):
    page = logged_in_page(cast.bob, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/clients/new/")
    options = page.locator("select option[value='']").all_inner_texts()
    assert options, "the form has a dropdown with an empty choice"
    assert "---------" not in options
    assert "選択してください" in options
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The favicon the page names is served, an SVG drawn for Teichaku.
    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(live_server.url + icon)
    assert response.status == 200
    assert response.text().lstrip().startswith("<svg")
