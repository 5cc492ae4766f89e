"""DESIGN section 4, edge by edge, on plain dates (no database).

Remuneration fiscal year 2024: window 2021-04-01 … 2024-03-31, reference date 2024-03-31.
"""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from clients.retention import (
    EmploymentSpan,
    Reason,
    ServicePeriod,
    Tier,
    WhatIf,
    compute_retention,
    employment_continuity,
    excused_gap_end,
    tier_for,
    window_of,
)

D = dt.date
REFERENCE_FY2024 = D(2024, 3, 31)

FY2024_TABLE = [
    Tier(Decimal(95), 3512),
    Tier(Decimal(90), 3348),
    Tier(Decimal(80), 2768),
    Tier(Decimal(70), 2234),
    Tier(Decimal(50), 1690),
    Tier(Decimal(30), 1433),
    Tier(Decimal(0), 1074),
]


def continuity(*spans, reference=REFERENCE_FY2024):
    return employment_continuity([EmploymentSpan(*s) for s in spans], reference)


# --- dates ------------------------------------------------------------------------------------


def test_window_of_fiscal_2024_is_the_three_previous_fiscal_years():
    assert window_of(2024) == (D(2021, 4, 1), D(2024, 3, 31))


def test_the_forgiven_month_after_31_january_ends_on_29_february_in_a_leap_year():
    assert excused_gap_end(D(2024, 1, 31)) == D(2024, 2, 29)


# --- one person ---------------------------------------------------------------------------------


def test_continuous_employment_through_the_reference_date_is_retained():
    result = continuity((D(2020, 10, 1), None))
    assert result.retained and result.reason == Reason.CONTINUOUS


def test_no_employment_on_record_is_not_retained():
    result = continuity()
    assert not result.retained and result.reason == Reason.NO_EMPLOYMENT


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


def test_reference_date_inside_the_excused_gap_counts_as_retained():
    # Supported change on 15 March 2024; the reference date 31 March is within the month.
    result = continuity((D(2020, 10, 1), D(2024, 3, 15), True))
    assert result.retained and result.reason == Reason.IN_EXCUSED_GAP


def test_reference_date_after_the_excused_gap_without_a_new_job_is_not_retained():
    result = continuity((D(2020, 10, 1), D(2024, 2, 15), True))
    assert not result.retained and result.reason == Reason.SEPARATED


def test_a_gap_after_the_reference_date_does_not_matter():
    result = continuity((D(2020, 10, 1), D(2024, 5, 31)), (D(2024, 9, 1), None))
    assert result.retained


def test_first_employment_after_the_reference_date_is_not_retained():
    result = continuity((D(2024, 4, 1), None))
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
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE
    )
    assert result.users == 1
    assert result.retained == 0


def test_service_starting_on_the_reference_date_counts_as_a_user():
    periods = [period("A", D(2024, 3, 31), None, (D(2023, 9, 1), None))]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE
    )
    assert (result.users, result.retained) == (1, 1)


def test_service_ending_before_the_window_does_not_count():
    periods = [
        period("A", D(2018, 4, 1), D(2021, 3, 31), (D(2017, 10, 1), None)),
        period("B", D(2022, 4, 1), None, (D(2021, 10, 1), None)),
    ]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE
    )
    assert result.users == 1
    assert [c.client_code for c in result.clients] == ["B"]


def test_service_starting_after_the_reference_date_does_not_count():
    periods = [period("A", D(2024, 4, 1), None, (D(2023, 10, 1), None))]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE
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
        office_number="1", fiscal_year=2024, periods=_office(9, 1), tiers=FY2024_TABLE
    )
    assert result.rate == Fraction(9, 10)
    assert result.tier == Tier(Decimal(90), 3348)
    assert result.rate_percent == Decimal("90.0")


def test_rate_just_below_a_tier_bound_falls_to_the_next_tier():
    # 19 of 20 = 95% exactly → 3,512; 18 of 19 = 94.74% → 3,348.
    at_bound = compute_retention(
        office_number="1", fiscal_year=2024, periods=_office(19, 1), tiers=FY2024_TABLE
    )
    below = compute_retention(
        office_number="1", fiscal_year=2024, periods=_office(18, 1), tiers=FY2024_TABLE
    )
    assert at_bound.tier.units == 3512
    assert below.tier.units == 3348


def test_a_rate_whose_percentage_rounds_up_to_the_bound_stays_below_it():
    # 8,996 of 10,000 = 89.96%: shown as 90.0% (half up), yet below "90%以上" → 2,768 units.
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=_office(8996, 1004), tiers=FY2024_TABLE
    )
    assert result.rate_percent == Decimal("90.0")
    assert result.tier.units == 2768


def test_a_one_third_rate_reaches_30_percent_tier():
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=_office(1, 2), tiers=FY2024_TABLE
    )
    assert result.tier.units == 1433
    assert result.rate_percent == Decimal("33.3")


def test_tier_for_compares_exact_fractions():
    assert tier_for(Fraction(7, 10), FY2024_TABLE).units == 2234
    assert tier_for(Fraction(69999, 100000), FY2024_TABLE).units == 1690


def test_what_if_separation_drops_the_user_from_retained():
    periods = _office(4, 0)
    base = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE
    )
    changed = compute_retention(
        office_number="1",
        fiscal_year=2024,
        periods=periods,
        tiers=FY2024_TABLE,
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
        what_if=WhatIf("R00", D(2024, 4, 1)),
    )
    assert changed.retained == 4


def test_short_history_is_flagged_when_the_first_client_is_recent():
    periods = [period("A", D(2022, 6, 1), None, (D(2021, 12, 1), None))]
    result = compute_retention(
        office_number="1", fiscal_year=2024, periods=periods, tiers=FY2024_TABLE
    )
    # First client in FY2022: two fiscal years (2022, 2023) before FY2024.
    assert result.history_fiscal_years == 2
    assert result.short_history


def test_json_has_exactly_the_design_keys():
    result = compute_retention(
        office_number="1310100001", fiscal_year=2024, periods=_office(2, 1), tiers=FY2024_TABLE
    )
    document = result.as_json()
    assert list(document) == [
        "office_number", "fiscal_year", "window_start", "reference_date", "users", "retained",
        "rate", "rate_percent", "tier", "clients",
    ]  # fmt: skip
    # 2 of 3: rate 0.6667 (4 decimals, half up), 66.7%, the 50% tier.
    assert document["rate"] == 0.6667
    assert document["rate_percent"] == 66.7
    assert document["tier"] == {"min_percent": 50.0, "units": 1690}
    assert document["window_start"] == "2021-04-01"
    assert list(document["clients"][0]) == ["client_code", "retained", "reason"]
