"""The pages whose tables are now formatted once in Python (issue 23), as a person sees them in
chromium on a 390 px phone and a 1280 px desk: the corporation home's rows and method bars, the
statistics page's tables and the people not met. (The retention page's table of users:
tests/clients/test_retention_page_browser.py.)"""

import datetime as dt

import pytest

from core import calendar
from tests import factories

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
JST = calendar.JST


def _open(logged_in_page, user, mobile):
    page = logged_in_page(user, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    return page


def _share_of_its_track(locator):
    """How much of its progress track a bar fills (0–1)."""
    bar = locator.bounding_box()
    track = locator.locator("xpath=..").bounding_box()
    return bar["width"] / track["width"]


@pytest.fixture
def this_month(cast):
    """Office A: a person in service since the first of the month 13 months ago, no report
    shared last month; this month three phone calls and a workplace visit with them. Office
    A2: nobody."""
    today = calendar.today()
    person = factories.ClientFactory(
        office=cast.office_a,
        family_name="安藤",
        service_start=calendar.add_months(today.replace(day=1), -13),
    )
    at = dt.datetime.combine(today.replace(day=1), dt.time(10), tzinfo=JST)
    for minutes, method in enumerate(["phone", "phone", "phone", "workplace_visit"]):
        factories.ContactFactory(
            client=person, method=method, contacted_at=at + dt.timedelta(minutes=minutes)
        )
    return person


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_corporation_home_shows_each_offices_row_and_bars(
    logged_in_page, cast, this_month, mobile
):
    page = _open(logged_in_page, cast.diana, mobile)
    page.goto("/")
    row = page.locator("table.table-striped tbody tr", has_text=cast.office_a.name)
    cells = [text.strip() for text in row.locator("td").all_inner_texts()]
    assert cells[1] == "0.0% (0/1)"
    assert cells[3:] == ["100.0% (1/1)", "4", "1", "0", "0"]
    assert "text-danger" in row.locator("td").nth(5).get_attribute("class")
    card = page.locator(".card", has=page.get_by_role("heading", name=cast.office_a.name))
    card.scroll_into_view_if_needed()
    phone = card.locator("tr", has_text="電話連絡")
    assert phone.is_visible() and "3 (75.0%)" in phone.inner_text()
    assert abs(_share_of_its_track(phone.locator(".progress-bar")) - 0.75) < 0.02
    visit = card.locator("tr", has_text="職場訪問")
    assert abs(_share_of_its_track(visit.locator(".progress-bar")) - 0.25) < 0.02
    # The office's name leads to its statistics.
    row.get_by_role("link", name=cast.office_a.name).click()
    page.wait_for_url(f"**/contacts/stats/?scope=office:{cast.office_a.office_number}")
    if mobile:
        assert page.evaluate(NO_SIDEWAYS_SCROLL)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_statistics_page_shows_its_tables_and_who_was_not_met(
    logged_in_page, cast, this_month, mobile
):
    """The period is the last twelve months: the person, in service all along, was met only
    this month (the workplace visit), so every earlier month names them as not met."""
    page = _open(logged_in_page, cast.bob, mobile)
    page.goto("/contacts/stats/")
    counterpart = page.locator("tr", has=page.get_by_role("cell", name="本人", exact=True))
    assert [t.strip() for t in counterpart.locator("td").all_inner_texts()][2:] == ["4", "100.0"]
    assert abs(_share_of_its_track(counterpart.locator(".progress-bar")) - 1.0) < 0.02
    this = calendar.Month.of(calendar.today())
    label = f"{this.year}年{this.month}月"
    month_row = page.locator("tr", has=page.get_by_role("cell", name=label, exact=True))
    assert [t.strip() for t in month_row.locator("td").all_inner_texts()] == [
        label, "1", "1", "100.0"
    ]  # fmt: skip
    not_met = page.get_by_role("link", name=this_month.full_name)
    assert not_met.count() == 11  # every earlier month of the twelve
    not_met.first.scroll_into_view_if_needed()
    assert not_met.first.is_visible()
    not_met.first.click()
    page.wait_for_url(f"**/clients/{this_month.pk}/")
    if mobile:
        assert page.evaluate(NO_SIDEWAYS_SCROLL)
