"""office_retention and retention_report on the database, with expectations worked out by hand."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from clients.retention import office_retention, offices_retention
from core.models import AuditEvent
from tests import factories

D = dt.date


def _client(office, code, start, end=None, *employments):
    client = factories.ClientFactory(
        office=office, client_code=code, service_start=start, service_end=end
    )
    for span in employments:
        start_date, end_date, *flag = span
        factories.EmploymentFactory(
            client=client,
            start_date=start_date,
            end_date=end_date,
            separation_reason="job_change" if end_date else "",
            supported_job_change=bool(flag and flag[0]),
        )
    return client


@pytest.fixture
def office_a_clients(cast, fee_tiers):
    """Office A in FY2024 (window 2021-04-01 … 2024-03-31):
    A01 continuous → retained; A02 supported change, new job within the month → retained;
    A03 separated 2023-06-30, no new job → not retained; A04 ended 2021-03-31 → not a user;
    and office B's client B01 must never count for A."""
    office = cast.office_a
    _client(office, "A01", D(2021, 4, 1), None, (D(2020, 10, 1), None))
    _client(
        office, "A02", D(2022, 4, 1), None,
        (D(2021, 10, 1), D(2023, 1, 31), True), (D(2023, 2, 28), None),
    )  # fmt: skip
    _client(office, "A03", D(2022, 4, 1), D(2023, 7, 31), (D(2021, 10, 1), D(2023, 6, 30)))
    _client(office, "A04", D(2018, 4, 1), D(2021, 3, 31), (D(2017, 10, 1), None))
    _client(cast.office_b, "B01", D(2022, 4, 1), None, (D(2021, 10, 1), D(2022, 5, 31)))
    return office


def test_office_retention_counts_only_the_offices_users(office_a_clients):
    result = office_retention(office=office_a_clients, fiscal_year=2024)
    # Users A01, A02, A03; retained A01, A02: 2/3 = 66.7% → "50%以上" 1,690 units.
    assert [c.client_code for c in result.clients] == ["A01", "A02", "A03"]
    assert (result.users, result.retained) == (3, 2)
    assert result.tier.units == 1690
    assert [c.retained for c in result.clients] == [True, True, False]


def test_offices_retention_keeps_each_offices_users_apart(office_a_clients, cast):
    """A corporation's offices computed together: A as above (2/3), B with its one separated
    user (0/1), A2 with none; in the order given, without mixing clients between offices."""
    results = offices_retention(
        offices=[cast.office_b, office_a_clients, cast.office_a2], fiscal_year=2024
    )
    assert [r.office for r in results] == [cast.office_b, office_a_clients, cast.office_a2]
    assert [(r.users, r.retained) for r in results] == [(1, 0), (3, 2), (0, 0)]
    assert [c.client_code for c in results[1].clients] == ["A01", "A02", "A03"]
    assert results[1].tier.units == 1690
    assert results[2].rate is None


def test_retention_report_prints_the_design_json(office_a_clients):
    # Second edition: "as_of" and each row's "provisional" (DESIGN 5.4); no one is provisional.
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "retention_report", "--office", office_a_clients.office_number,
        "--fiscal-year", "2024", "--as-of", "2024-05-01", "--format", "json",
        stdout=out, stderr=err,
    )  # fmt: skip
    document = json.loads(out.getvalue())
    assert document == {
        "office_number": office_a_clients.office_number,
        "fiscal_year": 2024,
        "as_of": "2024-05-01",
        "window_start": "2021-04-01",
        "reference_date": "2024-03-31",
        "users": 3,
        "retained": 2,
        "rate": 0.6667,
        "rate_percent": 66.7,
        "tier": {"min_percent": 50.0, "units": 1690},
        "clients": [
            {
                "client_code": "A01",
                "retained": True,
                "provisional": False,
                "reason": "continuous",
            },
            {
                "client_code": "A02",
                "retained": True,
                "provisional": False,
                "reason": "after_supported_change",
            },
            {
                "client_code": "A03",
                "retained": False,
                "provisional": False,
                "reason": "separated",
            },
        ],
    }
    assert "B01" not in out.getvalue()
    assert AuditEvent.objects.filter(action="export", office=office_a_clients).exists()


def test_retention_report_writes_to_output_file(office_a_clients, tmp_path):
    target = tmp_path / "report.json"
    out = io.StringIO()
    call_command(
        "retention_report", "--office", office_a_clients.office_number,
        "--fiscal-year", "2024", "--output", str(target), stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert out.getvalue() == ""
    assert json.loads(target.read_text(encoding="utf-8"))["users"] == 3


def test_retention_report_refuses_an_unknown_office(cast, fee_tiers):
    with pytest.raises(CommandError):
        call_command("retention_report", "--office", "9999999999", "--fiscal-year", "2024")


def test_office_with_no_users_has_no_rate_and_no_tier(cast, fee_tiers):
    result = office_retention(office=cast.office_a2, fiscal_year=2024)
    assert result.users == 0
    assert result.as_json()["rate"] is None
    assert result.as_json()["tier"] is None


def test_the_tier_of_a_fiscal_year_comes_from_the_table_in_force_on_1_april(office_a_clients):
    from clients.models import FeeTable

    FeeTable.objects.create(effective_from=dt.date(2027, 4, 1)).tiers.create(
        min_percent=0, units=1000
    )
    assert office_retention(office=office_a_clients, fiscal_year=2026).tier.units != 1000
    assert office_retention(office=office_a_clients, fiscal_year=2027).tier.units == 1000
