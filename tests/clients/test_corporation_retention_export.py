"""The corporation retention page as CSV (UTF-8 with BOM, or CP932) and XLSX: a list without
people, so its export events name the offices (the scheme of tests/exports.py)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.exports import assert_excel_ready, cp932_rows, csv_rows, sheet_rows, xlsx_book

D = dt.date

CORPORATION_HEADER = [
    "事業所番号", "事業所名", "年度", "利用者数", "定着", "暫定で定着", "定着率（%）",
    "報酬区分（%以上）", "単位数", "対象月", "1人月あたりの報酬（円）",
    "上の区分まであと定着（人）", "下の区分になる離職（人）",
]  # fmt: skip


@pytest.fixture
def corporation(cast, fee_tiers):
    """Office A (regional grade 1, ¥11.20 a unit): four users of FY2024, all employed
    throughout. Office A2 has nobody; office B (another corporation) one user."""
    cast.office_a.regional_grade = "1"
    cast.office_a.save()
    for i in range(4):
        person = factories.ClientFactory(
            office=cast.office_a, client_code=f"A0{i}", service_start=D(2021, 4, 1)
        )
        factories.EmploymentFactory(client=person, start_date=D(2020, 10, 1))
    outsider = factories.ClientFactory(office=cast.office_b, service_start=D(2021, 4, 1))
    factories.EmploymentFactory(client=outsider, start_date=D(2020, 10, 1))
    return cast.corporation_a


def corporation_export(client, corporation, **params):
    url = reverse("retention_corporation_export", kwargs={"corporation_pk": corporation.pk})
    return client.get(url, params)


def test_the_corporation_csv_has_one_row_per_office(client, cast, corporation):
    client.force_login(cast.diana)
    rows = csv_rows(corporation_export(client, corporation, fiscal_year=2024, month="2024-05"))
    assert rows[0] == CORPORATION_HEADER
    # 4 of 4 retained: 100.0%, the 95% tier (3,512 units); 3,512 × ¥11.20 = ¥39,334.4, rounded
    # down. Nothing above; one separation gives 3 of 4 = 75%, below 95%.
    assert rows[1] == [
        cast.office_a.office_number, "あおば定着支援センター", "2024", "4", "4", "0", "100.0",
        "95.00", "3512", "2024-05", "39334", "", "1",
    ]  # fmt: skip
    # Office A2 has no users: no rate, no tier, no fee.
    assert rows[2] == [
        cast.office_a2.office_number, "あおば第二定着支援", "2024", "0", "0", "0", "", "", "",
        "2024-05", "", "", "",
    ]  # fmt: skip
    assert len(rows) == 3  # office B belongs to another corporation


def test_the_corporation_export_in_cp932_and_xlsx_with_numbers(client, cast, corporation):
    client.force_login(cast.diana)
    rows = cp932_rows(corporation_export(client, corporation, fiscal_year=2024, encoding="cp932"))
    assert rows[0] == CORPORATION_HEADER and rows[1][1] == "あおば定着支援センター"
    sheet = xlsx_book(corporation_export(client, corporation, fiscal_year=2024, format="xlsx"))
    sheet = sheet.active
    assert_excel_ready(sheet)
    office_a = sheet_rows(sheet)[1]
    assert office_a[3:7] == [4, 4, 0, 100]  # number cells, the rate too
    # Without a month the page shows April of the fiscal year (today lies outside FY2024).
    assert office_a[9] == "2024-04"


def test_a_character_cp932_lacks_refuses_the_corporation_file(client, cast, corporation):
    cast.office_a2.name = "𠮷岡定着支援"
    cast.office_a2.save()
    client.force_login(cast.diana)
    response = corporation_export(client, corporation, fiscal_year=2024, encoding="cp932")
    assert response.status_code == 302
    back = reverse("retention_corporation", kwargs={"corporation_pk": corporation.pk})
    assert response["Location"] == f"{back}?fiscal_year=2024&month=2024-04"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Shift_JIS（CP932）で書けない文字があります" in message and "𠮷" in message
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_corporation_export_is_audited_naming_the_offices(client, cast, corporation):
    client.force_login(cast.diana)
    corporation_export(client, corporation, fiscal_year=2024, format="xlsx")
    events = AuditEvent.objects.filter(action="export").order_by("pk")
    assert [e.office for e in events] == [cast.office_a, cast.office_a2]
    detail = f"corporation retention xlsx; corporation {corporation.pk} FY2024"
    assert {e.detail for e in events} == {detail}
    assert not AuditEvent.objects.filter(action="view").exists()  # not counted as a page view


def test_only_the_corporations_manager_exports_it(client, cast, corporation):
    for user in (cast.alice, cast.bob, cast.charlie):
        client.force_login(user)
        assert corporation_export(client, corporation).status_code == 404
    client.force_login(cast.diana)
    assert corporation_export(client, corporation, format="docx").status_code == 400
