"""Reads and writes of clients, employers and employments (views, imports and the demo call these).

Selectors take the user and go through office scoping; writers take an ``actor``
(``core.audit.Actor``) and record an audit event for every read and change of a client record, in
the transaction of the change.
"""

from django.db import transaction
from django.utils import timezone

from clients import retention
from clients.models import Client, Employer, EmployerContact, Employment, Origin
from core import audit, calendar
from core.models import AuditAction
from core.numbers import percent
from offices.scoping import offices_managed_by, scoped

# ---------------------------------------------------------------------------------------------
# Selectors


class Status:
    ACTIVE = "active"
    UPCOMING = "upcoming"
    ENDED = "ended"


# The client list's columns: the page, its search and the audit record read only these (a full
# select_related of office, corporation, staff and referral office fetched about 60 columns).
LIST_COLUMNS = (
    "client_code", "family_name", "given_name", "family_name_kana", "given_name_kana",
    "plan_type", "service_start", "service_end", "office_id", "staff_in_charge_id",
    "referral_office_id", "office__name", "office__office_number", "staff_in_charge__username",
    "staff_in_charge__first_name", "staff_in_charge__last_name",
)  # fmt: skip


def clients_visible_to(*, user):
    return (
        scoped(Client, user)
        .with_origin()
        .select_related("office", "staff_in_charge")
        .only(*LIST_COLUMNS)
    )


def filter_clients(queryset, *, today, query="", status="", origin="", plan_type="", staff=None,
                   ending_soon=False, office=None):  # fmt: skip
    """The client list's search and filters, on an already scoped queryset."""
    if office is not None:
        queryset = queryset.filter(office=office)
    queryset = queryset.search(query)
    if status == Status.ACTIVE:
        queryset = queryset.in_service_between(today, today)
    elif status == Status.UPCOMING:
        queryset = queryset.filter(service_start__gt=today)
    elif status == Status.ENDED:
        queryset = queryset.filter(service_end__lt=today)
    if origin in Origin.values:
        queryset = queryset.filter(origin=origin)
    if plan_type == "none":
        queryset = queryset.filter(plan_type="")
    elif plan_type:
        queryset = queryset.filter(plan_type=plan_type)
    if staff is not None:
        queryset = queryset.filter(staff_in_charge=staff)
    if ending_soon:
        queryset = queryset.filter(calendar.ending_soon_q(today=today))
    return queryset


def can_confirm_early_start(*, user, office):
    return offices_managed_by(user).filter(pk=office.pk).exists()


def employment_spans_of(client):
    """The client's employments as the rule's rows (``retention.EmploymentSpan``)."""
    if client.pk is None:
        return []
    return [
        retention.EmploymentSpan(start, end, supported, returned)
        for start, end, supported, returned in client.employments.order_by(
            "start_date"
        ).values_list("start_date", "end_date", "supported_job_change", "returned_from_leave_on")
    ]


def employment_spans_by_client(client_ids):
    """{client id: its employments as the rule's rows}, ``employment_spans_of`` for many clients
    in one query (an import's batch)."""
    spans = {}
    for client_id, start, end, supported, returned in (
        Employment.objects.filter(client_id__in=client_ids)
        .order_by("client_id", "start_date")
        .values_list(
            "client_id", "start_date", "end_date", "supported_job_change", "returned_from_leave_on"
        )
    ):
        spans.setdefault(client_id, []).append(
            retention.EmploymentSpan(start, end, supported, returned)
        )
    return spans


def start_counted_from(client, service_start=None):
    """The day the 6 months to the service start count from: the qualifying hire, or the return
    from leave (``retention.start_counted_from``)."""
    return retention.start_counted_from(
        employment_spans_of(client), service_start or client.service_start
    )


def early_start_unconfirmed(client):
    return (
        retention.starts_too_early(
            service_start=client.service_start, hire_date=start_counted_from(client)
        )
        and client.early_start_confirmed_by_id is None
        and not client.early_start_reason
    )


# ---------------------------------------------------------------------------------------------
# Writers


def _changed_fields(instance, before):
    return sorted(name for name, value in before.items() if getattr(instance, name) != value)


def _snapshot(instance, names):
    return {name: getattr(instance, name) for name in names}


CLIENT_FIELDS = (
    "client_code", "family_name", "given_name", "family_name_kana", "given_name_kana",
    "birth_date", "disability_types", "staff_in_charge_id", "referral_office_id", "plan_type",
    "consultation_office_id", "consultation_specialist", "service_start", "service_end",
    "service_end_reason", "early_start_reason",
)  # fmt: skip


def confirm_early_start(*, client, user, reason):
    client.early_start_reason = reason
    client.early_start_confirmed_by = user
    client.early_start_confirmed_at = timezone.now()


def client_create(*, actor, client, first_employment=None, early_start_reason=""):
    """Save a new client (built by a form), with the first hire if given: ``first_employment``
    is (employer name, hire date, job title); an employer new to the office is created in the
    same transaction, so a refused client leaves no employer behind."""
    with transaction.atomic():
        if early_start_reason:
            confirm_early_start(client=client, user=actor.user, reason=early_start_reason)
        client.save()
        audit.record(actor=actor, action=AuditAction.CREATE, obj=client)
        if first_employment is not None:
            employer_name, start_date, job_title = first_employment
            employment_save(
                actor=actor,
                employment=Employment(client=client, start_date=start_date, job_title=job_title),
                new_employer_name=employer_name,
            )
    return client


def client_update(*, actor, client, before, early_start_reason=""):
    """Save an edited client; ``before`` is the snapshot taken before the form changed it."""
    with transaction.atomic():
        if early_start_reason and early_start_reason != before.get("early_start_reason"):
            confirm_early_start(client=client, user=actor.user, reason=early_start_reason)
        client.save()
        changed = _changed_fields(client, before)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=client,
            detail="changed: " + ", ".join(changed) if changed else "no change",
        )
    return client


def client_read(*, actor, client, detail=""):
    """Record that ``client``'s record was shown (the client page and its edit forms)."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=client, detail=detail)


def people_shown(*, actor, page, clients, office=None, detail=""):
    """Record that a page (``page``: what it is) showed ``clients``: one event per office naming
    them by client code; ``detail``: the search and filters."""
    return audit.record_people_shown(
        actor=actor, page=page, clients=clients, office=office, detail=detail
    )


def people_exported(*, actor, export, clients, office=None, detail=""):
    """Record that a list (``export``: which, in which format) was downloaded with ``clients``
    in it: one ``export`` event per office naming them by client code; ``detail``: the filters."""
    return audit.record_people_exported(
        actor=actor, export=export, clients=clients, office=office, detail=detail
    )


def client_snapshot(client):
    return _snapshot(client, CLIENT_FIELDS)


def employer_for_name(*, actor, office, name):
    """The office's employer called ``name``; one not known yet is created and recorded. Call it
    inside the transaction of the write it serves (``client_create``, ``employment_save``)."""
    employer, created = Employer.objects.get_or_create(office=office, name=name.strip())
    if created:
        audit.record(actor=actor, action=AuditAction.CREATE, obj=employer)
    return employer


def employer_save(*, actor, employer):
    """Save a new or edited employer (built by a form), recorded in the audit trail."""
    with transaction.atomic():
        created = employer.pk is None
        employer.save()
        audit.record_saved(actor=actor, obj=employer, created=created)
    return employer


def employment_save(*, actor, employment, new_employer_name=""):
    """Save a new or edited employment; with ``new_employer_name`` its employer is the office's
    employer of that name, created in the same transaction when it is new."""
    with transaction.atomic():
        if new_employer_name:
            employment.employer = employer_for_name(
                actor=actor, office=employment.client.office, name=new_employer_name
            )
        created = employment.pk is None
        employment.save()
        audit.record_saved(
            actor=actor,
            obj=employment.client,
            created=created,
            detail=f"employment {employment.start_date}: {employment.employer.name}",
        )
    return employment


def employment_delete(*, actor, employment):
    client = employment.client
    detail = f"employment deleted {employment.start_date}: {employment.employer.name}"
    with transaction.atomic():
        employment.delete()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=client, detail=detail)


# ---------------------------------------------------------------------------------------------
# Retention figures, as read on a dashboard or exported


def office_retention_read(*, actor, office, fiscal_year, as_of=None, export=False, fee_tables=None):
    """The office's retention for ``fiscal_year`` as of ``as_of`` (``retention.office_retention``),
    recorded as a dashboard view or, with ``export``, as an export (the ``retention_report``
    command)."""
    result = retention.office_retention(
        office=office, fiscal_year=fiscal_year, as_of=as_of, fee_tables=fee_tables
    )
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT if export else AuditAction.VIEW,
        office=office,
        detail=f"{'retention_report' if export else 'retention dashboard'} FY{fiscal_year}",
    )
    return result


def corporation_retention_read(*, actor, corporation, offices, fiscal_year, as_of=None):
    """Every office's retention for the corporation dashboard, recorded as one view."""
    results = retention.offices_retention(offices=offices, fiscal_year=fiscal_year, as_of=as_of)
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        detail=f"corporation retention dashboard {corporation.pk} FY{fiscal_year}",
    )
    return results


def percent_or_none(part, whole):
    return percent(part, whole) if whole else None


def employer_contact_create(*, actor, employer, **fields):
    """A named person at ``employer`` (EmployerContact), recorded in the audit trail."""
    with transaction.atomic():
        person = EmployerContact.objects.create(employer=employer, **fields)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=person)
    return person
