from celery import shared_task

from contacts import reminders, reports
from core import jobs


def start_report_batch(*, office, month, user):
    """Create the job generating the month's reports of an office and send it after commit.

    Raises ``core.jobs.JobNotStarted`` when the broker is unreachable (no job is kept).
    """
    job = reports.batch_job_create(office=office, month=month, user=user)
    jobs.enqueue(generate_support_reports, job)
    return job


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_daily_reminders():
    """Each morning (CELERY_BEAT_SCHEDULE): every staff member's worklist as notifications."""
    result = reminders.send_daily_reminders()
    return {"users": result.users, "notifications": result.notifications, "emails": result.emails}


# Redelivered when the worker dies mid-run; existing reports are skipped (core.jobs.begin).
@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def generate_support_reports(job_id):
    """Thin: re-fetch the job and run it; progress is written to the job row as it goes."""
    reports.run_batch_job(job_id)
