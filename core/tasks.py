from celery import shared_task

from core import importing, jobs


def start_import_job(**job):
    """Create an import job and send it once the transaction commits (to a worker if there is a
    broker, in-process otherwise). Keyword arguments as ``importing.import_job_create``.

    Raises ``jobs.JobNotStarted`` when the broker is unreachable (no job and no file are kept).
    """
    created = importing.import_job_create(**job)
    jobs.enqueue(run_import_job, created)
    return created


# Redelivered when the worker dies mid-run (acks late, rejected on worker loss): the job starts
# again from the beginning, at most jobs.MAX_ATTEMPTS times.
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_import_job(job_id):
    """Thin: re-fetch the job and run it; progress is written to the job row as it goes."""
    importing.run_job(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sweep_jobs():
    """Every few minutes (CELERY_BEAT_SCHEDULE): fail jobs that stopped showing signs of life."""
    return len(jobs.sweep())
