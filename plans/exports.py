"""The downloads of the plans list (everyone in service the page's office, status and search
find, their plan state and next review date) and of the hand-over list (as ``clients/exports.py``:
rows from what the page shows, bytes first through ``core.tabular.table_bytes``, then one
``export`` event per office naming the people by client code; a refused CP932 file records
nothing)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.services import people_exported
from core import tabular
from core.names import staff_display_name
from plans import rules

PLAN_LIST_HEADER = (
    gettext_lazy("Office number"),
    gettext_lazy("Office name"),
    gettext_lazy("Client code"),
    gettext_lazy("Name"),
    gettext_lazy("Plan status"),
    gettext_lazy("Next review by"),
    gettext_lazy("Staff in charge"),
)

STATUS_LABELS = {
    rules.Status.OK: gettext_lazy("Plan up to date"),
    rules.Status.REVIEW_DUE: gettext_lazy("Review due soon"),
    rules.Status.REVIEW_OVERDUE: gettext_lazy("Review overdue"),
    rules.Status.MISSING: gettext_lazy("No agreed plan"),
    rules.Status.NOT_IN_SERVICE: gettext_lazy("Not in service"),
}


def plan_list_rows(clients):
    """One row per person, each with ``plan_status`` set (as the page sets it)."""
    for client in clients:
        yield (
            client.office.office_number,
            client.office.name,
            client.client_code,
            client.full_name,
            str(STATUS_LABELS[client.plan_status]),
            client.plan_review_by,
            staff_display_name(client.staff_in_charge),
        )


def plan_list_export(*, actor, clients, fmt, office=None, detail=""):
    """The plans list (``clients``: the page's people, every page, ``plan_status`` set) as
    ``fmt`` bytes, recorded as an export naming the people."""
    clients = list(clients)
    header = [str(h) for h in PLAN_LIST_HEADER]
    body = tabular.table_bytes([(_("Support plans"), header, plan_list_rows(clients))], fmt=fmt)
    with transaction.atomic():
        people_exported(
            actor=actor, export=f"plan list {fmt}", clients=clients, office=office, detail=detail
        )
    return body


HANDOVER_LIST_HEADER = (
    gettext_lazy("Office number"),
    gettext_lazy("Office name"),
    gettext_lazy("Client code"),
    gettext_lazy("Name"),
    gettext_lazy("Hand-over status"),
    gettext_lazy("Service end"),
    gettext_lazy("Who takes over"),
    gettext_lazy("Name of the successor"),
    gettext_lazy("Shared on"),
    gettext_lazy("Consent given on"),
    gettext_lazy("Staff in charge"),
)

HANDOVER_STATUS_LABELS = {
    rules.HandoverStatus.DUE: gettext_lazy("hand-over due"),
    rules.HandoverStatus.MISSING: gettext_lazy("ended without a hand-over"),
    rules.HandoverStatus.NOT_DUE: gettext_lazy("not yet due"),
    rules.HandoverStatus.RECORDED: gettext_lazy("hand-over recorded"),
}


def handover_list_rows(clients):
    """One row per person (from ``selectors.handover_list_clients``), with their latest
    end-of-service hand-over."""
    for client in clients:
        latest = client.handover_records[0] if client.handover_records else None
        yield (
            client.office.office_number,
            client.office.name,
            client.client_code,
            client.full_name,
            str(HANDOVER_STATUS_LABELS[client.handover_status]),
            client.handover_end,
            latest.get_successor_display() if latest else "",
            latest.successor_name if latest else "",
            latest.shared_on if latest else None,
            latest.consented_on if latest else None,
            staff_display_name(client.staff_in_charge),
        )


def handover_list_export(*, actor, clients, fmt, office=None, detail=""):
    """The hand-over list (``clients``: the page's people, every page) as ``fmt`` bytes,
    recorded as an export naming the people."""
    clients = list(clients)
    header = [str(h) for h in HANDOVER_LIST_HEADER]
    body = tabular.table_bytes([(_("Hand-overs"), header, handover_list_rows(clients))], fmt=fmt)
    with transaction.atomic():
        people_exported(
            actor=actor,
            export=f"handover list {fmt}",
            clients=clients,
            office=office,
            detail=detail,
        )
    return body
