"""The monthly close index: every month with activity of the offices a manager manages, newest
first, each with its people in service and its close state, read in a fixed number of queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing import selectors
from offices.models import MonthClose
from offices.scoping import offices_managed_by
from tests import factories

JST = ZoneInfo("Asia/Tokyo")
TODAY = dt.date(2024, 6, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2024, 6, 20, 10, tzinfo=JST), tick=False):
        yield


def person(office, start, end=None):
    return factories.ClientFactory(office=office, service_start=start, service_end=end)


def reopened(office, month):
    return MonthClose.objects.create(
        office=office, month=month, is_closed=False, reopened_at=timezone.now(), reopen_reason="x"
    )


@pytest.fixture
def office_a_history(cast):
    """Office A: two people in February and March, nobody in April, one from May on, one who
    starts in August; February closed, March reopened. Office B has someone in April."""
    person(cast.office_a, dt.date(2024, 2, 10), dt.date(2024, 3, 15))
    person(cast.office_a, dt.date(2024, 2, 1), dt.date(2024, 3, 31))
    person(cast.office_a, dt.date(2024, 5, 1))
    person(cast.office_a, dt.date(2024, 8, 1))
    person(cast.office_b, dt.date(2024, 4, 1), dt.date(2024, 4, 30))
    MonthClose.objects.create(office=cast.office_a, month=dt.date(2024, 2, 1), is_closed=True)
    reopened(cast.office_a, dt.date(2024, 3, 1))


def listed(index):
    return [(str(e.month), e.office.office_number, e.people, e.state) for e in index.entries]


def test_every_month_with_someone_in_service_is_listed_newest_first_with_its_state(
    cast, office_a_history
):
    index = selectors.month_index(offices=offices_managed_by(cast.bob), today=TODAY)
    a = cast.office_a.office_number
    assert listed(index) == [
        ("2024-06", a, 1, "open"),
        ("2024-05", a, 1, "open"),
        # April: nobody in service at office A (office B's person is not Bob's).
        ("2024-03", a, 2, "reopened"),
        ("2024-02", a, 2, "closed"),
    ]


def test_a_closed_month_is_listed_even_when_nobody_is_in_service_any_more(cast):
    MonthClose.objects.create(office=cast.office_a, month=dt.date(2023, 11, 1), is_closed=True)
    index = selectors.month_index(offices=offices_managed_by(cast.bob), today=TODAY)
    assert listed(index) == [("2023-11", cast.office_a.office_number, 0, "closed")]


def test_an_office_without_anyone_in_service_lists_no_month(cast):
    person(cast.office_a, dt.date(2024, 9, 1))  # starts after this month
    index = selectors.month_index(offices=offices_managed_by(cast.bob), today=TODAY)
    assert index.entries == []
    assert index.offices == [cast.office_a]


def test_the_months_of_every_managed_office_and_the_filters(cast, office_a_history):
    person(cast.office_a2, dt.date(2024, 6, 3))
    offices = offices_managed_by(cast.diana)  # corporation A: offices A and A2
    a, a2 = cast.office_a.office_number, cast.office_a2.office_number
    assert a < a2  # created in this order
    index = selectors.month_index(offices=offices, today=TODAY)
    assert listed(index)[:3] == [
        ("2024-06", a, 1, "open"),
        ("2024-06", a2, 1, "open"),
        ("2024-05", a, 1, "open"),
    ]
    only_a2 = selectors.month_index(offices=offices, today=TODAY, office_number=a2)
    assert listed(only_a2) == [("2024-06", a2, 1, "open")]
    assert only_a2.offices == [cast.office_a, cast.office_a2]  # the filter's choices stay
    closed = selectors.month_index(offices=offices, today=TODAY, state="closed")
    assert listed(closed) == [("2024-02", a, 2, "closed")]
    # The number of an office the user does not manage narrows nothing down.
    other = selectors.month_index(
        offices=offices, today=TODAY, office_number=cast.office_b.office_number
    )
    assert {e.office for e in other.entries} == {cast.office_a, cast.office_a2}


def _queries(user):
    with CaptureQueriesContext(connection) as captured:
        selectors.month_index(offices=offices_managed_by(user), today=TODAY)
    return len(captured)


def test_the_index_takes_the_same_queries_for_one_month_as_for_years_of_many_offices(cast):
    person(cast.office_a, dt.date(2024, 6, 1))
    small = _queries(cast.bob)
    more = factories.OfficeFactory.create_batch(3, corporation=cast.corporation_a)
    for office in (cast.office_a, cast.office_a2, *more):
        for year in (2019, 2021, 2023):
            person(office, dt.date(year, 4, 1), dt.date(year + 1, 9, 30))
        person(office, dt.date(2020, 1, 1))
        MonthClose.objects.create(office=office, month=dt.date(2023, 4, 1), is_closed=True)
        reopened(office, dt.date(2023, 5, 1))
    large = _queries(cast.diana)  # corporation A's five offices, five years each
    entries = selectors.month_index(offices=offices_managed_by(cast.diana), today=TODAY).entries
    assert len(entries) == 5 * len(range(2019 * 12 + 3, 2024 * 12 + 6))  # April 2019 – June 2024
    assert small == large == 3


def test_the_index_page_lists_the_months_in_japanese(cast, client, office_a_history):
    client.force_login(cast.bob)
    response = client.get("/billing/")
    text = response.content.decode()
    assert response.status_code == 200
    for shown in ("2024年6月", "2024年5月", "2024年3月", "2024年2月", "締め済み", "締め解除"):
        assert shown in text
    assert "2024年4月" not in text and "2024年8月" not in text
    assert "利用者 2人" in text
    assert f'href="/billing/{cast.office_a.office_number}/2024-03/"' in text
    closed_only = client.get("/billing/", {"state": "closed"}).content.decode()
    assert "2024年2月" in closed_only and "2024年3月" not in closed_only


def test_the_index_page_pages_through_many_months(cast, client):
    person(cast.office_a, dt.date(2020, 1, 1))  # 54 months to June 2024
    client.force_login(cast.bob)
    first = client.get("/billing/").content.decode()
    assert "2024年6月" in first and "2020年1月" not in first
    assert "1 / 3 ページ" in first
    last = client.get("/billing/", {"page": 3}).content.decode()
    assert "2020年1月" in last and "2024年6月" not in last
