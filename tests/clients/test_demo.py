import io
import random

import pytest
from django.core.management import call_command

from clients.models import Client, Employment, Origin
from clients.retention import office_retention
from core.demo import DemoContext
from offices.models import Office

DEMO_OFFICES = ("1310100001", "1410100003", "2710200004", "0110300006")


@pytest.fixture
def demo(db, fee_tiers):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())


def test_each_demo_office_shows_a_different_fee_tier_each_year(demo):
    tiers = {
        number: [
            office_retention(office=Office.objects.get(office_number=number), fiscal_year=f).tier
            for f in (2024, 2025, 2026)
        ]
        for number in DEMO_OFFICES
    }
    for number, by_year in tiers.items():
        assert None not in by_year, number
        assert len({t.units for t in by_year}) == 3, (number, by_year)
    for year_index in range(3):
        assert len({tiers[n][year_index].units for n in DEMO_OFFICES}) > 1


def test_demo_has_every_origin_and_plan_and_job_changes(demo):
    clients = Client.objects.with_origin()
    assert {c.origin for c in clients} == set(Origin.values)
    assert set(clients.values_list("plan_type", flat=True)) == {"self_plan", "consultation_plan"}
    assert Employment.objects.filter(supported_job_change=True).exists()
    assert Employment.objects.filter(supported_job_change=False, end_date__isnull=False).exists()
    assert not Client.objects.exclude(office__office_number__in=DEMO_OFFICES).exists()


def test_demo_puts_the_clients_per_office_in_the_context(db, fee_tiers):
    from clients import demo as clients_demo
    from offices import demo as offices_demo

    ctx = DemoContext(rng=random.Random(20240401), log=lambda *a: None)
    offices_demo.seed(ctx)
    clients_demo.seed(ctx)
    assert set(ctx.extra["clients"]) == set(DEMO_OFFICES)
    for number, clients in ctx.extra["clients"].items():
        assert clients and all(c.office.office_number == number for c in clients)


def test_demo_has_each_kind_of_hand_over(demo):
    from core import calendar
    from plans import rules
    from plans.models import ReferralHandover, ServiceEndHandover

    shinjuku = Office.objects.get(office_number="1310100001")
    referral = ReferralHandover.objects.filter(receiving_office=shinjuku)
    assert referral.filter(source_client__isnull=False, consent_withdrawn_on__isnull=True).exists()
    assert referral.filter(consent_withdrawn_on__isnull=False).exists()
    uploaded = referral.get(source_client__isnull=True)
    assert uploaded.document.read(5) == b"%PDF-" and uploaded.referring_office.uses_system is False
    assert ServiceEndHandover.objects.filter(client__office=shinjuku).exists()
    due = rules.handovers_due(Client.objects.filter(office=shinjuku), on=calendar.today())
    assert due
