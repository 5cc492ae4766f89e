"""The retention pages' period and projection: one home (``clients.selectors``,
``clients.retention.is_projection``) for the office and the corporation pages and their exports."""

import datetime as dt

from clients import retention, selectors
from core.calendar import Month

D = dt.date


def test_a_rate_is_a_projection_until_its_reference_date_has_passed():
    # FY2024's window ends on 31 March 2024, its reference date.
    assert retention.is_projection(2024, D(2024, 3, 31))
    assert not retention.is_projection(2024, D(2024, 4, 1))
    assert retention.is_projection(2025, D(2024, 4, 1))


def test_the_period_opens_on_the_moving_fiscal_year_and_its_april():
    # 1 June 2024 is in FY2024; the rate still moving is FY2025's (window April 2022 to March
    # 2025); June 2024 is not one of FY2025's months, so the month shown is April 2025.
    period = selectors.retention_period({}, today=D(2024, 6, 1))
    assert (period.fiscal_year, period.fiscal_year_choices) == (2025, [2025, 2024])
    assert period.month == Month(2025, 4) and len(period.months) == 12
    assert period.projection


def test_the_period_takes_a_known_fiscal_year_and_month_and_refuses_others():
    today = D(2024, 6, 1)
    chosen = selectors.retention_period({"fiscal_year": "2024", "month": "2024-09"}, today=today)
    assert (chosen.fiscal_year, chosen.month, chosen.projection) == (2024, Month(2024, 9), False)
    # Today's month when it lies in the fiscal year; an unknown year or a foreign month is ignored.
    odd = selectors.retention_period({"fiscal_year": "2019", "month": "2023-01"}, today=today)
    assert (odd.fiscal_year, odd.month) == (2025, Month(2025, 4))
    this = selectors.retention_period({"fiscal_year": "2024", "month": "x"}, today=today)
    assert this.month == Month(2024, 6)
