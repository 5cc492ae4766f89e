"""The one home of the rules a client or an employment must meet, whichever way it comes in.

The edit forms and the CSV importers both call these functions, so a row the importer accepts
can later be saved through the form, and both refuse with the same message. Each rule takes
plain values and returns a list of problems ``(field_name, message)``; an empty list means the
values pass. The field names are the model's; an importer names the matching column.
"""

import re

from django.utils.translation import gettext as _

from clients import retention
from core import calendar
from core.vocab import PlanType

KANA = re.compile(r"^[\u30a0-\u30ff\uff66-\uff9f\u3000 ・ー]*$")
# Letters (Japanese too), digits, "_", "-" and ".": a code travels into file names, e-mails and
# download headers, where a space, a quote or a line break would do harm.
CODE = re.compile(r"[\w.\-]+")


# ---------------------------------------------------------------------------------------------
# Client


def client_code_problems(*, client_code):
    """A client code is letters, digits, "_", "-" and "." only (no spaces or control characters)."""
    if client_code and not CODE.fullmatch(client_code):
        return [
            (
                "client_code",
                _("Use only letters, digits, “-”, “_” and “.” in a code (no spaces or symbols)."),
            )
        ]
    return []


def kana_problems(**readings):
    """Readings (``family_name_kana=…``, ``given_name_kana=…``) are written in katakana."""
    return [
        (name, _("Write the reading in katakana, e.g. ヤマダ."))
        for name, value in readings.items()
        if value and not KANA.match(value)
    ]


def birth_date_problems(*, birth_date, today):
    if birth_date is not None and birth_date >= today:
        return [("birth_date", _("The birth date must be in the past."))]
    return []


def service_period_problems(*, service_start, service_end, service_end_reason):
    """The service ends on or after its start, within 3 years, and an end goes with its reason."""
    problems = []
    if service_start is not None and service_end is not None:
        if service_end < service_start:
            problems.append(
                ("service_end", _("The service end must be on or after the service start."))
            )
        elif retention.exceeds_service_limit(service_start=service_start, service_end=service_end):
            problems.append(
                (
                    "service_end",
                    _("The service may last at most 3 years: it must end by %(limit)s.")
                    % {"limit": calendar.display_date(calendar.service_limit_end(service_start))},
                )
            )
    if service_end is not None and not service_end_reason:
        problems.append(
            (
                "service_end_reason",
                _("Give the reason the service ended (e.g. 3 years reached)."),
            )
        )
    if service_end_reason and service_end is None:
        problems.append(("service_end", _("Give the service end date for this end reason.")))
    return problems


def plan_problems(*, plan_type, consultation_office, consultation_specialist=""):
    """A consultation plan names the consultation support office that wrote it, and only a
    consultation plan has one. ``consultation_office`` is the office or its number (blank: none).
    """
    if plan_type == PlanType.CONSULTATION_PLAN:
        if not consultation_office:
            return [
                (
                    "consultation_office",
                    _("A consultation plan needs the consultation support office that wrote it."),
                )
            ]
        return []
    if consultation_office or consultation_specialist:
        return [
            (
                "plan_type",
                _("Choose “consultation plan” when a consultation support office is given."),
            )
        ]
    return []


def early_start_confirmation_stands(
    *, stored_service_start, stored_reason, confirmed_by_id, service_start
):
    """An early start confirmed before stays confirmed while the service start is unchanged.
    A stored reason is a confirmation even without the confirming user (an import from the
    command line, or a manager account deleted since)."""
    return bool(confirmed_by_id or stored_reason) and stored_service_start == service_start


def early_start_problems(
    *, service_start, employments, already_confirmed, can_confirm, confirmed, reason
):
    """A service starts from 6 months after the qualifying hire, or after the return from leave
    (DESIGN 4.2); an earlier start needs a service or office manager's confirmation with a reason.

    ``employments``: the person's ``retention.EmploymentSpan`` rows (a return from leave
    counts); ``can_confirm``: the person saving may confirm (a manager of the office);
    ``confirmed``: they confirm it now (the form's tick box; an importer's row giving a reason).
    """
    if service_start is None or not retention.starts_too_early(
        service_start=service_start,
        hire_date=retention.start_counted_from(employments, service_start),
    ):
        return []
    if already_confirmed:
        return []
    if not can_confirm:
        return [
            (
                "service_start",
                _(
                    "This start is earlier than 6 months after hire. Only a service or office "
                    "manager can confirm it, with a reason."
                ),
            )
        ]
    problems = []
    if not confirmed:
        problems.append(
            (
                "early_start_confirmed",
                _("Tick this box to confirm a start earlier than 6 months after hire."),
            )
        )
    if not (reason or "").strip():
        problems.append(("early_start_reason", _("Give the reason for the early start.")))
    return problems


# ---------------------------------------------------------------------------------------------
# Employment


def employment_period_problems(
    *, start_date, end_date, separation_reason, supported_job_change, returned_from_leave_on=None
):
    """The last working day is on or after the start; a separation has both its last working day
    and its reason; a supported job change needs the last working day; a return from leave falls
    after the start and not after the last working day."""
    problems = []
    if start_date is not None and end_date is not None and end_date < start_date:
        problems.append(("end_date", _("The last working day must be on or after the start date.")))
    if returned_from_leave_on is not None and (
        (start_date is not None and returned_from_leave_on <= start_date)
        or (end_date is not None and returned_from_leave_on > end_date)
    ):
        problems.append(
            (
                "returned_from_leave_on",
                _(
                    "The return from leave must be after the start date and not after the last "
                    "working day."
                ),
            )
        )
    if end_date is None:
        if separation_reason:
            problems.append(("end_date", _("Give the last working day for this separation.")))
        if supported_job_change:
            problems.append(
                (
                    "supported_job_change",
                    _("A supported job change needs the last working day of this job."),
                )
            )
    elif not separation_reason:
        problems.append(("separation_reason", _("Give the reason for the separation.")))
    return problems
