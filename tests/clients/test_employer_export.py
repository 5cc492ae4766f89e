"""The employer list as CSV (UTF-8 with BOM, or CP932) and XLSX: a list without people, so its
export events name the offices (the scheme of tests/exports.py)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.exports import assert_excel_ready, cp932_rows, csv_rows, sheet_rows, xlsx_book

D = dt.date

EMPLOYER_HEADER = ["事業所番号", "事業所名", "企業名", "業種", "担当者・連絡先"]


@pytest.fixture
def employers(cast):
    return (
        factories.EmployerFactory(
            office=cast.office_a, name="株式会社あおば製作所", industry="製造業",
            contact_people="人事部 佐藤様\n03-1234-5678",
        ),
        factories.EmployerFactory(office=cast.office_a, name="=みどり商事", industry=""),
        factories.EmployerFactory(office=cast.office_b, name="株式会社よそ", industry="小売業"),
    )  # fmt: skip


def employer_export(client, **params):
    return client.get(reverse("employer_list_export"), params)


def test_the_employer_csv_has_japanese_headers_and_the_pages_fields(client, cast, employers):
    client.force_login(cast.alice)
    rows = csv_rows(employer_export(client))
    assert rows[0] == EMPLOYER_HEADER
    number = cast.office_a.office_number
    # By name, as the page: "=" sorts before "株"; the formula-like name is written as text.
    assert rows[1:] == [
        [number, "あおば定着支援センター", "'=みどり商事", "", ""],
        [number, "あおば定着支援センター", "株式会社あおば製作所", "製造業",
         "人事部 佐藤様\n03-1234-5678"],
    ]  # fmt: skip


def test_the_employer_export_honours_the_search_and_scoping(client, cast, employers):
    client.force_login(cast.alice)
    assert [row[2] for row in csv_rows(employer_export(client, q="あおば"))[1:]] == [
        "株式会社あおば製作所"
    ]
    client.force_login(cast.charlie)
    assert [row[2] for row in csv_rows(employer_export(client))[1:]] == ["株式会社よそ"]


def test_the_employer_export_in_cp932_and_xlsx(client, cast, employers):
    client.force_login(cast.alice)
    rows = cp932_rows(employer_export(client, encoding="cp932"))
    assert rows[0] == EMPLOYER_HEADER and rows[2][3] == "製造業"
    sheet = xlsx_book(employer_export(client, format="xlsx")).active
    assert_excel_ready(sheet)
    assert sheet_rows(sheet)[2][2] == "株式会社あおば製作所"


def test_a_character_cp932_lacks_refuses_the_employer_file(client, cast, employers):
    factories.EmployerFactory(office=cast.office_a, name="𠮷野家")
    client.force_login(cast.alice)
    response = employer_export(client, encoding="cp932", q="家")
    assert response.status_code == 302
    assert response["Location"] == reverse("employer_list") + "?q=%E5%AE%B6"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Shift_JIS（CP932）で書けない文字があります" in message and "𠮷" in message
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_employer_export_is_audited_per_office(client, cast, employers):
    client.force_login(cast.diana)  # corporation A: offices A and A2, employers only in A
    employer_export(client, format="xlsx", q="株式会社")
    [event] = AuditEvent.objects.filter(action="export")
    assert event.office == cast.office_a and event.username == "diana"
    assert event.detail == "employer list xlsx; q=%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE"


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"encoding": "utf-16"}])
def test_an_unknown_employer_format_is_a_bad_request(client, cast, employers, params):
    client.force_login(cast.alice)
    assert employer_export(client, **params).status_code == 400
