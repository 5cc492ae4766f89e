"""The plan's part of the worklist, the reminders and the manager's home (through
``contacts.hooks``): people in service without an agreed plan, with a review overdue, or with a
review due within ``rules.REVIEW_REMINDER_DAYS`` days. The rule is ``plans.rules``."""

from django.utils.translation import gettext as _

from contacts.hooks import WorklistSection
from contacts.models import Notification
from plans import rules
from plans.exports import STATUS_LABELS

# Most urgent first: billing risks before reminders.
_URGENCY = {rules.Status.MISSING: 0, rules.Status.REVIEW_OVERDUE: 1, rules.Status.REVIEW_DUE: 2}


def plan_section(*, user, clients, today):
    """The worklist section: ``clients`` is already scoped to what ``user`` may see."""
    items = sorted(
        rules.needing_attention(clients.select_related("office"), on=today),
        key=lambda c: (_URGENCY[c.plan_status], c.plan_review_by or today, c.client_code),
    )
    notifications = [
        (
            Notification.Kind.PLAN_REVIEW_DUE,
            client,
            f"plan:{client.plan_current_pk}",
            client.plan_review_by,
        )
        for client in items
        if client.plan_status in (rules.Status.REVIEW_DUE, rules.Status.REVIEW_OVERDUE)
    ]
    return WorklistSection(
        name="plans",
        template="plans/_worklist_section.html",
        items=items,
        notifications=notifications,
        title=_("Support plans to agree or review"),
        rows=[
            (client, client.plan_review_by, str(STATUS_LABELS[client.plan_status]))
            for client in items
        ],
    )


def plan_figures(*, offices, today):
    """{office_pk: {status: count}} for the manager's home, one query for all the offices."""
    from clients.models import Client

    return rules.status_counts_by_office(Client.objects.filter(office__in=offices), on=today)


plan_figures.template = "plans/_home_figure.html"


def handover_section(*, user, clients, today):
    """People whose service ends within three months with no hand-over recorded (``handover_due``,
    ``rules.handovers_due``); ``clients`` is already scoped to what ``user`` may see."""
    items = rules.handovers_due(clients.select_related("office"), on=today)
    return WorklistSection(
        name="handovers",
        template="plans/_worklist_handover_section.html",
        items=items,
        title=_("Hand-overs due before the service ends"),
        rows=[(client, client.handover_end, _("Service end")) for client in items],
    )


def handover_figures(*, offices, today):
    """{office_pk: number of people with a hand-over due} for the manager's home."""
    from clients.models import Client

    return rules.handovers_due_by_office(Client.objects.filter(office__in=offices), on=today)


handover_figures.template = "plans/_home_handover_figure.html"


def retention_handover_panel(*, office, today):
    """The retention page's list of people whose end is near with no hand-over recorded."""
    from clients.models import Client

    return {"due": rules.handovers_due(Client.objects.filter(office=office), on=today)}


retention_handover_panel.template = "plans/_retention_handover_panel.html"
