"""What the retention pages and their exports read, as plain data (the views render it).

``clients`` sits below ``billing``: billing's fee figures reach these pages through a
``FeeSource`` the view hands in (the fee tables of a day, the fee reference, the outlooks and the
month's billable person-months), never by an import from here.
"""

from dataclasses import dataclass

from clients import retention, services
from clients.forms import WhatIfForm
from core import calendar

FIRST_FISCAL_YEAR = 2024


@dataclass(frozen=True)
class FeeSource:
    """Billing's fee functions, as the retention pages use them (see the module docstring)."""

    tables_on: object  # [days] -> {day: fee table}
    reference_on: object  # (day, fee_tables=) -> fee reference
    outlooks: object  # ([results], month=, reference=None) -> [outlook]
    billable: object  # (office, month, retention_result=, fee_reference=) -> billable rows


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
    unknown fiscal year opens on the rate a manager can still act on (the one whose window
    includes today); an unknown month is today's month when it lies in the fiscal year, else
    April."""
    choices = list(range(calendar.fiscal_year_of(today) + 1, FIRST_FISCAL_YEAR - 1, -1))
    value = params.get("fiscal_year", "")
    if value.isdigit() and int(value) in choices:
        fiscal_year = int(value)
    else:
        fiscal_year = retention.moving_fiscal_year(today)
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
        fiscal_year_choices=choices,
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


def office_retention_page(*, actor, office, params, today, fee_source):
    """Everything the office retention page shows, as a dict for its template: the rate of the
    chosen fiscal year (recorded as a dashboard view), the fee outlook of the chosen month, the
    month's billable person-months, and the what-if (``client`` and ``separation_date`` in
    ``params``) with its form."""
    period = retention_period(params, today=today)
    # The fee tables of the fiscal year's first day (the rate's tier) and of the month (the
    # outlook and the what-if in money), in one query.
    fee_tables = fee_source.tables_on(
        [retention.fee_table_day(period.fiscal_year), period.month.first_day]
    )
    result = services.office_retention_read(
        actor=actor,
        office=office,
        fiscal_year=period.fiscal_year,
        as_of=today,
        fee_tables=fee_tables,
    )
    what_if_form = WhatIfForm(params if "client" in params else None, clients=result.clients)
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
    reference = fee_source.reference_on(period.month.first_day, fee_tables=fee_tables)
    return {
        "office": office,
        "retention": result,
        "outlook": fee_source.outlooks([result], month=period.month, reference=reference)[0],
        # The what-if in money for the whole office: billing's figures of the month.
        "billable": fee_source.billable(
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


def corporation_retention_page(*, actor, corporation, offices, params, today, fee_source):
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
    return {
        "corporation": corporation,
        "outlooks": fee_source.outlooks(results, month=period.month),
        "users": users,
        "retained": retained,
        "overall_percent": services.percent_or_none(retained, users),
        "fiscal_year_choices": period.fiscal_year_choices,
        "fiscal_year": period.fiscal_year,
        "month": period.month,
        "months": period.months,
        "projection": period.projection,
    }
