from django import template
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from billing import certificates
from billing.models import AdjustmentCode
from clients import fees
from core import calendar

register = template.Library()

PROBLEM_LABELS = {
    "no_certificate": pgettext_lazy("billing problem", "No recipient certificate"),
    "certificate_expired": pgettext_lazy("billing problem", "No decision period in force"),
    "report_not_shared": pgettext_lazy("billing problem", "Support report not shared"),
    "no_face_to_face": pgettext_lazy("billing problem", "No face-to-face contact"),
    "plan_missing": pgettext_lazy("billing problem", "No agreed plan"),
    "plan_review_overdue": pgettext_lazy("billing problem", "Plan review overdue"),
    "handover_due": pgettext_lazy("billing problem", "Hand-over due"),
}


# Where each problem of a person-month is fixed: (url name, takes the month as year and month).
PROBLEM_FIXES = {
    "no_certificate": ("certificate_edit", False),
    "certificate_expired": ("certificate_edit", False),
    "report_not_shared": ("report_for_month", True),
    "no_face_to_face": ("contact_quick_entry", False),
    "plan_missing": ("client_plans", False),
    "plan_review_overdue": ("client_plans", False),
    "handover_due": ("client_handovers", False),
}


@register.simple_tag
def problem_fix_url(code, client, month):
    """The page where ``code`` is fixed for ``client`` in ``month`` (a Month), or ""."""
    fix = PROBLEM_FIXES.get(code)
    if fix is None:
        return ""
    name, with_month = fix
    args = [client.pk, month.year, month.month] if with_month else [client.pk]
    return reverse(name, args=args)


@register.simple_tag
def current_certificate(client):
    """The person's certificate in force today (or the latest), for the client card."""
    return certificates.current_certificate(client, on=calendar.today())


@register.filter
def problem_label(code):
    return PROBLEM_LABELS.get(code, code)


@register.filter
def adjustment_label(code):
    return dict(AdjustmentCode.choices).get(code, code)


@register.simple_tag
def office_month_yen(step, billable):
    """The office's yen change in the month for a tier step (``fees.office_month_difference``),
    as a positive size; the template shows the sign."""
    difference = fees.office_month_difference(step, billable)
    return None if difference is None else abs(difference)
