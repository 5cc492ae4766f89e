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
