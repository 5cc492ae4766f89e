"""The coordinator's response file: an XLSX that would expand out of proportion is refused before
it is opened; the file is read once by a background job (in-process without a broker) and kept
in the database, not the session; the mapping page shows the table read, without reading the
file again."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys.models import Response, ResponseFileUpload
from tests.factories import SurveyCoordinatorFactory, challenge_survey
from tests.surveys.test_form_files import _google_csv, _ms_forms_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bomb(cell_bytes):
    """A workbook whose first sheet holds one cell of ``cell_bytes`` letters: a few hundred KB
    on disk, expanding to the cell's size (and more) when opened."""
    data = _ms_forms_xlsx([["1", "2024/6/3 10:00", "2024/6/3 10:05", "", "", "NPO等", "", ""]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # the first data cell's text, "1"
                assert b"<t>1</t>" in content
                content = content.replace(b"<t>1</t>", b"<t>" + b"a" * cell_bytes + b"</t>", 1)
            bomb.writestr(item.filename, content)
    return out.getvalue()


@pytest.fixture
def coordinator_client(client):
    client.force_login(SurveyCoordinatorFactory().user)
    return client


def _upload(client, survey, name, data, content_type, capture=None):
    """Upload through the page. In a transactional test the upload commits and the job runs
    in-process at once, as without a broker; with ``capture`` (a test inside a transaction) the
    job runs once the page has answered, as a worker's would."""
    post = {"file": SimpleUploadedFile(name, data, content_type=content_type)}
    url = reverse("survey_responses_import", args=[survey.slug])
    if capture is None:
        return client.post(url, post)
    with capture(execute=True):
        return client.post(url, post)


@pytest.mark.django_db(transaction=True)
def test_a_compressed_bomb_is_refused_before_it_is_opened(coordinator_client, settings):
    settings.TEICHAKU_XLSX_MAX_UNCOMPRESSED_BYTES = 10_000_000
    survey = challenge_survey()
    bomb = _bomb(30_000_000)
    assert len(bomb) < 500_000  # 30 MB behind less than half a megabyte
    started = time.monotonic()
    page = _upload(coordinator_client, survey, "回答.xlsx", bomb, XLSX)
    assert time.monotonic() - started < 5
    assert page.status_code == 200
    text = page.content.decode()
    assert "展開され" in text and "10 MB" in text  # the Japanese reason, with the limit
    assert not ResponseFileUpload.objects.exists()  # nothing kept
    assert not Response.objects.filter(survey=survey).exists()


@pytest.mark.django_db
def test_a_bomb_below_the_size_limit_is_refused_for_its_ratio_when_a_worker_reads_it(
    coordinator_client, django_capture_on_commit_callbacks
):
    survey = challenge_survey()
    response = _upload(
        coordinator_client,
        survey,
        "回答.xlsx",
        _bomb(20_000_000),
        XLSX,
        django_capture_on_commit_callbacks,
    )
    # the page answered before the job ran: the mapping step follows it and finds it refused
    page = coordinator_client.get(response.url, follow=True)
    assert page.redirect_chain[-1][0] == reverse("survey_responses_import", args=[survey.slug])
    assert "圧縮" in page.content.decode()
    assert not ResponseFileUpload.objects.exists()


@pytest.mark.django_db
def test_the_file_waits_in_the_database_not_the_session_and_is_read_once(
    coordinator_client, django_capture_on_commit_callbacks
):
    survey = challenge_survey()
    response = _upload(
        coordinator_client,
        survey,
        "回答.csv",
        _google_csv(),
        "text/csv",
        django_capture_on_commit_callbacks,
    )
    assert response.url == reverse("survey_responses_mapping", args=[survey.slug])
    session = coordinator_client.session
    assert all(not isinstance(v, dict) or "data" not in v for v in session.values())
    assert "survey-form-file" not in session
    upload = ResponseFileUpload.objects.get()
    assert upload.status == ResponseFileUpload.Status.READ
    assert bytes(upload.content) == b""  # the bytes went once read
    assert len(upload.rows) == 2 and "タイムスタンプ" in upload.headings
    # the mapping page shows the table the job read: there is no file left to read again
    for _view in range(2):
        page = coordinator_client.get(response.url)
        assert page.status_code == 200
        assert len(page.context["columns"]) == len(upload.headings)
    post = {
        f"col-{c['index']}": "__time__" if c["time"] else c["selected"]
        for c in page.context["columns"]
    }
    for block in page.context["labels"]:
        for row in block["rows"]:
            post[f"label-{block['question'].code}-{row['index']}"] = row["selected"]
    done = coordinator_client.post(response.url, {**post, "action": "import"})
    assert done.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 2
    assert not ResponseFileUpload.objects.exists()  # imported: the kept table is gone


@pytest.mark.django_db
def test_while_a_worker_reads_the_file_the_mapping_page_waits_for_it(coordinator_client):
    survey = challenge_survey()
    user = coordinator_client.session["_auth_user_id"]
    ResponseFileUpload.objects.create(
        survey=survey, user_id=user, filename="回答.xlsx", content=b"PK", status="running"
    )
    page = coordinator_client.get(reverse("survey_responses_mapping", args=[survey.slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "読み込んでいます" in text and 'http-equiv="refresh"' in text


@pytest.mark.django_db
def test_another_coordinators_upload_is_not_seen(coordinator_client):
    survey = challenge_survey()
    other = SurveyCoordinatorFactory().user
    ResponseFileUpload.objects.create(
        survey=survey, user=other, filename="他人.csv", content=b"", status="read",
        headings=["タイムスタンプ"], rows=[[2, {"タイムスタンプ": "2024/06/03 10:00:00"}]],
    )  # fmt: skip
    page = coordinator_client.get(reverse("survey_responses_mapping", args=[survey.slug]))
    assert page.status_code == 302
    assert page.url == reverse("survey_responses_import", args=[survey.slug])
