"""Recipient certificates (受給者証), the rules: the checks of a certificate's numbers and period,
the person's current certificate for the client page, and the reminders before a decision period
ends (60 and 30 days before, through the worklist and the daily reminders). Writing them is
``billing.services.certificate_save``, the import ``billing.importers.CertificateImport``.

The number checks are ``billing.rules`` (municipality number check digit, recipient number).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from billing import rules
from billing.models import DecisionPeriod

# Staff are reminded this many days before a decision period ends: once at 60, once at 30.
REMINDER_DAYS = (60, 30)


def number_problems(*, recipient_number, municipality_number):
    """(field, message) for numbers a certificate cannot carry."""
    problems = []
    if not rules.recipient_number_valid(recipient_number):
        problems.append(("recipient_number", _("A recipient number has 10 digits.")))
    if not rules.municipality_number_valid(municipality_number):
        problems.append(
            (
                "municipality_number",
                _("A municipality number has 6 digits, the last a check digit that must match."),
            )
        )
    return problems


def period_problems(*, start, end):
    if start is not None and end is not None and end < start:
        return [("decision_end", _("The decision period cannot end before it starts."))]
    return []


@dataclass(frozen=True)
class CurrentCertificate:
    certificate: object
    period: object  # the decision period covering the day, or the latest one
    covers_today: bool


def current_certificate(client, *, on):
    """The period covering ``on`` (else the latest on record) with its certificate, or None."""
    periods = list(
        DecisionPeriod.objects.filter(certificate__client=client)
        .select_related("certificate")
        .order_by("-start")
    )
    if not periods:
        return None
    covering = next((p for p in periods if p.start <= on <= p.end), None)
    period = covering or periods[0]
    return CurrentCertificate(period.certificate, period, covering is not None)


# ---------------------------------------------------------------------------------------------
# Reminders


def reminder_stage(end, *, today):
    """60 or 30 when the period ends within that many days (the end day included), else None."""
    days_left = (end - today).days
    if days_left < 0:
        return None
    stages = [days for days in REMINDER_DAYS if days_left <= days]
    return min(stages, default=None)


def ending_periods(clients, *, today):
    """Decision periods of ``clients`` (in service today) ending within 60 days, not followed by a
    later period of the same person, soonest first, each with ``stage`` set."""
    from clients.models import in_service_q

    in_service = clients.filter(in_service_q(today, today))
    horizon = today + dt.timedelta(days=max(REMINDER_DAYS))
    # A person whose next period is already on record (one ending after the horizon) is not
    # reminded: asked in the same query, so the worklist pays one query for this section.
    later = DecisionPeriod.objects.filter(
        certificate__client_id=OuterRef("certificate__client_id"), end__gt=horizon
    )
    periods = (
        DecisionPeriod.objects.filter(
            certificate__client__in=in_service, end__gte=today, end__lte=horizon
        )
        .exclude(Exists(later))
        .select_related("certificate__client")
        .order_by("end", "pk")
    )
    result = list(periods)
    for period in result:
        period.stage = reminder_stage(period.end, today=today)
    return result


def certificate_section(*, user, clients, today):
    """The worklist section, and one notification per period at each stage (60, then 30 days):
    a stage already notified to this user is not notified again."""
    from contacts.hooks import WorklistSection
    from contacts.models import Notification

    items = ending_periods(clients, today=today)
    keys = {f"certificate:{p.pk}:{p.stage}": p for p in items}
    sent = set(
        Notification.objects.filter(
            user=user, kind=Notification.Kind.CERTIFICATE_ENDING, item_key__in=list(keys)
        )
        .exclude(day=today)
        .values_list("item_key", flat=True)
    )
    notifications = [
        (Notification.Kind.CERTIFICATE_ENDING, p.certificate.client, key, p.end)
        for key, p in keys.items()
        if key not in sent
    ]
    return WorklistSection(
        name="certificates",
        template="billing/_worklist_section.html",
        items=items,
        notifications=notifications,
        title=_("Recipient certificates ending"),
        rows=[(p.certificate.client, p.end, _("Decision period ends")) for p in items],
    )


# ---------------------------------------------------------------------------------------------
# The certificates import
