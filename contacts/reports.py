"""Monthly support reports (支援レポート): prefilled from the month's contacts, shared with the
person (the billing date) and the employer, generated for a whole office as a job."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from billing.close import ensure_month_open
from clients.models import Client
from contacts.face_to_face import meets_the_person
from contacts.models import Contact, ReportBatchJob, SupportReport
from contacts.pdf import support_report_pdf
from core import audit, jobs
from core.audit import Actor
from core.calendar import JST, Month
from core.models import AuditAction
from core.vocab import Counterpart

LIFE_COUNTERPARTS = frozenset(
    {Counterpart.FAMILY, Counterpart.MEDICAL, Counterpart.CONSULTATION, Counterpart.OTHER_AGENCY}
)


def month_contacts(*, client, month):
    start, end = month.bounds()
    return (
        Contact.objects.live()
        .filter(client=client, contacted_at__gte=start, contacted_at__lt=end)
        .select_related("staff")
        .order_by("contacted_at", "pk")
    )


def is_work_side(contact):
    return bool(contact.work_topics) or contact.counterpart == Counterpart.EMPLOYER


def is_life_side(contact):
    return bool(contact.life_topics) or contact.counterpart in LIFE_COUNTERPARTS


def _line(contact):
    when = date_format(contact.contacted_at.astimezone(JST), "n/j")
    head = f"{when} {contact.get_method_display()}（{contact.get_counterpart_display()}）"
    return f"・{head} {contact.summary}".rstrip()


def prefill(*, client, month):
    """Work-side and life-side texts from the month's contacts.

    A contact goes to the side(s) its topics and counterpart say; a contact with the person that
    has no topic tag goes to the work side, where most retention support happens.
    """
    work, life = [], []
    contacts = list(month_contacts(client=client, month=month))
    for contact in contacts:
        on_work, on_life = is_work_side(contact), is_life_side(contact)
        if on_work or not on_life:
            work.append(_line(contact))
        if on_life:
            life.append(_line(contact))
    face_to_face = sum(1 for c in contacts if meets_the_person(c))
    summary = _(
        "%(contacts)s contacts this month, %(face_to_face)s of them face to face with the person."
    ) % {"contacts": len(contacts), "face_to_face": face_to_face}
    return {"work_side": "\n".join(work), "life_side": "\n".join(life), "summary": summary}


def report_create(*, client, month, actor):
    """The month's report of ``client``, created and prefilled if it does not exist yet.

    Returns (report, created). An existing report is never overwritten.
    """
    existing = SupportReport.objects.filter(client=client, month=month.first_day).first()
    if existing:
        return existing, False
    ensure_month_open(client.office, month)
    with transaction.atomic():
        report, created = SupportReport.objects.get_or_create(
            client=client,
            month=month.first_day,
            defaults={
                **prefill(client=client, month=month),
                "created_by": actor.user,
                "updated_by": actor.user,
            },
        )
        if created:
            audit.record(actor=actor, action=AuditAction.CREATE, obj=report)
    return report, created


SHARING_FIELDS = ("shared_with_client_on", "shared_with_employer_on")


def report_update(*, report, actor, before):
    """Save an edited report (summary, sides, goals, sharing dates); ``before`` holds the sharing
    dates read before the form changed them, so that sharing is named in the audit event."""
    shared = [
        f"{name} {getattr(report, name)}"
        for name in SHARING_FIELDS
        if getattr(report, name) != before.get(name)
    ]
    ensure_month_open(report.client.office, report.month)
    with transaction.atomic():
        report.updated_by = actor.user
        report.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=report, detail="; ".join(shared))
    return report


def report_sharing(report):
    return {name: getattr(report, name) for name in SHARING_FIELDS}


def refill(*, report, actor):
    """Replace the work and life sides with what the month's contacts say now."""
    ensure_month_open(report.client.office, report.month)
    values = prefill(client=report.client, month=Month.of(report.month))
    with transaction.atomic():
        report.work_side = values["work_side"]
        report.life_side = values["life_side"]
        report.updated_by = actor.user
        report.save(update_fields=["work_side", "life_side", "updated_by", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=report, detail="refill")
    return report


def report_read(*, report, actor):
    """Record that ``report`` was shown (its page or its print view)."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=report)


def report_pdf(*, report, actor):
    """The report as PDF bytes, recorded as an export."""
    body = support_report_pdf(report)
    audit.record(actor=actor, action=AuditAction.EXPORT, obj=report, detail="pdf")
    return body


@dataclass
class ReportStatus:
    client: Client
    report: SupportReport | None

    @property
    def flagged(self):
        """Service this month but no report shared with the person."""
        return self.report is None or not self.report.is_shared


def report_statuses(*, clients, month):
    """Every person of ``clients`` in service during ``month`` with their report, if any."""
    active = clients.in_service_between(month.first_day, month.last_day).order_by(
        "family_name_kana", "given_name_kana", "client_code"
    )
    reports = {
        r.client_id: r
        for r in SupportReport.objects.filter(client__in=active.values("pk"), month=month.first_day)
    }
    return [ReportStatus(client, reports.get(client.pk)) for client in active]


def _unshared(*, clients, month):
    shared = SupportReport.objects.filter(
        client=OuterRef("pk"), month=month.first_day, shared_with_client_on__isnull=False
    )
    return clients.in_service_between(month.first_day, month.last_day).exclude(Exists(shared))


def unshared_count_by_office(*, clients, month):
    """How many people were in service during ``month`` without a report shared with them, per
    office of the clients, in one query: {office pk: count}."""
    return dict(
        _unshared(clients=clients, month=month)
        .order_by()
        .values_list("office")
        .annotate(n=Count("pk"))
        .values_list("office", "n")
    )


def unshared_months(*, client, until):
    """Months from the start of service to ``until`` (a Month) without a shared report."""
    if client.service_start is None:
        return []
    last = until
    if client.service_end and Month.of(client.service_end) < last:
        last = Month.of(client.service_end)
    shared = set(
        SupportReport.objects.filter(
            client=client, shared_with_client_on__isnull=False
        ).values_list("month", flat=True)
    )
    months, month = [], Month.of(client.service_start)
    while month <= last:
        if month.first_day not in shared:
            months.append(month)
        month = month.next()
    return months


# --- whole-office generation, run as a Celery task -----------------------------------------------


def batch_job_create(*, office, month, user):
    """The job row, waiting; ``contacts.tasks.start_report_batch`` also starts it (the task
    module depends on this one, not the other way round)."""
    return ReportBatchJob.objects.create(office=office, month=month.first_day, user=user)


def run_batch_job(job_id):
    """Create the month's missing reports of the job's office, one transaction per person.

    A redelivered or retried job skips the reports that exist and goes on counting: each report
    is committed together with the job's counters, so ``created`` is exact across attempts.
    """
    job = jobs.begin(ReportBatchJob, job_id)
    if job is None:
        return ReportBatchJob.objects.filter(pk=job_id).first()
    month = Month.of(job.month)
    clients = list(
        Client.objects.filter(office=job.office)
        .in_service_between(month.first_day, month.last_day)
        .order_by("pk")
    )
    created = job.created
    actor = Actor.task(job.user_id)
    try:
        jobs.beat(job, total=len(clients), done=0)
        for done, client in enumerate(clients, start=1):
            with transaction.atomic():
                created += report_create(client=client, month=month, actor=actor)[1]
                jobs.beat(job, done=done, created=created)
    except jobs.JobStopped:
        jobs.stopped(job)
    except Exception as exc:
        jobs.failed(job, exc)
    else:
        jobs.end(job, ReportBatchJob.Status.DONE)
    return ReportBatchJob.objects.get(pk=job_id)
