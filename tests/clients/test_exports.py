"""The client roster and the retention roster as CSV (UTF-8 with BOM, or CP932) and XLSX."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.exports import assert_excel_ready, cp932_rows, csv_rows, sheet_rows, xlsx_book

D = dt.date

ROSTER_HEADER = [
    "事業所番号", "事業所名", "利用者コード", "氏名", "フリガナ", "生年月日", "障害種別",
    "送り出し元", "プランの種類", "担当職員", "利用開始日", "利用終了日", "3年の期限",
    "利用終了理由",
]  # fmt: skip


@pytest.fixture
def roster(cast):
    aoki = factories.ClientFactory(
        office=cast.office_a, client_code="A001", family_name="青木", given_name="花子",
        family_name_kana="アオキ", given_name_kana="ハナコ", birth_date=D(1990, 1, 2),
        disability_types=["intellectual", "mental"], plan_type="self_plan",
        staff_in_charge=cast.alice, service_start=D(2024, 4, 1),
    )  # fmt: skip
    formula = factories.ClientFactory(
        office=cast.office_a, client_code="A002", family_name="=1+1", given_name="@SUM",
        family_name_kana="イ", given_name_kana="イ", service_start=D(2024, 5, 1),
    )  # fmt: skip
    ended = factories.ClientFactory(
        office=cast.office_a, client_code="A003", family_name="卒業", given_name="済",
        family_name_kana="ソツギョウ", service_start=D(2021, 4, 1), service_end=D(2024, 3, 31),
        service_end_reason="3年経過",
    )  # fmt: skip
    outsider = factories.ClientFactory(
        office=cast.office_b, client_code="B001", family_name="部外者", given_name="某"
    )
    return aoki, formula, ended, outsider


def export(client, **params):
    return client.get(reverse("client_list_export"), params)


def test_the_roster_csv_has_japanese_headers_labels_and_iso_dates(client, cast, roster):
    client.force_login(cast.alice)
    rows = csv_rows(export(client))
    assert rows[0] == ROSTER_HEADER
    by_code = {row[2]: row for row in rows[1:]}
    assert set(by_code) == {"A001", "A002", "A003"}  # office B's person is not there
    assert by_code["A001"] == [
        cast.office_a.office_number, "あおば定着支援センター", "A001", "青木 花子", "アオキ ハナコ",
        "1990-01-02", "知的、精神", "送り出し元不明", "セルフプラン", "青木 愛", "2024-04-01", "",
        "2027-03-31", "",
    ]  # fmt: skip
    assert by_code["A003"][11:] == ["2024-03-31", "2024-03-31", "3年経過"]


def test_a_formula_like_name_is_written_as_text(client, cast, roster):
    client.force_login(cast.alice)
    rows = csv_rows(export(client))
    formula = next(row for row in rows if row[2] == "A002")
    assert formula[3] == "'=1+1 @SUM"
    book = xlsx_book(export(client, format="xlsx"))
    cells = next(row for row in sheet_rows(book.active) if row[2] == "A002")
    assert cells[3] == "'=1+1 @SUM"


def test_the_roster_honours_the_search_and_filters(client, cast, roster):
    client.force_login(cast.alice)
    assert [row[2] for row in csv_rows(export(client, q="アオキ"))[1:]] == ["A001"]
    assert [row[2] for row in csv_rows(export(client, status="ended"))[1:]] == ["A003"]
    # The page's number (?page=) does not cut the download to one page.
    assert len(csv_rows(export(client, page="2"))) == 4


def test_the_roster_in_cp932_decodes_as_shift_jis(client, cast, roster):
    client.force_login(cast.alice)
    response = export(client, encoding="cp932")
    rows = cp932_rows(response)
    assert rows[0] == ROSTER_HEADER
    assert any(row[3] == "青木 花子" for row in rows)


def test_a_character_cp932_lacks_refuses_the_file_in_japanese_and_exports_nothing(
    client, cast, roster
):
    factories.ClientFactory(office=cast.office_a, client_code="A009", family_name="𠮷田")
    client.force_login(cast.alice)
    response = export(client, encoding="cp932", q="田")
    assert response.status_code == 302
    assert response["Location"] == reverse("client_list") + "?q=%E7%94%B0"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Shift_JIS（CP932）で書けない文字があります" in message
    assert "𠮷" in message and "A009" not in message  # the cell is named by row and column
    assert not AuditEvent.objects.filter(action="export").exists()
    # UTF-8 writes it.
    assert any(row[3].startswith("𠮷田") for row in csv_rows(export(client, q="田")))


def test_the_roster_as_xlsx_has_a_frozen_header_widths_and_date_cells(client, cast, roster):
    client.force_login(cast.alice)
    book = xlsx_book(export(client, format="xlsx"))
    sheet = book.active
    assert_excel_ready(sheet)
    rows = sheet_rows(sheet)
    assert rows[0] == ROSTER_HEADER
    aoki = next(row for row in rows if row[2] == "A001")
    assert aoki[5] == dt.datetime(1990, 1, 2)  # a date cell, not text
    assert sheet.cell(row=rows.index(aoki) + 1, column=6).number_format == "yyyy-mm-dd"
    # 氏名 (4 full-width characters) is narrower than 事業所名's あおば定着支援センター (12).
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["D"].width


def test_the_roster_export_is_audited_naming_the_people(client, cast, roster):
    client.force_login(cast.alice)
    export(client, status="active", format="xlsx")
    [event] = AuditEvent.objects.filter(action="export")
    assert event.office == cast.office_a and event.username == "alice"
    assert event.detail.startswith("client list xlsx; status=active")
    # A003 ended before today and is left out; the others by reading: アオキ, then イ.
    assert event.detail.endswith("clients: A001 A002")


@pytest.mark.parametrize(
    "params", [{"format": "pdf"}, {"encoding": "latin-1"}, {"format": "csv", "encoding": "sjis"}]
)
def test_an_unknown_format_or_encoding_is_a_bad_request(client, cast, roster, params):
    client.force_login(cast.alice)
    assert export(client, **params).status_code == 400


def test_staff_of_another_corporation_exports_only_their_own_office(client, cast, roster):
    client.force_login(cast.charlie)
    assert [row[2] for row in csv_rows(export(client))[1:]] == ["B001"]


# ---------------------------------------------------------------------------------------------
# The retention roster

RETENTION_HEADER = [
    "利用者コード", "氏名", "定着の判定", "理由", "利用開始日", "利用終了日", "3年の期限",
]  # fmt: skip


@pytest.fixture
def window(cast, fee_tiers):
    """FY2024 (window 2023-04-01 to 2024-03-31): R01 and R03 (a formula-like name) employed
    throughout, R02 separated in the window; office B's person must not appear."""
    kept = factories.ClientFactory(
        office=cast.office_a, client_code="R01", family_name="定着", given_name="一",
        family_name_kana="テイチャク", service_start=D(2022, 4, 1),
    )  # fmt: skip
    factories.EmploymentFactory(client=kept, start_date=D(2022, 1, 1))
    left = factories.ClientFactory(
        office=cast.office_a, client_code="R02", family_name="離職", given_name="二",
        family_name_kana="リショク", service_start=D(2022, 4, 1),
    )  # fmt: skip
    factories.EmploymentFactory(client=left, start_date=D(2022, 1, 1), end_date=D(2023, 9, 30))
    formula = factories.ClientFactory(
        office=cast.office_a, client_code="R03", family_name="-5", given_name="@x",
        family_name_kana="ン", service_start=D(2022, 4, 1),
    )  # fmt: skip
    factories.EmploymentFactory(client=formula, start_date=D(2022, 1, 1))
    outsider = factories.ClientFactory(
        office=cast.office_b, client_code="RB1", service_start=D(2022, 4, 1)
    )
    factories.EmploymentFactory(client=outsider, start_date=D(2022, 1, 1))
    return kept, left


def retention_export(client, cast, **params):
    url = reverse("retention_office_export", kwargs={"office_number": cast.office_a.office_number})
    return client.get(url, {"fiscal_year": 2024, **params})


def test_the_retention_roster_says_who_counts_and_why(client, cast, window):
    client.force_login(cast.bob)
    rows = csv_rows(retention_export(client, cast))
    assert rows[0] == RETENTION_HEADER
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"R01", "R02", "R03"}
    assert by_code["R03"][1] == "'-5 @x"
    assert by_code["R01"] == [
        "R01", "定着 一", "定着", "継続して就労", "2022-04-01", "", "2025-03-31",
    ]  # fmt: skip
    assert by_code["R02"][2] == "非定着"


def test_the_retention_roster_as_xlsx_adds_the_rate(client, cast, window):
    client.force_login(cast.bob)
    book = xlsx_book(retention_export(client, cast, format="xlsx"))
    roster_sheet, overview = book.worksheets
    assert_excel_ready(roster_sheet)
    assert sheet_rows(roster_sheet)[0] == RETENTION_HEADER
    figures = dict(sheet_rows(overview)[1:])
    assert figures["利用者数"] == 3 and figures["定着"] == 2
    assert figures["定着率（%）"] == 66.7  # a number cell, not text
    assert [row[1] for row in sheet_rows(roster_sheet) if row[0] == "R03"] == ["'-5 @x"]


def test_the_retention_roster_is_audited_and_refused_to_staff(client, cast, window):
    client.force_login(cast.alice)
    assert retention_export(client, cast).status_code == 404
    client.force_login(cast.bob)
    retention_export(client, cast, encoding="cp932")
    [event] = AuditEvent.objects.filter(action="export")
    assert event.office == cast.office_a
    assert event.detail == "retention roster csv-cp932; FY2024; clients: R01 R02 R03"
    assert retention_export(client, cast, format="json").status_code == 400


def test_the_list_pages_offer_the_three_downloads_with_their_filters(client, cast, window):
    client.force_login(cast.bob)
    html = client.get(reverse("client_list"), {"status": "active"}).content.decode()
    export_url = reverse("client_list_export")
    assert f"{export_url}?status=active&amp;format=csv&amp;encoding=cp932" in html
    assert f"{export_url}?status=active&amp;format=xlsx&amp;encoding=utf-8" in html
    assert "CSV（Shift_JIS）" in html and ">Excel<" in html
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    html = client.get(url, {"fiscal_year": 2024}).content.decode()
    assert f"{url}export/?fiscal_year=2024&amp;format=csv&amp;encoding=utf-8" in html
