"""The Japanese calendar (core.calendar), every expected value worked out by hand in the comments.

"Ending soon" is checked on 20 June 2024: 10 days to 30 June, 31 to 31 July (41), 31 to
31 August (72), 18 more to 18 September (90). So an end on 18 September 2024 is 90 days away and
ending soon; 19 September is 91 days away and not.
"""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template

from clients.models import Client
from clients.selectors import filter_clients
from contacts.overview import offices_overview
from contacts.worklist import worklist_for
from core import calendar
from core.calendar import (
    JST,
    Month,
    add_months,
    day_range,
    effective_end,
    ending_soon_q,
    ends_soon,
    fiscal_year_bounds,
    fiscal_year_of,
    latest_start_with_limit_by,
    months_between,
    service_limit_end,
    wareki,
)
from tests import factories

D = dt.date
TODAY = D(2024, 6, 20)
NINETY_DAYS_ON = D(2024, 9, 18)
NINETY_ONE_DAYS_ON = D(2024, 9, 19)


# --- Japan time -----------------------------------------------------------------------------------


def test_the_configured_time_zone_is_the_calendars():
    # Templates render times in the configured zone; it must be Japan's.
    assert settings.TIME_ZONE == JST.key == "Asia/Tokyo"


def test_today_is_the_japanese_date_whatever_the_servers_zone(settings):
    settings.TIME_ZONE = "UTC"
    # 15:30 UTC on 31 March is 00:30 on 1 April in Japan.
    with time_machine.travel(dt.datetime(2024, 3, 31, 15, 30, tzinfo=dt.UTC), tick=False):
        assert calendar.today() == D(2024, 4, 1)
        assert calendar.now() == dt.datetime(2024, 4, 1, 0, 30, tzinfo=JST)


def test_a_japanese_day_begins_at_15_00_utc_the_day_before():
    start, end = day_range(D(2024, 3, 31), D(2024, 3, 31))
    assert start == dt.datetime(2024, 3, 30, 15, tzinfo=dt.UTC)
    assert end == dt.datetime(2024, 3, 31, 15, tzinfo=dt.UTC)


# --- months ---------------------------------------------------------------------------------------


def test_month_parse_next_and_previous_across_a_year():
    december = Month.parse("2024-12")
    assert december == Month(2024, 12)
    assert december.next() == Month(2025, 1)
    assert Month(2025, 1).previous() == december
    assert str(december.next()) == "2025-01"


@pytest.mark.parametrize("text", ["2024-13", "2024-1", "24-01", "2024/01", "2024-00"])
def test_month_parse_refuses_what_is_not_yyyy_mm(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_month_days_and_bounds():
    february = Month(2024, 2)
    assert (february.first_day, february.last_day) == (D(2024, 2, 1), D(2024, 2, 29))
    assert Month(2023, 2).last_day == D(2023, 2, 28)
    # March in Japan: from 1 March 00:00 JST (29 Feb 15:00 UTC) to 1 April 00:00 JST.
    assert Month(2024, 3).bounds() == (
        dt.datetime(2024, 2, 29, 15, tzinfo=dt.UTC),
        dt.datetime(2024, 3, 31, 15, tzinfo=dt.UTC),
    )


def test_months_between_takes_every_month_touched():
    assert months_between(D(2024, 11, 15), D(2025, 2, 1)) == [
        Month(2024, 11), Month(2024, 12), Month(2025, 1), Month(2025, 2),
    ]  # fmt: skip


def test_one_month_after_31_january_is_29_february_in_a_leap_year():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_one_month_after_31_january_is_28_february_otherwise():
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)


def test_add_months_goes_back_and_across_years():
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
    assert add_months(D(2024, 8, 15), -36) == D(2021, 8, 15)


def test_add_months_agrees_with_relativedelta_on_every_day_of_six_years():
    """``add_months`` is plain arithmetic; ``dateutil``'s ``relativedelta`` (what it used to
    call) is the reference: every day of 2022–2027 (two leap years' Februaries), -40 … +40
    months."""
    from dateutil.relativedelta import relativedelta

    day = D(2022, 1, 1)
    while day < D(2028, 1, 1):
        for months in range(-40, 41, 3):
            assert add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += dt.timedelta(days=1)


def test_month_steps_agree_with_the_calendar_on_every_month_of_a_century():
    month = Month(2000, 1)
    for _ in range(1200):
        following = add_months(month.first_day, 1)
        assert month.next() == Month.of(following)
        assert month.next().previous() == month
        assert month.last_day == following - dt.timedelta(days=1)
        month = month.next()
    assert month == Month(2100, 1)


# --- fiscal years ---------------------------------------------------------------------------------


def test_31_march_is_the_previous_fiscal_year_and_1_april_the_next():
    assert fiscal_year_of(D(2024, 3, 31)) == 2023
    assert fiscal_year_of(D(2024, 4, 1)) == 2024


def test_fiscal_year_2024_runs_from_1_april_2024_to_31_march_2025():
    assert fiscal_year_bounds(2024) == (D(2024, 4, 1), D(2025, 3, 31))


# --- the 3-year limit -----------------------------------------------------------------------------


def test_three_year_limit_ends_the_day_before_the_same_date_three_years_on():
    assert service_limit_end(D(2021, 4, 1)) == D(2024, 3, 31)
    assert service_limit_end(D(2023, 3, 1)) == D(2026, 2, 28)


def test_three_year_limit_from_29_february_ends_at_the_end_of_february():
    assert service_limit_end(D(2024, 2, 29)) == D(2027, 2, 28)


def test_three_year_limit_agrees_with_relativedelta_on_every_day_of_eight_years():
    from dateutil.relativedelta import relativedelta

    day = D(2020, 1, 1)
    while day < D(2028, 1, 1):
        anniversary = day + relativedelta(years=3)
        expected = anniversary if anniversary.day != day.day else anniversary - dt.timedelta(1)
        assert service_limit_end(day) == expected, day
        day += dt.timedelta(days=1)


def test_latest_start_with_limit_by_is_the_inverse_of_the_limit():
    assert latest_start_with_limit_by(D(2024, 3, 31)) == D(2021, 4, 1)
    # 29 Feb and 1 Mar 2024 both end on 28 Feb 2027; 2 Mar 2024 ends on 1 Mar 2027.
    assert latest_start_with_limit_by(D(2027, 2, 28)) == D(2024, 3, 1)


def test_effective_end_is_the_earlier_of_the_recorded_end_and_the_limit():
    assert effective_end(D(2021, 4, 1), None) == D(2024, 3, 31)
    assert effective_end(D(2021, 4, 1), D(2023, 9, 30)) == D(2023, 9, 30)
    assert effective_end(D(2021, 4, 1), D(2024, 6, 30)) == D(2024, 3, 31)


# --- ending soon: one rule, 90 days, recorded end or 3-year limit ---------------------------------

# (code, service_start, service_end, ending soon on 20 June 2024) — the reason in the comment.
CASES = [
    ("END90", D(2023, 4, 1), NINETY_DAYS_ON, True),  # recorded end in 90 days
    ("END91", D(2023, 4, 1), NINETY_ONE_DAYS_ON, False),  # recorded end in 91 days
    ("LIMIT90", D(2021, 9, 19), None, True),  # limit 2024-09-18: 90 days
    ("LIMIT91", D(2021, 9, 20), None, False),  # limit 2024-09-19: 91 days
    ("LIMIT90-LATE-END", D(2021, 9, 19), D(2024, 12, 31), True),  # the limit comes first
    ("END-TODAY", D(2023, 4, 1), TODAY, True),  # last day today: 0 days
    ("ENDED", D(2023, 4, 1), D(2024, 6, 19), False),  # ended yesterday
    ("LIMIT-TODAY", D(2021, 6, 21), None, True),  # limit 2024-06-20
    ("LIMIT-PASSED", D(2021, 6, 20), None, False),  # limit 2024-06-19, yesterday
    ("NOT-STARTED", D(2024, 7, 1), D(2024, 8, 1), False),  # not in service yet
    ("FAR", D(2023, 4, 1), None, False),  # limit 2026-03-31
]


@pytest.mark.parametrize(("code", "start", "end", "expected"), CASES, ids=[c[0] for c in CASES])
def test_ends_soon(code, start, end, expected):
    assert ends_soon(start, end, today=TODAY) is expected


@pytest.fixture
def ending_cases(cast):
    for code, start, end, _expected in CASES:
        factories.ClientFactory(
            office=cast.office_a,
            staff_in_charge=cast.alice,
            client_code=code,
            service_start=start,
            service_end=end,
        )
    return {code for code, _start, _end, expected in CASES if expected}


def test_the_query_picks_the_same_people_as_the_rule(ending_cases):
    found = Client.objects.filter(ending_soon_q(today=TODAY)).values_list("client_code", flat=True)
    assert set(found) == ending_cases == {"END90", "LIMIT90", "LIMIT90-LATE-END", "END-TODAY",
                                          "LIMIT-TODAY"}  # fmt: skip


def test_worklist_home_and_client_list_share_the_rule(cast, ending_cases):
    worklist = worklist_for(user=cast.alice, today=TODAY)
    # Soonest effective end first, then by code.
    assert [c.client_code for c in worklist.service_ending] == [
        "END-TODAY", "LIMIT-TODAY", "END90", "LIMIT90", "LIMIT90-LATE-END",
    ]  # fmt: skip
    assert [c.effective_end for c in worklist.service_ending][-1] == NINETY_DAYS_ON
    [overview] = offices_overview(offices=[cast.office_a], today=TODAY)
    assert overview.service_ending == 5
    listed = filter_clients(Client.objects.all(), today=TODAY, ending_soon=True)
    assert set(listed.values_list("client_code", flat=True)) == ending_cases


def test_the_reminder_for_an_ending_service_is_due_on_its_effective_end(cast):
    from contacts.models import Notification
    from contacts.reminders import send_daily_reminders

    factories.ClientFactory(
        office=cast.office_a,
        staff_in_charge=cast.alice,
        service_start=D(2021, 9, 19),
        service_end=D(2024, 12, 31),
    )
    send_daily_reminders(day=TODAY)
    notification = Notification.objects.get(user=cast.alice, kind="service_ending")
    assert notification.due_date == NINETY_DAYS_ON


# --- Japanese eras --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2024, 4, 1), "令和6年4月1日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(1926, 12, 25), "昭和元年12月25日"),
        (D(1912, 7, 30), "大正元年7月30日"),
        (D(1868, 10, 23), "明治元年10月23日"),
    ],
)
def test_wareki(day, expected):
    assert wareki(day) == expected


def test_wareki_reads_an_aware_time_in_japan():
    # 15:00 UTC on 30 April 2019 is midnight on 1 May in Japan: the first day of 令和.
    assert wareki(dt.datetime(2019, 4, 30, 15, tzinfo=dt.UTC)) == "令和元年5月1日"


def test_wareki_refuses_a_day_before_meiji():
    with pytest.raises(ValueError):
        wareki(D(1868, 10, 22))


def test_wareki_template_filter():
    template = Template("{% load calendar_tags %}[{{ day|wareki }}][{{ none|wareki }}]")
    assert template.render(Context({"day": D(2024, 4, 1), "none": None})) == "[令和6年4月1日][]"
