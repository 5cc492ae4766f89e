"""The month's figures from the database: the loader, the billing_month command, the page and the
exports agreeing; the monthly close and its lock; certificates (import, reminders); scoping.

The small data set, April 2024, office A (regional grade その他: 10.00 yen a unit):

- C1: in service since 1 April 2023, hired 1 October 2022 and still employed, so the FY2024 rate
  is 1 of 1 = 100%: the 95% tier, 3,512 units. Certificate in force, April's report shared on
  2 May, met face to face, an agreed plan, a meeting presented by the service manager on
  10 April (+579). Total 3,512 + 579 = 4,091.
- C2: starts on 1 April 2024 (outside the FY2024 window, so the rate stays 1/1), from another
  corporation's office: initial addition +900. No agreed plan, month 1: 3,512 × 0.70 = 2,458.4
  → 2,458 (−1,054). Not met face to face (a problem, still billable). Total 2,458 + 900 = 3,358.
- C3: starts on 1 April 2024 with no certificate and no report: not billable, 0.

Office total 4,091 + 3,358 = 7,449 units; 7,449 × 10.00 = 74,490 yen.
"""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from billing import month as billing_month
from billing import services as billing_services
from billing.services import certificate_save
from clients.models import FeeTable, FeeTier
from contacts import reminders, services
from contacts.models import Notification
from core.audit import Actor
from core.calendar import Month
from core.models import AuditEvent
from offices import month_lock
from offices.models import MonthClose
from plans import services as plan_services
from plans.models import OfficePlanSettings
from tests import factories
from tests.plans.conftest import agreed_plan

APRIL = Month(2024, 4)
JST = dt.timezone(dt.timedelta(hours=9))


def _certificate(client, start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31)):
    return certificate_save(
        client=client,
        actor=Actor.command(),
        recipient_number=f"00001{client.pk:05d}",
        municipality_number="131016",
        start=start,
        end=end,
        copay_cap=9300,
    )[0]


@pytest.fixture
def world(cast, reference_values):
    bob = Actor.command(cast.bob)
    c1 = factories.ClientFactory(
        office=cast.office_a, client_code="C1", service_start=dt.date(2023, 4, 1)
    )
    factories.EmploymentFactory(client=c1, start_date=dt.date(2022, 10, 1))
    other_office = factories.OfficeFactory(corporation=cast.corporation_b, uses_system=False)
    c2 = factories.ClientFactory(
        office=cast.office_a,
        client_code="C2",
        service_start=dt.date(2024, 4, 1),
        referral_office=other_office,
    )
    c3 = factories.ClientFactory(
        office=cast.office_a, client_code="C3", service_start=dt.date(2024, 4, 1)
    )
    for client in (c1, c2):
        _certificate(client)
        factories.SupportReportFactory(
            client=client, month=APRIL.first_day, shared_with_client_on=dt.date(2024, 5, 2)
        )
    factories.ContactFactory(
        client=c1,
        method="workplace_visit",
        contacted_at=dt.datetime(2024, 4, 12, 10, tzinfo=JST),
    )
    agreed_plan(c1, dt.date(2023, 4, 1), review_by=dt.date(2024, 10, 1))
    plan_services.meeting_create(
        client=c1,
        actor=bob,
        held_on=dt.date(2024, 4, 10),
        presenter="service_manager",
        agencies=["ハローワーク"],
    )
    # The office has a hand-over system (a written policy and a person in charge), and nobody's
    # service ends in April: plans.rules.handover_system_in_place holds, so no reduction.
    OfficePlanSettings.objects.create(
        office=cast.office_a, handover_policy="終了3か月前から引き継ぐ。", handover_lead=cast.bob
    )
    return {"c1": c1, "c2": c2, "c3": c3}


def figures_of(office, month=APRIL):
    return billing_month.month_figures(office, month, as_of=dt.date(2024, 6, 1))


def test_each_person_month_carries_its_support_days_and_counted_meetings(cast, world):
    # C1: a contact on 12 April 10:00 JST and one on 30 April 23:30 JST (still April in Japan,
    # 14:30 UTC); one on 1 May 00:30 JST (30 April 15:30 UTC) is May's. C2 has no contact.
    for at in (dt.datetime(2024, 4, 30, 23, 30), dt.datetime(2024, 5, 1, 0, 30)):
        factories.ContactFactory(
            client=world["c1"], method="phone", contacted_at=at.replace(tzinfo=JST)
        )
    people = {p.client_code: p for p in figures_of(cast.office_a).people}
    assert people["C1"].support_days == (dt.date(2024, 4, 12), dt.date(2024, 4, 30))
    assert people["C1"].meetings == ((dt.date(2024, 4, 10), "service_manager"),)
    assert people["C1"].service_start == dt.date(2023, 4, 1)
    assert people["C1"].special_area_days == 0
    assert people["C2"].support_days == ()
    assert people["C2"].service_start == dt.date(2024, 4, 1)


def test_the_unplanned_reduction_counts_from_the_month_the_plan_lapsed(cast, world):
    # C4: in service since April 2023, employed since October 2022 (the rate stays 2/2 = 100%,
    # 3,512 units), a plan agreed on 1 October 2023 to be reviewed by 15 March 2024 and never
    # reviewed: March is month 1 of the lapse, April month 2: 3,512 × 0.70 = 2,458.4 → 2,458
    # (−1,054). Counted from the service start April would be month 13 (−50%: −1,756).
    c4 = factories.ClientFactory(
        office=cast.office_a, client_code="C4", service_start=dt.date(2023, 4, 1)
    )
    factories.EmploymentFactory(client=c4, start_date=dt.date(2022, 10, 1))
    _certificate(c4)
    factories.SupportReportFactory(
        client=c4, month=APRIL.first_day, shared_with_client_on=dt.date(2024, 5, 2)
    )
    agreed_plan(c4, dt.date(2023, 10, 1), review_by=dt.date(2024, 3, 15))
    people = {p.client_code: p for p in figures_of(cast.office_a).people}
    assert people["C4"].reductions == {"no_plan": -1054}
    assert people["C4"].total_units == 2458
    assert "plan_review_overdue" in people["C4"].problems


def test_the_small_data_set_gives_the_hand_derived_figures(cast, world):
    figures = figures_of(cast.office_a)
    people = {p.client_code: p for p in figures.people}
    assert figures.tier.units == 3512
    assert people["C1"].billable
    assert people["C1"].additions == {"regional_meeting_1": 579}
    assert people["C1"].total_units == 4091
    assert people["C2"].additions == {"initial": 900}
    assert people["C2"].reductions == {"no_plan": -1054}
    assert people["C2"].total_units == 3358
    assert people["C2"].problems == ("no_face_to_face", "plan_missing")
    assert not people["C3"].billable
    assert people["C3"].total_units == 0
    assert people["C3"].problems == (
        "no_certificate",
        "report_not_shared",
        "no_face_to_face",
        "plan_missing",
    )
    assert (figures.total_units, figures.total_yen) == (7449, 74490)


def test_the_command_prints_exactly_the_design_document(cast, world, capsys):
    call_command("billing_month", "--office", cast.office_a.office_number, "--month", "2024-04")
    document = json.loads(capsys.readouterr().out)
    assert list(document) == [
        "office_number",
        "month",
        "fee_table_effective_from",
        "fiscal_year",
        "rate_percent",
        "tier",
        "unit_price_yen",
        "people",
        "total_units",
        "total_yen",
    ]
    assert list(document["people"][0]) == [
        "client_code",
        "recipient_number",
        "billable",
        "base_units",
        "additions",
        "reductions",
        "total_units",
        "report_shared_on",
        "problems",
    ]
    assert document["month"] == "2024-04"
    assert document["fee_table_effective_from"] == "2024-04-01"
    assert document["fiscal_year"] == 2024
    assert document["rate_percent"] == 100
    assert document["tier"] == {"min_percent": 95, "units": 3512}
    assert document["unit_price_yen"] == 10
    assert document["people"][0] == {
        "client_code": "C1",
        "recipient_number": f"00001{world['c1'].pk:05d}",
        "billable": True,
        "base_units": 3512,
        "additions": {"regional_meeting_1": 579},
        "reductions": {},
        "total_units": 4091,
        "report_shared_on": "2024-05-02",
        "problems": [],
    }
    assert (document["total_units"], document["total_yen"]) == (7449, 74490)


def test_the_page_the_command_and_the_csv_agree(cast, world, client, capsys):
    call_command("billing_month", "--office", cast.office_a.office_number, "--month", "2024-04")
    document = json.loads(capsys.readouterr().out)
    client.force_login(cast.bob)
    url = reverse(
        "billing_month",
        kwargs={"office_number": cast.office_a.office_number, "billing_month": "2024-04"},
    )
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["figures"].as_document() == document
    assert "7449" in page.content.decode()
    export = client.get(
        reverse(
            "billing_month_export",
            kwargs={
                "office_number": cast.office_a.office_number,
                "billing_month": "2024-04",
                "export_format": "contract-csv",
            },
        )
    )
    # The DESIGN 5.4 CSV (the machine contract), as the command writes it.
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert [r["client_code"] for r in rows] == [p["client_code"] for p in document["people"]]
    assert [int(r["total_units"]) for r in rows] == [4091, 3358, 0]
    assert rows[1]["initial"] == "900" and rows[1]["no_plan"] == "-1054"
    assert rows[2]["problems"] == "no_certificate;report_not_shared;no_face_to_face;plan_missing"
    xlsx = client.get(export.wsgi_request.path.replace("/contract-csv/", "/xlsx/"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_pages_download_for_people_is_japanese(cast, world, client):
    client.force_login(cast.bob)
    kwargs = {"office_number": cast.office_a.office_number, "billing_month": "2024-04"}
    export = client.get(reverse("billing_month_export", kwargs={**kwargs, "export_format": "csv"}))
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    c2 = world["c2"]
    assert rows[1]["利用者コード"] == "C2"
    assert rows[1]["氏名"] == f"{c2.family_name} {c2.given_name}"  # family name first
    assert [r["請求可"] for r in rows] == ["可", "可", "不可"]
    # Units and yen formatted: C1 4,091 units × 10.00 = 40,910 yen; C2's reduction −1,054.
    assert (rows[0]["合計単位数"], rows[0]["金額（円）"]) == ("4,091", "40,910")
    assert rows[1]["初期加算"] == "900" and rows[1]["個別支援計画未作成減算"] == "−1,054"
    assert rows[2]["課題"] == "受給者証なし、支援レポート未共有、対面支援なし、同意済みの計画なし"


def test_the_command_writes_the_same_rows_as_csv(cast, world, tmp_path):
    out = tmp_path / "april.csv"
    call_command(
        "billing_month",
        "--office",
        cast.office_a.office_number,
        "--month",
        "2024-04",
        "--format",
        "csv",
        "--output",
        str(out),
    )
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert [int(r["total_units"]) for r in rows] == [4091, 3358, 0]
    assert rows[0]["regional_meeting_1"] == "579"


def test_a_table_taking_effect_in_june_bills_june_but_not_may(cast, world):
    table = FeeTable.objects.create(effective_from=dt.date(2024, 6, 1))
    FeeTier.objects.create(table=table, min_percent=95, units=4000)
    FeeTier.objects.create(table=table, min_percent=0, units=1000)
    for client in (world["c1"], world["c2"]):
        for month in (dt.date(2024, 5, 1), dt.date(2024, 6, 1)):
            factories.SupportReportFactory(client=client, month=month, shared_with_client_on=month)
    may = {p.client_code: p for p in figures_of(cast.office_a, Month(2024, 5)).people}
    june = {p.client_code: p for p in figures_of(cast.office_a, Month(2024, 6)).people}
    assert may["C1"].base_units == 3512
    assert june["C1"].base_units == 4000


def test_the_initial_addition_is_earned_once(cast, world):
    factories.SupportReportFactory(
        client=world["c2"], month=dt.date(2024, 5, 1), shared_with_client_on=dt.date(2024, 6, 1)
    )
    may = {p.client_code: p for p in figures_of(cast.office_a, Month(2024, 5)).people}
    assert "initial" not in may["C2"].additions


def test_the_second_meeting_of_a_month_is_not_counted(cast, world):
    plan_services.meeting_create(
        client=world["c1"],
        actor=Actor.command(cast.bob),
        held_on=dt.date(2024, 4, 25),
        presenter="service_manager",
        agencies=["相談支援"],
    )
    people = {p.client_code: p for p in figures_of(cast.office_a).people}
    assert people["C1"].additions == {"regional_meeting_1": 579}


def test_an_office_without_a_person_in_charge_of_handovers_is_reduced(cast, world):
    # Billing asks plans.rules.handover_system_in_place directly (no registry in between).
    OfficePlanSettings.objects.filter(office=cast.office_a).update(handover_lead=None)
    people = {p.client_code: p for p in figures_of(cast.office_a).people}
    # C1: 3,512 × 0.90 = 3,160.8 → 3,161 (−351).
    assert people["C1"].reductions == {"no_handover_system": -351}
    # C2: 3,512 × 0.70 = 2,458.4 → 2,458 (−1,054); 2,458 × 0.90 = 2,212.2 → 2,212 (−246).
    assert people["C2"].reductions == {"no_plan": -1054, "no_handover_system": -246}
    # Policy and person in charge set again: the system is in place and nothing is reduced.
    OfficePlanSettings.objects.filter(office=cast.office_a).update(handover_lead=cast.bob)
    assert figures_of(cast.office_a).people[0].reductions == {}


def test_an_office_without_a_handover_policy_is_reduced_by_ten_percent(cast, world):
    OfficePlanSettings.objects.filter(office=cast.office_a).update(handover_policy="")
    people = {p.client_code: p for p in figures_of(cast.office_a).people}
    # C1: 3,512 × 0.90 = 3,160.8 → 3,161 (−351), through plans.rules.handover_system_in_place.
    assert people["C1"].reductions == {"no_handover_system": -351}


# ---------------------------------------------------------------------------------------------
# The monthly close


def _close(cast, django_capture_on_commit_callbacks, month=APRIL):
    with django_capture_on_commit_callbacks(execute=True):
        job = billing_services.start_close(office=cast.office_a, month=month, user=cast.bob)
    job.refresh_from_db()
    return job


def test_closing_keeps_the_figures_and_locks_the_month(
    cast, world, django_capture_on_commit_callbacks
):
    job = _close(cast, django_capture_on_commit_callbacks)
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    row = MonthClose.objects.get(office=cast.office_a, month=APRIL.first_day)
    assert row.is_closed
    assert row.figures["total_units"] == 7449
    assert month_lock.month_is_closed(cast.office_a, APRIL)
    assert not month_lock.month_is_closed(cast.office_a, Month(2024, 5))


def test_a_closed_month_refuses_a_contact_edit_until_a_manager_reopens_it(
    cast, world, django_capture_on_commit_callbacks, client
):
    contact = world["c1"].contacts.get()
    _close(cast, django_capture_on_commit_callbacks)
    alice = Actor.command(cast.alice)
    with pytest.raises(month_lock.MonthClosed):
        services.contact_update(contact=contact, actor=alice, reason="typo", summary="x")
    with pytest.raises(month_lock.MonthClosed):
        services.contact_create(
            client=world["c1"],
            staff=cast.alice,
            contacted_at=dt.datetime(2024, 4, 30, 23, 30, tzinfo=JST),
            method="phone",
            counterpart="client",
            actor=alice,
        )
    # Moving a May contact into April is refused too.
    may = factories.ContactFactory(
        client=world["c1"], contacted_at=dt.datetime(2024, 5, 2, 9, tzinfo=JST)
    )
    with pytest.raises(month_lock.MonthClosed):
        services.contact_update(
            contact=may,
            actor=alice,
            reason="date",
            contacted_at=dt.datetime(2024, 4, 28, 9, tzinfo=JST),
        )

    # On a page: a Japanese message, no server error, nothing changed.
    report = world["c1"].support_reports.get()
    client.force_login(cast.alice)
    detail = reverse("report_detail", kwargs={"report_pk": report.pk})
    response = client.post(
        reverse("report_refill", kwargs={"report_pk": report.pk}),
        HTTP_REFERER=f"http://testserver{detail}",
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(detail)
    assert "締め" in response.content.decode()

    # Alice (staff) cannot reopen; Bob reopens with a reason, recorded in the audit trail.
    url_kwargs = {"office_number": cast.office_a.office_number, "billing_month": "2024-04"}
    assert (
        client.post(reverse("billing_month_reopen", kwargs=url_kwargs), {"reason": "x"}).status_code
        == 404
    )
    client.force_login(cast.bob)
    client.post(reverse("billing_month_reopen", kwargs=url_kwargs), {"reason": ""})
    assert month_lock.month_is_closed(cast.office_a, APRIL)
    client.post(reverse("billing_month_reopen", kwargs=url_kwargs), {"reason": "日付の訂正"})
    assert not month_lock.month_is_closed(cast.office_a, APRIL)
    event = AuditEvent.objects.filter(detail__startswith="reopen 2024-04").get()
    assert event.user == cast.bob and "日付の訂正" in event.detail
    assert services.contact_update(contact=contact, actor=alice, reason="typo", summary="x")


def test_a_closed_month_refuses_meetings_and_reports(
    cast, world, django_capture_on_commit_callbacks
):
    _close(cast, django_capture_on_commit_callbacks)
    bob = Actor.command(cast.bob)
    with pytest.raises(month_lock.MonthClosed):
        plan_services.meeting_create(
            client=world["c2"],
            actor=bob,
            held_on=dt.date(2024, 4, 20),
            presenter="service_manager",
            agencies=["x"],
        )
    from contacts import reports

    with pytest.raises(month_lock.MonthClosed):
        reports.report_create(client=world["c3"], month=APRIL, actor=bob)


def test_the_close_page_starts_the_job_and_shows_its_progress(
    cast, world, client, django_capture_on_commit_callbacks
):
    client.force_login(cast.bob)
    url_kwargs = {"office_number": cast.office_a.office_number, "billing_month": "2024-04"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("billing_month_close", kwargs=url_kwargs))
    response = client.get(response.url)
    assert response.status_code == 200
    assert "3人の数値で月次締めを行いました" in response.content.decode()
    assert month_lock.month_is_closed(cast.office_a, APRIL)


# ---------------------------------------------------------------------------------------------
# Scoping


def test_charlie_and_staff_cannot_open_office_a_month(cast, world, client):
    url_kwargs = {"office_number": cast.office_a.office_number, "billing_month": "2024-04"}
    client.force_login(cast.charlie)
    assert client.get(reverse("billing_month", kwargs=url_kwargs)).status_code == 404
    client.force_login(cast.alice)
    assert client.get(reverse("billing_month", kwargs=url_kwargs)).status_code == 404
    client.force_login(cast.diana)
    assert client.get(reverse("billing_month", kwargs=url_kwargs)).status_code == 200


def test_the_service_record_pdf_is_a_pdf(cast, world, client):
    client.force_login(cast.bob)
    response = client.get(
        reverse(
            "billing_service_record",
            kwargs={
                "office_number": cast.office_a.office_number,
                "billing_month": "2024-04",
                "client_code": "C1",
            },
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# ---------------------------------------------------------------------------------------------
# Certificates: reminders and the client page


def test_reminders_come_60_and_30_days_before_a_decision_period_ends(cast):
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, service_start=dt.date(2024, 4, 1)
    )
    _certificate(person, end=dt.date(2024, 9, 30))
    kind = Notification.Kind.CERTIFICATE_ENDING

    def notified_on(day):
        reminders.notify_user(user=cast.alice, day=day)
        return list(
            Notification.objects.filter(user=cast.alice, kind=kind, day=day).values_list(
                "item_key", flat=True
            )
        )

    # 30 September − 61 days = 31 July: nothing yet.
    assert notified_on(dt.date(2024, 7, 31)) == []
    # 1 August is 60 days before: the first reminder, once.
    assert [k.endswith(":60") for k in notified_on(dt.date(2024, 8, 1))] == [True]
    assert notified_on(dt.date(2024, 8, 2)) == []
    # 31 August is 30 days before: the second reminder.
    assert [k.endswith(":30") for k in notified_on(dt.date(2024, 8, 31))] == [True]
    assert notified_on(dt.date(2024, 9, 1)) == []


def test_no_reminder_when_the_next_decision_period_is_already_on_record(cast):
    from billing.certificates import ending_periods
    from clients.models import Client

    renewed = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 4, 1))
    ending = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 4, 1))
    first = _certificate(renewed, end=dt.date(2024, 9, 30))
    certificate_save(
        client=renewed,
        actor=Actor.command(),
        recipient_number=first.certificate.recipient_number,
        municipality_number="131016",
        start=dt.date(2024, 10, 1),
        end=dt.date(2025, 9, 30),
        copay_cap=9300,
    )
    _certificate(ending, end=dt.date(2024, 9, 30))
    # 1 August 2024 is 60 days before both first periods end; only ``ending`` has no next one.
    clients = Client.objects.filter(pk__in=[renewed.pk, ending.pk])
    periods = ending_periods(clients, today=dt.date(2024, 8, 1))
    assert [(p.certificate.client_id, p.end, p.stage) for p in periods] == [
        (ending.pk, dt.date(2024, 9, 30), 60)
    ]


def test_the_client_page_shows_the_current_certificate(cast, client):
    person = factories.ClientFactory(office=cast.office_a)
    _certificate(person, start=dt.date(2020, 1, 1), end=dt.date(2099, 3, 31))
    client.force_login(cast.alice)
    body = client.get(reverse("client_detail", kwargs={"client_pk": person.pk})).content.decode()
    assert "client-certificate" in body and "131016" in body and "9300" in body


def test_the_retention_what_if_shows_the_office_yen_of_the_month(cast, world, client, monkeypatch):
    from clients import views as client_views
    from core import calendar

    monkeypatch.setattr(calendar, "today", lambda: dt.date(2024, 6, 1))
    monkeypatch.setattr(client_views, "_today", lambda: dt.date(2024, 6, 1), raising=False)
    client.force_login(cast.bob)
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    response = client.get(url, {"fiscal_year": 2024, "month": "2024-04"})
    assert response.status_code == 200
    assert response.context["billable"] == 2
    # 1 of 1 retained (100%); one separation gives 0 of 1, below 30%: 1,074 units.
    # (3,512 − 1,074) × 10.00 = ¥24,380 a person-month; × 2 billable person-months = ¥48,760.
    body = response.content.decode()
    assert "24,380" in body and "48,760" in body


# ---------------------------------------------------------------------------------------------
# The close page as a manager lives it


def _page(client, cast):
    url = reverse(
        "billing_month",
        kwargs={"office_number": cast.office_a.office_number, "billing_month": "2024-04"},
    )
    return client.get(url).content.decode()


def test_the_billable_count_alone_agrees_with_the_months_figures(
    cast, world, django_assert_max_num_queries
):
    """Besides C1 and C2 (billable) and C3 (no certificate, no report): C4's only decision
    period ended in March (expired); C5 has a certificate but April's report is not shared; C6's
    service ended in March (not in the month); C7's service ends on 15 April with a certificate
    and a shared report (billable). Billable: C1, C2 and C7."""

    def person(code, start, end=None):
        return factories.ClientFactory(
            office=cast.office_a, client_code=code, service_start=start, service_end=end
        )

    c4 = person("C4", dt.date(2023, 4, 1))
    _certificate(c4, start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 31))
    factories.SupportReportFactory(
        client=c4, month=APRIL.first_day, shared_with_client_on=dt.date(2024, 5, 2)
    )
    c5 = person("C5", dt.date(2023, 4, 1))
    _certificate(c5)
    c6 = person("C6", dt.date(2023, 4, 1), dt.date(2024, 3, 31))
    _certificate(c6, start=dt.date(2023, 4, 1))
    factories.SupportReportFactory(
        client=c6, month=APRIL.first_day, shared_with_client_on=dt.date(2024, 5, 2)
    )
    c7 = person("C7", dt.date(2023, 4, 1), dt.date(2024, 4, 15))
    _certificate(c7)
    factories.SupportReportFactory(
        client=c7, month=APRIL.first_day, shared_with_client_on=dt.date(2024, 5, 2)
    )
    figures = figures_of(cast.office_a)
    billed = {p.client_code for p in figures.people if p.billable}
    assert billed == {"C1", "C2", "C7"}
    with django_assert_max_num_queries(3):
        count = billing_month.billable_person_months(cast.office_a, APRIL)
    assert count == figures.billable_count == 3
    # No one in service: nothing to count, one query.
    with django_assert_max_num_queries(1):
        assert billing_month.billable_person_months(cast.office_b, APRIL) == 0


def test_the_close_says_who_is_not_billable_and_why_and_asks_first(cast, world, client):
    client.force_login(cast.bob)
    text = _page(client, cast)
    # C3 has no certificate and no report: 1 of 3, counted under both reasons.
    summary = (
        "今月は3人中1人が請求できません（受給者証なし 1人、支援レポート未共有 1人）。"
        "この人たちは0単位で締められます。"
    )
    assert summary in text
    assert f'data-confirm="{summary} この月を締めますか？' in text


def test_the_close_page_names_only_the_unverified_values_in_use(cast, world, client):
    client.force_login(cast.bob)
    text = _page(client, cast)
    # In use: the FY2024 table, その他 (verified), initial, regional_meeting_1, no_plan.
    start = text.index('<span class="unverified-values">')
    named = text[start : text.index("</span>", start)]
    assert "2024年4月1日施行の報酬表" in named
    assert "初期加算" in named and "地域連携会議実施加算(Ⅰ)" in named
    assert "個別支援計画未作成減算" in named and "割合による減算の端数処理と適用順" in named
    assert "単位数単価" not in named  # その他 = 10.00 is verified
    assert "職場適応援助者" not in named and "特別地域加算" not in named  # not in use
    assert "告示との照合は済んでいません" not in text


def test_a_grade_without_a_unit_price_is_asked_for_on_the_close_page(cast, world, client):
    cast.office_a.regional_grade = "3"
    cast.office_a.save()
    client.force_login(cast.bob)
    text = _page(client, cast)
    assert "3級地）の就労定着支援の単位数単価が登録されていません" in text
    assert "74,490" not in text and "74490" not in text
    figures = figures_of(cast.office_a)
    assert figures.total_yen is None and figures.as_document()["total_yen"] is None


def test_the_treatment_improvement_category_adds_its_rate_to_the_month(cast, world):
    from billing.models import OfficeBillingSettings, TreatmentImprovementRate

    # The migration loads the rates; a flushed database has none: the test's own row.
    TreatmentImprovementRate.objects.update_or_create(
        category="1", effective_from=dt.date(2024, 6, 1), defaults={"percent": "10.30"}
    )
    OfficeBillingSettings.objects.create(office=cast.office_a, treatment_improvement="1")
    people = {p.client_code: p for p in figures_of(cast.office_a).people}
    assert "treatment_improvement" not in people["C1"].additions  # April: before 1 June 2024
    june = Month(2024, 6)
    for client_row in (world["c1"], world["c2"]):
        factories.SupportReportFactory(
            client=client_row, month=june.first_day, shared_with_client_on=dt.date(2024, 7, 1)
        )
    people = {p.client_code: p for p in figures_of(cast.office_a, june).people}
    # C1 in June: 3,512 (no meeting in June) × 10.3% = 361.736 → 362.
    assert people["C1"].additions == {"treatment_improvement": 362}
    assert people["C1"].total_units == 3874


def test_a_closed_months_records_show_they_are_locked(cast, world, client):
    from contacts.models import Contact, SupportReport

    figures = figures_of(cast.office_a)
    billing_services.close_month_with(
        office=cast.office_a, month=APRIL, figures=figures, actor=Actor.command()
    )
    client.force_login(cast.bob)
    contact = Contact.objects.get(client=world["c1"])
    text = client.get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert "2024年4月は請求の締め済みのため変更できません" in text
    assert reverse("contact_edit", args=[contact.pk]) not in text
    assert reverse("contact_delete", args=[contact.pk]) not in text
    report = SupportReport.objects.get(client=world["c1"], month=APRIL.first_day)
    text = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert "2024年4月は請求の締め済みです。この記録は変更できません。" in text
    assert reverse("report_correct", args=[report.pk]) not in text
    assert reverse("report_share", args=[report.pk]) not in text
    # Reopened: the links are back.
    billing_services.reopen(office=cast.office_a, month=APRIL, actor=Actor.command(), reason="訂正")
    text = client.get(reverse("contact_detail", args=[contact.pk])).content.decode()
    assert reverse("contact_edit", args=[contact.pk]) in text


def test_a_meeting_awaiting_its_report_back_in_a_closed_month_is_shown_locked(cast, world, client):
    meeting = plan_services.meeting_create(
        client=world["c2"],
        actor=Actor.command(cast.bob),
        held_on=dt.date(2024, 4, 20),
        presenter="other_staff",
        agencies=["主治医"],
    )
    billing_services.close_month_with(
        office=cast.office_a, month=APRIL, figures=figures_of(cast.office_a), actor=Actor.command()
    )
    client.force_login(cast.bob)
    text = client.get(reverse("client_plans", args=[world["c2"].pk])).content.decode()
    assert "2024年4月は請求の締め済みのため変更できません" in text
    assert reverse("meeting_report_back", args=[meeting.pk]) not in text


def test_the_month_download_names_every_person_in_it(cast, world, client):
    """The file lists each person's recipient number: its export event names them by client
    code, as every other download does (``audit.record_people_exported``)."""
    client.force_login(cast.bob)
    for fmt in ("csv", "xlsx"):
        response = client.get(
            reverse(
                "billing_month_export",
                kwargs={
                    "office_number": cast.office_a.office_number,
                    "billing_month": "2024-04",
                    "export_format": fmt,
                },
            )
        )
        assert response.status_code == 200
        event = AuditEvent.objects.filter(action="export").latest("pk")
        assert event.office == cast.office_a
        assert "clients: C1 C2 C3" in event.detail
        assert fmt in event.detail and "2024-04" in event.detail


def test_saving_a_new_certificate_writes_one_create_event(cast, reference_values):
    person = factories.ClientFactory(office=cast.office_a, client_code="N1")
    certificate = _certificate(person).certificate
    events = AuditEvent.objects.filter(object_type="billing.recipientcertificate")
    created = events.filter(action="create", object_id=str(certificate.pk))
    assert created.count() == 1
    assert "2024-04-01–2025-03-31" in created.get().detail  # the certificate with its period
    # a second decision period on the same certificate: one more create event, for that period
    _certificate(person, start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31))
    assert [e.detail for e in created.order_by("pk")] == [
        "2024-04-01–2025-03-31",
        "2025-04-01–2026-03-31",
    ]
    # saved again unchanged: no event
    _certificate(person, start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31))
    assert events.count() == 2
