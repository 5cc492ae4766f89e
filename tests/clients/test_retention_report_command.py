"""retention_report on the database (Office A of retention_office_a.py): the as-of date inside
and after the provisional month, and a bad as-of date refused."""

import pytest
from django.core.management import CommandError

from tests.clients.retention_office_a import _report, _row


@pytest.mark.django_db
def test_the_report_with_as_of_inside_and_after_the_provisional_month(office_a_second_edition):
    within = _report(office_a_second_edition, "--as-of", "2024-04-15")
    assert within == {
        "office_number": office_a_second_edition.office_number,
        "fiscal_year": 2024,
        "as_of": "2024-04-15",
        "window_start": "2021-04-01",
        "reference_date": "2024-03-31",
        "users": 4,
        "retained": 3,
        "rate": 0.75,
        "rate_percent": 75.0,
        "tier": {"min_percent": 70.0, "units": 2234},
        "clients": [
            _row("A01", True, "continuous"),
            _row("A02", True, "awaiting_reemployment", provisional=True),
            _row("A03", False, "no_qualifying_employment"),
            _row("A04", True, "continuous"),
        ],
    }
    after = _report(office_a_second_edition, "--as-of", "2024-04-16")
    assert (after["as_of"], after["retained"], after["rate_percent"]) == ("2024-04-16", 2, 50.0)
    assert after["tier"] == {"min_percent": 50.0, "units": 1690}
    assert after["clients"][1] == _row("A02", False, "not_reemployed_in_time")


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["2024-02-30", "2024/04/15", "tomorrow", "20240415"])
def test_the_report_refuses_a_bad_as_of_date(office_a_second_edition, bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _report(office_a_second_edition, "--as-of", bad)
