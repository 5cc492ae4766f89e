"""The survey coordinator's other tables as CSV (UTF-8 with BOM, or CP932) and XLSX: the survey
list, the cross-tabulation and the year-over-year comparison (the scheme of tests/exports.py)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import AuditEvent
from surveys.models import Survey
from tests.exports import assert_excel_ready, cp932_rows, csv_rows, sheet_rows, xlsx_book
from tests.factories import SurveyCoordinatorFactory, UserFactory, challenge_survey, respond

pytestmark = pytest.mark.django_db

TITLE = "就労定着支援事業所を取り巻く課題に関する調査"


@pytest.fixture
def world(cast):
    survey = challenge_survey(slug="aoba-2024", corporation=cast.corporation_a)
    respond(survey, {"C01": 7, "role": "manager"})
    respond(survey, {"C01": 5, "role": "support_staff"})
    respond(survey, {"C01": 4, "role": "manager"})
    old = challenge_survey(slug="aoba-2023", year=2023, corporation=cast.corporation_a)
    respond(old, {"C01": 3})
    respond(old, {"C01": 6})
    elsewhere = challenge_survey(slug="midori-2023", year=2023, corporation=cast.corporation_b)
    respond(elsewhere, {"C01": 1})
    coordinator = UserFactory(username="coordinator")
    SurveyCoordinatorFactory(user=coordinator, corporation=cast.corporation_a)
    return survey, old, elsewhere, coordinator


def get(client, name, *args, **params):
    return client.get(reverse(name, args=args), params)


# ---------------------------------------------------------------------------------------------
# The survey list

LIST_HEADER = ["年度", "タイトル", "スラッグ", "実施主体", "状態", "レポート公開", "回答"]


def test_the_survey_list_csv_has_japanese_headers_and_the_pages_rows(client, world):
    *_, coordinator = world
    client.force_login(coordinator)
    rows = csv_rows(get(client, "survey_list_export"))
    # Newest year first; corporation B's survey is not there.
    assert rows == [
        LIST_HEADER,
        ["2024", f"{TITLE} 2024", "aoba-2024", "社会福祉法人あおば会", "回答受付中", "", "3"],
        ["2023", f"{TITLE} 2023", "aoba-2023", "社会福祉法人あおば会", "回答受付中", "", "2"],
    ]


def test_the_survey_list_export_honours_the_search_and_is_audited(client, world):
    *_, coordinator = world
    client.force_login(coordinator)
    rows = csv_rows(get(client, "survey_list_export", q="2023"))
    assert [row[2] for row in rows[1:]] == ["aoba-2023"]
    [event] = AuditEvent.objects.filter(action="export")
    assert event.username == "coordinator" and event.office is None
    assert event.detail == "survey list csv; q=2023; surveys: aoba-2023"


def test_the_survey_list_in_cp932_and_xlsx(client, world):
    *_, coordinator = world
    client.force_login(coordinator)
    assert cp932_rows(get(client, "survey_list_export", encoding="cp932"))[1][1] == f"{TITLE} 2024"
    sheet = xlsx_book(get(client, "survey_list_export", format="xlsx")).active
    assert_excel_ready(sheet)
    assert sheet_rows(sheet)[1][6] == 3  # a number cell


def test_a_character_cp932_lacks_refuses_the_survey_list(client, world):
    Survey.objects.filter(slug="aoba-2023").update(title="𠮷報告")
    *_, coordinator = world
    client.force_login(coordinator)
    response = get(client, "survey_list_export", encoding="cp932")
    assert response.status_code == 302 and response["Location"] == reverse("survey_list") + "?"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Shift_JIS（CP932）で書けない文字があります" in message and "𠮷" in message
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_survey_list_export_is_empty_for_office_staff(client, cast, world):
    client.force_login(cast.alice)  # coordinates nothing
    assert csv_rows(get(client, "survey_list_export")) == [LIST_HEADER]


def test_no_survey_can_take_the_slug_of_the_lists_download(client, world):
    survey, *_, coordinator = world
    client.force_login(coordinator)
    response = client.post(
        reverse("survey_copy", args=[survey.slug]), {"slug": "export", "year": 2025}
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Survey.objects.filter(slug="export").exists()


# ---------------------------------------------------------------------------------------------
# The cross-tabulation

CROSSTAB_HEADER = ["回答者の職務内容", "n", "1", "2", "3", "4", "5", "6", "7", "5〜7 (%)", "平均"]


def test_the_crosstab_csv_is_the_pages_table(client, world):
    survey, *_, coordinator = world
    client.force_login(coordinator)
    rows = csv_rows(get(client, "survey_crosstab_export", survey.slug, item="C01", by="role"))
    zero = ["0.0"] * 7
    assert rows == [
        CROSSTAB_HEADER,
        # 支援者: one answer, 5 → 100% at 5, top box 100%, mean 5.
        ["支援者", "1", "0.0", "0.0", "0.0", "0.0", "100.0", "0.0", "0.0", "100.0", "5.0"],
        ["サービス管理責任者", "0", *zero, "0.0", ""],  # nobody: no mean
        # 管理者: 7 and 4 → 50% each, top box 50%, mean 5.5.
        ["管理者", "2", "0.0", "0.0", "0.0", "50.0", "0.0", "0.0", "50.0", "50.0", "5.5"],
        ["その他", "0", *zero, "0.0", ""],
        # Everyone: 7, 5, 4 → a third each, top box 2/3, mean 16/3.
        ["全て", "3", "0.0", "0.0", "0.0", "33.3", "33.3", "0.0", "33.3", "66.7", "5.33"],
    ]


def test_the_crosstab_in_cp932_and_xlsx_and_audited_on_the_survey(client, world):
    survey, *_, coordinator = world
    client.force_login(coordinator)
    # Without a choice, the page's first likert item (C01) by its first attribute (所属).
    header = cp932_rows(get(client, "survey_crosstab_export", survey.slug, encoding="cp932"))[0]
    # CP932 holds the wave dash 〜 as 0x8160, which Windows (and Python) read back as ～.
    assert header == ["回答者の所属", *CROSSTAB_HEADER[1:9], "5～7 (%)", "平均"]
    response = get(
        client, "survey_crosstab_export", survey.slug, item="C01", by="role", format="xlsx"
    )
    sheet = xlsx_book(response).active
    assert_excel_ready(sheet)
    assert sheet_rows(sheet)[5][10] == 5.33
    events = AuditEvent.objects.filter(action="export").order_by("pk")
    assert [e.detail for e in events] == [
        "survey crosstab C01 by affiliation csv-cp932",
        "survey crosstab C01 by role xlsx",
    ]
    assert events[0].object_id == str(survey.pk)


@pytest.mark.parametrize("params", [{"item": "role", "by": "role"}, {"item": "C01", "by": "zzz"}])
def test_a_crosstab_the_page_cannot_show_is_not_found(client, world, params):
    survey, *_, coordinator = world
    client.force_login(coordinator)
    assert get(client, "survey_crosstab_export", survey.slug, **params).status_code == 404


# ---------------------------------------------------------------------------------------------
# The year-over-year comparison

COMPARE_HEADER = [
    "設問コード", "質問", "項目", "n（2024）", "n（2023）", "2024", "2023", "増減（ポイント）"
]  # fmt: skip


def test_the_comparison_csv_is_the_pages_table(client, world):
    survey, *_, coordinator = world
    client.force_login(coordinator)
    rows = csv_rows(get(client, "survey_compare_export", survey.slug))
    assert rows[0] == COMPARE_HEADER
    c01 = [row for row in rows if row[0] == "C01"]
    # 2024: 7, 5, 4 → top box 66.7%, mean 5.33; 2023: 3, 6 → 50.0%, 4.5.
    assert c01 == [
        ["C01", "利用者確保の課題", "5〜7 (%)", "3", "2", "66.7", "50.0", "16.7"],
        ["C01", "利用者確保の課題", "平均", "3", "2", "5.33", "4.5", "0.83"],
    ]
    # Nobody answered C02 in either year: nothing to compare.
    assert ["C02", "支援提供の制約", "5〜7 (%)", "0", "0", "", "", ""] in rows


def test_the_comparison_in_cp932_and_xlsx_and_audited(client, world):
    survey, *_ = world
    client.force_login(world[-1])
    assert cp932_rows(get(client, "survey_compare_export", survey.slug, encoding="cp932"))[0] == (
        COMPARE_HEADER
    )
    sheet = xlsx_book(get(client, "survey_compare_export", survey.slug, format="xlsx")).active
    assert_excel_ready(sheet)
    top = next(row for row in sheet_rows(sheet) if row[0] == "C01")
    assert top[5:] == [66.7, 50, 16.7]
    details = list(
        AuditEvent.objects.filter(action="export").order_by("pk").values_list("detail", flat=True)
    )
    assert details == [
        "survey comparison with aoba-2023 csv-cp932",
        "survey comparison with aoba-2023 xlsx",
    ]


def test_another_corporations_survey_is_no_comparison(client, world):
    survey, _old, elsewhere, coordinator = world
    client.force_login(coordinator)
    response = get(client, "survey_compare_export", survey.slug, other=elsewhere.slug)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("name", ["survey_crosstab_export", "survey_compare_export"])
@pytest.mark.parametrize("params", [{"format": "pdf"}, {"encoding": "shift-jis"}])
def test_an_unknown_format_is_a_bad_request(client, world, name, params):
    survey, *_, coordinator = world
    client.force_login(coordinator)
    assert get(client, name, survey.slug, **params).status_code == 400
    assert get(client, "survey_list_export", **params).status_code == 400


def test_the_report_pages_offer_the_downloads(client, world):
    survey, *_, coordinator = world
    client.force_login(coordinator)
    for page, export in (("survey_crosstab", "survey_crosstab_export"),
                         ("survey_compare", "survey_compare_export")):  # fmt: skip
        html = get(client, page, survey.slug).content.decode()
        assert f'data-export="{reverse(export, args=[survey.slug])}"' in html
    assert 'data-export="/surveys/export/"' in get(client, "survey_list").content.decode()


# ---------------------------------------------------------------------------------------------
# The invitation list

INVITATION_HEADER = ["メールアドレス", "送信日時", "督促", "回答"]


@pytest.fixture
def invited(world):
    import datetime as dt

    survey, *_ = world
    sent = dt.datetime(2024, 6, 1, 0, 30, tzinfo=dt.UTC)  # 09:30 in Japan
    survey.invitations.create(email="b@example.jp", sent_at=sent, reminders=2, responded=True)
    survey.invitations.create(email="a@example.jp")
    _survey, _old, elsewhere, _coordinator = world
    elsewhere.invitations.create(email="yoso@example.jp")
    return survey


def test_the_invitation_csv_has_japanese_headers_and_the_pages_rows(client, world, invited):
    client.force_login(world[-1])
    rows = csv_rows(get(client, "survey_invitations_export", invited.slug))
    # By address, as the page; the sending time in Japan time.
    assert rows == [
        INVITATION_HEADER,
        ["a@example.jp", "", "0", ""],
        ["b@example.jp", "2024-06-01 09:30", "2", "はい"],
    ]


def test_the_invitation_export_honours_the_filters_and_is_audited(client, world, invited):
    client.force_login(world[-1])
    rows = csv_rows(get(client, "survey_invitations_export", invited.slug, status="pending"))
    assert [row[0] for row in rows[1:]] == ["a@example.jp"]
    rows = cp932_rows(get(client, "survey_invitations_export", invited.slug, encoding="cp932"))
    assert rows[0] == INVITATION_HEADER and len(rows) == 3
    sheet = xlsx_book(get(client, "survey_invitations_export", invited.slug, format="xlsx")).active
    assert_excel_ready(sheet)
    assert sheet_rows(sheet)[2] == ["b@example.jp", "2024-06-01 09:30", 2, "はい"]
    details = list(
        AuditEvent.objects.filter(action="export").order_by("pk").values_list("detail", flat=True)
    )
    # The addresses stay out of the trail: only how many were in the file.
    assert details == [
        "survey invitations csv; status=pending; addresses: 1",
        "survey invitations csv-cp932; addresses: 2",
        "survey invitations xlsx; addresses: 2",
    ]


def test_only_the_coordinator_exports_the_invitations(client, cast, world, invited):
    _survey, _old, elsewhere, coordinator = world
    client.force_login(cast.bob)
    assert get(client, "survey_invitations_export", invited.slug).status_code == 404
    client.force_login(coordinator)
    assert get(client, "survey_invitations_export", elsewhere.slug).status_code == 404
    assert get(client, "survey_invitations_export", invited.slug, format="x").status_code == 400
