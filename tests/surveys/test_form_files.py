"""Response files from Google Forms and Microsoft Forms: a suggested mapping, confirmed by the
coordinator, saved for next year, then the whole-or-nothing import of DESIGN 5.2."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from core.audit import Actor
from surveys import form_files
from surveys.models import Answer, Response, ResponseMapping
from tests.factories import SurveyCoordinatorFactory, challenge_survey

pytestmark = pytest.mark.django_db

GRID = "就労定着支援事業所の次のことは、どの程度課題だと思いますか。"
SHORTS = [
    "利用者確保の課題", "支援提供の制約", "企業との連携", "生活支援の連携", "医療機関との連携",
    "定着率を高める課題", "事業所職員の確保", "キャリアアップの課題",
    "報酬単価と事業所の運営の課題", "退職後の転職支援の期間", "6カ月以内の支援", "報酬体系の変更",
]  # fmt: skip
GOOGLE_HEADER = [
    "タイムスタンプ",
    "メールアドレス",
    "あなたの所属する事業所・機関をすべて選んでください。",
    "所属する事業所の設置法人の種類を選んでください。",
    "あなたの職務内容を選んでください。",
    *(f"{GRID} [{short}]" for short in SHORTS),
    "就労定着支援で本人の状態を把握するために実施している方法をすべて選んでください。",
    "自法人以外の就労系事業所を利用して就職した方の定着支援の利用には、課題があると思いますか。",
    "自法人以外の就労系事業所を利用した新規利用者への対応の現状と課題について、具体的にお書きください。",
    "セルフプラン利用者と計画相談利用者とで、支援の違いやその課題があればお書きください。",
]
GOOGLE_ROWS = [
    ["2024/06/03 10:15:22", "a@example.jp", "就労定着支援, 就労移行支援", "社会福祉法人",
     "支援者", *["やや課題である"] * 11, "非常に課題である",
     "電話連絡, LINEなどSNSでの連絡, 相談支援など他機関との連携", "課題がある",
     "情報が少なく、\n関係づくりに時間がかかる", ""],
    ["2024/06/04 9:01:00", "b@example.jp", "就労定着支援", "民間企業", "サービス管理責任者",
     *["4"] * 12, "職場訪問", "わからない", "", "特になし"],
]  # fmt: skip


def _google_csv():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(GOOGLE_HEADER)
    writer.writerows(GOOGLE_ROWS)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _ms_forms_xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "開始時刻", "完了時刻", "メール", "名前", "所属の設置法人",
                  "状態把握の方法", "回答者の職務内容"])  # fmt: skip
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _answers(response, code):
    answer = Answer.objects.get(response=response, question__code=code)
    return (
        answer.likert
        or (answer.choice and answer.choice.code)
        or answer.text
        or sorted(answer.selected.values_list("choice__code", flat=True))
    )


def test_a_google_forms_file_is_mapped_by_its_wording_and_imported(cast):
    survey = challenge_survey()
    form_file = form_files.read_form_file(_google_csv(), filename="回答.csv")
    mapping = form_files.suggest_mapping(survey, form_file)
    assert mapping.time_column == "タイムスタンプ"
    assert mapping.columns["メールアドレス"] == ""
    assert mapping.columns[f"{GRID} [利用者確保の課題]"] == "C01"
    assert mapping.columns[f"{GRID} [報酬体系の変更]"] == "C12"
    assert mapping.labels["status_methods"]["LINEなどSNSでの連絡"] == "line_sns"
    assert mapping.labels["C01"]["やや課題である"] == "5"
    assert all(code for labels in mapping.labels.values() for code in labels.values())

    result = form_files.import_form_file(
        survey, form_file, mapping, actor=Actor.command(), filename="回答.csv"
    )
    assert result.ok, result.errors
    assert result.created == 2
    first, second = Response.objects.filter(survey=survey).order_by("submitted_at")
    assert first.submitted_at == dt.datetime(2024, 6, 3, 1, 15, 22, tzinfo=dt.UTC)
    assert _answers(first, "affiliation") == ["retention_support", "transition_support"]
    assert _answers(first, "status_methods") == ["agency_coordination", "line_sns", "phone"]
    assert _answers(first, "C12") == 7
    assert _answers(first, "other_org_challenges") == "情報が少なく、\n関係づくりに時間がかかる"
    assert _answers(second, "role") == "service_manager"
    assert _answers(second, "C05") == 4
    # The same file again changes nothing.
    again = form_files.import_form_file(survey, form_file, mapping, actor=Actor.command())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_an_unmatched_label_refuses_the_file_naming_the_row_and_column(cast):
    survey = challenge_survey()
    data = _ms_forms_xlsx(
        [
            [
                1,
                "6/3/2024 10:00:00",
                "6/3/2024 10:05:00",
                "anonymous",
                "",
                "社会福祉法人",
                "電話連絡;職場訪問;",
                "支援者",
            ],
            [
                2,
                "6/3/2024 11:00:00",
                "6/3/2024 11:04:00",
                "anonymous",
                "",
                "特定非営利活動法人",
                "メールでの連絡;",
                "管理者",
            ],
        ]
    )
    form_file = form_files.read_form_file(data, filename="Forms.xlsx")
    mapping = form_files.suggest_mapping(survey, form_file)
    assert mapping.time_column == "開始時刻"
    assert mapping.columns["ID"] == mapping.columns["完了時刻"] == ""
    assert mapping.columns["所属の設置法人"] == "corporation_type"
    assert mapping.labels["corporation_type"]["特定非営利活動法人"] == ""
    result = form_files.import_form_file(survey, form_file, mapping, actor=Actor.command())
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.value, error.label) == (3, "特定非営利活動法人", "所属の設置法人")
    assert not Response.objects.filter(survey=survey).exists()

    mapping.labels["corporation_type"]["特定非営利活動法人"] = "npo"
    result = form_files.import_form_file(survey, form_file, mapping, actor=Actor.command())
    assert result.ok, result.errors
    second = Response.objects.get(
        survey=survey, submitted_at=dt.datetime(2024, 6, 3, 2, 0, tzinfo=dt.UTC)
    )
    assert _answers(second, "corporation_type") == "npo"
    assert _answers(second, "status_methods") == ["email"]


def test_the_confirmed_mapping_is_the_default_for_next_years_survey(cast):
    from surveys.definitions import survey_copy

    survey = challenge_survey()
    form_file = form_files.read_form_file(_ms_forms_xlsx(
        [[1, "2024/6/3 10:00", "", "", "", "NPO等", "電話連絡", "その他の職種"]]))  # fmt: skip
    mapping = form_files.suggest_mapping(survey, form_file)
    mapping.labels["corporation_type"]["NPO等"] = "npo"
    mapping.labels["role"]["その他の職種"] = "other"
    mapping.columns["完了時刻"] = ""
    form_files.import_form_file(survey, form_file, mapping, actor=Actor.command())
    assert ResponseMapping.objects.filter(key="retention-challenges").count() == 1

    next_year = survey_copy(source=survey, slug="challenges-2025", year=2025)
    suggested = form_files.suggest_mapping(next_year, form_file)
    assert suggested.labels["corporation_type"]["NPO等"] == "npo"
    assert suggested.labels["role"]["その他の職種"] == "other"


def test_the_coordinator_confirms_the_mapping_on_a_page(
    cast, client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    survey = challenge_survey()
    coordinator = SurveyCoordinatorFactory().user
    client.force_login(coordinator)
    upload = SimpleUploadedFile("回答.csv", _google_csv(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):  # the reading job, in-process
        response = client.post(
            reverse("survey_responses_import", args=[survey.slug]), {"file": upload}
        )
    assert response.url == reverse("survey_responses_mapping", args=[survey.slug])
    page = client.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "ファイルと調査の対応付け" in text
    columns = page.context["columns"]
    post = {f"col-{c['index']}": "__time__" if c["time"] else c["selected"] for c in columns}
    for block in page.context["labels"]:
        for row in block["rows"]:
            post[f"label-{block['question'].code}-{row['index']}"] = row["selected"]
    checked = client.post(response.url, {**post, "action": "check"})
    assert "2行を確認しました" in checked.content.decode()
    assert not Response.objects.filter(survey=survey).exists()
    done = client.post(response.url, {**post, "action": "import"})
    assert done.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 2
    assert ResponseMapping.objects.filter(key="retention-challenges").exists()


def test_office_staff_cannot_reach_the_import_pages(cast, client):
    survey = challenge_survey()
    client.force_login(cast.alice)
    assert client.get(reverse("survey_responses_import", args=[survey.slug])).status_code == 404
    assert client.get(reverse("survey_responses_mapping", args=[survey.slug])).status_code == 404
