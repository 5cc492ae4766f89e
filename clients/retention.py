"""Retention rate (就労定着率) and fee tier: DESIGN section 4, the one authority for the rule.

The rule is the second edition of DESIGN 4.2 (docs/domain.md). It works on plain dates and rows
(``EmploymentSpan``, ``ServicePeriod``) and needs no database: ``employment_continuity`` decides one
person from the qualifying employment, on a reference date and as of the day the figure is
computed; ``compute_retention`` an office; ``tier_for`` picks the fee tier from a table given as
rows. ``office_retention`` loads an office's users lean and the fee table and calls them; the
dashboard, the corporation page, the JSON report and the managers' home page all go through it,
so they cannot disagree.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import pgettext_lazy

from clients.fees import Tier, fee_table_on, tier_for
from core.calendar import (
    ONE_DAY,
    add_months,
    fiscal_year_bounds,
    fiscal_year_of,
    service_limit_end,
    today,
)
from core.lookups import InArray
from core.names import display_name
from core.numbers import as_json_number, percent, round_half_up

MONTHS_FROM_HIRE_TO_SERVICE = 6
FULL_HISTORY_FISCAL_YEARS = 3


class Reason(models.TextChoices):
    """Why a user counts as retained or not (DESIGN 4.2; the codes appear in the JSON report)."""

    CONTINUOUS = "continuous", pgettext_lazy("retention reason", "Continuously employed")
    AFTER_SUPPORTED_CHANGE = (
        "after_supported_change",
        pgettext_lazy(
            "retention reason", "Re-employed within a month after a supported job change"
        ),
    )
    IN_EXCUSED_GAP = (
        "in_excused_gap",
        pgettext_lazy(
            "retention reason",
            "Within the month after a supported job change; the new job starts within it",
        ),
    )
    AWAITING_REEMPLOYMENT = (
        "awaiting_reemployment",
        pgettext_lazy(
            "retention reason",
            "Provisional: within the month after a supported job change, no new job recorded yet",
        ),
    )
    NOT_REEMPLOYED_IN_TIME = (
        "not_reemployed_in_time",
        pgettext_lazy(
            "retention reason", "No new job within the month after a supported job change"
        ),
    )
    NO_QUALIFYING_EMPLOYMENT = (
        "no_qualifying_employment",
        pgettext_lazy("retention reason", "No employment in effect on the service start"),
    )
    NOT_YET_EMPLOYED = (
        "not_yet_employed",
        pgettext_lazy("retention reason", "First employment starts after the reference date"),
    )
    SEPARATED = (
        "separated",
        pgettext_lazy("retention reason", "Not employed on the reference date"),
    )
    UNSUPPORTED_GAP = (
        "unsupported_gap",
        pgettext_lazy("retention reason", "Gap in employment after a separation"),
    )
    REEMPLOYED_TOO_LATE = (
        "reemployed_too_late",
        pgettext_lazy(
            "retention reason", "Re-employed more than a month after a supported job change"
        ),
    )
    SECOND_SUPPORTED_CHANGE = (
        "second_supported_change",
        pgettext_lazy("retention reason", "Gap after a second supported job change"),
    )
    CHANGE_OUTSIDE_SERVICE = (
        "change_outside_service",
        pgettext_lazy(
            "retention reason", "Gap after a supported job change outside the service period"
        ),
    )


RETAINED_REASONS = frozenset(
    {
        Reason.CONTINUOUS,
        Reason.AFTER_SUPPORTED_CHANGE,
        Reason.IN_EXCUSED_GAP,
        Reason.AWAITING_REEMPLOYMENT,
    }
)
# Shown as a data problem: the employment history does not reach the service start.
DATA_PROBLEM_REASONS = frozenset({Reason.NO_QUALIFYING_EMPLOYMENT})


# ---------------------------------------------------------------------------------------------
# Dates (the calendar arithmetic itself lives in core.calendar)


def window_of(fiscal_year):
    """(window start, reference date) for remuneration fiscal year F: 1 Apr F-3 to 31 Mar F."""
    return fiscal_year_bounds(fiscal_year - 3)[0], fiscal_year_bounds(fiscal_year - 1)[1]


def is_projection(fiscal_year, today):
    """Fiscal year F's rate is a projection until its reference date (31 March F) has passed:
    it assumes everyone employed today stays employed until then."""
    return today <= window_of(fiscal_year)[1]


def excused_gap_end(separation_date):
    """The last day a new employment may start after a supported job change."""
    return add_months(separation_date, 1)


def earliest_service_start(hire_date):
    """The service may start from 6 months after hire (or after the return from leave: pass
    ``start_counted_from``)."""
    return add_months(hire_date, MONTHS_FROM_HIRE_TO_SERVICE)


def starts_too_early(*, service_start, hire_date):
    """``hire_date``: the day the 6 months count from (``start_counted_from``); None: no check."""
    return hire_date is not None and service_start < earliest_service_start(hire_date)


def exceeds_service_limit(*, service_start, service_end):
    return service_end is not None and service_end > service_limit_end(service_start)


# ---------------------------------------------------------------------------------------------
# One person


@dataclass(frozen=True)
class EmploymentSpan:
    start: dt.date
    end: dt.date | None = None  # the last working day; None while employed
    supported_job_change: bool = False
    # A return from leave (休職): the service may start 6 months after it. Leave itself is
    # employment and breaks nothing.
    returned_from_leave_on: dt.date | None = None


@dataclass(frozen=True)
class Continuity:
    retained: bool
    reason: str
    # Retained only until the as-of date passes ``month_runs_out`` (awaiting_reemployment).
    provisional: bool = False
    # The last day the new job may start after a supported change, when the reference date
    # falls in that month (for the dashboard's provisional list and the reminders).
    month_runs_out: dt.date | None = None


def _sorted(spans):
    return sorted(spans, key=lambda s: (s.start, s.end or dt.date.max))


def qualifying_employment(spans, service_start):
    """The employment in effect on ``service_start``: started on or before it and not ended
    before it; the latest started when several match. None when there is none."""
    in_effect = [
        s
        for s in _sorted(spans)
        if s.start <= service_start and (s.end is None or s.end >= service_start)
    ]
    return in_effect[-1] if in_effect else None


def start_counted_from(spans, service_start):
    """The day the 6 months to the service start count from (DESIGN 4.2, start of service): the
    qualifying employment's return from leave, else its start. Without a qualifying employment,
    the first hire after ``service_start`` (a service that starts before the hire starts too
    early); None when neither exists."""
    qualifying = qualifying_employment(spans, service_start)
    if qualifying is not None:
        return qualifying.returned_from_leave_on or qualifying.start
    later = [s.start for s in spans if s.start > service_start]
    return min(later, default=None)


def employment_continuity(spans, reference_date, *, service_start, service_end=None, as_of):
    """Whether employment runs unbroken from the qualifying employment to the reference date
    (DESIGN 4.2), judged on ``as_of`` (the day the figure is computed).

    ``spans`` are EmploymentSpan rows in any order. Employments that ended before
    ``service_start`` are history. One gap per person is forgiven (利用中1回限り): after a
    separation flagged as a supported job change whose last working day lies in the service
    period, when the next employment starts no later than one calendar month after it.
    """
    spans = _sorted(spans)
    qualifying = qualifying_employment(spans, service_start)
    if qualifying is None:
        return Continuity(False, Reason.NO_QUALIFYING_EMPLOYMENT)
    if qualifying.start > reference_date:
        return Continuity(False, Reason.NOT_YET_EMPLOYED)

    def in_service(day):
        return service_start <= day and (service_end is None or day <= service_end)

    later = spans[spans.index(qualifying) + 1 :]
    covered_until = qualifying.end  # None: employed with no end
    flagged = qualifying.supported_job_change
    excuse_used = False
    for span in later:
        if covered_until is None or covered_until >= reference_date or span.start > reference_date:
            break
        if span.start <= covered_until + ONE_DAY:
            # Continuous (or overlapping): the separation that now matters is the later one.
            if span.end is None or span.end > covered_until:
                covered_until, flagged = span.end, span.supported_job_change
            continue
        # A gap that starts and ends before the reference date.
        if not flagged:
            return Continuity(False, Reason.UNSUPPORTED_GAP)
        if excuse_used:
            return Continuity(False, Reason.SECOND_SUPPORTED_CHANGE)
        if not in_service(covered_until):
            return Continuity(False, Reason.CHANGE_OUTSIDE_SERVICE)
        if span.start > excused_gap_end(covered_until):
            return Continuity(False, Reason.REEMPLOYED_TOO_LATE)
        excuse_used = True
        covered_until, flagged = span.end, span.supported_job_change

    if covered_until is None or covered_until >= reference_date:
        return Continuity(True, Reason.AFTER_SUPPORTED_CHANGE if excuse_used else Reason.CONTINUOUS)
    # Not employed on the reference date: only the forgiven month after a supported change helps.
    month_runs_out = excused_gap_end(covered_until)
    if not flagged or reference_date > month_runs_out:
        return Continuity(False, Reason.SEPARATED)
    if excuse_used:
        return Continuity(False, Reason.SECOND_SUPPORTED_CHANGE)
    if not in_service(covered_until):
        return Continuity(False, Reason.CHANGE_OUTSIDE_SERVICE)
    next_start = min((s.start for s in later if s.start > covered_until), default=None)
    if next_start is not None:
        if next_start <= month_runs_out:
            return Continuity(True, Reason.IN_EXCUSED_GAP, month_runs_out=month_runs_out)
        return Continuity(False, Reason.REEMPLOYED_TOO_LATE)
    if as_of <= month_runs_out:
        return Continuity(
            True, Reason.AWAITING_REEMPLOYMENT, provisional=True, month_runs_out=month_runs_out
        )
    return Continuity(False, Reason.NOT_REEMPLOYED_IN_TIME, month_runs_out=month_runs_out)


def separate_on(spans, separation_date):
    """The spans as they would be if the person left work on ``separation_date`` (last working
    day) without a supported job change and found no new job: the what-if of the dashboard."""
    result = []
    for span in spans:
        if span.start > separation_date:
            continue
        if span.end is None or span.end > separation_date:
            span = replace(span, end=separation_date, supported_job_change=False)
        result.append(span)
    return result


# ---------------------------------------------------------------------------------------------
# Fee tiers: the rules live in clients.fees (Tier and tier_for are re-exported here for the
# rule's callers). The tier of fiscal year F comes from the table in force on 1 April F.

# ---------------------------------------------------------------------------------------------
# One office


@dataclass(frozen=True)
class ServicePeriod:
    """One client as the rule sees it."""

    client_code: str
    service_start: dt.date
    service_end: dt.date | None
    employments: tuple = ()
    client_pk: int | None = None
    full_name: str = ""

    def overlaps(self, start, end):
        return self.service_start <= end and (self.service_end is None or self.service_end >= start)


def period_continuity(period, reference_date, *, as_of, spans=None):
    """One client's continuity on ``reference_date`` as of ``as_of`` (``spans``: a what-if's
    employments instead of the recorded ones)."""
    return employment_continuity(
        period.employments if spans is None else spans,
        reference_date,
        service_start=period.service_start,
        service_end=period.service_end,
        as_of=as_of,
    )


@dataclass(frozen=True)
class ClientRetention:
    client_code: str
    retained: bool
    reason: str
    client_pk: int | None = None
    full_name: str = ""
    service_start: dt.date | None = None
    service_end: dt.date | None = None
    limit_end: dt.date | None = None
    provisional: bool = False
    month_runs_out: dt.date | None = None

    @property
    def reason_label(self):
        return Reason(self.reason).label

    @property
    def is_data_problem(self):
        return self.reason in DATA_PROBLEM_REASONS


@dataclass
class RetentionResult:
    office_number: str
    fiscal_year: int
    window_start: dt.date
    reference_date: dt.date
    users: int
    retained: int
    rate: Fraction | None
    rate_percent: Decimal | None
    tier: Tier | None
    clients: list = field(default_factory=list)
    # The first fiscal year with a client on record; fewer than three fiscal years before F means
    # the rate rests on a short history (a caveat on the dashboard).
    history_fiscal_years: int = 0
    what_if: object = None
    office: object = None
    as_of: dt.date | None = None

    @property
    def short_history(self):
        return self.history_fiscal_years < FULL_HISTORY_FISCAL_YEARS

    @property
    def rate_rounded(self):
        return None if self.rate is None else round_half_up(self.rate, 4)

    @property
    def provisional_clients(self):
        """Retained only until their month runs out: the new job must be recorded by then."""
        return [c for c in self.clients if c.provisional]

    @property
    def data_problems(self):
        """Users whose employment history does not reach their service start."""
        return [c for c in self.clients if c.is_data_problem]

    def as_json(self):
        """Exactly the keys of DESIGN 5.4."""
        return {
            "office_number": self.office_number,
            "fiscal_year": self.fiscal_year,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "window_start": self.window_start.isoformat(),
            "reference_date": self.reference_date.isoformat(),
            "users": self.users,
            "retained": self.retained,
            "rate": None if self.rate is None else as_json_number(self.rate_rounded),
            "rate_percent": None
            if self.rate_percent is None
            else as_json_number(self.rate_percent),
            "tier": None if self.tier is None else self.tier.as_dict(),
            "clients": [
                {
                    "client_code": c.client_code,
                    "retained": c.retained,
                    "provisional": c.provisional,
                    "reason": c.reason,
                }
                for c in self.clients
            ],
        }


def moving_fiscal_year(today):
    """The remuneration fiscal year whose rate is still moving: the one whose window includes
    today. The window of F is fiscal years F-3, F-2 and F-1 (1 April F-3 to 31 March F), so it
    includes today exactly when today's fiscal year T is one of them; the latest such F, whose
    reference date has not come yet, is F = T + 1. (F = T's window ended on 31 March T: that
    rate is settled and is the one billed this fiscal year.)"""
    return fiscal_year_of(today) + 1


@dataclass(frozen=True)
class WhatIf:
    """ "If this user separates on this date and is not re-employed within a month"."""

    client_code: str
    separation_date: dt.date


def compute_retention(
    *, office_number, fiscal_year, periods, tiers, as_of, what_if=None, first_service_start=None
):
    """The office's rate for fiscal year F as of ``as_of`` from plain ServicePeriod rows and Tier
    rows. ``first_service_start``: the office's first service start on record, when ``periods``
    hold only the window's users (by default the earliest of ``periods``)."""
    window_start, reference_date = window_of(fiscal_year)
    results = []
    for period in sorted(periods, key=lambda p: p.client_code):
        if not period.overlaps(window_start, reference_date):
            continue
        spans = None
        if what_if is not None and what_if.client_code == period.client_code:
            spans = separate_on(period.employments, what_if.separation_date)
        continuity = period_continuity(period, reference_date, as_of=as_of, spans=spans)
        results.append(
            ClientRetention(
                client_code=period.client_code,
                retained=continuity.retained,
                reason=str(continuity.reason),
                client_pk=period.client_pk,
                full_name=period.full_name,
                service_start=period.service_start,
                service_end=period.service_end,
                limit_end=service_limit_end(period.service_start),
                provisional=continuity.provisional,
                month_runs_out=continuity.month_runs_out,
            )
        )
    users = len(results)
    retained = sum(1 for r in results if r.retained)
    rate = Fraction(retained, users) if users else None
    if first_service_start is None:
        first_service_start = min((p.service_start for p in periods), default=None)
    history = (
        0 if first_service_start is None else fiscal_year - fiscal_year_of(first_service_start)
    )
    return RetentionResult(
        office_number=office_number,
        fiscal_year=fiscal_year,
        window_start=window_start,
        reference_date=reference_date,
        users=users,
        retained=retained,
        rate=rate,
        rate_percent=percent(retained, users) if users else None,
        tier=tier_for(rate, tiers),
        clients=results,
        history_fiscal_years=max(0, min(history, FULL_HISTORY_FISCAL_YEARS)),
        what_if=what_if,
        as_of=as_of,
    )


# ---------------------------------------------------------------------------------------------
# Loading from the database


def fee_table_day(fiscal_year):
    """The day whose fee table gives fiscal year F's tier: 1 April F, its first day."""
    return fiscal_year_bounds(fiscal_year)[0]


def fee_tiers_for(fiscal_year, *, fee_tables=None):
    """The fee table in force on 1 April F, the first day of fiscal year F (``clients.fees``);
    taken from ``fee_tables`` (``clients.fees.fee_tables_on``, already read) when it has it."""
    first_day = fee_table_day(fiscal_year)
    if fee_tables is not None and first_day in fee_tables:
        return fee_tables[first_day]
    return fee_table_on(first_day)


def employment_spans(clients):
    """{client pk: [EmploymentSpan] in start order} of the clients of a queryset (scoped by the
    caller; those without employments are left out), in one ``values_list`` query."""
    from clients.models import Employment

    spans = {}
    employments = (
        Employment.objects.filter(InArray("client_id", clients.order_by().values("pk")))
        .order_by("start_date")
        .values_list(
            "client_id", "start_date", "end_date", "supported_job_change", "returned_from_leave_on"
        )
    )
    for client_id, start, end, supported, returned in employments:
        spans.setdefault(client_id, []).append(
            EmploymentSpan(
                start=start,
                end=end,
                supported_job_change=supported,
                returned_from_leave_on=returned,
            )
        )
    return spans


_PERIOD_COLUMNS = (
    "pk", "office_id", "client_code", "family_name", "given_name", "service_start", "service_end",
)  # fmt: skip


def _period(row, spans):
    """(office pk, ServicePeriod) of a ``_PERIOD_COLUMNS`` row and its employments."""
    pk, office_id, code, family, given, start, end = row
    return office_id, ServicePeriod(
        client_code=code,
        service_start=start,
        service_end=end,
        employments=tuple(spans.get(pk, ())),
        client_pk=pk,
        full_name=display_name(family, given),
    )


def service_periods(clients):
    """The clients of a queryset (scoped by the caller) as ServicePeriod rows, lean: two
    ``values_list`` queries whatever their number. {client pk: (office pk, ServicePeriod)}."""
    rows = clients.order_by().values_list(*_PERIOD_COLUMNS)
    spans = employment_spans(clients)
    return {row[0]: _period(row, spans) for row in rows}


def service_periods_by_office(offices, *, fiscal_year):
    """The users of each office (callers have scoped them) in fiscal year F's window as
    ServicePeriod rows, with each office's first service start on record, in two queries
    whatever the number of offices: ({office pk: [ServicePeriod]}, {office pk: date}).

    The offices' clients are read once: the first service start is the earliest of them all, the
    users those in service in the window (``in_service_during``, the Python form of the
    ``in_service_between`` that selects their employments)."""
    from clients.models import Client, in_service_during

    office_ids = [office.pk for office in offices]
    window_start, reference_date = window_of(fiscal_year)
    clients = Client.objects.filter(office_id__in=office_ids)
    in_window, first_starts = [], {}
    for row in clients.order_by().values_list(*_PERIOD_COLUMNS):
        office_id, start, end = row[1], row[5], row[6]
        first = first_starts.get(office_id)
        if first is None or start < first:
            first_starts[office_id] = start
        if in_service_during(start, end, window_start, reference_date):
            in_window.append(row)
    spans = employment_spans(clients.in_service_between(window_start, reference_date))
    periods = {office_id: [] for office_id in office_ids}
    for row in in_window:
        office_id, period = _period(row, spans)
        periods[office_id].append(period)
    return periods, first_starts


def office_retention(*, office, fiscal_year, as_of=None, what_if=None, fee_tables=None):
    """The retention result of one office (already scoped by the caller) for fiscal year F as of
    ``as_of`` (today in Japan unless given)."""
    return offices_retention(
        offices=[office],
        fiscal_year=fiscal_year,
        as_of=as_of,
        what_if=what_if,
        fee_tables=fee_tables,
    )[0]


def offices_retention(*, offices, fiscal_year, as_of=None, what_if=None, fee_tables=None):
    """The retention results of several offices (scoped by the caller), in the given order.

    The same rule as ``office_retention``, loaded in a fixed number of queries however many
    offices a corporation runs and however many clients they have (one fewer when the caller
    has read the fee tables already: ``fee_tables``, see ``fee_tiers_for``).
    """
    as_of = as_of or today()
    offices = list(offices)
    periods, first_starts = service_periods_by_office(offices, fiscal_year=fiscal_year)
    tiers = fee_tiers_for(fiscal_year, fee_tables=fee_tables)
    results = []
    for office in offices:
        result = compute_retention(
            office_number=office.office_number,
            fiscal_year=fiscal_year,
            periods=periods[office.pk],
            tiers=tiers,
            as_of=as_of,
            what_if=what_if,
            first_service_start=first_starts.get(office.pk),
        )
        result.office = office
        results.append(result)
    return results


def client_continuity(*, client, as_of):
    """One client's employment today (for the client page): the rule with the as-of date as the
    reference date, so a supported change in the last month shows as provisional."""
    spans = [
        EmploymentSpan(e.start_date, e.end_date, e.supported_job_change, e.returned_from_leave_on)
        for e in client.employments.all()
    ]
    return employment_continuity(
        spans,
        as_of,
        service_start=client.service_start,
        service_end=client.service_end,
        as_of=as_of,
    )


def awaiting_reemployment(clients, *, as_of):
    """The clients (a scoped queryset) retained only provisionally in the fiscal year of
    ``as_of`` or the next one: {client pk: the day their month runs out}. The new job must be
    recorded by then (the daily reminders)."""
    current = fiscal_year_of(as_of)
    due = {}
    windows = [window_of(year) for year in (current, current + 1)]
    candidates = clients.in_service_between(windows[0][0], windows[-1][1])
    for _office_id, period in service_periods(candidates).values():
        for window_start, reference_date in windows:
            if not period.overlaps(window_start, reference_date):
                continue
            continuity = period_continuity(period, reference_date, as_of=as_of)
            if continuity.provisional:
                previous = due.get(period.client_pk)
                if previous is None or continuity.month_runs_out < previous:
                    due[period.client_pk] = continuity.month_runs_out
    return due
