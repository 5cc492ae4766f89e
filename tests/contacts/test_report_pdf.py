"""The support report PDF: drawn from the print view's template, with IPAexGothic embedded
(checked with poppler-utils: pdffonts, pdftotext, pdftoppm)."""

import datetime as dt
import shutil
import subprocess

import pytest

from contacts.pdf import support_report_pdf
from tests import factories
from tests.conftest import IN_CI


def _tool(name):
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is missing; CI must apt-get install poppler-utils")
        pytest.skip(f"{name} is not installed (apt-get install poppler-utils)")
    return path


def _render(pdf_bytes, tmp_path, name):
    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(pdf_bytes)
    command = [_tool("pdftoppm"), "-r", "60", "-gray", "-f", "1", "-l", "1"]
    subprocess.run([*command, str(pdf), str(tmp_path / name)], check=True)
    (png,) = tmp_path.glob(f"{name}-*.pgm")
    return pdf, png


def _dark_pixels(pgm_path):
    """Count of dark pixels in a binary PGM (P5) written by pdftoppm -gray."""
    data = pgm_path.read_bytes()
    # Header: P5\n<width> <height>\n<maxval>\n
    parts = data.split(b"\n", 3)
    assert parts[0] == b"P5"
    pixels = parts[3]
    return sum(1 for value in pixels if value < 128)


@pytest.fixture
def report(db):
    person = factories.ClientFactory(family_name="定着", given_name="花子")
    staff = factories.UserFactory(last_name="支援", first_name="太郎")
    return factories.SupportReportFactory(
        client=person,
        staff=staff,
        month=dt.date(2024, 4, 1),
        summary="職場訪問で業務の様子を確認しました。",
        work_side="・4/10 職場訪問（企業） 上司と面談",
        life_side="・4/15 電話連絡（家族） 生活リズムは安定",
        next_goals="通院を継続し、残業を月10時間以内にする。",
    )


@pytest.mark.django_db
def test_the_japanese_text_of_the_report_is_in_the_pdf(report, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(support_report_pdf(report))
    text = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "定着 花子" in text
    assert "支援 太郎" in text  # the staff member, family name first
    assert "2024年4月" in text
    assert "本人確認" in text
    assert "署名" in text
    assert "職場訪問で業務の様子を確認しました。" in text
    assert "生活リズムは安定" in text


@pytest.mark.django_db
def test_the_japanese_font_is_embedded_not_substituted(report, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(support_report_pdf(report))
    listing = subprocess.run(
        [_tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    (line,) = [row for row in listing.splitlines() if "IPAexGothic" in row]
    # name, type, encoding, emb, sub, uni: the font is embedded, as a subset.
    assert "TrueType" in line and line.split()[-5:-2] == ["yes", "yes", "yes"]
    assert "HeiseiKakuGo" not in listing


@pytest.mark.django_db
def test_the_print_view_and_the_pdf_come_from_one_template(cast, client, monkeypatch):
    from contacts import pdf as pdf_module

    person = factories.ClientFactory(office=cast.office_a, family_name="印刷")
    report = factories.SupportReportFactory(client=person, summary="同じ型から")
    client.force_login(cast.alice)
    printed = client.get(f"/contacts/reports/{report.pk}/print/")
    assert [t.name for t in printed.templates] == ["contacts/report_document.html"]
    assert "同じ型から" in printed.content.decode() and "本人確認" in printed.content.decode()
    rendered = []
    original = pdf_module.render_to_string

    def spy(name, context, *args, **kwargs):
        rendered.append((name, context["for_pdf"]))
        return original(name, context, *args, **kwargs)

    monkeypatch.setattr(pdf_module, "render_to_string", spy)
    assert client.get(f"/contacts/reports/{report.pk}/pdf/").status_code == 200
    assert rendered == [("contacts/report_document.html", True)]


@pytest.mark.django_db
def test_a_rendered_page_is_not_blank(report, tmp_path):
    _pdf, page = _render(support_report_pdf(report), tmp_path, "page")
    assert _dark_pixels(page) > 2000


@pytest.mark.django_db
def test_japanese_glyphs_are_drawn_not_left_blank(report, tmp_path):
    # The same report rendered twice: once with long Japanese texts, once without them. If the
    # Japanese glyphs were missing (tofu or nothing), the long texts would add no ink.
    report.summary = report.summary * 8
    report.next_goals = report.next_goals * 8
    _pdf, full = _render(support_report_pdf(report), tmp_path, "full")
    report.summary = report.work_side = report.life_side = report.next_goals = ""
    _pdf, empty = _render(support_report_pdf(report), tmp_path, "empty")
    full_ink, empty_ink = _dark_pixels(full), _dark_pixels(empty)
    assert empty_ink > 0  # the headings and the table are drawn
    assert full_ink > empty_ink * 1.2


@pytest.mark.django_db
def test_the_pdf_view_serves_the_report_to_its_office(cast, client):
    person = factories.ClientFactory(office=cast.office_a)
    report = factories.SupportReportFactory(client=person, summary="面談しました")
    client.force_login(cast.alice)
    response = client.get(f"/contacts/reports/{report.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(cast.charlie)
    assert client.get(f"/contacts/reports/{report.pk}/pdf/").status_code == 404


@pytest.mark.django_db
def test_different_japanese_words_draw_different_shapes(report, tmp_path):
    # Missing glyphs come out all alike (the same empty box, or nothing); real glyphs differ.
    # Two reports that differ only in four kanji of the summary must render differently.
    report.work_side = report.life_side = report.next_goals = ""
    report.summary = "職場訪問" * 10
    _pdf, first = _render(support_report_pdf(report), tmp_path, "first")
    report.summary = "生活支援" * 10
    _pdf, second = _render(support_report_pdf(report), tmp_path, "second")
    assert first.read_bytes() != second.read_bytes()
