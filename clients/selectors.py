"""What the client, employer and retention pages and their exports read (the views render it).

Selectors take the user and go through office scoping. The fee tables and outlooks live here in
``clients.fees``; the month's billable person-months come from the app above that counts them,
through the ``RETENTION_BILLABLE_PERSON_MONTHS`` extension point (``clients.hooks``).
"""

from dataclasses import dataclass

from clients import cards, fees, hooks, retention, services
from clients import forms as client_forms
from clients.models import Client, Employment, Origin
from core import calendar
from core.numbers import percent
from offices.scoping import offices_managed_by, scoped

FIRST_FISCAL_YEAR = 2024

# ---------------------------------------------------------------------------------------------
# Clients and employments


class Status:
    ACTIVE = "active"
    UPCOMING = "upcoming"
    ENDED = "ended"


# The client list's columns: the page, its search and the audit record read only these (a full
# select_related of office, corporation, staff and referral office fetched about 60 columns).
LIST_COLUMNS = (
    "client_code", "family_name", "given_name", "family_name_kana", "given_name_kana",
    "plan_type", "service_start", "service_end", "office_id", "staff_in_charge_id",
    "referral_office_id", "office__name", "office__office_number", "staff_in_charge__username",
    "staff_in_charge__first_name", "staff_in_charge__last_name",
)  # fmt: skip


def clients_visible_to(*, user):
    return (
        scoped(Client, user)
        .with_origin()
        .select_related("office", "staff_in_charge")
        .only(*LIST_COLUMNS)
    )


def filter_clients(queryset, *, today, query="", status="", origin="", plan_type="", staff=None,
                   ending_soon=False, office=None):  # fmt: skip
    """The client list's search and filters, on an already scoped queryset."""
    if office is not None:
        queryset = queryset.filter(office=office)
    queryset = queryset.search(query)
    if status == Status.ACTIVE:
        queryset = queryset.in_service_between(today, today)
    elif status == Status.UPCOMING:
        queryset = queryset.filter(service_start__gt=today)
    elif status == Status.ENDED:
        queryset = queryset.filter(service_end__lt=today)
    if origin in Origin.values:
        queryset = queryset.filter(origin=origin)
    if plan_type == "none":
        queryset = queryset.filter(plan_type="")
    elif plan_type:
        queryset = queryset.filter(plan_type=plan_type)
    if staff is not None:
        queryset = queryset.filter(staff_in_charge=staff)
    if ending_soon:
        queryset = queryset.filter(calendar.ending_soon_q(today=today))
    return queryset


def can_confirm_early_start(*, user, office):
    return offices_managed_by(user).filter(pk=office.pk).exists()


def employment_spans_of(client):
    """The client's employments as the rule's rows (``retention.EmploymentSpan``)."""
    if client.pk is None:
        return []
    return [
        retention.EmploymentSpan(start, end, supported, returned)
        for start, end, supported, returned in client.employments.order_by(
            "start_date"
        ).values_list("start_date", "end_date", "supported_job_change", "returned_from_leave_on")
    ]


def employment_spans_by_client(client_ids):
    """{client id: its employments as the rule's rows}, ``employment_spans_of`` for many clients
    in one query (an import's batch)."""
    spans = {}
    for client_id, start, end, supported, returned in (
        Employment.objects.filter(client_id__in=client_ids)
        .order_by("client_id", "start_date")
        .values_list(
            "client_id", "start_date", "end_date", "supported_job_change", "returned_from_leave_on"
        )
    ):
        spans.setdefault(client_id, []).append(
            retention.EmploymentSpan(start, end, supported, returned)
        )
    return spans


def start_counted_from(client, service_start=None):
    """The day the 6 months to the service start count from: the qualifying hire, or the return
    from leave (``retention.start_counted_from``)."""
    return retention.start_counted_from(
        employment_spans_of(client), service_start or client.service_start
    )


def early_start_unconfirmed(client):
    return (
        retention.starts_too_early(
            service_start=client.service_start, hire_date=start_counted_from(client)
        )
        and client.early_start_confirmed_by_id is None
        and not client.early_start_reason
    )


def percent_or_none(part, whole):
    return percent(part, whole) if whole else None


# ---------------------------------------------------------------------------------------------
# Retention pages


@dataclass(frozen=True)
class Period:
    """The fiscal year a retention page shows (its rate), the choices offered, and the month whose
    fee is shown (one of the fiscal year's months)."""

    fiscal_year: int
    fiscal_year_choices: list
    month: calendar.Month
    months: list
    projection: bool


def retention_period(params, *, today):
    """The period a retention request asks for (``fiscal_year``, ``month`` in ``params``): an
    unknown fiscal year opens on this fiscal year's rate, the one billed now and shown on the
    home page; next year's projection (``retention.moving_fiscal_year``) is shown only when
    asked for. An unknown month is today's month when it lies in the fiscal year, else April."""
    choices = list(range(calendar.fiscal_year_of(today) + 1, FIRST_FISCAL_YEAR - 1, -1))
    value = params.get("fiscal_year", "")
    if value.isdigit() and int(value) in choices:
        fiscal_year = int(value)
    else:
        fiscal_year = calendar.fiscal_year_of(today)
    months = calendar.months_between(*calendar.fiscal_year_bounds(fiscal_year))
    try:
        month = calendar.Month.parse(params.get("month", ""))
    except ValueError:
        month = None
    if month not in months:
        this_month = calendar.Month.of(today)
        month = this_month if this_month in months else months[0]
    return Period(
        fiscal_year=fiscal_year,
        fiscal_year_choices=[(year, retention.is_projection(year, today)) for year in choices],
        month=month,
        months=months,
        projection=retention.is_projection(fiscal_year, today),
    )


def _outside_window(day, result):
    """ "before" or "after" when the what-if date lies outside the window of the result."""
    if day < result.window_start:
        return "before"
    if day > result.reference_date:
        return "after"
    return ""


def office_retention_page(*, actor, office, params, today):
    """Everything the office retention page shows, as a dict for its template: the rate of the
    chosen fiscal year (recorded as a dashboard view), the fee outlook of the chosen month, the
    month's billable person-months, and the what-if (``client`` and ``separation_date`` in
    ``params``) with its form."""
    period = retention_period(params, today=today)
    # The fee tables of the fiscal year's first day (the rate's tier) and of the month (the
    # outlook and the what-if in money), in one query.
    fee_tables = fees.fee_tables_on(
        [retention.fee_table_day(period.fiscal_year), period.month.first_day]
    )
    result = services.office_retention_read(
        actor=actor,
        office=office,
        fiscal_year=period.fiscal_year,
        as_of=today,
        fee_tables=fee_tables,
    )
    what_if_form = client_forms.WhatIfForm(
        params if "client" in params else None, clients=result.clients
    )
    what_if = None
    what_if_outside = ""
    if what_if_form.is_bound and what_if_form.is_valid():
        separation_date = what_if_form.cleaned_data["separation_date"]
        what_if_outside = _outside_window(separation_date, result)
        what_if = retention.office_retention(
            office=office,
            fiscal_year=period.fiscal_year,
            as_of=today,
            what_if=retention.WhatIf(
                client_code=what_if_form.cleaned_data["client"],
                separation_date=separation_date,
            ),
        )
    reference = fees.fee_reference_on(period.month.first_day, fee_tables=fee_tables)
    return {
        "office": office,
        "retention": result,
        "cards": [cards.retention_card(result, hide_link=True, hide_tier=True)],
        "card_labels": cards.labels(),
        # The table of users prepared once here (clients.cards): the page renders plain text.
        "user_rows": cards.user_rows(result, today=today),
        "outlook": fees.fee_outlooks([result], month=period.month, reference=reference)[0],
        # The what-if in money for the whole office: billing's figures of the month.
        "billable": hooks.billable_person_months(
            office, period.month, retention_result=result, fee_reference=reference
        ),
        "what_if": what_if,
        "what_if_form": what_if_form,
        "what_if_outside": what_if_outside,
        "fiscal_year_choices": period.fiscal_year_choices,
        "fiscal_year": period.fiscal_year,
        "month": period.month,
        "months": period.months,
        "projection": period.projection,
        "today": today,
    }


def corporation_retention_page(*, actor, corporation, offices, params, today):
    """Everything the corporation retention page shows, as a dict for its template: every
    office's rate (recorded as one view), their fee outlooks for the chosen month, and the
    corporation's overall rate."""
    period = retention_period(params, today=today)
    results = services.corporation_retention_read(
        actor=actor,
        corporation=corporation,
        offices=offices,
        fiscal_year=period.fiscal_year,
        as_of=today,
    )
    users = sum(r.users for r in results)
    retained = sum(r.retained for r in results)
    outlooks = fees.fee_outlooks(results, month=period.month)
    return {
        "corporation": corporation,
        "outlooks": outlooks,
        # Every office's card prepared once here (clients.cards): the page renders plain text.
        "cards": [
            cards.retention_card(outlook.retention, outlook=outlook, month=period.month)
            for outlook in outlooks
        ],
        "card_labels": cards.labels(),
        "users": users,
        "retained": retained,
        "overall_percent": percent_or_none(retained, users),
        "fiscal_year_choices": period.fiscal_year_choices,
        "fiscal_year": period.fiscal_year,
        "month": period.month,
        "months": period.months,
        "projection": period.projection,
    }


def names_by_code(*, office_id, codes):
    """``{(office id, client code): display name}`` of the office's people with those codes:
    the audit trail names the people a page showed (``AUDIT_PERSON_NAMES``)."""
    people = Client.objects.filter(office_id=office_id, client_code__in=list(codes)).only(
        "client_code", "family_name", "given_name"
    )
    return {(office_id, person.client_code): person.full_name for person in people}


# ---------------------------------------------------------------------------------------------
# The administrator's start page


def admin_start(*, failure_limit):
    """What an administrator (a Django staff account with no office) starts from: the counts of
    corporations, offices, staff accounts and fee tables, and what needs attention: offices
    without a manager, accounts in no office, fee tables and unit prices not yet checked against
    their notice, and accounts locked out after ``failure_limit`` failed logins."""
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model

    from clients.models import FeeTable, RegionalUnitPrice
    from offices.models import MANAGER_ROLES, Corporation, Membership, Office

    users = get_user_model().objects.filter(is_active=True)
    managed = Membership.objects.filter(role__in=MANAGER_ROLES).values("office_id")
    return {
        "corporations": Corporation.objects.count(),
        "offices": Office.objects.count(),
        "staff": users.filter(memberships__isnull=False).distinct().count(),
        "fee_tables": FeeTable.objects.count(),
        "offices_without_manager": list(
            Office.objects.exclude(pk__in=managed).order_by("office_number")[:20]
        ),
        "accounts_without_office": list(
            users.filter(memberships__isnull=True, is_superuser=False)
            .order_by("username")
            .values_list("username", flat=True)[:20]
        ),
        "unverified_fee_tables": FeeTable.objects.filter(verified=False).count(),
        "unverified_unit_prices": RegionalUnitPrice.objects.filter(verified=False).count(),
        "locked_out": list(
            AccessAttempt.objects.filter(failures_since_start__gte=failure_limit)
            .order_by("-attempt_time")
            .values_list("username", "ip_address")[:20]
        ),
    }
