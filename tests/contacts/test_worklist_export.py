"""The worklist as CSV (UTF-8 with BOM, or CP932) and XLSX: one row per item, section by
section, the plans app's section included (the scheme of tests/exports.py)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core import calendar
from core.models import AuditEvent
from tests import factories
from tests.exports import assert_excel_ready, cp932_rows, csv_rows, sheet_rows, xlsx_book
from tests.plans.conftest import agreed_plan

D = dt.date
JST = dt.timezone(dt.timedelta(hours=9))
HEADER = ["項目", "事業所番号", "利用者コード", "氏名", "期日", "備考"]


@pytest.fixture
def items(cast, monkeypatch):
    monkeypatch.setattr(calendar, "today", lambda: D(2025, 6, 16))
    met = factories.ClientFactory(
        office=cast.office_a, client_code="W001", family_name="前田", given_name="一郎",
        staff_in_charge=cast.alice, service_start=D(2024, 4, 1),
    )  # fmt: skip
    agreed_plan(met, D(2025, 6, 1))  # review by 2025-12-01: up to date, no plan item
    factories.ContactFactory(
        client=met, staff=cast.alice, method="workplace_visit",
        contacted_at=dt.datetime(2025, 6, 2, 14, 0, tzinfo=JST), next_follow_up=D(2025, 6, 10),
    )  # fmt: skip
    unmet = factories.ClientFactory(
        office=cast.office_a, client_code="W002", family_name="野村", given_name="花子",
        staff_in_charge=cast.alice, service_start=D(2024, 4, 1),
    )  # fmt: skip
    outsider = factories.ClientFactory(
        office=cast.office_b, client_code="B001", staff_in_charge=cast.charlie,
        service_start=D(2024, 4, 1),
    )  # fmt: skip
    return met, unmet, outsider


def export(client, **params):
    return client.get(reverse("worklist_export"), params)


def test_the_worklist_csv_has_one_row_per_item_in_the_pages_order(client, cast, items):
    client.force_login(cast.alice)
    rows = csv_rows(export(client))
    number = cast.office_a.office_number
    assert rows == [
        HEADER,
        # W002 has had no contact in June: due by the month's last day.
        ["今月まだ対面していない利用者", number, "W002", "野村 花子", "2025-06-30",
         "まだ連絡がありません"],
        # W001's visit of 2 June set a follow-up for 10 June, not done yet.
        ["今日まで・期限切れのフォロー", number, "W001", "前田 一郎", "2025-06-10",
         "職場訪問 2025-06-02"],
        # The plans app's section: W002 has no agreed plan.
        ["作成・見直しが必要な計画", number, "W002", "野村 花子", "", "計画未作成"],
    ]  # fmt: skip


def test_the_office_scope_is_the_managers_whole_office_and_no_other(client, cast, items):
    client.force_login(cast.bob)
    assert len(csv_rows(export(client))) == 1  # Bob is in charge of nobody
    codes = {row[2] for row in csv_rows(export(client, scope="office"))[1:]}
    assert codes == {"W001", "W002"}  # office B's B001 is not there
    client.force_login(cast.charlie)
    assert {row[2] for row in csv_rows(export(client))[1:]} == {"B001"}


def test_the_worklist_in_cp932_and_xlsx(client, cast, items):
    client.force_login(cast.alice)
    rows = cp932_rows(export(client, encoding="cp932"))
    assert rows[0] == HEADER and rows[1][3] == "野村 花子"
    sheet = xlsx_book(export(client, format="xlsx")).active
    assert_excel_ready(sheet)
    assert sheet_rows(sheet)[2][4] == dt.datetime(2025, 6, 10)


def test_a_character_cp932_lacks_refuses_the_worklist_file(client, cast, items):
    factories.ClientFactory(
        office=cast.office_a, family_name="𠮷田", staff_in_charge=cast.alice,
        service_start=D(2024, 4, 1),
    )  # fmt: skip
    client.force_login(cast.alice)
    response = export(client, encoding="cp932")
    assert response.status_code == 302
    assert response["Location"] == reverse("worklist") + "?scope=mine"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Shift_JIS（CP932）で書けない文字があります" in message and "𠮷" in message
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_worklist_export_is_audited_naming_the_people(client, cast, items):
    client.force_login(cast.bob)
    export(client, scope="office", format="xlsx")
    [event] = AuditEvent.objects.filter(action="export")
    assert event.office == cast.office_a and event.username == "bob"
    assert event.detail == "worklist (office) xlsx; clients: W002 W001"


@pytest.mark.parametrize("params", [{"format": "ods"}, {"encoding": "euc-jp"}])
def test_an_unknown_format_is_a_bad_request(client, cast, items, params):
    client.force_login(cast.alice)
    assert export(client, **params).status_code == 400


def test_the_billing_apps_certificates_ending_are_rows_too(client, cast, items):
    from billing.services import certificate_save
    from core.audit import Actor

    _met, unmet, _outsider = items
    certificate_save(
        client=unmet, actor=Actor.command(), recipient_number="0000100001",
        municipality_number="131016", start=D(2024, 8, 1), end=D(2025, 7, 31), copay_cap=9300,
    )  # fmt: skip
    client.force_login(cast.alice)
    rows = csv_rows(export(client))
    # The decision period ends on 31 July, within 60 days of 16 June.
    assert [
        "支給決定期間の終了が近い受給者証", cast.office_a.office_number, "W002", "野村 花子",
        "2025-07-31", "支給決定期間の終了",
    ] in rows  # fmt: skip
    # The page itself shows the row and names the person in its audit event (it used to fail
    # on the certificate, which is not a person).
    page = client.get(reverse("worklist"))
    assert page.status_code == 200 and "worklist-certificates" in page.content.decode()
    event = AuditEvent.objects.filter(action="view", detail__startswith="worklist (mine)").get()
    assert event.detail.endswith("clients: W002 W001")
