"""The retention page as a manager opens it from the menu, in chromium on a desk and a phone:
this fiscal year's rate, as the home page shows it; next year's projection only when asked for;
the tier and yen said once; no "+¥0" for a month not yet billed."""

import datetime as dt

import pytest

from core import calendar
from tests.clients.retention_office_a import _db_client

D = dt.date


@pytest.fixture
def two_people(cast, fee_tiers):
    """Office A, two people in this fiscal year's window (1 April three years ago to 31 March
    of this fiscal year): R01 employed throughout (retained), R02 left work in the window and
    was not re-employed (not retained): 1 of 2, 50.0%."""
    year = calendar.fiscal_year_of(calendar.today())
    start = D(year - 2, 5, 1)
    _db_client(cast.office_a, "R01", start, (D(year - 3, 10, 1), None))
    _db_client(cast.office_a, "R02", start, (D(year - 3, 10, 1), D(year - 2, 12, 31)))
    return year


def _main(page):
    return page.inner_text("main")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_retention_page_opens_on_the_rate_the_home_page_shows(
    logged_in_page, cast, two_people, mobile
):
    year = two_people
    page = logged_in_page(cast.bob, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    assert "50.0%" in _main(page)  # home: this fiscal year's rate
    page.goto(f"/clients/retention/{cast.office_a.office_number}/")
    text = _main(page)
    selected = page.locator("#fiscal-year option:checked").inner_text()
    assert selected == f"{year}年度"
    assert "50.0%" in text
    assert page.locator(".projection-badge:visible").count() == 0
    assert f"{year + 1}年度（見込み）" in page.locator("#fiscal-year").inner_text()
    # The tier and its yen are said once, in the fee block, not again in the rate card.
    assert page.locator("#fee-outlook .monthly-fee").count() == 1
    assert page.locator(".retention-card").inner_text().count("以上") == 0
    if mobile:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_future_month_says_no_office_yen_and_a_projection_is_marked(
    logged_in_page, cast, two_people
):
    year = two_people
    page = logged_in_page(cast.bob, mobile=True)
    page.goto(
        f"/clients/retention/{cast.office_a.office_number}/?fiscal_year={year}&month={year + 1}-03"
    )
    text = _main(page)
    assert "+¥0" not in text and "0人月" not in text
    page.goto(f"/clients/retention/{cast.office_a.office_number}/?fiscal_year={year + 1}")
    assert page.locator(".projection-badge:visible").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_table_of_users_says_who_is_retained_and_why(logged_in_page, cast, two_people, mobile):
    """R01 retained (employed throughout), R02 not (left work in the window): on a desk the
    reason has its own column; on a phone it stands under the badge, and the 3-year limit under
    the name."""
    page = logged_in_page(cast.bob, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/clients/retention/{cast.office_a.office_number}/")
    table = page.locator("#retention-users")
    table.scroll_into_view_if_needed()
    kept = table.locator("tbody tr", has_text="R01")
    left = table.locator("tbody tr", has_text="R02")
    assert kept.locator(".badge").inner_text() == "定着"
    assert left.locator(".badge").inner_text() == "非定着"
    left_text, kept_text = left.inner_text(), kept.inner_text()
    assert "継続して就労" in kept_text and "基準日に就労していない" in left_text
    start = D(two_people - 2, 5, 1)
    period = f"{start.year}年5月1日 –"
    if mobile:
        assert "3年の期限" in kept_text  # under the name, on a phone only
        assert period not in kept_text  # the service period's column is hidden
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    else:
        assert "3年の期限" not in kept_text
        assert period in kept_text
    kept.get_by_role("link").first.click()
    page.wait_for_url("**/clients/*/")
