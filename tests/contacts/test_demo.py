"""The demo contacts step, with clients from the clients step or found in the database."""

import datetime as dt
import random

import pytest
from django.db.models import Count

from contacts import demo
from contacts.models import Contact, Notification, ReportSharing
from core.demo import DemoContext
from offices import demo as offices_demo
from tests import factories


def _context():
    ctx = DemoContext(rng=random.Random(20240401), log=lambda *a: None)
    offices_demo.seed(ctx)
    return ctx


def _clients(ctx, number, count):
    office = ctx.offices[number]
    staff = ctx.users["demo-staff"] if number == "1310100001" else None
    return [
        factories.ClientFactory(
            office=office, staff_in_charge=staff, service_start=dt.date(2024, 10, 1)
        )
        for _ in range(count)
    ]


@pytest.mark.django_db
def test_a_year_of_contacts_with_phone_and_workplace_visits_most_common():
    ctx = _context()
    ctx.extra["clients"] = {"1310100001": _clients(ctx, "1310100001", 12)}
    demo.seed(ctx)
    first = Contact.objects.order_by("contacted_at").first().contacted_at.date()
    assert first < dt.date(2026, 1, 1)
    assert Contact.objects.order_by("contacted_at").last().contacted_at.date() <= ctx.today
    top_two = [
        row["method"]
        for row in Contact.objects.values("method").annotate(n=Count("pk")).order_by("-n")[:2]
    ]
    assert set(top_two) == {"phone", "workplace_visit"}
    assert ReportSharing.objects.filter(recipient="person", report__is_current=True).exists()
    assert Notification.objects.filter(user=ctx.users["demo-staff"], day=ctx.today).exists()


@pytest.mark.django_db
def test_without_the_clients_step_the_offices_clients_are_used():
    ctx = _context()
    _clients(ctx, "2710200004", 3)
    demo.seed(ctx)
    assert Contact.objects.filter(client__office__office_number="2710200004").count() > 3 * 12
