"""Contact history, the contact statistics and the support-report list as CSV and XLSX."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests import factories
from tests.exports import assert_excel_ready, cp932_rows, csv_rows, sheet_rows, xlsx_book

D = dt.date
JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
def people(cast):
    aoki = factories.ClientFactory(
        office=cast.office_a, client_code="A001", family_name="青木", given_name="花子",
        family_name_kana="アオキ", given_name_kana="ハナコ", service_start=D(2024, 4, 1),
    )  # fmt: skip
    formula = factories.ClientFactory(
        office=cast.office_a, client_code="A002", family_name="=1+1", given_name="@SUM",
        family_name_kana="イ", given_name_kana="イ", service_start=D(2024, 4, 1),
    )  # fmt: skip
    outsider = factories.ClientFactory(
        office=cast.office_b, client_code="B001", family_name="部外者", service_start=D(2024, 4, 1)
    )
    return aoki, formula, outsider


@pytest.fixture
def contacts(cast, people):
    aoki, _formula, outsider = people
    phone = factories.ContactFactory(
        client=aoki, staff=cast.alice, method="phone", counterpart="client",
        contacted_at=dt.datetime(2024, 4, 1, 10, 0, tzinfo=JST), duration_minutes=15,
        summary="=SUM(A1)", next_follow_up=D(2024, 4, 15),
    )  # fmt: skip
    visit = factories.ContactFactory(
        client=aoki, staff=cast.bob, method="workplace_visit", counterpart="employer",
        contacted_at=dt.datetime(2024, 5, 10, 14, 30, tzinfo=JST), summary="職場で面談",
    )  # fmt: skip
    home = factories.ContactFactory(
        client=aoki, staff=cast.alice, method="home_visit", counterpart="client",
        contacted_at=dt.datetime(2024, 5, 20, 9, 0, tzinfo=JST),
    )  # fmt: skip
    deleted = factories.ContactFactory(
        client=aoki, method="email", contacted_at=dt.datetime(2024, 5, 11, 9, 0, tzinfo=JST),
        deleted_at=dt.datetime(2024, 5, 12, 9, 0, tzinfo=JST),
    )  # fmt: skip
    factories.ContactFactory(
        client=outsider, method="phone", contacted_at=dt.datetime(2024, 4, 2, 9, 0, tzinfo=JST)
    )
    return phone, visit, home, deleted


# ---------------------------------------------------------------------------------------------
# Contact history

# The contacts import's column names (an exported list imports again: issue 22), and the
# columns it ignores (氏名, 対面, 次回フォロー日, 削除).
HISTORY_HEADER = [
    "日時", "事業所番号", "利用者コード", "氏名", "方法", "対面", "相手", "時間（分）",
    "担当職員", "内容", "次回フォロー日", "削除",
]  # fmt: skip


def history(client, **params):
    return client.get(reverse("contact_list_export"), params)


def test_contact_history_csv_has_japanese_headers_and_labels(client, cast, contacts):
    client.force_login(cast.alice)
    rows = csv_rows(history(client))
    assert rows[0] == HISTORY_HEADER
    # Newest first, the deleted one and office B's left out.
    assert [row[0][:10] for row in rows[1:]] == ["2024/05/20", "2024/05/10", "2024/04/01"]
    assert rows[3] == [
        "2024/04/01 10:00", cast.office_a.office_number, "A001", "青木 花子", "電話連絡",
        "いいえ", "本人", "15", "青木 愛", "'=SUM(A1)", "2024-04-15", "",
    ]  # fmt: skip
    assert rows[2][4:7] == ["職場訪問", "はい", "企業"]


def test_contact_history_honours_the_filters(client, cast, contacts):
    client.force_login(cast.alice)
    visits = csv_rows(history(client, method="workplace_visit"))[1:]
    assert [r[0][:10] for r in visits] == ["2024/05/10"]
    in_may = csv_rows(history(client, date_from="2024-05-01", date_to="2024-05-15"))
    assert [r[0][:10] for r in in_may[1:]] == ["2024/05/10"]
    with_deleted = csv_rows(history(client, deleted="on", date_from="2024-05-11"))
    assert [(r[0][:10], r[11]) for r in with_deleted[1:]] == [
        ("2024/05/20", ""),
        ("2024/05/11", "はい"),
    ]


def test_contact_history_in_cp932_and_xlsx(client, cast, contacts):
    client.force_login(cast.alice)
    rows = cp932_rows(history(client, encoding="cp932"))
    assert rows[0] == HISTORY_HEADER and rows[1][3] == "青木 花子"
    book = xlsx_book(history(client, format="xlsx"))
    assert_excel_ready(book.active)
    first = sheet_rows(book.active)[3]
    assert first[0] == "2024/04/01 10:00" and first[9] == "'=SUM(A1)"


def test_contact_history_export_is_audited_and_validated(client, cast, contacts):
    client.force_login(cast.charlie)
    assert [r[2] for r in csv_rows(history(client))[1:]] == ["B001"]
    client.force_login(cast.alice)
    history(client, method="phone")
    event = AuditEvent.objects.filter(action="export", username="alice").get()
    assert event.office == cast.office_a
    assert event.detail == "contact history csv; method=phone; clients: A001"
    assert history(client, format="ods").status_code == 400


# ---------------------------------------------------------------------------------------------
# Contact statistics

STATS_HEADER = ["表", "項目", "人数", "件数", "割合（%）", "全国（%）"]


def stats_export(client, cast, **params):
    query = {
        "scope": f"office:{cast.office_a.office_number}",
        "date_from": "2024-04-01",
        "date_to": "2024-05-31",
        **params,
    }
    return client.get(reverse("contact_stats_export"), query)


def test_statistics_csv_is_one_table_of_the_pages_figures(client, cast, contacts):
    client.force_login(cast.bob)
    rows = csv_rows(stats_export(client, cast))
    assert rows[0] == STATS_HEADER
    # Three live contacts of office A in the period: one phone call, one workplace visit, one
    # home visit: a third each (33.3%); office B's phone call is not counted.
    assert ["方法別", "電話連絡", "", "1", "33.3", ""] in rows
    assert ["方法別", "職場訪問", "", "1", "33.3", ""] in rows
    assert ["相手別", "本人", "", "2", "66.7", ""] in rows
    # Both people in service in April and May; only 青木 was met face to face (the home visit
    # in May; the workplace visit was with the employer).
    monthly = [row for row in rows if row[0] == "月ごとの対面支援の実施状況"]
    assert [row[1:5] for row in monthly] == [
        ["2024-04", "2", "0", "0.0"],
        ["2024-05", "2", "1", "50.0"],
    ]


def test_statistics_xlsx_has_a_sheet_per_table_and_the_people_not_met(client, cast, contacts):
    client.force_login(cast.bob)
    book = xlsx_book(stats_export(client, cast, format="xlsx"))
    assert book.sheetnames == [
        "統計", "方法別", "相手別", "月ごとの対面支援の実施状況", "利用者の区分別",
        "対面できなかった人", "引き継ぎ・計画の種別と支援の結果",
    ]  # fmt: skip
    for sheet in book.worksheets:
        assert_excel_ready(sheet)
    not_met = sheet_rows(book["対面できなかった人"])
    assert not_met[0] == ["対象月", "事業所番号", "利用者コード", "氏名"]
    assert [(row[0], row[2], row[3]) for row in not_met[1:]] == [
        ("2024-04", "A001", "青木 花子"), ("2024-04", "A002", "'=1+1 @SUM"),
        ("2024-05", "A002", "'=1+1 @SUM"),
    ]  # fmt: skip
    # The plans app's table (contacts.hooks): both people are self-plan users of unknown origin,
    # in service both months (4 person-months) with 3 live contacts, none on the life side
    # (本人, 企業, 本人), and no employment recorded: nobody retained.
    handover = sheet_rows(book["引き継ぎ・計画の種別と支援の結果"])
    assert handover[0] == [
        "区分", "人数", "月あたり連絡数", "生活面の連絡", "生活面の割合（%）", "定着",
        "定着の割合（%）",
    ]  # fmt: skip
    assert handover[1:] == [
        ["他法人・引き継ぎあり", 0, None, 0, 0, 0, 0],
        ["他法人・引き継ぎなし", 0, None, 0, 0, 0, 0],
        ["セルフプラン", 2, 0.75, 0, 0, 0, 0],
        ["計画相談", 0, None, 0, 0, 0, 0],
    ]
    event = AuditEvent.objects.get(action="export")
    assert event.detail.startswith("contact statistics xlsx; 2024-04-01..2024-05-31")
    assert event.detail.endswith("clients: A001 A002")


def test_statistics_export_is_for_managers_and_validated(client, cast, contacts):
    client.force_login(cast.alice)
    assert stats_export(client, cast).status_code == 404
    client.force_login(cast.bob)
    assert stats_export(client, cast, encoding="euc-jp").status_code == 400
    assert cp932_rows(stats_export(client, cast, encoding="cp932"))[0] == STATS_HEADER


# ---------------------------------------------------------------------------------------------
# The support-report list

REPORTS_HEADER = [
    "対象月",
    "利用者コード",
    "氏名",
    "レポート",
    "本人との共有日",
    "企業との共有日",
    "担当職員",
]


def reports_export(client, cast, **params):
    query = {"office": cast.office_a.office_number, "month": "2024-04", **params}
    return client.get(reverse("report_index_export"), query)


def test_support_report_list_shows_each_persons_report_and_sharing(client, cast, people):
    aoki, _formula, _outsider = people
    factories.SupportReportFactory(
        client=aoki, month=D(2024, 4, 1), staff=cast.alice,
        shared_with_client_on=D(2024, 4, 20), shared_with_employer_on=D(2024, 4, 22),
    )  # fmt: skip
    client.force_login(cast.alice)
    rows = csv_rows(reports_export(client, cast))
    assert rows == [
        REPORTS_HEADER,
        ["2024-04", "A001", "青木 花子", "共有済み", "2024-04-20", "2024-04-22", "青木 愛"],
        ["2024-04", "A002", "'=1+1 @SUM", "未作成", "", "", ""],
    ]
    book = xlsx_book(reports_export(client, cast, format="xlsx"))
    assert_excel_ready(book.active)
    assert sheet_rows(book.active)[1][4] == dt.datetime(2024, 4, 20)
    assert cp932_rows(reports_export(client, cast, encoding="cp932"))[0] == REPORTS_HEADER
    events = AuditEvent.objects.filter(action="export").order_by("pk")
    assert [e.detail for e in events] == [
        "support reports 2024-04 csv; clients: A001 A002",
        "support reports 2024-04 xlsx; clients: A001 A002",
        "support reports 2024-04 csv-cp932; clients: A001 A002",
    ]


def test_support_report_list_of_another_office_is_not_found(client, cast, people):
    client.force_login(cast.charlie)
    assert reports_export(client, cast).status_code == 404
    assert reports_export(client, cast, format="xml").status_code == 400


@pytest.mark.parametrize(
    ("page", "export"),
    [
        ("contact_list", "contact_list_export"),
        ("contact_stats_page", "contact_stats_export"),
        ("report_index", "report_index_export"),
    ],
)
def test_the_pages_offer_the_three_downloads(client, cast, people, page, export):
    client.force_login(cast.bob)
    html = client.get(reverse(page)).content.decode()
    for query in ("format=csv&amp;encoding=utf-8", "format=csv&amp;encoding=cp932",
                  "format=xlsx&amp;encoding=utf-8"):  # fmt: skip
        assert f'href="{reverse(export)}?{query}"' in html
    assert "ダウンロード：" in html
