"""The monthly service record (実績記録票): one template for the print view and the PDF, its
figures those of ``billing.month.month_figures``.

The data, April 2024, office A (regional grade その他): 実績 記子 (R1), in service since 1 April
2023 and employed since 1 October 2022, so the FY2024 rate is 1 of 1 = 100%: the 95% tier, 3,512
units. Recipient number 0000123456 of municipality 131016 (新宿区's check digit: 1·6 + 3·5 + 1·4
+ 0·3 + 1·2 = 27, remainder 5, 11 − 5 = 6). An agreed plan, a hand-over policy and person in
charge, no meeting: no addition, no reduction, 3,512 units in all. Support on 3 April (a phone
call and a home visit) and on 12 April (a workplace visit); April's report shared with the person
on 2 May 2024 (the 共有日).
"""

import datetime as dt
import shutil
import subprocess

import pytest
from django.urls import reverse

from billing.services import certificate_save
from core.audit import Actor
from core.models import AuditAction, AuditEvent
from plans.models import OfficePlanSettings
from tests import factories
from tests.conftest import IN_CI
from tests.plans.conftest import agreed_plan

JST = dt.timezone(dt.timedelta(hours=9))


def _pdftotext():
    path = shutil.which("pdftotext")
    if path is None:
        if IN_CI:
            pytest.fail("pdftotext is missing; CI must apt-get install poppler-utils")
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    return path


@pytest.fixture
def person(cast, reference_values):
    person = factories.ClientFactory(
        office=cast.office_a,
        client_code="R1",
        family_name="実績",
        given_name="記子",
        service_start=dt.date(2023, 4, 1),
    )
    factories.EmploymentFactory(client=person, start_date=dt.date(2022, 10, 1))
    certificate_save(
        client=person,
        actor=Actor.command(),
        recipient_number="0000123456",
        municipality_number="131016",
        start=dt.date(2024, 4, 1),
        end=dt.date(2025, 3, 31),
    )
    factories.SupportReportFactory(
        client=person, month=dt.date(2024, 4, 1), shared_with_client_on=dt.date(2024, 5, 2)
    )
    for day, hour, method in ((3, 10, "phone"), (3, 15, "home_visit"), (12, 11, "workplace_visit")):
        factories.ContactFactory(
            client=person, method=method, contacted_at=dt.datetime(2024, 4, day, hour, tzinfo=JST)
        )
    agreed_plan(person, dt.date(2023, 4, 1), review_by=dt.date(2024, 10, 1))
    OfficePlanSettings.objects.create(
        office=cast.office_a, handover_policy="終了3か月前から引き継ぐ。", handover_lead=cast.bob
    )
    return person


def _url(name, office_number, client_code="R1"):
    return reverse(
        name,
        kwargs={
            "office_number": office_number,
            "billing_month": "2024-04",
            "client_code": client_code,
        },
    )


def test_the_print_view_shows_the_month_the_person_the_days_and_the_figures(cast, person, client):
    client.force_login(cast.bob)
    response = client.get(_url("billing_service_record_print", cast.office_a.office_number))
    assert response.status_code == 200
    assert response.templates[0].name == "billing/service_record.html"
    page = response.content.decode()
    for text in (
        "2024年4月",
        cast.office_a.office_number,
        "あおば定着支援センター",
        "実績 記子",
        "0000123456",
        "131016",
        "2024年4月3日",
        "電話連絡、家庭訪問",
        "2024年4月12日",
        "職場訪問",
        "2024年5月2日",  # the 共有日
        "3512",
    ):
        assert text in page, text
    assert "2024年4月1日" not in page  # no support that day: not listed
    record = response.context
    assert [d.day.day for d in record["days"]] == [3, 12]
    assert record["person"].total_units == 3512
    assert record["adjustments"] == []


def test_the_pdf_carries_the_same_text(cast, person, client, tmp_path):
    client.force_login(cast.bob)
    response = client.get(_url("billing_service_record", cast.office_a.office_number))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "service-record-R1-2024-04.pdf" in response["Content-Disposition"]
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        [_pdftotext(), "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in (
        "サービス提供実績記録票",
        "2024年4月",
        "実績 記子",
        "0000123456",
        "131016",
        "2024年4月3日",
        "2024年4月12日",
        "職場訪問",
        "支援レポート共有日",
        "2024年5月2日",
        "3512",
    ):
        assert expected in text, expected


def test_the_print_view_and_the_pdf_come_from_one_template(cast, person, client, monkeypatch):
    from billing import pdf as pdf_module

    rendered = []
    original = pdf_module.render_to_string

    def spy(name, context, *args, **kwargs):
        rendered.append((name, context["for_pdf"]))
        return original(name, context, *args, **kwargs)

    monkeypatch.setattr(pdf_module, "render_to_string", spy)
    client.force_login(cast.bob)
    assert (
        client.get(_url("billing_service_record", cast.office_a.office_number)).status_code == 200
    )
    assert rendered == [("billing/service_record.html", True)]


def test_a_reduction_shows_with_its_sign_and_the_total(cast, person, client):
    OfficePlanSettings.objects.filter(office=cast.office_a).update(handover_policy="")
    client.force_login(cast.bob)
    page = client.get(_url("billing_service_record_print", cast.office_a.office_number))
    # No hand-over policy: −10% of 3,512 = −351.2 → −351; 3,512 − 351 = 3,161.
    assert page.context["adjustments"] == [("no_handover_system", -351)]
    assert "-351" in page.content.decode()
    assert page.context["person"].total_units == 3161


def test_another_offices_person_is_not_found(cast, person, client):
    other = factories.ClientFactory(office=cast.office_b, client_code="B1")
    client.force_login(cast.bob)
    for name in ("billing_service_record_print", "billing_service_record"):
        # Office B is not Bob's; office B's person is not in office A.
        assert client.get(_url(name, cast.office_b.office_number, "B1")).status_code == 404
        assert (
            client.get(_url(name, cast.office_a.office_number, other.client_code)).status_code
            == 404
        )
    client.force_login(cast.charlie)
    assert (
        client.get(_url("billing_service_record", cast.office_a.office_number)).status_code == 404
    )
    client.force_login(cast.alice)  # staff, not a manager of office A
    assert (
        client.get(_url("billing_service_record", cast.office_a.office_number)).status_code == 404
    )


def test_the_download_is_audited_as_an_export_and_the_print_view_as_a_view(cast, person, client):
    client.force_login(cast.bob)
    client.get(_url("billing_service_record", cast.office_a.office_number))
    client.get(_url("billing_service_record_print", cast.office_a.office_number))
    events = AuditEvent.objects.filter(user=cast.bob, object_id=str(person.pk)).order_by("pk")
    assert [(e.action, e.detail) for e in events] == [
        (AuditAction.EXPORT, "service record 2024-04 pdf"),
        (AuditAction.VIEW, "service record 2024-04"),
    ]
    assert {e.office_id for e in events} == {cast.office_a.pk}
