"""What the plan pages and their exports read (the views parse the request and render)."""

from django.db.models import Prefetch

from clients.models import Client
from core import calendar
from offices.scoping import offices_visible_to, scoped
from plans import rules
from plans.models import ReferralHandover, ServiceEndHandover

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


# ---------------------------------------------------------------------------------------------
# The hand-over list

HANDOVER_STATES = (
    rules.HandoverStatus.DUE,
    rules.HandoverStatus.MISSING,
    rules.HandoverStatus.NOT_DUE,
    rules.HandoverStatus.RECORDED,
)


def handover_list_clients(*, user, today, office=None, query="", state=""):
    """The people ``user`` may see (of ``office`` when given) in service ``today`` or whose
    service ended within the last year (``rules.handover_list_q``) that the search finds, each
    with ``handover_status`` (``rules.handover_list_status_of``), ``handover_end`` (the effective
    end) and ``handover_records`` (their end-of-service hand-overs, latest first) set; of
    ``state`` (one of ``HANDOVER_STATES``) when given. Most urgent first: due, ended without a
    hand-over, not yet due, recorded; then by end. Two queries, whatever the number of people."""
    clients = scoped(Client, user).filter(rules.handover_list_q(on=today))
    if office is not None:
        clients = clients.filter(office=office)
    clients = rules.with_handover(clients.search(query)).select_related("office", "staff_in_charge")
    rows = []
    for client in clients.prefetch_related(
        Prefetch(
            "end_handovers",
            queryset=ServiceEndHandover.objects.order_by("-shared_on", "-pk"),
            to_attr="handover_records",
        )
    ):
        client.handover_status = rules.handover_list_status_of(
            service_start=client.service_start,
            service_end=client.service_end,
            has_handover=client.has_handover,
            on=today,
        )
        client.handover_end = calendar.effective_end(client.service_start, client.service_end)
        if not state or client.handover_status == state:
            rows.append(client)
    rank = {status: n for n, status in enumerate(HANDOVER_STATES)}
    return sorted(
        rows,
        key=lambda c: (
            rank[c.handover_status],
            c.handover_end,
            c.family_name_kana,
            c.given_name_kana,
            c.client_code,
        ),
    )


def unlinked_referrals(*, user, office=None):
    """Referral hand-overs shared with ``user``'s offices (``office`` when given) and not yet
    linked to one of their people, oldest consent first: the receiving office links them from
    the hand-over's page."""
    handovers = ReferralHandover.objects.readable_by(user).filter(
        receiving_office__in=offices_visible_to(user).values("pk"),
        client__isnull=True,
        consent_withdrawn_on__isnull=True,
    )
    if office is not None:
        handovers = handovers.filter(receiving_office=office)
    return handovers.select_related("referring_office", "receiving_office").order_by(
        "consented_on", "pk"
    )
