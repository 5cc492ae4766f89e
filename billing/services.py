"""Billing's writes: atomic, audited, keyword-only arguments (the reads are in
``billing/selectors.py``).

- Billing settings (a manager's, in the app as well as in the admin): the office's regional grade
  (地域区分, which sets the yen per unit) and its standing additions (retention record system, job
  coach), and a person's initial addition override and special area. Every change is audited,
  and refused (``offices.month_lock.MonthClosed``, nothing kept) when it would change the figures
  of a month that is closed for billing: the settings are not dated, so a change reaches every
  month, closed ones included. The figures of each closed month the change reaches (every closed
  month of the office; for a person, the closed months of their service) are computed before and
  after the change, inside the change's transaction, with ``billing.month.month_figures``; a
  difference in what is billed (who is billable, under which recipient number, units, additions,
  reductions, yen; not the problem codes) rolls the change back. A manager reopens the month
  first, with a reason. The certificate page goes through the same check
  (``certificate_save_checked``); the certificates import, set-based, refuses any change whose
  decision period covers a closed month (``billing.importers.CertificateImport``).
- Recipient certificates (受給者証): ``certificate_save`` records a decision period.
- The monthly close (docs/domain.md 4.5): ``start_close`` / ``run_close_job`` compute every
  person's figures (``billing.month.month_figures``) with progress, keep them on the
  ``offices.MonthClose`` row and lock the month, in one transaction with its audit event;
  ``reopen``: a manager reopens a closed month with a reason; audited. The lock itself, which the
  apps below billing check, is ``offices.month_lock``.
"""

from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from billing.models import (
    ClientBillingSettings,
    DecisionPeriod,
    MonthCloseJob,
    OfficeBillingSettings,
    RecipientCertificate,
)
from billing.selectors import (
    ClientSettings,
    OfficeSettings,
    client_settings_of,
    closed_months,
    office_settings_of,
)
from core import audit, jobs, tabular
from core.audit import Actor
from core.calendar import Month
from core.models import AuditAction
from offices.models import MonthClose
from offices.month_lock import MonthClosed

# ---------------------------------------------------------------------------------------------
# Billing settings


def _billed(row):
    """A person's row as billed. The problems bill nothing of themselves, and a row that is not
    billable bills nothing at all: a person first given a certificate after an unbilled closed
    month changes that month's problem and shown number, not its billing."""
    if not row["billable"]:
        return {"billable": False}
    return {key: value for key, value in row.items() if key != "problems"}


def _person_row(figures, client_code):
    return next(
        (_billed(p.as_dict()) for p in figures.people if p.client_code == client_code), None
    )


def _office_document(figures):
    document = figures.as_document()
    return {**document, "people": [_billed(row) for row in document["people"]]}


def _refuse_changes_to_closed_months(office, months, snapshot, change):
    """Run ``change()``; raise ``MonthClosed`` naming the first of ``months`` whose
    ``snapshot(figures)`` it alters. The caller's transaction rolls the change back."""
    from billing.month import month_figures

    before = {month: snapshot(month_figures(office, month)) for month in months}
    change()
    for month in months:
        if snapshot(month_figures(office, month)) != before[month]:
            raise MonthClosed(office, month)


def _changes(before, after):
    old, new = asdict(before), asdict(after)
    return ", ".join(f"{key} {old[key]!r}→{new[key]!r}" for key in old if old[key] != new[key])


@transaction.atomic
def office_settings_save(*, office, actor, regional_grade, retention_record, job_coach):
    """Save the office's billing settings (``office`` already scoped to a manager). Returns False
    when nothing changed. Raises ``MonthClosed`` when a closed month's figures would change."""
    before = office_settings_of(office)
    after = OfficeSettings(regional_grade, bool(retention_record), bool(job_coach))
    if after == before:
        return False

    def change():
        if office.regional_grade != regional_grade:
            office.regional_grade = regional_grade
            office.save(update_fields=["regional_grade"])
        OfficeBillingSettings.objects.update_or_create(
            office=office,
            defaults={"retention_record": after.retention_record, "job_coach": after.job_coach},
        )

    _refuse_changes_to_closed_months(office, closed_months(office), _office_document, change)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        office=office,
        obj=office,
        detail=f"billing settings: {_changes(before, after)}",
    )
    return True


@transaction.atomic
def client_settings_save(*, client, actor, initial_addition, special_area):
    """Save a person's billing settings (``client`` already scoped). Returns False when nothing
    changed. Raises ``MonthClosed`` when a closed month's figures of the person would change."""
    before = client_settings_of(client)
    after = ClientSettings(initial_addition or "", bool(special_area))
    if after == before:
        return False

    def change():
        ClientBillingSettings.objects.update_or_create(client=client, defaults=asdict(after))

    _refuse_changes_to_closed_months(
        client.office,
        closed_months(client.office, client=client),
        lambda figures: _person_row(figures, client.client_code),
        change,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=client,
        detail=f"billing settings: {_changes(before, after)}",
    )
    return True


@transaction.atomic
def certificate_save_checked(*, client, actor, **period):
    """``billing.certificates.certificate_save`` from the certificate page, refused (nothing
    kept) when it would change the person's figures in a closed month: a new or shortened
    decision period may make a closed month billable or not. (The co-payment cap alone changes
    no figure.) Returns what ``certificate_save`` returns."""
    saved = []
    _refuse_changes_to_closed_months(
        client.office,
        closed_months(client.office, client=client),
        lambda figures: _person_row(figures, client.client_code),
        lambda: saved.append(certificate_save(client=client, actor=actor, **period)),
    )
    return saved[0]


# ---------------------------------------------------------------------------------------------
# Recipient certificates


@transaction.atomic
def certificate_save(
    *, client, actor, recipient_number, municipality_number, start, end, copay_cap=None
):
    """Record a certificate's decision period: the certificate by (person, recipient number),
    the period by its start. Returns (period, outcome) with outcome "created", "updated" or
    "unchanged"; an event is written for each change."""
    outcome = "unchanged"
    certificate = RecipientCertificate.objects.filter(
        client=client, recipient_number=recipient_number
    ).first()
    if certificate is None:
        certificate = RecipientCertificate.objects.create(
            client=client,
            recipient_number=recipient_number,
            municipality_number=municipality_number,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=certificate)
        outcome = "created"
    elif certificate.municipality_number != municipality_number:
        certificate.municipality_number = municipality_number
        certificate.save(update_fields=["municipality_number", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=certificate)
        outcome = "updated"
    period = DecisionPeriod.objects.filter(certificate=certificate, start=start).first()
    if period is None:
        period = DecisionPeriod.objects.create(
            certificate=certificate, start=start, end=end, copay_cap=copay_cap
        )
        audit.record(
            actor=actor, action=AuditAction.CREATE, obj=certificate, detail=f"{start}–{end}"
        )
        return period, "created" if outcome == "unchanged" else outcome
    if tabular.update_fields(period, {"end": end, "copay_cap": copay_cap}):
        period.save(update_fields=["end", "copay_cap"])
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=certificate, detail=f"{start}–{end}"
        )
        outcome = "updated" if outcome == "unchanged" else outcome
    return period, outcome


# ---------------------------------------------------------------------------------------------
# The monthly close, as a job


def close_job_create(*, office, month, user):
    return MonthCloseJob.objects.create(office=office, month=month.first_day, user=user)


def start_close(*, office, month, user):
    """Create the closing job and send it after commit. Raises ``core.jobs.JobNotStarted`` when
    the broker is unreachable (no job is kept)."""
    from billing.tasks import close_month

    job = close_job_create(office=office, month=month, user=user)
    jobs.enqueue(close_month, job)
    return job


def run_close_job(*, job_id):
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
