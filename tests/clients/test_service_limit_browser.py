"""The 3-year label beside a service, in chromium on a desk and a phone: the client list, the
client page and the retention page show the limit while a person is in service (with 終了間近
within 90 days), mark an end 3年満了 only when the service ran until the limit, and show no
3-year label for a service that ended earlier.

Dates are relative to today, worked out without the rule: a service from the 1st of a month
reaches its limit on the last day of the month before, three years on."""

import datetime as dt

import pytest

from core import calendar
from tests import factories

D = dt.date


def _japanese(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _three_years_before(first_day):
    return first_day.replace(year=first_day.year - 3)


@pytest.fixture
def three_people(cast, fee_tiers):
    today = calendar.today()
    this_month = calendar.Month.of(today)
    # In service: from the 1st of next month three years ago, so the limit is the last day of
    # this month, 0 to 30 days away: ending soon.
    in_service_start = _three_years_before(this_month.next().first_day)
    in_service_limit = this_month.last_day
    # Ended early: from two years ago, left 60 days ago.
    early_end = today - dt.timedelta(days=60)
    # Completed: the limit is the last day of the month four months ago; the service ended then.
    four_months_ago = this_month
    for _ in range(4):
        four_months_ago = four_months_ago.previous()
    completed_start = _three_years_before(four_months_ago.next().first_day)
    completed_end = four_months_ago.last_day
    office = cast.office_a
    people = {
        "running": factories.ClientFactory(
            office=office, family_name="青山", given_name="一郎", service_start=in_service_start
        ),
        "early": factories.ClientFactory(
            office=office, family_name="石田", given_name="次郎",
            service_start=D(today.year - 2, today.month, 1), service_end=early_end,
            service_end_reason="転居",
        ),
        "completed": factories.ClientFactory(
            office=office, family_name="上野", given_name="三郎", service_start=completed_start,
            service_end=completed_end, service_end_reason="3年経過",
        ),
    }  # fmt: skip
    return people, {
        "running": _japanese(in_service_limit),
        "early": _japanese(early_end),
        "completed": _japanese(completed_end),
    }


def _open(logged_in_page, user, mobile):
    page = logged_in_page(user, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    return page


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_client_list_labels_only_a_limit_that_matters(
    logged_in_page, cast, three_people, mobile
):
    people, dates = three_people
    page = _open(logged_in_page, cast.bob, mobile)
    page.goto("/clients/?status=")
    rows = {
        key: page.locator("#client-table tbody tr", has_text=p.family_name)
        for key, p in people.items()
    }
    running, early, completed = (rows[k].inner_text() for k in ("running", "early", "completed"))
    assert "終了間近" in running and "3年満了" not in running
    assert "3年満了" in completed and "終了間近" not in completed
    assert "3年満了" not in early and "終了間近" not in early
    if mobile:
        _fits(page)
    else:
        limit_cell = {key: row.locator("td").last.inner_text() for key, row in rows.items()}
        assert dates["running"] in limit_cell["running"]
        assert dates["completed"] in limit_cell["completed"]
        # Ended early: no 3-year date, or the end would read as the 3-year end.
        assert limit_cell["early"].strip() == "—"
        assert dates["early"] in early  # the end is in the service period


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_client_page_says_the_limit_only_when_it_matters(
    logged_in_page, cast, three_people, mobile
):
    people, dates = three_people
    page = _open(logged_in_page, cast.bob, mobile)

    page.goto(f"/clients/{people['running'].pk}/")
    line = page.locator("#service-limit")
    assert dates["running"] in line.inner_text() and "終了間近" in line.inner_text()
    box = line.bounding_box()
    assert line.is_visible() and box["x"] + box["width"] <= page.viewport_size["width"]

    page.goto(f"/clients/{people['completed'].pk}/")
    assert "3年満了" in page.locator("#service-limit").inner_text()
    assert dates["completed"] in page.locator("#service-limit").inner_text()

    page.goto(f"/clients/{people['early'].pk}/")
    main = page.inner_text("main")
    assert page.locator("#service-limit").count() == 0
    assert "3年満了" not in main and "3年の期限" not in main
    assert dates["early"] in main  # the service period still gives the end
    if mobile:
        _fits(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_the_retention_page_labels_only_a_limit_that_matters(
    logged_in_page, cast, three_people, mobile
):
    people, dates = three_people
    page = _open(logged_in_page, cast.bob, mobile)
    page.goto(f"/clients/retention/{cast.office_a.office_number}/")
    row = {
        key: page.locator("#retention-users tbody tr", has_text=p.family_name).inner_text()
        for key, p in people.items()
    }
    assert dates["running"] in row["running"] and "終了間近" in row["running"]
    assert dates["completed"] in row["completed"] and "3年満了" in row["completed"]
    assert "3年満了" not in row["early"] and "3年の期限" not in row["early"]
    if mobile:
        _fits(page)
    else:
        assert row["early"].rstrip().endswith("—")
