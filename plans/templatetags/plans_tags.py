from django import template

from core import calendar
from plans import rules
from plans.models import LifeDomain

register = template.Library()

STATUS_BADGES = {
    rules.Status.OK: "text-bg-success",
    rules.Status.REVIEW_DUE: "text-bg-warning",
    rules.Status.REVIEW_OVERDUE: "text-bg-danger",
    rules.Status.MISSING: "text-bg-danger",
    rules.Status.NOT_IN_SERVICE: "text-bg-secondary",
}


@register.simple_tag
def plan_summary(client):
    """The person's plan status today, with the current version's gaps, for the client card."""
    status = rules.plan_status(client, on=calendar.today())
    labels = dict(LifeDomain.choices)
    current = status.current
    return {
        "status": status,
        "uncovered": [labels[c] for c in current.uncovered_domains] if current else [],
        "latest": client.support_plans.order_by("-plan_date", "-version").first(),
    }


@register.simple_tag
def current_goals(client):
    """The short-term goals of the person's current plan (an empty list without one)."""
    current = rules.current_plan(client, on=calendar.today())
    return {"plan": current, "goals": current.goals if current else []}


@register.inclusion_tag("plans/_status_badge.html")
def plan_status_badge(status):
    return {"status": status, "badge": STATUS_BADGES.get(status, "text-bg-secondary")}


@register.simple_tag
def handover_summary(client, user):
    """The person's hand-overs for the client card: the end-of-service status, and the referral
    hand-overs ``user`` may see (headers only; the contents are read, and audited, on their
    page). A withdrawn one shows only that it was withdrawn."""
    from django.db.models import Q

    from plans.models import ReferralHandover

    incoming = Q(receiving_office=client.office_id) & (
        Q(client=client) | Q(client__isnull=True, referring_office=client.referral_office_id)
    )
    today = calendar.today()
    return {
        "status": rules.handover_status(client, on=today),
        "end": calendar.effective_end(client.service_start, client.service_end),
        "incoming": list(
            ReferralHandover.objects.readable_by(user)
            .filter(incoming)
            .select_related("referring_office")
        ),
        "withdrawn": list(
            ReferralHandover.objects.withdrawn_for(user)
            .filter(incoming)
            .select_related("referring_office")
        ),
    }
