"""The plans list as CSV (UTF-8 with BOM, or CP932) and XLSX: the scheme of tests/exports.py."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.exports import assert_excel_ready, cp932_rows, csv_rows, sheet_rows, xlsx_book
from tests.plans.conftest import agreed_plan

D = dt.date

HEADER = [
    "事業所番号",
    "事業所名",
    "利用者コード",
    "氏名",
    "計画の状態",
    "次回見直し期限",
    "担当職員",
]


@pytest.fixture
def plans(cast, person, today):
    # person (P001, 梅沢 花子, Alice's) has no plan: 計画未作成.
    late = factories.ClientFactory(
        office=cast.office_a, client_code="LATE", family_name="遅延", given_name="太郎"
    )
    agreed_plan(late, D(2024, 11, 1))  # review by 2025-05-01, before 16 June: overdue
    soon = factories.ClientFactory(
        office=cast.office_a, client_code="SOON", family_name="間近", given_name="次郎"
    )
    agreed_plan(soon, D(2025, 1, 5))  # review by 2025-07-05, within 30 days: due soon
    outsider = factories.ClientFactory(office=cast.office_b, client_code="B001", family_name="部外")
    return late, soon, outsider


def export(client, **params):
    return client.get(reverse("plan_list_export"), params)


def test_the_plans_csv_has_japanese_headers_and_each_state_as_its_label(client, cast, plans):
    client.force_login(cast.alice)
    rows = csv_rows(export(client))
    assert rows[0] == HEADER
    by_code = {row[2]: row for row in rows[1:]}
    assert set(by_code) == {"P001", "LATE", "SOON"}  # office B's person is not there
    number = cast.office_a.office_number
    assert by_code["P001"] == [
        number, "あおば定着支援センター", "P001", "梅沢 花子", "計画未作成", "", "青木 愛"
    ]  # fmt: skip
    assert by_code["LATE"][4:6] == ["見直し期限切れ", "2025-05-01"]
    assert by_code["SOON"][4:6] == ["見直し期限が近い", "2025-07-05"]


def test_the_plans_export_honours_the_status_and_search(client, cast, plans):
    client.force_login(cast.alice)
    assert [row[2] for row in csv_rows(export(client, status="overdue"))[1:]] == ["LATE"]
    assert [row[2] for row in csv_rows(export(client, status="missing"))[1:]] == ["P001"]
    assert [row[2] for row in csv_rows(export(client, q="間近"))[1:]] == ["SOON"]


def test_the_plans_export_in_cp932_and_xlsx(client, cast, plans):
    client.force_login(cast.alice)
    rows = cp932_rows(export(client, encoding="cp932"))
    assert rows[0] == HEADER and any(row[3] == "梅沢 花子" for row in rows)
    book = xlsx_book(export(client, format="xlsx"))
    sheet = book.active
    assert_excel_ready(sheet)
    late = next(row for row in sheet_rows(sheet) if row[2] == "LATE")
    assert late[5] == dt.datetime(2025, 5, 1)  # a date cell


def test_a_character_cp932_lacks_refuses_the_plans_file(client, cast, plans):
    factories.ClientFactory(office=cast.office_a, client_code="X9", family_name="𠮷田")
    client.force_login(cast.alice)
    response = export(client, encoding="cp932", status="missing")
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_list") + "?status=missing"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Shift_JIS（CP932）で書けない文字があります" in message and "𠮷" in message
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_plans_export_is_audited_naming_the_people(client, cast, plans):
    client.force_login(cast.bob)
    export(client, status="overdue", format="xlsx")
    [event] = AuditEvent.objects.filter(action="export")
    assert event.office == cast.office_a and event.username == "bob"
    assert event.detail == "plan list xlsx; status=overdue; clients: LATE"


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"encoding": "latin-1"}])
def test_an_unknown_format_is_a_bad_request(client, cast, plans, params):
    client.force_login(cast.alice)
    assert export(client, **params).status_code == 400


def test_the_plan_list_page_offers_the_downloads(client, cast, plans):
    client.force_login(cast.alice)
    page = client.get(reverse("plan_list"), {"status": "missing"}).content.decode()
    assert 'href="/plans/export/?status=missing&amp;format=xlsx&amp;encoding=utf-8"' in page
