"""Invitations: adding addresses, sending invitation and reminder e-mails, the response rate."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.numbers import percent
from surveys.models import Invitation, Survey


def parse_addresses(text):
    """(addresses, problems) from one address per line (or comma/semicolon separated).

    ``problems`` are (line number, value, reason); a list with problems is refused whole.
    """
    addresses, problems, seen = [], [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        for value in (v.strip() for v in line.replace(";", ",").split(",")):
            if not value or value.lower() in {"email", "e-mail", "メールアドレス"}:
                continue
            try:
                validate_email(value)
            except ValidationError:
                problems.append((number, value, _("Not a valid e-mail address.")))
                continue
            key = value.lower()
            if key not in seen:
                seen.add(key)
                addresses.append(value)
    return addresses, problems


@transaction.atomic
def invitations_add(*, survey, addresses):
    """Invite ``addresses`` not yet invited; returns (created, already invited)."""
    existing = {e.lower() for e in survey.invitations.values_list("email", flat=True)}
    new = [a for a in addresses if a.lower() not in existing]
    Invitation.objects.bulk_create(Invitation(survey=survey, email=a) for a in new)
    return len(new), len(addresses) - len(new)


def _send(invitation, *, base_url, reminder):
    link = base_url.rstrip("/") + reverse("survey_respond_token", args=[invitation.token])
    survey = invitation.survey
    with translation.override("ja"):
        context = {"survey": survey, "link": link, "reminder": reminder}
        subject = (
            _("[Reminder] Survey: %(title)s") if reminder else _("Survey request: %(title)s")
        ) % {"title": survey.title}
        body = render_to_string("surveys/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def send_invitations(*, survey_id, base_url):
    """Send the invitation to every address not yet sent one; returns how many were sent."""
    survey = Survey.objects.get(pk=survey_id)
    sent = 0
    for invitation in survey.invitations.filter(sent_at__isnull=True).select_related("survey"):
        _send(invitation, base_url=base_url, reminder=False)
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def send_reminders(*, survey_id, base_url):
    """Remind every invited address that has not answered; returns how many were sent."""
    survey = Survey.objects.get(pk=survey_id)
    sent = 0
    pending = survey.invitations.filter(sent_at__isnull=False, responded=False)
    for invitation in pending.select_related("survey"):
        _send(invitation, base_url=base_url, reminder=True)
        Invitation.objects.filter(pk=invitation.pk).update(
            reminded_at=timezone.now(), reminders=invitation.reminders + 1
        )
        sent += 1
    return sent


def response_rate(survey):
    """Invited, sent, answered by invitation, all responses, and the rate (answered / invited)."""
    invitations = survey.invitations.all()
    invited = invitations.count()
    answered = invitations.filter(responded=True).count()
    responses = survey.responses.filter(voided_at__isnull=True).count()
    return {
        "invited": invited,
        "sent": invitations.filter(sent_at__isnull=False).count(),
        "answered": answered,
        "responses": responses,
        "percent": percent(answered, invited) if invited else None,
    }
