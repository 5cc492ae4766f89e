from celery import shared_task

from billing import services


# Redelivered when the worker dies mid-run; the job starts again and keeps nothing until the end.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def close_month(job_id):
    """Thin: re-fetch the job and run it; progress is written to the job row as it goes."""
    services.run_close_job(job_id=job_id)
