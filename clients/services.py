"""Reads and writes of clients, employers and employments (views, imports and the demo call these).

Selectors take the user and go through office scoping; writers record an audit event for every
change of a client record.
"""

from django.db import transaction
from django.utils import timezone

from clients import retention
from clients.models import Client, Employer, Employment, Origin
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


def clients_visible_to(*, user):
    return (
        scoped(Client, user)
        .with_origin()
        .select_related("office__corporation", "staff_in_charge", "referral_office")
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


def hire_date_of(client):
    """The first hire on record: the service may start from 6 months after it."""
    if client.pk is None:
        return None
    first = client.employments.order_by("start_date").first()
    return first.start_date if first else None


def early_start_unconfirmed(client):
    hire = hire_date_of(client)
    return (
        retention.starts_too_early(service_start=client.service_start, hire_date=hire)
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


@transaction.atomic
def client_create(*, user, client, first_employment=None, early_start_reason="", request=None):
    """Save a new client (built by a form), with the first hire if given."""
    if early_start_reason:
        confirm_early_start(client=client, user=user, reason=early_start_reason)
    client.save()
    audit.record(user=user, action=AuditAction.CREATE, obj=client, request=request)
    if first_employment is not None:
        employer, start_date, job_title = first_employment
        employment_save(
            user=user,
            employment=Employment(
                client=client, employer=employer, start_date=start_date, job_title=job_title
            ),
            request=request,
        )
    return client


@transaction.atomic
def client_update(*, user, client, before, early_start_reason="", request=None):
    """Save an edited client; ``before`` is the snapshot taken before the form changed it."""
    if early_start_reason and early_start_reason != before.get("early_start_reason"):
        confirm_early_start(client=client, user=user, reason=early_start_reason)
    client.save()
    changed = _changed_fields(client, before)
    audit.record(
        user=user,
        action=AuditAction.UPDATE,
        obj=client,
        detail="changed: " + ", ".join(changed) if changed else "no change",
        request=request,
    )
    return client


def client_snapshot(client):
    return _snapshot(client, CLIENT_FIELDS)


def employer_for_name(*, office, name):
    employer, _created = Employer.objects.get_or_create(office=office, name=name.strip())
    return employer


@transaction.atomic
def employment_save(*, user, employment, request=None):
    created = employment.pk is None
    employment.save()
    audit.record(
        user=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=employment.client,
        detail=f"employment {employment.start_date}: {employment.employer.name}",
        request=request,
    )
    return employment


@transaction.atomic
def employment_delete(*, user, employment, request=None):
    client = employment.client
    detail = f"employment deleted {employment.start_date}: {employment.employer.name}"
    employment.delete()
    audit.record(user=user, action=AuditAction.UPDATE, obj=client, detail=detail, request=request)


def percent_or_none(part, whole):
    return percent(part, whole) if whole else None
