"""The monthly close (docs/domain.md 4.5): closing an office's month as a background job, the lock
on a closed month, and reopening it with a reason.

- ``month_is_closed(office, month)`` / ``ensure_month_open(office, *months)``: the one check the
  services of contacts, support reports and case meetings call before a change. A closed month
  raises ``MonthClosed``, whose message is shown in Japanese (``ClosedMonthMiddleware`` turns it
  into a message on the page the change came from).
- ``closed_months_of(offices)`` / ``import_refusal(*months)``: the same lock for the CSV imports,
  set-based: the closed (office id, month) pairs of a file's offices in one query, and the row
  problem of a row that would change a closed month.
- ``start_close`` / ``run_close_job``: closing computes every person's figures
  (``billing.month.month_figures``) with progress, keeps them on the ``MonthClose`` row and locks
  the month, in one transaction with its audit event.
- ``reopen``: a manager reopens a closed month with a reason; audited.
"""

from django.db import transaction
from django.utils import timezone

from billing.models import MonthCloseJob
from core import audit, jobs
from core.audit import Actor
from core.calendar import Month
from core.models import AuditAction
from offices.models import MonthClose
from offices.month_lock import (  # noqa: F401  (the lock, re-exported for billing's callers)
    MonthClosed,
    close_state,
    closed_months_of,
    ensure_month_open,
    import_refusal,
    month_is_closed,
)

# ---------------------------------------------------------------------------------------------
# Closing, as a job


def close_job_create(*, office, month, user):
    return MonthCloseJob.objects.create(office=office, month=month.first_day, user=user)


def start_close(*, office, month, user):
    """Create the closing job and send it after commit. Raises ``core.jobs.JobNotStarted`` when
    the broker is unreachable (no job is kept)."""
    from billing.tasks import close_month

    job = close_job_create(office=office, month=month, user=user)
    jobs.enqueue(close_month, job)
    return job


def run_close_job(job_id):
    """Compute the figures of every person (progress per person) and close the month with them.

    A redelivered job starts again from the beginning: nothing is kept until the last step, which
    writes the figures, locks the month and records the event in one transaction.
    """
    from billing.month import month_figures

    job = jobs.begin(MonthCloseJob, job_id)
    if job is None:
        return MonthCloseJob.objects.filter(pk=job_id).first()
    month = Month.of(job.month)
    try:

        def progress(done, total):
            if done == 0 or done % 20 == 0 or done == total:
                jobs.beat(job, total=total, done=done)

        figures = month_figures(job.office, month, progress=progress)
        with transaction.atomic():
            close_month_with(
                office=job.office,
                month=month,
                figures=figures,
                actor=Actor.task(job.user_id),
            )
            jobs.beat(job, total=len(figures.people), done=len(figures.people))
    except jobs.JobStopped:
        jobs.stopped(job)
    except Exception as exc:
        jobs.failed(job, exc)
    else:
        jobs.end(job, MonthCloseJob.Status.DONE)
    return MonthCloseJob.objects.get(pk=job_id)


@transaction.atomic
def close_month_with(*, office, month, figures, actor):
    """Lock the month, keeping ``figures`` (a ``MonthFigures``) as they were; audited."""
    row, _created = MonthClose.objects.select_for_update().get_or_create(
        office=office, month=month.first_day
    )
    row.is_closed = True
    row.figures = figures.as_document()
    row.closed_at = timezone.now()
    row.closed_by = actor.user
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        office=office,
        obj=row,
        detail=f"close {month}: {figures.total_units} units",
    )
    return row


@transaction.atomic
def reopen(*, office, month, actor, reason):
    """Reopen a closed month with a reason (required); audited. Returns the row."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a reason is required to reopen a month")
    row = MonthClose.objects.select_for_update().get(
        office=office, month=month.first_day, is_closed=True
    )
    row.is_closed = False
    row.reopened_at = timezone.now()
    row.reopened_by = actor.user
    row.reopen_reason = reason
    row.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        office=office,
        obj=row,
        detail=f"reopen {month}: {reason}",
    )
    return row
