"""The monthly close index in chromium, on a desk and on a phone: the months with activity,
newest first, each with its state in Japanese, a link to the month, nothing wider than the
screen."""

import pytest

from core import calendar
from offices.models import MonthClose
from tests import factories


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_close_index_lists_the_months_with_their_state(logged_in_page, cast, mobile):
    this_month = calendar.Month.of(calendar.today())
    two_ago = this_month.previous().previous()
    start = this_month.previous().previous().previous().first_day
    factories.ClientFactory(office=cast.office_a, service_start=start)
    MonthClose.objects.create(office=cast.office_a, month=two_ago.first_day, is_closed=True)
    page = logged_in_page(cast.bob, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/billing/")
    rows = page.locator("#close-months a")
    assert rows.count() == 4  # the month the service began to this month
    first, third = rows.nth(0).inner_text(), rows.nth(2).inner_text()
    assert f"{this_month.year}年{this_month.month}月" in first and "今月" in first
    assert "未締め" in first and "利用者 1人" in first
    assert f"{two_ago.year}年{two_ago.month}月" in third and "締め済み" in third
    assert cast.office_a.name in third
    for index in range(4):
        box = rows.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    rows.nth(2).click()
    page.wait_for_url(f"**/billing/{cast.office_a.office_number}/{two_ago}/")
