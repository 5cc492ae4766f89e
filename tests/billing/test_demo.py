"""The demo's billing step: certificates with decision periods, so that the monthly close page of
a demo office shows billable people and each kind of certificate problem."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from billing import certificates
from billing import month as billing_month
from billing.models import DecisionPeriod, RecipientCertificate
from billing.rules import municipality_number_valid
from clients.models import Client
from contacts.models import Notification
from core.calendar import Month
from core.demo import DEMO_TODAY
from offices.models import MonthClose, Office

SHINJUKU = "1310100001"
DEMO_OFFICES = ("1310100001", "1410100003", "2710200004", "0110300006")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module's tests (read only)."""
    with django_db_blocker.unblock():
        call_command("seed_demo", "--reset", stdout=io.StringIO(), stderr=io.StringIO())
    yield
    with django_db_blocker.unblock():
        # Empty the demo, then put back what the data migrations loaded (the fee tables and the
        # additions and reductions), which the flush removes too and later tests rely on.
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", "fee_tables", "adjustments", verbosity=0)


def test_every_office_has_certificates_with_valid_numbers(demo, db):
    for number in DEMO_OFFICES:
        office = Office.objects.get(office_number=number)
        certs = RecipientCertificate.objects.filter(client__office=office)
        assert certs.count() >= 3, number
        for certificate in certs:
            assert len(certificate.recipient_number) == 10
            assert municipality_number_valid(certificate.municipality_number)


def test_last_month_has_billable_people_and_certificate_problems(demo, db):
    last_month = Month.of(DEMO_TODAY).previous()
    for number in DEMO_OFFICES:
        office = Office.objects.get(office_number=number)
        figures = billing_month.month_figures(office, last_month, as_of=DEMO_TODAY)
        assert figures.billable_count > 0, number
        assert figures.total_units > 0, number
        problems = {code for person in figures.people for code in person.problems}
        assert {"no_certificate", "certificate_expired"} <= problems, (number, problems)


def test_a_decision_period_ending_within_60_days_is_reminded(demo, db):
    ending = DecisionPeriod.objects.filter(
        end__gte=DEMO_TODAY, end__lte=DEMO_TODAY + dt.timedelta(days=60)
    ).select_related("certificate__client")
    assert ending.exists()
    period = ending.first()
    clients = Client.objects.filter(office=period.certificate.client.office)
    assert period in certificates.ending_periods(clients, today=DEMO_TODAY)
    assert Notification.objects.filter(
        kind=Notification.Kind.CERTIFICATE_ENDING,
        client=period.certificate.client,
        day=DEMO_TODAY,
    ).exists()


def test_shinjukus_month_before_last_is_closed_with_its_figures(demo, db):
    closed = Month.of(DEMO_TODAY).previous().previous()
    row = MonthClose.objects.get(office__office_number=SHINJUKU, month=closed.first_day)
    assert row.is_closed
    assert row.figures["month"] == str(closed)
    assert row.figures["total_units"] > 0
    assert any(person["additions"].get("job_coach") == 120 for person in row.figures["people"])
