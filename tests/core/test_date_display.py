"""Dates as a person reads them (core.calendar and the calendar_tags filters): one style per user,
Western (2026年4月1日) or the era calendar (令和8年4月1日), instants in Japan time, and the
3-year limit as a page shows it. Every expected value is worked out by hand in the comments.

2026 is 令和8 (令和元年 is 2019). 1 April 2026 is a Wednesday: 1 January 2026 is a Thursday, so
1 February (+31 days) and 1 March (+28) are Sundays, and 1 April (+31) a Wednesday.
"""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core import calendar
from core.models import UserPreference
from tests import factories

D = dt.date
UTC = dt.UTC
# 15:05 UTC on 31 March 2026 is 00:05 on 1 April in Japan (UTC+9).
AFTER_MIDNIGHT_IN_JAPAN = dt.datetime(2026, 3, 31, 15, 5, tzinfo=UTC)
# 14:59 UTC on 31 March 2026 is 23:59 the same day in Japan.
BEFORE_MIDNIGHT_IN_JAPAN = dt.datetime(2026, 3, 31, 14, 59, tzinfo=UTC)


def render(text, **context):
    return Template("{% load calendar_tags %}" + text).render(Context(context))


# --- the filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "expected"),
    [("western", "2026年4月1日"), ("wareki", "令和8年4月1日"), ("", "2026年4月1日")],
)
def test_display_date_follows_the_style(style, expected):
    assert render("{{ day|display_date:style }}", day=D(2026, 4, 1), style=style) == expected


def test_the_first_year_of_an_era_is_gannen():
    assert render("{{ day|display_date:'wareki' }}", day=D(2019, 5, 1)) == "令和元年5月1日"
    assert render("{{ day|display_date:'wareki' }}", day=D(2019, 4, 30)) == "平成31年4月30日"


@pytest.mark.parametrize(
    ("instant", "style", "expected"),
    [
        (AFTER_MIDNIGHT_IN_JAPAN, "western", "2026年4月1日 00:05"),
        (AFTER_MIDNIGHT_IN_JAPAN, "wareki", "令和8年4月1日 00:05"),
        (BEFORE_MIDNIGHT_IN_JAPAN, "western", "2026年3月31日 23:59"),
        (BEFORE_MIDNIGHT_IN_JAPAN, "wareki", "令和8年3月31日 23:59"),
        # 15:00 UTC on 30 April 2019 is midnight on 1 May in Japan: the first day of 令和.
        (dt.datetime(2019, 4, 30, 15, tzinfo=UTC), "wareki", "令和元年5月1日 00:00"),
    ],
)
def test_display_datetime_reads_the_instant_in_japan_time(instant, style, expected):
    assert render("{{ at|display_datetime:style }}", at=instant, style=style) == expected


def test_a_date_of_an_instant_is_its_japan_date():
    assert render("{{ at|display_date:'western' }}", at=AFTER_MIDNIGHT_IN_JAPAN) == "2026年4月1日"
    assert render("{{ at|display_date:'western' }}", at=BEFORE_MIDNIGHT_IN_JAPAN) == "2026年3月31日"


def test_the_weekday_forms():
    assert render("{{ d|display_date_weekday:'western' }}", d=D(2026, 4, 1)) == "2026年4月1日（水）"
    assert render("{{ d|display_date_weekday:'wareki' }}", d=D(2026, 4, 1)) == "令和8年4月1日（水）"
    # The weekday of the Japan date: Wednesday in Japan, still Tuesday in UTC.
    assert (
        render("{{ at|display_datetime_weekday:'wareki' }}", at=AFTER_MIDNIGHT_IN_JAPAN)
        == "令和8年4月1日（水）00:05"
    )
    assert render("{{ at|weekday }}", at=AFTER_MIDNIGHT_IN_JAPAN) == "水"


def test_the_short_forms_have_no_year_and_no_era():
    assert render("{{ at|short_date }}", at=AFTER_MIDNIGHT_IN_JAPAN) == "4月1日"
    assert render("{{ at|short_datetime }}", at=AFTER_MIDNIGHT_IN_JAPAN) == "4月1日 00:05"
    assert render("{{ d|short_date }}", d=D(2026, 12, 24)) == "12月24日"


def test_month_labels():
    may_2019 = calendar.Month(2019, 5)
    assert render("{{ m|month_label:'western' }}", m=may_2019) == "2019年5月"
    assert render("{{ m|month_label:'wareki' }}", m=may_2019) == "令和元年5月"
    # A date stands for its month too (a report's month is its first day).
    assert render("{{ m|month_label:'wareki' }}", m=D(2026, 4, 1)) == "令和8年4月"


def test_no_date_is_blank():
    text = (
        "[{{ n|display_date:'wareki' }}][{{ n|display_datetime:'wareki' }}][{{ n|short_date }}]"
        "[{{ n|short_datetime }}][{{ n|display_date_weekday:'western' }}]"
    )
    assert render(text, n=None) == "[][][][][]"


def test_an_instant_kept_as_iso_text_is_shown_in_japan_time():
    # A contact's revision keeps the time it had as ISO text.
    text = "2026-03-31T15:05:00+00:00"
    assert render("{{ t|display_datetime:'western' }}", t=text) == "2026年4月1日 00:05"
    assert render("{{ t|display_datetime:'western' }}", t="not a time") == "not a time"


def test_without_a_style_the_requests_active_style_is_used():
    template = "{{ d|display_date }} {{ m|month_label }}"
    context = {"d": D(2026, 4, 1), "m": calendar.Month(2026, 4)}
    assert render(template, **context) == "2026年4月1日 2026年4月"
    token = calendar.activate_date_style(lambda: True)
    try:
        assert render(template, **context) == "令和8年4月1日 令和8年4月"
        assert calendar.display_date(D(2026, 4, 1)) == "令和8年4月1日"
        assert calendar.month_label(2026, 4) == "令和8年4月"
    finally:
        calendar.deactivate_date_style(token)
    assert calendar.display_date(D(2026, 4, 1)) == "2026年4月1日"


def test_an_english_page_writes_english_dates():
    with translation.override("en"):
        assert calendar.display_date(D(2026, 4, 1)) == "April 1, 2026"
        assert calendar.month_label(2026, 4) == "April 2026"
        assert calendar.display_datetime(AFTER_MIDNIGHT_IN_JAPAN) == "April 1, 2026 00:05"


def test_a_day_before_meiji_stays_western_in_the_era_style():
    assert calendar.display_date(D(1868, 10, 22), era=True) == "1868年10月22日"


# --- the user's style reaches messages built in Python -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("style", "title"),
    [(None, "2024年5月: 1 件の連絡"), ("wareki", "令和6年5月: 1 件の連絡")],
)
def test_the_client_timeline_built_in_python_follows_the_users_style(cast, client, style, title):
    person = factories.ClientFactory(office=cast.office_a, staff_in_charge=cast.alice)
    factories.ContactFactory(
        client=person, staff=cast.alice,
        contacted_at=dt.datetime(2024, 5, 7, 10, 0, tzinfo=calendar.JST),
    )  # fmt: skip
    if style:
        UserPreference.objects.create(user=cast.alice, date_style=style)
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[person.pk])).content.decode()
    assert title in page
    # The style is the request's only: nothing is left active once it is served.
    assert calendar.display_date(D(2024, 5, 7)) == "2024年5月7日"


# --- the 3-year limit as a page shows it ---------------------------------------------------------

# A service from 1 April 2023: its 3-year limit ends on 31 March 2026.
START = D(2023, 4, 1)
LIMIT = D(2026, 3, 31)


def test_in_service_the_limit_is_shown_and_ending_soon_within_90_days():
    # On 1 January 2026 the limit is 89 days away (30 + 28 + 31): ending soon.
    limit = calendar.service_limit(START, None, today=D(2026, 1, 1))
    assert (limit.limit_end, limit.ended, limit.completed) == (LIMIT, False, False)
    assert limit.shown and limit.ending_soon
    # On 1 April 2025 it is a year away.
    assert not calendar.service_limit(START, None, today=D(2025, 4, 1)).ending_soon


def test_on_its_last_day_the_service_is_still_in_service():
    limit = calendar.service_limit(START, None, today=LIMIT)
    assert not limit.ended and limit.shown and limit.ending_soon


@pytest.mark.parametrize("service_end", [None, LIMIT, D(2026, 6, 30)])
def test_a_service_that_ran_until_the_limit_completed_the_3_years(service_end):
    # No recorded end (the limit passed), the limit itself, or a recorded end after it.
    limit = calendar.service_limit(START, service_end, today=D(2026, 8, 1))
    assert limit.ended and limit.completed and limit.shown
    assert not limit.ending_soon


def test_a_service_that_ended_early_shows_no_3_year_label():
    limit = calendar.service_limit(START, D(2025, 1, 31), today=D(2025, 2, 1))
    assert limit.ended and not limit.completed and not limit.shown


def test_an_early_end_still_to_come_keeps_the_limit_shown():
    # Ends on 31 January 2025, seen on 15 January: still in service, ending within 16 days.
    limit = calendar.service_limit(START, D(2025, 1, 31), today=D(2025, 1, 15))
    assert not limit.ended and limit.shown and limit.ending_soon
    assert limit.limit_end == LIMIT
