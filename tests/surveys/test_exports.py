"""The survey report's tables (CSV, CP932, XLSX) and its figures (SVG and PNG) for publication."""

import struct
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.exports import assert_excel_ready, cp932_rows, csv_rows, sheet_rows, xlsx_book
from tests.factories import SurveyCoordinatorFactory, UserFactory, challenge_survey, respond

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
REPORT_HEADER = [
    "設問コード", "質問", "設問の種類", "n", "項目コード", "ラベル", "件数", "割合(%)",
    "回答数に対する割合(%)",
]  # fmt: skip


@pytest.fixture
def world(cast):
    survey = challenge_survey(slug="aoba-2024", corporation=cast.corporation_a)
    respond(survey, {"C01": 7, "role": "manager", "affiliation": ["retention_support"]})
    respond(survey, {"C01": 5, "role": "support_staff",
                     "affiliation": ["retention_support", "continuous_b"]})  # fmt: skip
    respond(survey, {"C01": 4, "role": "manager"})
    coordinator = UserFactory(username="coordinator")
    SurveyCoordinatorFactory(user=coordinator, corporation=cast.corporation_a)
    return survey, coordinator


def download(client, survey, **params):
    return client.get(reverse("survey_report_download", args=[survey.slug]), params)


def figure(client, survey, code, **params):
    return client.get(reverse("survey_report_figure", args=[survey.slug, code]), params)


def test_the_report_csv_has_japanese_headers_and_labels(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    rows = csv_rows(download(client, survey))
    assert rows[0] == REPORT_HEADER
    # C01: 7, 5, 4 → value 7 is one answer of three, 33.3%.
    assert [
        "C01",
        "利用者確保の課題",
        "7件法（1〜7）",
        "3",
        "7",
        "非常に課題である",
        "1",
        "33.3",
        "",
    ] in rows
    # role: manager twice of three answers.
    assert any(
        row[0] == "role" and row[4] == "manager" and row[6:8] == ["2", "66.7"] for row in rows
    )


def test_the_report_in_cp932_and_xlsx(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    assert cp932_rows(download(client, survey, encoding="cp932"))[0] == REPORT_HEADER
    book = xlsx_book(download(client, survey, format="xlsx"))
    for sheet in book.worksheets:
        assert_excel_ready(sheet)
    assert sheet_rows(book.worksheets[0])[0] == REPORT_HEADER


def test_the_report_download_is_audited_and_validated(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    download(client, survey, format="xlsx")
    event = AuditEvent.objects.get(action="export")
    assert event.detail == "survey report xlsx" and event.object_id == str(survey.pk)
    assert download(client, survey, format="docx").status_code == 400


def test_a_likert_figure_is_a_standalone_svg_with_its_labels(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    response = figure(client, survey, "C01")
    assert response["Content-Type"] == "image/svg+xml"
    assert 'filename="aoba-2024-C01.svg"' in response["Content-Disposition"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any("利用者確保の課題" in t for t in texts)
    assert "7 非常に課題である" in texts and "1 全く課題でない" in texts
    # 4, 5 and 7 answered once each: three segments of a third; the white background is first.
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("height") == "40"]
    assert [b.get("fill") for b in bars] == ["#bdbdbd", "#fddbc7", "#b2182b"]
    assert "33.3%" in texts


def test_a_choice_figure_has_a_bar_per_choice(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    root = ET.fromstring(figure(client, survey, "role", format="svg").content)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "管理者" in texts and "66.7% (2)" in texts and "支援者" in texts


def test_a_figure_as_png_is_an_image_of_the_same_size_doubled(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    svg = ET.fromstring(figure(client, survey, "role").content)
    response = figure(client, survey, "role", format="png")
    assert response["Content-Type"] == "image/png"
    body = response.content
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", body[16:24])  # the IHDR chunk
    assert (width, height) == (2 * int(svg.get("width")), 2 * int(svg.get("height")))
    assert AuditEvent.objects.filter(action="export", detail="survey figure role png").exists()


def test_figures_are_validated_and_scoped(client, cast, world):
    survey, coordinator = world
    client.force_login(coordinator)
    assert figure(client, survey, "C01", format="gif").status_code == 400
    assert figure(client, survey, "NOPE").status_code == 404
    client.force_login(cast.charlie)
    assert figure(client, survey, "C01").status_code == 404


def test_the_report_page_links_its_downloads_and_each_figure(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    html = client.get(reverse("survey_report", args=[survey.slug])).content.decode()
    download_url = reverse("survey_report_download", args=[survey.slug])
    assert f'href="{download_url}?format=csv&amp;encoding=cp932"' in html
    figure_url = reverse("survey_report_figure", args=[survey.slug, "C01"])
    assert f'href="{figure_url}?format=png"' in html and f'href="{figure_url}?format=svg"' in html


def test_a_formula_like_label_is_written_as_text(client, world):
    survey, coordinator = world
    role = survey.questions.get(code="role")
    role.choices.filter(code="manager").update(label_ja="=HYPERLINK(1)", label_en="=HYPERLINK(1)")
    client.force_login(coordinator)
    rows = csv_rows(download(client, survey))
    assert [row[5] for row in rows if row[0] == "role" and row[4] == "manager"] == [
        "'=HYPERLINK(1)"
    ]
    book = xlsx_book(download(client, survey, format="xlsx"))
    labels = [row[5] for row in sheet_rows(book.worksheets[0]) if row[4] == "manager"]
    assert labels == ["'=HYPERLINK(1)"]
