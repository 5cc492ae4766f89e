"""The life of a background job (core/jobs.py): sweeping, cancelling, the file deleted however a
job ends, an unreachable broker, and /healthz."""

import datetime as dt
import socket
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contacts.models import ReportBatchJob
from core import jobs
from core.models import ImportJob
from offices.models import Office
from tests.core.test_real_worker import OFFICES_CSV

INTERRUPTED = "処理が中断されました。再実行してください。"


def import_job(user, *, status=ImportJob.Status.PENDING, age=dt.timedelta(0), **fields):
    job = ImportJob.objects.create(
        user=user, kind="offices", filename="offices.csv", content=OFFICES_CSV, status=status,
        **fields,
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - age)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
class TestSweep:
    def test_a_running_job_silent_too_long_is_failed_with_its_file_deleted(self, cast, settings):
        settings.TEICHAKU_JOB_STALE_MINUTES = 15
        silent = timezone.now() - dt.timedelta(minutes=16)
        job = import_job(cast.bob, status="running", heartbeat_at=silent)
        alive = import_job(cast.bob, status="running", heartbeat_at=timezone.now())
        assert jobs.sweep() == [job]
        job.refresh_from_db()
        assert (job.status, job.error, bytes(job.content)) == ("failed", INTERRUPTED, b"")
        alive.refresh_from_db()
        assert alive.status == "running" and bytes(alive.content) == OFFICES_CSV

    def test_a_job_waiting_too_long_is_failed(self, cast, settings):
        settings.TEICHAKU_JOB_PENDING_MINUTES = 30
        old = import_job(cast.bob, age=dt.timedelta(minutes=31))
        recent = import_job(cast.bob, age=dt.timedelta(minutes=5))
        jobs.sweep()
        old.refresh_from_db()
        recent.refresh_from_db()
        assert (old.status, bytes(old.content)) == ("failed", b"")
        assert recent.status == "pending"

    def test_a_silent_job_asked_to_cancel_ends_cancelled(self, cast):
        job = import_job(cast.bob, status="running", cancel_requested=True, age=dt.timedelta(1))
        jobs.sweep()
        job.refresh_from_db()
        assert job.status == "cancelled"

    def test_report_jobs_are_swept_too(self, cast):
        job = ReportBatchJob.objects.create(
            office=cast.office_a, month=dt.date(2024, 5, 1), status="running"
        )
        ReportBatchJob.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - dt.timedelta(hours=1)
        )
        jobs.sweep()
        job.refresh_from_db()
        assert (job.status, job.error) == ("failed", INTERRUPTED)

    def test_the_command_sweeps_and_names_the_jobs(self, cast, capsys):
        job = import_job(cast.bob, age=dt.timedelta(days=1))
        call_command("sweep_jobs")
        out, err = capsys.readouterr()
        assert out.split() == ["core.ImportJob", str(job.pk), "failed"]
        assert "1 job(s) swept." in err

    def test_a_swept_import_offers_a_retry_that_asks_for_the_file_again(self, cast, client):
        job = import_job(cast.bob, age=dt.timedelta(days=1))
        jobs.sweep()
        client.force_login(cast.bob)
        page = client.get(reverse("import_job", kwargs={"job_pk": job.pk})).content.decode()
        assert INTERRUPTED in page
        assert "ファイルは削除しました" in page
        assert f"{reverse('import_upload')}?kind=offices" in page


@pytest.mark.django_db
class TestCancel:
    def test_a_waiting_import_is_cancelled_at_once_and_its_file_deleted(self, cast, client):
        job = import_job(cast.bob)
        client.force_login(cast.bob)
        page = client.get(reverse("import_job", kwargs={"job_pk": job.pk})).content.decode()
        assert "中止" in page
        client.post(reverse("import_job_cancel", kwargs={"job_pk": job.pk}))
        job.refresh_from_db()
        assert (job.status, bytes(job.content)) == ("cancelled", b"")
        # The message may still arrive at a worker: it finds the job ended and does nothing.
        from core import importing

        importing.run_job(job.pk)
        assert Office.objects.filter(office_number="1300000001").count() == 0

    def test_a_running_job_is_asked_to_stop_at_its_next_batch(self, cast):
        job = import_job(cast.bob, status="running")
        assert jobs.cancel(job)
        job.refresh_from_db()
        assert (job.status, job.cancel_requested) == ("running", True)
        with pytest.raises(jobs.JobStopped):
            jobs.beat(job, rows_done=1)

    def test_another_user_cannot_cancel_an_import(self, cast, client):
        job = import_job(cast.bob)
        client.force_login(cast.alice)
        response = client.post(reverse("import_job_cancel", kwargs={"job_pk": job.pk}))
        assert response.status_code == 404
        job.refresh_from_db()
        assert job.status == "pending"

    def test_cancelling_a_report_job_of_another_office_is_not_found(self, cast, client):
        job = ReportBatchJob.objects.create(office=cast.office_a, month=dt.date(2024, 5, 1))
        client.force_login(cast.charlie)
        response = client.post(reverse("report_job_cancel", kwargs={"report_job_pk": job.pk}))
        assert response.status_code == 404


@pytest.mark.django_db
class TestTheFileIsDeletedHoweverTheJobEnds:
    def test_done(self, cast, admin_user):
        from core import importing

        job = import_job(admin_user)
        assert importing.run_job(job.pk).status == "done"
        job.refresh_from_db()
        assert bytes(job.content) == b""

    def test_refused(self, cast, admin_user):
        from core import importing

        job = import_job(admin_user)
        ImportJob.objects.filter(pk=job.pk).update(content=b"office_number\nnot-a-number\n")
        assert importing.run_job(job.pk).status == "refused"
        job.refresh_from_db()
        assert bytes(job.content) == b""

    def test_interrupted_too_often(self, cast, admin_user):
        from core import importing

        job = import_job(admin_user, status="running", attempts=jobs.MAX_ATTEMPTS)
        assert importing.run_job(job.pk).status == "failed"
        job.refresh_from_db()
        assert bytes(job.content) == b""
        assert "3 回中断" in job.error


def closed_port():
    """A local port nothing listens on: a Redis that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down():
    """The Celery app points at a Redis that does not answer (a closed port, no mock)."""
    from config.celery_app import app
    from tests.conftest import _reset_broker_pool

    url = f"redis://127.0.0.1:{closed_port()}/7"
    saved = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _reset_broker_pool(app)
    yield url
    app.conf.update(saved)
    _reset_broker_pool(app)


@pytest.mark.django_db(transaction=True)
class TestBrokerDown:
    def test_an_upload_answers_quickly_in_japanese_and_keeps_nothing(
        self, cast, client, admin_user, broker_down
    ):
        client.force_login(admin_user)
        started = time.monotonic()
        response = client.post(
            reverse("import_upload"),
            {"kind": "offices", "file": SimpleUploadedFile("offices.csv", OFFICES_CSV)},
        )
        assert time.monotonic() - started < 10
        assert response.status_code == 503
        assert "処理を開始できませんでした" in response.content.decode()
        assert ImportJob.objects.count() == 0  # neither a pending job nor the file
        assert Office.objects.filter(office_number="1300000001").count() == 0

    def test_report_generation_answers_in_japanese_and_keeps_no_job(
        self, cast, client, broker_down
    ):
        client.force_login(cast.bob)
        response = client.post(
            reverse("report_generate"),
            {"office": cast.office_a.office_number, "month": "2024-05"},
            follow=True,
        )
        assert response.status_code == 200
        assert "処理を開始できませんでした" in response.content.decode()
        assert ReportBatchJob.objects.count() == 0

    def test_healthz_names_the_broker(self, client, broker_down):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "error", "failed": ["broker"]}


@pytest.mark.django_db
def test_healthz_is_ok_without_a_broker_and_anonymous(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.services
def test_healthz_checks_a_real_broker(celery_worker, client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
