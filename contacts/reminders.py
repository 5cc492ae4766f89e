"""The morning reminders: each staff member's own worklist items as in-app notifications, and one
e-mail listing the new ones to those with an address.

Running twice on the same day sends nothing twice: a notification is unique per (user, kind, item,
day) in the database, and an e-mail covers only notifications it has claimed (``emailed_at`` set in
one UPDATE before sending).
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts.models import Notification
from contacts.worklist import worklist_for
from core import calendar
from offices.scoping import offices_in_use, staff_of


@dataclass
class ReminderResult:
    users: int = 0
    notifications: int = 0
    emails: int = 0


def _items(worklist):
    for client in worklist.no_face_to_face:
        yield Notification.Kind.NO_FACE_TO_FACE, client, f"client:{client.pk}", None
    for contact in worklist.follow_ups:
        yield (
            Notification.Kind.FOLLOW_UP_DUE,
            contact.client,
            f"contact:{contact.pk}",
            contact.next_follow_up,
        )
    for client in worklist.service_ending:
        yield Notification.Kind.SERVICE_ENDING, client, f"client:{client.pk}", client.effective_end
    for client in worklist.awaiting_reemployment:
        yield (
            Notification.Kind.AWAITING_REEMPLOYMENT,
            client,
            f"client:{client.pk}",
            client.month_runs_out,
        )
    for section in worklist.sections:
        yield from section.notifications


def _create_once(*, user, day, kind, client, item_key, due_date):
    """Create the notification unless it exists; True when this call created it."""
    if Notification.objects.filter(user=user, kind=kind, item_key=item_key, day=day).exists():
        return False
    try:
        with transaction.atomic():
            Notification.objects.create(
                user=user, day=day, kind=kind, client=client, item_key=item_key, due_date=due_date
            )
    except IntegrityError:
        return False  # a concurrent run created it first
    return True


def staff_to_remind():
    return staff_of(offices_in_use()).order_by("pk")


def notify_user(*, user, day):
    """Create ``user``'s notifications for ``day``; returns how many were new."""
    created = 0
    for kind, client, item_key, due_date in _items(worklist_for(user=user, today=day)):
        created += _create_once(
            user=user, day=day, kind=kind, client=client, item_key=item_key, due_date=due_date
        )
    return created


def email_user(*, user, day):
    """Send one e-mail with the user's notifications of ``day`` not yet e-mailed."""
    if not user.email:
        return False
    batch = uuid.uuid4().hex
    claimed = Notification.objects.filter(
        user=user, day=day, emailed_at__isnull=True, client__office__in=_offices(user)
    ).update(emailed_at=timezone.now(), email_batch=batch)
    if not claimed:
        return False
    notifications = list(
        Notification.objects.filter(email_batch=batch)
        .select_related("client")
        .order_by("kind", "due_date", "client__client_code")
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Teichaku: %(count)s reminders for %(day)s") % {
            "count": len(notifications),
            "day": day.isoformat(),
        }
        body = render_to_string(
            "contacts/email/daily_reminders.txt",
            {"user": user, "day": day, "notifications": notifications},
        )
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        # Give the claim back so that a retry sends them.
        Notification.objects.filter(email_batch=batch).update(emailed_at=None, email_batch="")
        raise
    return True


def _offices(user):
    from offices.scoping import offices_visible_to

    return offices_visible_to(user).values("pk")


def send_daily_reminders(*, day=None):
    day = day or calendar.today()
    result = ReminderResult()
    for user in staff_to_remind():
        result.users += 1
        result.notifications += notify_user(user=user, day=day)
        result.emails += email_user(user=user, day=day)
    return result
