"""A real Celery worker on Redis runs an import job end to end (CI provides Redis)."""

import time

import pytest

from core.models import ImportJob
from core.tasks import start_import_job
from offices.models import Office

OFFICES_CSV = (
    "office_number,name,corporation_number,corporation_name,corporation_type,prefecture_code,"
    "municipality,service_types,uses_system\n"
    "1300000001,ワーカー定着支援,1234567890123,社会福祉法人ワーカー会,social_welfare,13,港区,"
    "retention_support,true\n"
).encode()


@pytest.mark.services
def test_a_real_worker_runs_an_import_job(celery_worker, cast):
    job = start_import_job(
        user=cast.bob, kind="offices", filename="offices.csv", content=OFFICES_CSV, dry_run=False
    )
    # on_commit runs at once outside a transaction, sending the task through Redis.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.2)
    assert job.status == ImportJob.Status.DONE, job.result
    assert Office.objects.get(office_number="1300000001").name == "ワーカー定着支援"
