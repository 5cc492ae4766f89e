from celery import shared_task
from django.db import transaction

from contacts import reminders, reports


def start_report_batch(*, office, month, user):
    """Create the job generating the month's reports of an office and run it after commit."""
    job = reports.batch_job_create(office=office, month=month, user=user)
    transaction.on_commit(lambda: generate_support_reports.delay(job.pk))
    return job


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def send_daily_reminders():
    """Each morning (CELERY_BEAT_SCHEDULE): every staff member's worklist as notifications."""
    result = reminders.send_daily_reminders()
    return {"users": result.users, "notifications": result.notifications, "emails": result.emails}


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def generate_support_reports(job_id):
    """Thin: re-fetch the job and run it; progress is written to the job row as it goes."""
    reports.run_batch_job(job_id)
