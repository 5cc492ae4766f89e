"""What the plan pages and their exports read (the views parse the request and render)."""

from clients.models import Client
from offices.scoping import scoped
from plans import rules

STATUS_FILTERS = {
    "missing": rules.Status.MISSING,
    "overdue": rules.Status.REVIEW_OVERDUE,
    "due": rules.Status.REVIEW_DUE,
    "ok": rules.Status.OK,
}


def plan_list_clients(*, user, today, office=None, query="", status=""):
    """The people in service ``today`` that ``user`` may see (of ``office`` when given) that the
    search finds, with ``plan_review_by`` annotated, filtered by plan ``status`` (a key of
    ``STATUS_FILTERS``), in the list's order (the review date first)."""
    clients = scoped(Client, user).filter(rules.in_service_on_q(today))
    if office is not None:
        clients = clients.filter(office=office)
    clients = rules.with_review_by(clients.search(query), on=today)
    if status in STATUS_FILTERS:
        clients = clients.filter(rules.status_q(STATUS_FILTERS[status], on=today))
    return clients.select_related("office", "staff_in_charge").order_by(
        "plan_review_by", "family_name_kana", "client_code"
    )


def with_plan_status(clients, today):
    """``clients`` (from ``plan_list_clients``), each given its ``plan_status`` on ``today``."""
    for client in clients:
        client.plan_status = rules.status_of(
            in_service=True,
            review_by=client.plan_review_by,
            has_agreed_plan=client.plan_current_pk is not None,
            on=today,
        )
    return clients
