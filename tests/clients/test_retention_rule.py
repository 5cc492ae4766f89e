"""DESIGN section 4.2 (the second edition of the rule), edge by edge, on plain dates (no database).

Remuneration fiscal year 2024: window 2021-04-01 … 2024-03-31, reference date 2024-03-31. Unless a
test says otherwise the person was hired on 2020-10-01, the service started on 2021-04-01 (six
months on) and is still open, and the figure is computed as of 2024-06-01, long after any forgiven
month around the reference date has run out.

Tests of the first edition that the second edition changes:
- ``no_employment`` became ``no_qualifying_employment`` (and an employment that starts after the
  service start no longer qualifies);
- a reference date inside the forgiven month with no new job recorded is no longer simply
  ``in_excused_gap``: it is ``awaiting_reemployment`` (provisional) or ``not_reemployed_in_time``
  depending on the as-of date; ``in_excused_gap`` needs the new job recorded within the month;
- ``not_yet_employed`` now needs a service start after the reference date (a hire after the
  service start is no qualifying employment);
- the JSON gains ``as_of`` and each row ``provisional``.
"""

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from clients.retention import (
    EmploymentSpan,
    Reason,
    ServicePeriod,
    Tier,
    WhatIf,
    compute_retention,
    earliest_service_start,
    employment_continuity,
    excused_gap_end,
    qualifying_employment,
    start_counted_from,
    starts_too_early,
    tier_for,
    window_of,
)

D = dt.date
JST = ZoneInfo("Asia/Tokyo")
REFERENCE_FY2024 = D(2024, 3, 31)
SERVICE_START = D(2021, 4, 1)
AS_OF = D(2024, 6, 1)

FY2024_TABLE = [
    Tier(Decimal(95), 3512),
    Tier(Decimal(90), 3348),
    Tier(Decimal(80), 2768),
    Tier(Decimal(70), 2234),
    Tier(Decimal(50), 1690),
    Tier(Decimal(30), 1433),
    Tier(Decimal(0), 1074),
]


def continuity(
    *spans, reference=REFERENCE_FY2024, service_start=SERVICE_START, service_end=None, as_of=AS_OF
):
    return employment_continuity(
        [EmploymentSpan(*s) for s in spans],
        reference,
        service_start=service_start,
        service_end=service_end,
        as_of=as_of,
    )


# --- dates ------------------------------------------------------------------------------------


def test_window_of_fiscal_2024_is_the_three_previous_fiscal_years():
    assert window_of(2024) == (D(2021, 4, 1), D(2024, 3, 31))


def test_the_forgiven_month_after_31_january_ends_on_29_february_in_a_leap_year():
    assert excused_gap_end(D(2024, 1, 31)) == D(2024, 2, 29)


# --- one person ---------------------------------------------------------------------------------


def test_continuous_employment_through_the_reference_date_is_retained():
    result = continuity((D(2020, 10, 1), None))
    assert result.retained and result.reason == Reason.CONTINUOUS


def test_no_employment_on_record_is_no_qualifying_employment():
    # Changed from the first edition's ``no_employment``.
    result = continuity()
    assert not result.retained and result.reason == Reason.NO_QUALIFYING_EMPLOYMENT


def test_supported_job_change_reemployed_exactly_one_month_later_keeps_retention():
    # Last working day 15 June 2022; one month later is 15 July 2022.
    result = continuity((D(2020, 10, 1), D(2022, 6, 15), True), (D(2022, 7, 15), None))
    assert result.retained and result.reason == Reason.AFTER_SUPPORTED_CHANGE


def test_supported_job_change_reemployed_one_day_late_breaks_retention():
    result = continuity((D(2020, 10, 1), D(2022, 6, 15), True), (D(2022, 7, 16), None))
    assert not result.retained and result.reason == Reason.REEMPLOYED_TOO_LATE


def test_month_end_clamp_31_january_to_29_february_in_a_leap_year():
    # 2024 is a leap year: the new job may start on 29 February 2024 at the latest.
    on_time = continuity((D(2020, 10, 1), D(2024, 1, 31), True), (D(2024, 2, 29), None))
    late = continuity((D(2020, 10, 1), D(2024, 1, 31), True), (D(2024, 3, 1), None))
    assert on_time.retained
    assert not late.retained


def test_month_end_clamp_31_january_to_28_february_otherwise():
    on_time = continuity((D(2020, 10, 1), D(2023, 1, 31), True), (D(2023, 2, 28), None))
    late = continuity((D(2020, 10, 1), D(2023, 1, 31), True), (D(2023, 3, 1), None))
    assert on_time.retained
    assert not late.retained and late.reason == Reason.REEMPLOYED_TOO_LATE


def test_a_second_supported_change_with_a_gap_breaks_retention():
    result = continuity(
        (D(2020, 10, 1), D(2021, 9, 30), True),
        (D(2021, 10, 15), D(2022, 9, 30), True),
        (D(2022, 10, 10), None),
    )
    assert not result.retained and result.reason == Reason.SECOND_SUPPORTED_CHANGE


def test_a_second_supported_change_without_a_gap_is_fine():
    # The second change starts the next day: continuous, the once-only excuse is not needed.
    result = continuity(
        (D(2020, 10, 1), D(2021, 9, 30), True),
        (D(2021, 10, 15), D(2022, 9, 30), True),
        (D(2022, 10, 1), None),
    )
    assert result.retained


def test_unflagged_separation_reemployed_within_a_month_breaks_retention():
    result = continuity((D(2020, 10, 1), D(2022, 6, 15)), (D(2022, 6, 20), None))
    assert not result.retained and result.reason == Reason.UNSUPPORTED_GAP


def test_next_job_starting_the_day_after_the_last_working_day_is_continuous():
    result = continuity((D(2020, 10, 1), D(2022, 6, 15)), (D(2022, 6, 16), None))
    assert result.retained and result.reason == Reason.CONTINUOUS


def test_last_working_day_equal_to_the_reference_date_is_retained():
    result = continuity((D(2020, 10, 1), D(2024, 3, 31)))
    assert result.retained


def test_last_working_day_the_day_before_the_reference_date_is_not_retained():
    result = continuity((D(2020, 10, 1), D(2024, 3, 30)))
    assert not result.retained and result.reason == Reason.SEPARATED


def test_reference_date_inside_the_forgiven_month_with_the_new_job_starting_within_it():
    # Changed from the first edition, which counted this without any new job. Supported change
    # with last working day 15 March 2024; the month runs to 15 April; the new job starts then.
    result = continuity((D(2020, 10, 1), D(2024, 3, 15), True), (D(2024, 4, 15), None))
    assert result.retained and result.reason == Reason.IN_EXCUSED_GAP
    assert not result.provisional


def test_reference_date_inside_the_forgiven_month_with_the_new_job_one_day_late():
    result = continuity((D(2020, 10, 1), D(2024, 3, 15), True), (D(2024, 4, 16), None))
    assert not result.retained and result.reason == Reason.REEMPLOYED_TOO_LATE


def test_reference_date_after_the_excused_gap_without_a_new_job_is_not_retained():
    result = continuity((D(2020, 10, 1), D(2024, 2, 15), True))
    assert not result.retained and result.reason == Reason.SEPARATED


def test_a_gap_after_the_reference_date_does_not_matter():
    result = continuity((D(2020, 10, 1), D(2024, 5, 31)), (D(2024, 9, 1), None))
    assert result.retained


def test_qualifying_employment_after_the_reference_date_is_not_yet_employed():
    # Changed: the service must start after the reference date too (the client page asks about
    # today for a service that has not begun); a hire after the service start does not qualify.
    result = continuity((D(2024, 4, 1), None), service_start=D(2024, 10, 1))
    assert not result.retained and result.reason == Reason.NOT_YET_EMPLOYED


# --- an office ----------------------------------------------------------------------------------


def period(code, start, end=None, *spans):
    return ServicePeriod(
        client_code=code,
        service_start=start,
        service_end=end,
        employments=tuple(EmploymentSpan(*s) for s in spans),
    )


def test_service_overlapping_the_window_by_one_day_counts_as_a_user():
    # Ends on the window's first day (1 April 2021), separated long before the reference date.
    periods = [period("A", D(2018, 4, 2), D(2021, 4, 1), (D(2017, 10, 1), D(2021, 4, 1)))]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE, as_of=AS_OF
    )
    assert result.users == 1
    assert result.retained == 0


def test_service_starting_on_the_reference_date_counts_as_a_user():
    periods = [period("A", D(2024, 3, 31), None, (D(2023, 9, 1), None))]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE, as_of=AS_OF
    )
    assert (result.users, result.retained) == (1, 1)


def test_service_ending_before_the_window_does_not_count():
    periods = [
        period("A", D(2018, 4, 1), D(2021, 3, 31), (D(2017, 10, 1), None)),
        period("B", D(2022, 4, 1), None, (D(2021, 10, 1), None)),
    ]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE, as_of=AS_OF
    )
    assert result.users == 1
    assert [c.client_code for c in result.clients] == ["B"]


def test_service_starting_after_the_reference_date_does_not_count():
    periods = [period("A", D(2024, 4, 1), None, (D(2023, 10, 1), None))]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE, as_of=AS_OF
    )
    assert result.users == 0
    assert result.rate is None and result.tier is None


def _office(retained, not_retained):
    """``retained`` users employed throughout, ``not_retained`` separated in 2022."""
    periods = [
        period(f"R{i:02d}", D(2022, 4, 1), None, (D(2021, 10, 1), None)) for i in range(retained)
    ]
    periods += [
        period(f"S{i:02d}", D(2022, 4, 1), None, (D(2021, 10, 1), D(2022, 12, 31)))
        for i in range(not_retained)
    ]
    return periods


def test_rate_exactly_at_a_tier_bound_reaches_that_tier():
    # 9 of 10 = exactly 90%: "90%以上" → 3,348 units.
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=_office(9, 1), tiers=FY2024_TABLE, as_of=AS_OF
    )
    assert result.rate == Fraction(9, 10)
    assert result.tier == Tier(Decimal(90), 3348)
    assert result.rate_percent == Decimal("90.0")


def test_rate_just_below_a_tier_bound_falls_to_the_next_tier():
    # 19 of 20 = 95% exactly → 3,512; 18 of 19 = 94.74% → 3,348.
    at_bound = compute_retention(
        office_number="1", fiscal_year=2024, periods=_office(19, 1), tiers=FY2024_TABLE, as_of=AS_OF
    )
    below = compute_retention(
        office_number="1", fiscal_year=2024, periods=_office(18, 1), tiers=FY2024_TABLE, as_of=AS_OF
    )
    assert at_bound.tier.units == 3512
    assert below.tier.units == 3348


def test_a_rate_whose_percentage_rounds_up_to_the_bound_stays_below_it():
    # 8,996 of 10,000 = 89.96%: shown as 90.0% (half up), yet below "90%以上" → 2,768 units.
    result = compute_retention(
        office_number="1",
        fiscal_year=2024,
        periods=_office(8996, 1004),
        tiers=FY2024_TABLE,
        as_of=AS_OF,
    )
    assert result.rate_percent == Decimal("90.0")
    assert result.tier.units == 2768


def test_a_one_third_rate_reaches_30_percent_tier():
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=_office(1, 2), tiers=FY2024_TABLE, as_of=AS_OF
    )
    assert result.tier.units == 1433
    assert result.rate_percent == Decimal("33.3")


def test_tier_for_compares_exact_fractions():
    assert tier_for(Fraction(7, 10), FY2024_TABLE).units == 2234
    assert tier_for(Fraction(69999, 100000), FY2024_TABLE).units == 1690


def test_what_if_separation_drops_the_user_from_retained():
    periods = _office(4, 0)
    base = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE, as_of=AS_OF
    )
    changed = compute_retention(
        office_number="1",
        fiscal_year=2024,
        periods=periods,
        tiers=FY2024_TABLE,
        as_of=AS_OF,
        what_if=WhatIf("R00", D(2023, 12, 31)),
    )
    assert (base.retained, base.tier.units) == (4, 3512)
    # 3 of 4 = 75% → the 70% tier, 2,234 units.
    assert (changed.retained, changed.tier.units) == (3, 2234)
    assert [c.retained for c in changed.clients if c.client_code == "R00"] == [False]


def test_what_if_separation_after_the_reference_date_changes_nothing():
    periods = _office(4, 0)
    changed = compute_retention(
        office_number="1",
        fiscal_year=2024,
        periods=periods,
        tiers=FY2024_TABLE,
        as_of=AS_OF,
        what_if=WhatIf("R00", D(2024, 4, 1)),
    )
    assert changed.retained == 4


def test_short_history_is_flagged_when_the_first_client_is_recent():
    periods = [period("A", D(2022, 6, 1), None, (D(2021, 12, 1), None))]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE, as_of=AS_OF
    )
    # First client in FY2022: two fiscal years (2022, 2023) before FY2024.
    assert result.history_fiscal_years == 2
    assert result.short_history


def test_json_has_exactly_the_design_keys():
    result = compute_retention(
        office_number="1310100001",
        fiscal_year=2024,
        periods=_office(2, 1),
        tiers=FY2024_TABLE,
        as_of=AS_OF,
    )
    document = result.as_json()
    # Changed: the second edition adds "as_of" and each row's "provisional".
    assert list(document) == [
        "office_number", "fiscal_year", "as_of", "window_start", "reference_date", "users",
        "retained", "rate", "rate_percent", "tier", "clients",
    ]  # fmt: skip
    assert document["as_of"] == "2024-06-01"
    # 2 of 3: rate 0.6667 (4 decimals, half up), 66.7%, the 50% tier.
    assert document["rate"] == 0.6667
    assert document["rate_percent"] == 66.7
    assert document["tier"] == {"min_percent": 50.0, "units": 1690}
    assert document["window_start"] == "2021-04-01"
    assert list(document["clients"][0]) == ["client_code", "retained", "provisional", "reason"]


# --- second edition: the qualifying employment ---------------------------------------------------


def test_a_job_that_ended_years_before_the_qualifying_hire_does_not_count_against():
    # 2015-04 … 2016-03 then nothing until the 2020-10 hire: the first edition called this an
    # unsupported gap; the old job ended before the service start, so it is history.
    result = continuity((D(2015, 4, 1), D(2016, 3, 31)), (D(2020, 10, 1), None))
    assert result.retained and result.reason == Reason.CONTINUOUS


def test_the_qualifying_employment_is_the_latest_started_in_effect_on_the_service_start():
    spans = [
        EmploymentSpan(D(2019, 1, 1), None),
        EmploymentSpan(D(2020, 10, 1), None),
        EmploymentSpan(D(2021, 5, 1), None),  # starts after the service start
        EmploymentSpan(D(2018, 1, 1), D(2021, 3, 31)),  # ended the day before it
    ]
    assert qualifying_employment(spans, SERVICE_START) == EmploymentSpan(D(2020, 10, 1), None)


def test_an_employment_ending_on_the_service_start_still_qualifies():
    spans = [EmploymentSpan(D(2020, 10, 1), D(2021, 4, 1))]
    assert qualifying_employment(spans, SERVICE_START) == spans[0]


def test_only_employments_ended_before_the_service_start_is_no_qualifying_employment():
    result = continuity((D(2019, 4, 1), D(2021, 3, 31)))
    assert not result.retained and result.reason == Reason.NO_QUALIFYING_EMPLOYMENT


def test_a_hire_after_the_service_start_is_no_qualifying_employment():
    result = continuity((D(2021, 4, 2), None))
    assert not result.retained and result.reason == Reason.NO_QUALIFYING_EMPLOYMENT


# --- second edition: the forgiven gap only once and only inside the service period -------------


def test_a_supported_change_before_the_service_started_is_history_and_leaves_the_excuse_unused():
    # The 2019 job ended 30 Sep 2020 (before the service start 20 Apr 2021) with a supported
    # change; the qualifying job 2020-10-20 … 2022-06-15 ends with a supported change inside
    # the service, new job 2022-07-10 (within the month to 15 Jul). The first edition spent the
    # once-only excuse on 2020 and called this a second supported change.
    result = continuity(
        (D(2019, 4, 1), D(2020, 9, 30), True),
        (D(2020, 10, 20), D(2022, 6, 15), True),
        (D(2022, 7, 10), None),
        service_start=D(2021, 4, 20),
    )
    assert result.retained and result.reason == Reason.AFTER_SUPPORTED_CHANGE


def test_a_supported_change_after_the_service_ended_is_not_forgiven():
    # Service 2021-04-01 … 2023-03-31; last working day 2023-06-30 is outside it; the new job
    # 2023-07-15 starts within the month, but the excuse holds only during the service.
    result = continuity(
        (D(2020, 10, 1), D(2023, 6, 30), True),
        (D(2023, 7, 15), None),
        service_end=D(2023, 3, 31),
    )
    assert not result.retained and result.reason == Reason.CHANGE_OUTSIDE_SERVICE


def test_a_supported_change_on_the_last_day_of_the_service_is_forgiven():
    # Both ends of the service period are included: last working day 31 Mar 2023 = service end.
    result = continuity(
        (D(2020, 10, 1), D(2023, 3, 31), True),
        (D(2023, 4, 30), None),
        service_end=D(2023, 3, 31),
    )
    assert result.retained and result.reason == Reason.AFTER_SUPPORTED_CHANGE


def test_a_supported_change_inside_the_service_is_forgiven():
    result = continuity((D(2020, 10, 1), D(2022, 6, 15), True), (D(2022, 7, 1), None))
    assert result.retained and result.reason == Reason.AFTER_SUPPORTED_CHANGE


def test_a_second_supported_change_with_the_reference_date_in_its_month_is_not_forgiven():
    # The first change (2021-09-30 → 2021-10-15) used the excuse; the second one's last working
    # day is 2024-03-20, so the reference date falls in its month: still not retained.
    result = continuity(
        (D(2020, 10, 1), D(2021, 9, 30), True),
        (D(2021, 10, 15), D(2024, 3, 20), True),
        (D(2024, 4, 10), None),
    )
    assert not result.retained and result.reason == Reason.SECOND_SUPPORTED_CHANGE


# --- second edition: the provisional month ------------------------------------------------------

# Last working day 15 March 2024 with a supported change, no new job recorded: the month runs to
# 15 April 2024 and the reference date 31 March 2024 lies inside it.
LEFT_15_MARCH = ((D(2020, 10, 1), D(2024, 3, 15), True),)


def test_no_new_job_yet_while_the_month_runs_is_retained_provisionally():
    result = continuity(*LEFT_15_MARCH, as_of=D(2024, 4, 15))
    assert result.retained and result.provisional
    assert result.reason == Reason.AWAITING_REEMPLOYMENT
    assert result.month_runs_out == D(2024, 4, 15)


def test_no_new_job_once_the_month_has_run_out_is_not_retained():
    result = continuity(*LEFT_15_MARCH, as_of=D(2024, 4, 16))
    assert not result.retained and not result.provisional
    assert result.reason == Reason.NOT_REEMPLOYED_IN_TIME


def test_the_provisional_month_in_an_office_same_data_two_as_of_dates():
    periods = [
        period("A", SERVICE_START, None, (D(2020, 10, 1), None)),
        period("B", SERVICE_START, None, *LEFT_15_MARCH),
    ]
    within = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE,
        as_of=D(2024, 4, 15),
    )  # fmt: skip
    after = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE,
        as_of=D(2024, 4, 16),
    )  # fmt: skip
    # 2 of 2 = 100% → 3,512 units while B is provisional; 1 of 2 = 50% → 1,690 after.
    assert (within.retained, within.tier.units) == (2, 3512)
    assert [c.client_code for c in within.provisional_clients] == ["B"]
    assert within.provisional_clients[0].month_runs_out == D(2024, 4, 15)
    assert within.as_json()["clients"][1] == {
        "client_code": "B", "retained": True, "provisional": True,
        "reason": "awaiting_reemployment",
    }  # fmt: skip
    assert (after.retained, after.tier.units) == (1, 1690)
    assert after.provisional_clients == []
    assert after.as_json()["clients"][1]["reason"] == "not_reemployed_in_time"


def test_a_supported_change_outside_the_service_with_the_reference_date_in_its_month():
    result = continuity(*LEFT_15_MARCH, service_end=D(2024, 3, 14), as_of=D(2024, 4, 1))
    assert not result.retained and result.reason == Reason.CHANGE_OUTSIDE_SERVICE


def test_an_unflagged_separation_inside_the_month_before_the_reference_date_is_separated():
    result = continuity((D(2020, 10, 1), D(2024, 3, 15)), as_of=D(2024, 4, 1))
    assert not result.retained and result.reason == Reason.SEPARATED


# --- second edition: the month-end clamp --------------------------------------------------------


def test_31_january_clamps_to_29_february_and_a_start_on_1_march_is_one_day_late():
    assert excused_gap_end(D(2024, 1, 31)) == D(2024, 2, 29)
    on_time = continuity((D(2020, 10, 1), D(2024, 1, 31), True), (D(2024, 2, 29), None))
    late = continuity((D(2020, 10, 1), D(2024, 1, 31), True), (D(2024, 3, 1), None))
    assert on_time.retained and on_time.reason == Reason.AFTER_SUPPORTED_CHANGE
    assert not late.retained and late.reason == Reason.REEMPLOYED_TOO_LATE


# --- second edition: leave (休職) ----------------------------------------------------------------


def test_leave_and_return_breaks_nothing():
    # On leave from 2022-01 and back on 2022-09-01: one unbroken employment.
    result = continuity((D(2020, 10, 1), None, False, D(2022, 9, 1)))
    assert result.retained and result.reason == Reason.CONTINUOUS


def test_the_service_may_start_six_months_after_the_return_from_leave():
    spans = [EmploymentSpan(D(2019, 4, 1), None, False, D(2021, 9, 1))]
    assert start_counted_from(spans, D(2022, 3, 1)) == D(2021, 9, 1)
    assert earliest_service_start(D(2021, 9, 1)) == D(2022, 3, 1)
    assert not starts_too_early(service_start=D(2022, 3, 1), hire_date=D(2021, 9, 1))
    assert starts_too_early(service_start=D(2022, 2, 28), hire_date=D(2021, 9, 1))


def test_the_six_months_count_from_the_qualifying_hire_not_the_first_on_record():
    spans = [EmploymentSpan(D(2015, 4, 1), D(2016, 3, 31)), EmploymentSpan(D(2020, 10, 1))]
    assert start_counted_from(spans, SERVICE_START) == D(2020, 10, 1)


def test_without_a_qualifying_hire_the_six_months_count_from_a_later_hire():
    # A service that starts before the hire starts early.
    spans = [EmploymentSpan(D(2021, 5, 1))]
    assert start_counted_from(spans, SERVICE_START) == D(2021, 5, 1)
    assert start_counted_from([], SERVICE_START) is None


# --- second edition: no qualifying employment in an office ---------------------------------------


def test_a_user_without_a_qualifying_employment_counts_and_is_a_data_problem():
    periods = [
        period("A", SERVICE_START, None, (D(2020, 10, 1), None)),
        period("B", SERVICE_START, None, (D(2018, 4, 1), D(2019, 3, 31))),
    ]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE, as_of=AS_OF
    )
    assert (result.users, result.retained) == (2, 1)
    assert [c.client_code for c in result.data_problems] == ["B"]
    assert result.clients[1].reason == "no_qualifying_employment"


@pytest.mark.django_db
def test_the_reason_labels_are_japanese_for_every_code():
    with translation.override("ja"):
        labels = {code: str(Reason(code).label) for code in Reason.values}
    with translation.override("en"):
        english = {code: str(Reason(code).label) for code in Reason.values}
    assert len(labels) == 12
    for code, label in labels.items():
        assert label != english[code], code  # translated, not the English msgid
        assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in label), code
