"""Writes of clients, employers and employments, and the audited reads of a client record
(views, imports and the demo call these; what pages read is in ``clients.selectors``).

Writers take an ``actor`` (``core.audit.Actor``) and record an audit event for every read and
change of a client record, in the transaction of the change.
"""

from django.db import transaction
from django.utils import timezone

from clients import retention
from clients.models import Employer, EmployerContact, Employment
from core import audit
from core.models import AuditAction

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


def employer_contact_create(*, actor, employer, **fields):
    """A named person at ``employer`` (EmployerContact), recorded in the audit trail."""
    with transaction.atomic():
        person = EmployerContact.objects.create(employer=employer, **fields)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=person)
    return person
