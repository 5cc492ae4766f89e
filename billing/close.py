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

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from billing.models import MonthClose, MonthCloseJob
from core import audit, jobs
from core.audit import Actor
from core.calendar import Month, month_label
from core.models import AuditAction


class MonthClosed(Exception):
    """A change to a closed month was refused."""

    def __init__(self, office, month):
        self.office, self.month = office, month
        super().__init__(
            _(
                "%(year)s年%(month)s月 is closed for billing. A manager must reopen the month, "
                "with a reason, before its contacts, reports or meetings can change."
            )
            % {"year": month.year, "month": month.month}
        )


def _as_month(value):
    return value if isinstance(value, Month) else Month.of(value)


def month_is_closed(office, month):
    month = _as_month(month)
    return MonthClose.objects.filter(office=office, month=month.first_day, is_closed=True).exists()


def ensure_month_open(office, *months):
    """Raise ``MonthClosed`` when any of ``months`` (Months or dates) is closed for ``office``."""
    firsts = {_as_month(m).first_day for m in months if m is not None}
    closed = (
        MonthClose.objects.filter(office=office, month__in=firsts, is_closed=True)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    if closed is not None:
        raise MonthClosed(office, Month.of(closed))


def closed_months_of(offices):
    """The closed months of ``offices`` (a queryset of offices, or offices or their ids) as a
    set of (office id, Month), in one query: an import loads them once per file and checks
    its rows against the set (``import_refusal``)."""
    rows = MonthClose.objects.filter(office__in=offices, is_closed=True).values_list(
        "office_id", "month"
    )
    return {(office_id, Month.of(day)) for office_id, day in rows}


def import_refusal(*months):
    """The problem of an import row that would create, change or delete a record in ``months``
    (closed for billing): 「2024年4月は締め済みです。…」."""
    labels = "、".join(month_label(m.year, m.month) for m in sorted(set(months)))
    return _(
        "%(months)s is closed for billing. A manager must reopen the month before this row "
        "can be imported."
    ) % {"months": labels}


def close_state(office, month):
    """The ``MonthClose`` row of the month, or None when it was never closed."""
    return MonthClose.objects.filter(office=office, month=month.first_day).first()


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


# ---------------------------------------------------------------------------------------------
# Showing the refusal


class ClosedMonthMiddleware:
    """A change refused because its month is closed: back to the page the form was sent from
    (its referer on this site, else the home page) with the message, or a page saying so (409)
    for a GET. Never a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, MonthClosed):
            return None
        if request.method == "POST":
            messages.error(request, str(exception))
            back = request.headers.get("referer", "")
            if not url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                back = reverse("home")
            return redirect(back)
        return render(request, "billing/month_closed.html", {"message": str(exception)}, status=409)
