"""The month's billing on a 390 px phone: the people table (with its additions and reductions
column) scrolls sideways in its own box with the person fixed; no cell breaks one character a
line."""

import pytest

from plans.models import OfficePlanSettings
from tests.billing.test_service_record import person  # noqa: F401 (the billed person)
from tests.contacts.test_wide_tables_browser import (
    NO_SIDEWAYS_SCROLL,
    TALLEST_CELL,
    _scrolls_with_a_fixed_first_column,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_months_billing_additions_column_on_a_phone(logged_in_page, cast, person):  # noqa: F811
    # Without a hand-over policy the person's month carries a reduction (test_service_record).
    OfficePlanSettings.objects.filter(office=cast.office_a).update(handover_policy="")
    page = logged_in_page(cast.bob, mobile=True)
    page.goto(f"/billing/{cast.office_a.office_number}/2024-04/")
    assert "実績 記子" in page.inner_text("#billing-people")
    cells = page.evaluate(TALLEST_CELL, "#billing-people")
    assert cells["tallest"] < 4 * cells["line"], cells
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    _scrolls_with_a_fixed_first_column(page, "#billing-people")
