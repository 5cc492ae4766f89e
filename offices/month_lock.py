"""The closed-month lock (docs/domain.md 4.5): an office's month closed for billing cannot change.

Billing closes and reopens a month (``billing.services``); the apps below it (contacts, support
reports, case meetings and their imports) only check the lock, so it lives here, with the office.

- ``month_is_closed(office, month)`` / ``ensure_month_open(office, *months)``: the one check the
  services of contacts, support reports and case meetings call before a change. A closed month
  raises ``MonthClosed``, whose message is shown in Japanese (``ClosedMonthMiddleware`` turns it
  into a message on the page the change came from).
- ``closed_months_of(offices)`` / ``import_refusal(*months)``: the same lock for the CSV imports,
  set-based: the closed (office id, month) pairs of a file's offices in one query, and the row
  problem of a row that would change a closed month.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.calendar import Month, month_label
from core.params import safe_url
from offices.models import MonthClose


class MonthClosed(Exception):
    """A change to a closed month was refused."""

    def __init__(self, office, month):
        self.office, self.month = office, month
        super().__init__(
            _(
                "%(month)s is closed for billing. A manager must reopen the month, with a reason, "
                "before its contacts, reports or meetings can change."
            )
            % {"month": month_label(month.year, month.month)}
        )


def _as_month(value):
    return value if isinstance(value, Month) else Month.of(value)


def month_is_closed(office, month):
    month = _as_month(month)
    return MonthClose.objects.filter(office=office, month=month.first_day, is_closed=True).exists()


def ensure_month_open(office, *months):
    """Raise ``MonthClosed`` when any of ``months`` (Months or dates) is closed for ``office``."""
    firsts = {_as_month(m).first_day for m in months if m is not None}
    closed = (
        MonthClose.objects.filter(office=office, month__in=firsts, is_closed=True)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    if closed is not None:
        raise MonthClosed(office, Month.of(closed))


def closed_months_of(offices):
    """The closed months of ``offices`` (a queryset of offices, or offices or their ids) as a
    set of (office id, Month), in one query: an import loads them once per file and checks
    its rows against the set (``import_refusal``)."""
    rows = MonthClose.objects.filter(office__in=offices, is_closed=True).values_list(
        "office_id", "month"
    )
    return {(office_id, Month.of(day)) for office_id, day in rows}


def import_refusal(*months):
    """The problem of an import row that would create, change or delete a record in ``months``
    (closed for billing): 「2024年4月は締め済みです。…」."""
    labels = "、".join(month_label(m.year, m.month) for m in sorted(set(months)))
    return _(
        "%(months)s is closed for billing. A manager must reopen the month before this row "
        "can be imported."
    ) % {"months": labels}


def close_state(office, month):
    """The ``MonthClose`` row of the month, or None when it was never closed."""
    return MonthClose.objects.filter(office=office, month=month.first_day).first()


class ClosedMonthMiddleware:
    """A change refused because its month is closed: back to the page the form was sent from
    (its referer on this site, else the home page) with the message, or a page saying so (409)
    for a GET. Never a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, MonthClosed):
            return None
        if request.method == "POST":
            messages.error(request, str(exception))
            return redirect(safe_url(request, request.headers.get("referer"), fallback="home"))
        return render(request, "offices/month_closed.html", {"message": str(exception)}, status=409)
