"""Monthly support reports (支援レポート): prefilled from the plan's goals and the month's
contacts, shared with the person (the billing date) and the parties concerned, frozen once shared
with the person and corrected as new versions, generated for a whole office as a job.

``report_shared_on`` is the one answer to "was this month's report shared, and when": the report
list, the client timeline and billing all read it.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients.models import Client, EmployerContact, in_service_q
from contacts.face_to_face import meets_the_person
from contacts.models import (
    Contact,
    LifeTopic,
    ReportBatchJob,
    ReportRecipient,
    ReportSharing,
    SupportReport,
    WorkTopic,
)
from core import audit, calendar, jobs
from core.audit import Actor
from core.calendar import JST, Month
from core.extensions import extensions
from core.models import AuditAction
from core.vocab import Counterpart
from offices.month_lock import ensure_month_open

LIFE_COUNTERPARTS = frozenset(
    {Counterpart.FAMILY, Counterpart.MEDICAL, Counterpart.CONSULTATION, Counterpart.OTHER_AGENCY}
)


class ReportRefused(ValidationError):
    """A change the report's rules do not allow (a frozen version, a superseded one…)."""


# --- the plan's goals: the extension point SUPPORT_REPORT_GOALS (settings) -----------------


def plan_goals(*, client, month):
    """The goals of the person's current plan for ``month``, from the first provider that answers
    (``SUPPORT_REPORT_GOALS``: ``provider(*, client, month) -> str``, "" when it knows none)."""
    for provider in extensions("SUPPORT_REPORT_GOALS"):
        goals = provider(client=client, month=month)
        if goals:
            return goals
    return ""


def month_contacts(*, client, month):
    start, end = month.bounds()
    return (
        Contact.objects.live()
        .filter(client=client, contacted_at__gte=start, contacted_at__lt=end)
        .select_related("staff", "employer_contact")
        .order_by("contacted_at", "pk")
    )


def report_side(contact):
    """The one section of the report draft a contact goes to: ``"work"`` or ``"life"``.

    The counterpart decides first: the employer is the work side; family, a medical institution,
    the consultation support office and another support agency are the life side. A contact
    with the person goes to the side of its topics: the life side when it has life-side topics
    only, otherwise the work side (work-side topics only, both kinds, or none: most retention
    support happens at work).
    """
    if contact.counterpart == Counterpart.EMPLOYER:
        return "work"
    if contact.counterpart in LIFE_COUNTERPARTS:
        return "life"
    return "life" if contact.life_topics and not contact.work_topics else "work"


def _topic_labels(codes, choices):
    return "、".join(str(choices(code).label) for code in codes if code in choices.values)


def _line(contact, side):
    when = date_format(contact.contacted_at.astimezone(JST), "n/j")
    head = f"{when} {contact.get_method_display()}（{contact.get_counterpart_display()}）"
    line = f"・{head} {contact.summary}".rstrip()
    # The topics of the other side, named on the line so that nothing is lost by its placement.
    if side == "work":
        other_side, other = _("Life side"), _topic_labels(contact.life_topics or [], LifeTopic)
    else:
        other_side, other = _("Work side"), _topic_labels(contact.work_topics or [], WorkTopic)
    if other:
        line += _("(%(side)s: %(topics)s)") % {"side": other_side, "topics": other}
    return line


def prefill(*, client, month):
    """The plan's goals (from the provider listed in ``SUPPORT_REPORT_GOALS``) and the work-side
    and life-side texts from the month's contacts.

    Each contact is one line in exactly one of the two texts (``report_side``: the counterpart
    decides, then the contact's topics). A line placed on one side that also has topics of the
    other names them, e.g. 「（日常生活面: 体調・服薬）」 on a work-side line.
    """
    sides = {"work": [], "life": []}
    contacts = list(month_contacts(client=client, month=month))
    for contact in contacts:
        side = report_side(contact)
        sides[side].append(_line(contact, side))
    face_to_face = sum(1 for c in contacts if meets_the_person(c))
    summary = _(
        "%(contacts)s contacts this month, %(face_to_face)s of them face to face with the person."
    ) % {"contacts": len(contacts), "face_to_face": face_to_face}
    return {
        "plan_goals": plan_goals(client=client, month=month),
        "work_side": "\n".join(sides["work"]),
        "life_side": "\n".join(sides["life"]),
        "summary": summary,
    }


def report_create(*, client, month, actor):
    """The month's current report of ``client``, created and prefilled if it does not exist yet.

    Returns (report, created). An existing report is never overwritten. The staff member in charge
    of the person signs it, or the one who creates it.
    """
    existing = SupportReport.objects.current().filter(client=client, month=month.first_day).first()
    if existing:
        return existing, False
    ensure_month_open(client.office, month)
    with transaction.atomic():
        report, created = SupportReport.objects.get_or_create(
            client=client,
            month=month.first_day,
            is_current=True,
            defaults={
                **prefill(client=client, month=month),
                "staff_id": client.staff_in_charge_id or getattr(actor.user, "pk", None),
                "created_by": actor.user,
                "updated_by": actor.user,
            },
        )
        if created:
            audit.record(actor=actor, action=AuditAction.CREATE, obj=report)
    return report, created


def _refuse_unless_editable(report):
    if not report.is_current:
        raise ReportRefused(
            _("This is an earlier version of the report; only the current version can change.")
        )
    if report.is_shared:
        raise ReportRefused(
            _(
                "This version was shared with the person on %(date)s, so its content cannot be "
                "changed. Create a corrected version with the reason instead."
            )
            % {"date": calendar.display_date(report.shared_with_client_on)}
        )


def report_update(*, report, actor, **changes):
    """Change the content of a report (``SupportReport.CONTENT_FIELDS``). Refused once the
    version was shared with the person. Returns the report, or None when nothing changed."""
    unknown = set(changes) - set(SupportReport.CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(report, name) != value]
    if not changed:
        return None
    # A closed month is the stronger lock: say so before saying the version is frozen.
    ensure_month_open(report.client.office, report.month)
    _refuse_unless_editable(report)
    with transaction.atomic():
        for name in changed:
            setattr(report, name, changes[name])
        report.updated_by = actor.user
        report.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=report, detail=", ".join(changed))
    return report


def refill(*, report, actor):
    """Replace the plan goals and the work and life sides with what the plan and the month's
    contacts say now (refused on a frozen version)."""
    # A closed month is the stronger lock: say so before saying the version is frozen.
    ensure_month_open(report.client.office, report.month)
    _refuse_unless_editable(report)
    values = prefill(client=report.client, month=Month.of(report.month))
    return report_update(
        report=report,
        actor=actor,
        plan_goals=values["plan_goals"],
        work_side=values["work_side"],
        life_side=values["life_side"],
    )


def sharing_date_problems(*, month, shared_on, today=None):
    """(field, message) pairs for a sharing date: not before the month begins, not in the future.
    Forms and the import ask here."""
    today = today or calendar.today()
    if shared_on < month.first_day:
        return [
            ("shared_on", _("A report cannot be shared before the month it reports on begins."))
        ]
    if shared_on > today:
        return [("shared_on", _("The date of sharing cannot be in the future."))]
    return []


def report_share(
    *,
    report,
    actor,
    recipient,
    shared_on,
    method,
    employer_contact=None,
    recipient_name="",
    note="",
):
    """Record that the current version was given to ``recipient``. Sharing with the person makes
    it the month's 共有日 and freezes the content."""
    if not report.is_current:
        raise ReportRefused(_("Only the current version of a report can be shared."))
    problems = sharing_date_problems(month=Month.of(report.month), shared_on=shared_on)
    if problems:
        raise ReportRefused([message for _field, message in problems])
    if employer_contact is not None:
        if recipient != ReportRecipient.EMPLOYER:
            raise ReportRefused(_("A person at the employer can only be named for the employer."))
        if employer_contact.employer.office_id != report.client.office_id:
            raise ReportRefused(_("This person does not belong to an employer of this office."))
    ensure_month_open(report.client.office, report.month)
    with transaction.atomic():
        sharing = ReportSharing.objects.create(
            report=report,
            recipient=recipient,
            shared_on=shared_on,
            method=method,
            employer_contact=employer_contact,
            recipient_name=recipient_name,
            note=note,
            created_by=actor.user,
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=report,
            detail=f"shared {recipient} {shared_on} {method}".rstrip(),
        )
    if hasattr(report, "_prefetched_objects_cache"):
        report._prefetched_objects_cache.pop("sharings", None)
    return sharing


def report_confirm(*, report, actor, confirmed_on, method):
    """Record the person's confirmation (本人確認) of a version shared with them."""
    if not report.is_shared:
        raise ReportRefused(
            _("The person can confirm the report only after it was shared with them.")
        )
    if confirmed_on < report.shared_with_client_on or confirmed_on > calendar.today():
        raise ReportRefused(
            _("The confirmation date must be between the day of sharing and today.")
        )
    with transaction.atomic():
        report.confirmed_on = confirmed_on
        report.confirmation_method = method
        report.updated_by = actor.user
        report.save(
            update_fields=["confirmed_on", "confirmation_method", "updated_by", "updated_at"]
        )
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=report, detail=f"confirmed {confirmed_on}"
        )
    return report


def report_correct(*, report, actor, reason):
    """A corrected version of a report already shared with the person: a copy of its content as
    the new current version, with the reason; the earlier version is kept as it was. The new
    version is not shared until it is shared again."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportRefused(_("Give the reason for the correction."))
    if not report.is_current:
        raise ReportRefused(_("Only the current version of a report can be corrected."))
    if not report.is_shared:
        raise ReportRefused(
            _("This version has not been shared with the person yet: edit it directly.")
        )
    ensure_month_open(report.client.office, report.month)
    with transaction.atomic():
        SupportReport.objects.filter(pk=report.pk).update(is_current=False)
        report.is_current = False
        corrected = SupportReport.objects.create(
            client=report.client,
            month=report.month,
            version=report.version + 1,
            is_current=True,
            correction_reason=reason,
            created_by=actor.user,
            updated_by=actor.user,
            **{name: getattr(report, name) for name in SupportReport.CONTENT_FIELDS},
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=corrected, detail=reason)
    return corrected


def report_versions(report):
    """Every version of the report's month, oldest first."""
    return SupportReport.objects.filter(client=report.client, month=report.month).order_by(
        "version"
    )


def report_read(*, report, actor):
    """Record that ``report`` was shown (its page or its print view)."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=report)


def report_pdf(*, report, actor):
    """The report as PDF bytes, recorded as an export."""
    from contacts.pdf import support_report_pdf  # the PDF renderer loads only when asked

    body = support_report_pdf(report)
    audit.record(actor=actor, action=AuditAction.EXPORT, obj=report, detail="pdf")
    return body


def employer_contacts_for(client):
    """The people at the employers of ``client``'s employments, for the forms' choices."""
    return (
        EmployerContact.objects.filter(employer__employments__client=client, active=True)
        .select_related("employer")
        .distinct()
        .order_by("employer__name", "family_name", "given_name", "pk")
    )


# --- the month's 共有日: the one rule billing reads ------------------------------------------


def person_sharings():
    """Sharing rows that make a month's report shared: given to the person, of the current
    version. Every "shared?" question in the project filters these."""
    return ReportSharing.objects.filter(recipient=ReportRecipient.PERSON, report__is_current=True)


def shared_on_by_client(*, clients, month):
    """{client pk: the day the current version of ``month``'s report was first shared with the
    person} for the clients (a queryset or a list) that have one."""
    return dict(
        person_sharings()
        .filter(report__client__in=clients, report__month=month.first_day)
        .order_by()
        .values_list("report__client")
        .annotate(first=Min("shared_on"))
        .values_list("report__client", "first")
    )


def support_days_by_client(*, clients, month):
    """{client pk: sorted tuple of the JST dates in ``month`` with at least one live contact with
    or about the person} (any method, any counterpart), in one query. Billing reads these as the
    days of support: our reading of 「本体報酬の対象となる支援を実施した日」 (docs/domain.md
    4.4)."""
    start, end = month.bounds()
    days = {}
    for client_id, at in (
        Contact.objects.live()
        .filter(client__in=clients, contacted_at__gte=start, contacted_at__lt=end)
        .order_by()
        .values_list("client_id", "contacted_at")
    ):
        days.setdefault(client_id, set()).add(at.astimezone(JST).date())
    return {pk: tuple(sorted(d)) for pk, d in days.items()}


def report_shared_on(client, month):
    """The month's 共有日 of ``client``: the day the current version of ``month``'s (a ``Month``)
    support report was shared with the person, or None. Billing reads this."""
    return shared_on_by_client(clients=[client], month=month).get(client.pk)


@dataclass
class ReportStatus:
    client: Client
    report: SupportReport | None
    shared_on: object = None  # report_shared_on for this person and month

    @property
    def flagged(self):
        """Service this month but no report shared with the person."""
        return self.shared_on is None


def report_statuses(*, clients, month):
    """Every person of ``clients`` in service during ``month`` with their current report, if any,
    and its 共有日."""
    active = clients.in_service_between(month.first_day, month.last_day).order_by(
        "family_name_kana", "given_name_kana", "client_code"
    )
    reports = {
        r.client_id: r
        for r in SupportReport.objects.current()
        .filter(client__in=active.values("pk"), month=month.first_day)
        .prefetch_related(
            Prefetch("sharings", queryset=ReportSharing.objects.select_related("employer_contact"))
        )
    }
    shared = shared_on_by_client(clients=active.values("pk"), month=month)
    return [
        ReportStatus(client, reports.get(client.pk), shared.get(client.pk)) for client in active
    ]


def unshared_q(month):
    """A client in service during ``month`` without a report shared with them: a ``Q`` to filter
    or count clients with."""
    shared = person_sharings().filter(report__client=OuterRef("pk"), report__month=month.first_day)
    return in_service_q(month.first_day, month.last_day) & ~Exists(shared)


def shared_months(*, client):
    """{first day of a month: its 共有日} for every month of ``client`` with a shared report."""
    return dict(
        person_sharings()
        .filter(report__client=client)
        .order_by()
        .values_list("report__month")
        .annotate(first=Min("shared_on"))
        .values_list("report__month", "first")
    )


def unshared_months(*, client, until):
    """Months from the start of service to ``until`` (a Month) without a shared report."""
    if client.service_start is None:
        return []
    last = until
    if client.service_end and Month.of(client.service_end) < last:
        last = Month.of(client.service_end)
    shared = shared_months(client=client)
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
