"""Invitations: reading addresses, the invitation and reminder e-mail, the response rate.

Adding, removing and marking invitations sent are writes of ``surveys.services``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.numbers import percent


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


def send_mail_to(invitation, *, base_url, reminder):
    """The invitation (or reminder) e-mail of ``invitation``, in Japanese, with its link."""
    link = base_url.rstrip("/") + reverse("survey_respond_token", args=[invitation.token])
    survey = invitation.survey
    with translation.override("ja"):
        context = {"survey": survey, "link": link, "reminder": reminder}
        subject = (
            _("[Reminder] Survey: %(title)s") if reminder else _("Survey request: %(title)s")
        ) % {"title": survey.title}
        body = render_to_string("surveys/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


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
