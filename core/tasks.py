from celery import shared_task

from core import importing


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def run_import_job(self, job_id):
    """Thin: re-fetch the job and run it; progress is written to the job row as it goes."""
    importing.run_job(job_id)
