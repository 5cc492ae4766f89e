"""Jobs survive a worker killed mid-run (SIGKILL), with a real Celery worker on Redis: the job
completes exactly once, or ends failed and retryable; none stays running.

Run with ``TEICHAKU_TEST_REDIS_URL`` on a Redis database of your own when others share Redis:
these tests shorten the visibility timeout, which redelivers every abandoned message of the
database.
"""

import datetime as dt
import os
import signal
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from contacts.models import ReportBatchJob, SupportReport
from contacts.tasks import start_report_batch
from core.calendar import Month
from core.models import AuditEvent, ImportJob
from core.tasks import start_import_job
from offices.models import Office
from tests import factories

pytestmark = pytest.mark.services

HEADER = (
    "office_number,name,corporation_number,corporation_name,corporation_type,prefecture_code,"
    "municipality,service_types,uses_system\n"
)


def offices_csv(rows):
    lines = [
        f"13{n:08d},定着支援{n},1234567890123,社会福祉法人ワーカー会,social_welfare,13,港区,"
        "retention_support,true\n"
        for n in range(rows)
    ]
    return (HEADER + "".join(lines)).encode()


def wait_for(condition, *, seconds=90, what="the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def fresh(job):
    return type(job).objects.defer(*job.payload_fields).get(pk=job.pk)


@pytest.fixture
def clients_in_service(cast):
    factories.ClientFactory.create_batch(
        250, office=cast.office_a, service_start=dt.date(2024, 1, 1)
    )
    return 250


def test_an_import_whose_worker_process_is_killed_runs_again_and_completes_once(
    worker_factory, admin_user
):
    worker = worker_factory(pool="prefork")
    job = start_import_job(
        user=admin_user, kind="offices", filename="o.csv", content=offices_csv(1500), dry_run=False
    )
    wait_for(lambda: fresh(job).status == "running", what="the import to start")
    time.sleep(0.5)
    (child,) = worker.pool_children()
    os.kill(child, signal.SIGKILL)  # the message is rejected and redelivered (acks late)

    ended = wait_for(lambda: fresh(job).finished and fresh(job), what="the import to end")
    assert (ended.status, ended.attempts) == ("done", 2), ended.error
    assert Office.objects.filter(office_number__startswith="13").count() == 1500
    assert AuditEvent.objects.filter(action="import").count() == 1
    assert bytes(ImportJob.objects.get(pk=job.pk).content) == b""


def test_report_generation_killed_with_its_worker_resumes_without_doubles(
    worker_factory, cast, clients_in_service
):
    short = {"TEICHAKU_JOB_VISIBILITY_SECONDS": "2"}
    worker = worker_factory(env=short)
    job = start_report_batch(office=cast.office_a, month=Month(2024, 5), user=cast.bob)
    wait_for(lambda: fresh(job).done >= 20, what="some reports")
    worker.kill()
    killed_at = fresh(job)
    assert killed_at.status == "running" and killed_at.done < clients_in_service

    time.sleep(2.5)  # older than the visibility timeout: the next worker takes it back
    worker_factory(env=short)
    ended = wait_for(lambda: fresh(job).finished and fresh(job), what="the job to end")
    assert ended.status == "done", ended.error
    assert (ended.total, ended.created) == (clients_in_service, clients_in_service)
    assert SupportReport.objects.filter(month=dt.date(2024, 5, 1)).count() == clients_in_service
    assert AuditEvent.objects.filter(action="create", object_type__icontains="report").count() == (
        clients_in_service
    )


def test_a_job_left_running_by_a_dead_worker_is_swept_and_retried(
    worker_factory, cast, clients_in_service, client, settings
):
    worker = worker_factory()
    client.force_login(cast.bob)
    job = start_report_batch(office=cast.office_a, month=Month(2024, 5), user=cast.bob)
    wait_for(lambda: fresh(job).done >= 20, what="some reports")
    worker.kill()

    settings.TEICHAKU_JOB_STALE_MINUTES = 0
    call_command("sweep_jobs")
    swept = fresh(job)
    assert (swept.status, swept.error) == ("failed", "処理が中断されました。再実行してください。")

    page = client.get(reverse("report_job", kwargs={"report_job_pk": job.pk})).content.decode()
    assert "再実行" in page
    worker_factory()
    response = client.post(reverse("report_job_retry", kwargs={"report_job_pk": job.pk}))
    retry = ReportBatchJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("report_job", kwargs={"report_job_pk": retry.pk})
    ended = wait_for(lambda: fresh(retry).finished and fresh(retry), what="the retry to end")
    assert ended.status == "done"
    assert swept.created + ended.created == clients_in_service
    assert SupportReport.objects.filter(month=dt.date(2024, 5, 1)).count() == clients_in_service


@pytest.mark.postgres
def test_cancelling_report_generation_stops_it_and_keeps_what_was_made(
    worker_factory, cast, clients_in_service, client
):
    """PostgreSQL only: SQLite has one writer at a time, and a worker committing report after
    report can keep the page's cancel request waiting until the job is done."""
    worker_factory()
    client.force_login(cast.bob)
    job = start_report_batch(office=cast.office_a, month=Month(2024, 5), user=cast.bob)
    wait_for(lambda: fresh(job).done >= 10, what="some reports")
    client.post(reverse("report_job_cancel", kwargs={"report_job_pk": job.pk}))
    ended = wait_for(lambda: fresh(job).finished and fresh(job), what="the job to stop")
    assert ended.status == "cancelled"
    assert ended.created < clients_in_service
    assert SupportReport.objects.count() == ended.created


@pytest.mark.postgres
def test_import_progress_is_seen_by_other_connections_and_cancel_rolls_back(
    worker_factory, admin_user, client
):
    """The import writes its rows in one transaction; its progress goes through another
    connection, so this test's connection sees it move while no office is committed yet."""
    worker_factory()
    job = start_import_job(
        user=admin_user, kind="offices", filename="o.csv", content=offices_csv(3000), dry_run=False
    )
    seen = wait_for(lambda: fresh(job).rows_done and fresh(job), what="progress")
    assert seen.status == "running" and 0 < seen.rows_done < 3000
    assert Office.objects.filter(office_number__startswith="13").count() == 0
    assert connection.vendor == "postgresql"

    client.force_login(admin_user)
    client.post(reverse("import_job_cancel", kwargs={"job_pk": job.pk}))
    ended = wait_for(lambda: fresh(job).finished and fresh(job), what="the import to stop")
    assert ended.status == "cancelled"
    assert Office.objects.filter(office_number__startswith="13").count() == 0
    assert bytes(ImportJob.objects.get(pk=job.pk).content) == b""
