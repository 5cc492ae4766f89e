"""The early warnings on the worklist (the ``WORKLIST_SECTIONS`` extension point): the people
whose check-in raised a warning still open, with a notification for the staff in charge (the
daily reminders, and ``voice.services.warnings_evaluate`` the same day)."""

from django.utils.translation import gettext as _

from contacts.hooks import WorklistSection
from contacts.models import Notification
from voice.models import CheckInWarning


def warning_section(*, user, clients, today):
    warnings = list(
        CheckInWarning.objects.filter(client__in=clients, closed_at__isnull=True)
        .select_related("client__office")
        .order_by("raised_on", "client__client_code", "pk")
    )
    if not warnings:
        return None
    return WorklistSection(
        name="check_in_warnings",
        template="voice/_worklist_warnings.html",
        items=warnings,
        notifications=[
            (Notification.Kind.CHECK_IN_WARNING, w.client, f"check_in_warning:{w.pk}", w.raised_on)
            for w in warnings
        ],
        title=_("Check-in warnings"),
        rows=[(w.client, w.raised_on, w.get_reason_display()) for w in warnings],
    )
