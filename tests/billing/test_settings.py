"""Billing settings in the app: the office's regional grade and standing additions, a person's
initial addition and special area; scoped to managers, audited, refused when a closed month's
figures would change; reached from the monthly close page.

The data, April 2024, office A (regional grade その他, 10.00 yen a unit): S1, in service since
1 April 2023 and employed since 1 October 2022, so the FY2024 rate is 1 of 1 = 100%: the 95% tier,
3,512 units; certificate in force, April's report shared, an agreed plan, a hand-over policy and
person in charge, no meeting: 3,512 units, 35,120 yen. S2 starts on 1 April 2024 with no
certificate: not billable, 0 units whatever the additions.
"""

import datetime as dt

import pytest
from django.urls import reverse

from billing import month as billing_month
from billing import services as billing_services
from billing.models import ClientBillingSettings, OfficeBillingSettings, RecipientCertificate
from billing.services import certificate_save
from core.audit import Actor
from core.calendar import Month
from core.models import AuditAction, AuditEvent
from plans.models import OfficePlanSettings
from tests import factories
from tests.plans.conftest import agreed_plan

APRIL = Month(2024, 4)
AS_OF = dt.date(2024, 6, 1)


@pytest.fixture
def people(cast, reference_values):
    s1 = factories.ClientFactory(
        office=cast.office_a, client_code="S1", service_start=dt.date(2023, 4, 1)
    )
    factories.EmploymentFactory(client=s1, start_date=dt.date(2022, 10, 1))
    certificate_save(
        client=s1,
        actor=Actor.command(),
        recipient_number="0000123456",
        municipality_number="131016",
        start=dt.date(2024, 4, 1),
        end=dt.date(2025, 3, 31),
    )
    factories.SupportReportFactory(
        client=s1, month=APRIL.first_day, shared_with_client_on=dt.date(2024, 5, 2)
    )
    agreed_plan(s1, dt.date(2023, 4, 1), review_by=dt.date(2024, 10, 1))
    s2 = factories.ClientFactory(
        office=cast.office_a, client_code="S2", service_start=dt.date(2024, 4, 1)
    )
    OfficePlanSettings.objects.create(
        office=cast.office_a, handover_policy="終了3か月前から引き継ぐ。", handover_lead=cast.bob
    )
    return {"s1": s1, "s2": s2}


def _s1(office):
    figures = billing_month.month_figures(office, APRIL, as_of=AS_OF)
    return next(p for p in figures.people if p.client_code == "S1"), figures


def _close_april(office):
    figures = billing_month.month_figures(office, APRIL)
    billing_services.close_month_with(
        office=office, month=APRIL, figures=figures, actor=Actor.command()
    )


def _office_url(office, month="2024-04"):
    return reverse("billing_office_settings", args=[office.office_number]) + f"?month={month}"


def _client_url(client):
    return reverse("billing_client_settings", args=[client.pk]) + "?month=2024-04"


def test_the_figures_before_any_setting(cast, people):
    person, figures = _s1(cast.office_a)
    assert (person.total_units, figures.total_yen) == (3512, 35120)


def test_a_manager_turns_on_the_job_coach_addition_and_the_month_gains_120_units(
    cast, people, client
):
    client.force_login(cast.bob)
    page = client.get(_office_url(cast.office_a))
    assert page.status_code == 200
    assert "10.00円" in page.content.decode()  # the unit price of その他
    response = client.post(
        _office_url(cast.office_a), {"regional_grade": "other", "job_coach": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "billing_month", args=[cast.office_a.office_number, "2024-04"]
    )
    settings = OfficeBillingSettings.objects.get(office=cast.office_a)
    assert (settings.job_coach, settings.retention_record) == (True, False)
    person, _figures = _s1(cast.office_a)
    assert person.additions == {"job_coach": 120}
    assert person.total_units == 3512 + 120
    event = AuditEvent.objects.filter(user=cast.bob, action=AuditAction.UPDATE).get()
    assert event.office_id == cast.office_a.pk
    assert event.detail == "billing settings: job_coach False→True"


def test_the_regional_grade_sets_the_yen(cast, people, client):
    client.force_login(cast.bob)
    client.post(_office_url(cast.office_a), {"regional_grade": "1"})
    cast.office_a.refresh_from_db()
    assert cast.office_a.regional_grade == "1"
    _person, figures = _s1(cast.office_a)
    # Grade 1: 11.20 yen a unit; 3,512 × 11.20 = 39,334.4 → 39,334 (cut below one yen).
    assert figures.total_yen == 39334


def test_saving_the_same_settings_changes_nothing_and_records_nothing(cast, people, client):
    client.force_login(cast.bob)
    client.post(_office_url(cast.office_a), {"regional_grade": "other"})
    assert not OfficeBillingSettings.objects.filter(office=cast.office_a).exists()
    assert not AuditEvent.objects.filter(user=cast.bob, action=AuditAction.UPDATE).exists()


def test_a_change_to_a_closed_months_figures_is_refused(cast, people, client):
    _close_april(cast.office_a)
    client.force_login(cast.bob)
    response = client.post(
        _office_url(cast.office_a), {"regional_grade": "other", "retention_record": "on"}
    )
    assert response.status_code == 409
    assert "2024年4月" in response.content.decode()
    assert not OfficeBillingSettings.objects.filter(office=cast.office_a).exists()
    assert not AuditEvent.objects.filter(user=cast.bob, action=AuditAction.UPDATE).exists()
    # Reopened with a reason, the same change goes through.
    billing_services.reopen(
        office=cast.office_a, month=APRIL, actor=Actor.command(cast.bob), reason="訂正"
    )
    response = client.post(
        _office_url(cast.office_a), {"regional_grade": "other", "retention_record": "on"}
    )
    assert response.status_code == 302
    assert _s1(cast.office_a)[0].additions == {"retention_record": 300}


def test_a_persons_special_area_is_refused_in_a_closed_month_it_would_change(cast, people, client):
    _close_april(cast.office_a)
    client.force_login(cast.bob)
    response = client.post(
        _client_url(people["s1"]), {"initial_addition": "", "special_area": "on"}
    )
    assert response.status_code == 409
    assert not ClientBillingSettings.objects.filter(client=people["s1"]).exists()


def test_a_persons_setting_that_leaves_the_closed_month_alone_is_saved(cast, people, client):
    # S2 is not billable in April (no certificate): the initial addition changes nothing there.
    _close_april(cast.office_a)
    client.force_login(cast.bob)
    response = client.post(_client_url(people["s2"]), {"initial_addition": "earns"})
    assert response.status_code == 302
    settings = ClientBillingSettings.objects.get(client=people["s2"])
    assert (settings.initial_addition, settings.special_area) == ("earns", False)
    event = AuditEvent.objects.get(user=cast.bob, action=AuditAction.UPDATE)
    assert event.object_id == str(people["s2"].pk)
    assert event.detail == "billing settings: initial_addition ''→'earns'"


def test_the_special_area_adds_fifteen_percent(cast, people, client):
    client.force_login(cast.bob)
    client.post(_client_url(people["s1"]), {"initial_addition": "", "special_area": "on"})
    person, _figures = _s1(cast.office_a)
    # +15% of 3,512 = 526.8 → 527 (half-up): 4,039.
    assert person.additions == {"special_area": 527}
    assert person.total_units == 4039


def test_the_person_page_is_audited_as_a_view(cast, people, client):
    client.force_login(cast.bob)
    page = client.get(_client_url(people["s1"]))
    assert page.status_code == 200
    assert "0000123456" in page.content.decode()
    event = AuditEvent.objects.get(user=cast.bob, action=AuditAction.VIEW)
    assert (event.object_id, event.detail) == (str(people["s1"].pk), "billing settings")


def test_only_managers_of_the_office_reach_the_settings(cast, people, client):
    person_b = factories.ClientFactory(office=cast.office_b)
    client.force_login(cast.alice)  # support staff of office A
    assert client.get(_office_url(cast.office_a)).status_code == 404
    assert client.get(_client_url(people["s1"])).status_code == 404
    client.force_login(cast.charlie)
    assert client.get(_office_url(cast.office_a)).status_code == 404
    assert client.post(_client_url(people["s1"]), {"special_area": "on"}).status_code == 404
    client.force_login(cast.bob)
    assert client.get(_office_url(cast.office_b)).status_code == 404
    assert client.get(_client_url(person_b)).status_code == 404
    client.force_login(cast.diana)  # manages corporation A
    assert client.get(_office_url(cast.office_a)).status_code == 200
    assert not ClientBillingSettings.objects.exists()


def test_the_close_page_links_each_problem_to_its_fix(cast, people, client):
    client.force_login(cast.bob)
    page = client.get(reverse("billing_month", args=[cast.office_a.office_number, "2024-04"]))
    html = page.content.decode()
    s2 = people["s2"]
    certificate = reverse("certificate_edit", args=[s2.pk])
    report = reverse("report_for_month", args=[s2.pk, 2024, 4])
    plans = reverse("client_plans", args=[s2.pk])
    assert f'<a href="{certificate}" class="badge' in html
    assert f'<a href="{report}" class="badge' in html
    assert f'<a href="{plans}" class="badge' in html
    assert reverse("billing_client_settings", args=[s2.pk]) + "?month=2024-04" in html
    assert reverse("billing_office_settings", args=[cast.office_a.office_number]) in html


def _certificate_post(client_row, **changes):
    data = {
        "recipient_number": "0000123456",
        "municipality_number": "131016",
        "start": "2024-04-01",
        "end": "2025-03-31",
        "copay_cap": "",
        **changes,
    }
    return reverse("certificate_edit", args=[client_row.pk]), data


def test_a_certificate_that_changes_a_closed_months_billing_is_refused(cast, people, client):
    _close_april(cast.office_a)
    client.force_login(cast.bob)
    # A second certificate for S1 covering April: April would be billed under 0000999999.
    url, data = _certificate_post(people["s1"], recipient_number="0000999999")
    response = client.post(url, data)
    assert response.status_code == 409
    assert "2024年4月" in response.content.decode()
    assert not RecipientCertificate.objects.filter(recipient_number="0000999999").exists()
    assert _s1(cast.office_a)[0].recipient_number == "0000123456"


def test_a_certificate_that_leaves_the_closed_months_billing_alone_is_saved(cast, people, client):
    # S2 from May: April stays unbilled (0 units); only its problem changes, from "no
    # certificate" to "no decision period in force", which bills nothing either way.
    _close_april(cast.office_a)
    client.force_login(cast.bob)
    url, data = _certificate_post(
        people["s2"], recipient_number="0000222222", start="2024-05-01", end="2025-04-30"
    )
    assert client.post(url, data).status_code == 302
    assert RecipientCertificate.objects.filter(client=people["s2"]).exists()
