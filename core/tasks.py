from celery import shared_task
from django.db import transaction

from core import importing


def start_import_job(**job):
    """Create an import job and run it once the transaction commits (in a worker if there is a
    broker, in-process otherwise). Keyword arguments as ``importing.import_job_create``."""
    created = importing.import_job_create(**job)
    transaction.on_commit(lambda: run_import_job.delay(created.pk))
    return created


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def run_import_job(self, job_id):
    """Thin: re-fetch the job and run it; progress is written to the job row as it goes."""
    importing.run_job(job_id)
