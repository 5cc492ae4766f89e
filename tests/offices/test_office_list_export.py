"""The office list as CSV (UTF-8 with BOM, or CP932) and XLSX (the scheme of tests/exports.py)."""

from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from tests.exports import assert_excel_ready, cp932_rows, csv_rows, sheet_rows, xlsx_book

HEADER = ["事業所番号", "事業所名", "法人", "所在地", "職員数"]


def export(client, **params):
    return client.get(reverse("office_list_export"), params)


def test_the_office_csv_has_japanese_headers_and_the_pages_rows(client, cast):
    client.force_login(cast.diana)  # corporation A's manager: offices A and A2
    rows = csv_rows(export(client))
    assert rows == [
        HEADER,
        # Alice and Bob work at office A; nobody has a membership of A2 (Diana manages the
        # corporation). The factories put every office in 東京都新宿区.
        [cast.office_a.office_number, "あおば定着支援センター", "社会福祉法人あおば会",
         "東京都新宿区", "2"],
        [cast.office_a2.office_number, "あおば第二定着支援", "社会福祉法人あおば会",
         "東京都新宿区", "0"],
    ]  # fmt: skip


def test_the_office_export_honours_the_search_and_scoping(client, cast):
    client.force_login(cast.diana)
    assert [row[1] for row in csv_rows(export(client, q="第二"))[1:]] == ["あおば第二定着支援"]
    client.force_login(cast.charlie)
    assert [row[1] for row in csv_rows(export(client))[1:]] == ["みどり就労定着"]


def test_the_office_list_in_cp932_and_xlsx(client, cast):
    client.force_login(cast.alice)
    rows = cp932_rows(export(client, encoding="cp932"))
    assert rows[0] == HEADER and rows[1][2] == "社会福祉法人あおば会"
    sheet = xlsx_book(export(client, format="xlsx")).active
    assert_excel_ready(sheet)
    assert sheet_rows(sheet)[1][4] == 2  # a number cell


def test_a_character_cp932_lacks_refuses_the_office_list(client, cast):
    cast.office_a.municipality = "𠮷川町"
    cast.office_a.save()
    client.force_login(cast.alice)
    response = export(client, encoding="cp932")
    assert response.status_code == 302
    assert response["Location"] == reverse("office_list") + "?"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Shift_JIS（CP932）で書けない文字があります" in message and "𠮷" in message
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_office_export_is_audited_naming_the_offices(client, cast):
    client.force_login(cast.diana)
    export(client, format="xlsx")
    events = AuditEvent.objects.filter(action="export").order_by("pk")
    assert [e.office for e in events] == [cast.office_a, cast.office_a2]
    assert {e.detail for e in events} == {"office list xlsx"}


def test_an_unknown_format_is_a_bad_request(client, cast):
    client.force_login(cast.alice)
    assert export(client, format="pdf").status_code == 400
    assert export(client, encoding="ascii").status_code == 400
