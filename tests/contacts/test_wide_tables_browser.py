"""Wide tables on a 390 px phone: the statistics by group scroll sideways in their own box with
the first column fixed, and no cell breaks one character a line; on a 1280 px desk they fit as
they are. (The month's billing: tests/billing/test_month_phone_browser.py.)"""

import datetime as dt

import pytest

from core import calendar
from tests import factories

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"

# The height of the tallest cell of a table, and the height of one line of its text.
TALLEST_CELL = """(selector) => {
  const cells = [...document.querySelectorAll(selector + ' th, ' + selector + ' td')];
  const line = parseFloat(getComputedStyle(cells[0]).lineHeight) || 24;
  return {tallest: Math.max(...cells.map(c => c.getBoundingClientRect().height)), line};
}"""


@pytest.fixture
def contacts_this_month(cast):
    today = calendar.today()
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, service_start=dt.date(2022, 4, 1)
    )
    for method in ("phone", "workplace_visit", "home_visit"):
        factories.ContactFactory(
            client=person,
            staff=cast.alice,
            method=method,
            contacted_at=calendar.start_of_day(today) + dt.timedelta(hours=9),
        )
    return person


def _scrolls_with_a_fixed_first_column(page, table):
    """Scroll the table's box sideways: the table moves, its first column stays."""
    first = page.locator(f"{table} tbody tr").first.locator("th, td").first
    last = page.locator(f"{table} tbody tr").first.locator("th, td").last
    first_x, last_x = first.bounding_box()["x"], last.bounding_box()["x"]
    page.evaluate(
        f"document.querySelector('{table}').closest('.table-responsive').scrollLeft = 400"
    )
    page.wait_for_timeout(100)
    assert last.bounding_box()["x"] < last_x  # the box scrolled
    assert abs(first.bounding_box()["x"] - first_x) < 1  # the first column did not


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_statistics_by_group_on_a_phone_scroll_with_the_group_fixed(
    logged_in_page, cast, contacts_this_month
):
    page = logged_in_page(cast.bob, mobile=True)
    page.goto("/contacts/stats/")
    assert page.get_by_role("heading", name="利用者の区分別").is_visible()
    cells = page.evaluate(TALLEST_CELL, "#stats-groups")
    assert cells["tallest"] < 2.5 * cells["line"], cells  # one line a cell, not a column of kana
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    _scrolls_with_a_fixed_first_column(page, "#stats-groups")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_statistics_by_group_fit_a_desk(logged_in_page, cast, contacts_this_month):
    page = logged_in_page(cast.bob)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/contacts/stats/")
    box = page.locator("#stats-groups").bounding_box()
    assert box["x"] + box["width"] <= 1280
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
