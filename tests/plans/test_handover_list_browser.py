"""The hand-over list in chromium, on a desk and on a phone: reached from the 記録 menu, each
person with the state of their hand-over in Japanese; the table fits a desk and, on a phone,
scrolls in its own box with the person fixed."""

import datetime as dt

import pytest

from tests.contacts.test_wide_tables_browser import (
    NO_SIDEWAYS_SCROLL,
    TALLEST_CELL,
    _scrolls_with_a_fixed_first_column,
)
from tests.plans.test_handover_list import handed_over, person

D = dt.date


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_hand_over_list_from_the_menu(logged_in_page, cast, today, mobile):
    person(cast, "DUE", D(2024, 1, 1), D(2025, 8, 31), family="期限", given="近子")
    person(cast, "ENDED", D(2023, 4, 1), D(2025, 4, 30), family="終了", given="済子")
    recorded = person(cast, "REC", D(2024, 1, 1), D(2025, 7, 15), family="記録", given="有子")
    handed_over(recorded, D(2025, 5, 1))
    page = logged_in_page(cast.bob, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    if mobile:
        page.get_by_role("button", name="メニュー").click()
    page.get_by_role("button", name="記録").click()
    page.get_by_role("link", name="引き継ぎ", exact=True).click()
    page.wait_for_url("**/plans/handovers/")
    assert page.get_by_role("heading", name="引き継ぎ", exact=True).is_visible()
    rows = page.locator("#handover-people tbody tr")
    assert rows.count() == 3
    first, second, third = (rows.nth(n).inner_text() for n in range(3))
    assert "期限 近子" in first and "引き継ぎ未実施" in first and "2025年8月31日" in first
    assert "終了 済子" in second and "引き継ぎなしで終了" in second
    assert "記録 有子" in third and "引き継ぎ記録あり" in third and "なかまちセンター" in third
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    if mobile:
        cells = page.evaluate(TALLEST_CELL, "#handover-people")
        assert cells["tallest"] < 2.5 * cells["line"], cells  # no column of one character a line
        _scrolls_with_a_fixed_first_column(page, "#handover-people")
    else:
        box = page.locator("#handover-people").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
