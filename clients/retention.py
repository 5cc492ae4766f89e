"""Retention rate (就労定着率) and fee tier: DESIGN section 4, the one authority for the rule.

The rule itself works on plain dates and rows (``EmploymentSpan``, ``ServicePeriod``) and needs no
database: ``employment_continuity`` decides one person, ``compute_retention`` an office, and
``tier_for`` picks the fee tier from a table given as rows. ``office_retention`` loads an office's
clients and the fee table and calls them; the dashboard, the JSON report and the managers' home
page all go through it, so they cannot disagree.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import pgettext_lazy

from billing.fees import Tier, fee_table_on, tier_for
from core.calendar import ONE_DAY, add_months, fiscal_year_bounds, fiscal_year_of, service_limit_end
from core.numbers import as_json_number, percent, round_half_up

MONTHS_FROM_HIRE_TO_SERVICE = 6
FULL_HISTORY_FISCAL_YEARS = 3


class Reason(models.TextChoices):
    """Why a user counts as retained or not (codes appear in the JSON report)."""

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
            "retention reason", "Within a month after a supported job change on the reference date"
        ),
    )
    NO_EMPLOYMENT = "no_employment", pgettext_lazy("retention reason", "No employment on record")
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


RETAINED_REASONS = frozenset(
    {Reason.CONTINUOUS, Reason.AFTER_SUPPORTED_CHANGE, Reason.IN_EXCUSED_GAP}
)


# ---------------------------------------------------------------------------------------------
# Dates (the calendar arithmetic itself lives in core.calendar)


def window_of(fiscal_year):
    """(window start, reference date) for remuneration fiscal year F: 1 Apr F-3 to 31 Mar F."""
    return fiscal_year_bounds(fiscal_year - 3)[0], fiscal_year_bounds(fiscal_year - 1)[1]


def excused_gap_end(separation_date):
    """The last day a new employment may start after a supported job change."""
    return add_months(separation_date, 1)


def earliest_service_start(hire_date):
    """The service may start from 6 months after hire."""
    return add_months(hire_date, MONTHS_FROM_HIRE_TO_SERVICE)


def starts_too_early(*, service_start, hire_date):
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


@dataclass(frozen=True)
class Continuity:
    retained: bool
    reason: str


def employment_continuity(spans, reference_date):
    """Whether employment runs unbroken from the first employment on record to the reference date.

    ``spans`` are EmploymentSpan rows in any order. One gap per person is forgiven: after a
    separation flagged as a supported job change, when the next employment starts no later than
    one calendar month after the last working day.
    """
    spans = sorted(spans, key=lambda s: (s.start, s.end or dt.date.max))
    if not spans:
        return Continuity(False, Reason.NO_EMPLOYMENT)
    if spans[0].start > reference_date:
        return Continuity(False, Reason.NOT_YET_EMPLOYED)

    covered_until = spans[0].end  # None: employed with no end
    flagged = spans[0].supported_job_change
    excuse_used = False
    for span in spans[1:]:
        if covered_until is None or covered_until >= reference_date or span.start > reference_date:
            break
        if span.start <= covered_until + ONE_DAY:
            # Continuous (or overlapping): the separation that now matters is the later one.
            if span.end is None or span.end > covered_until:
                covered_until, flagged = span.end, span.supported_job_change
            continue
        if flagged and not excuse_used and span.start <= excused_gap_end(covered_until):
            excuse_used = True
            covered_until, flagged = span.end, span.supported_job_change
            continue
        if flagged and excuse_used:
            return Continuity(False, Reason.SECOND_SUPPORTED_CHANGE)
        if flagged:
            return Continuity(False, Reason.REEMPLOYED_TOO_LATE)
        return Continuity(False, Reason.UNSUPPORTED_GAP)

    if covered_until is None or covered_until >= reference_date:
        return Continuity(True, Reason.AFTER_SUPPORTED_CHANGE if excuse_used else Reason.CONTINUOUS)
    # Not employed on the reference date: only the forgiven month after a supported change helps.
    if flagged and not excuse_used and reference_date <= excused_gap_end(covered_until):
        return Continuity(True, Reason.IN_EXCUSED_GAP)
    if flagged and excuse_used and reference_date <= excused_gap_end(covered_until):
        return Continuity(False, Reason.SECOND_SUPPORTED_CHANGE)
    return Continuity(False, Reason.SEPARATED)


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
# Fee tiers: the rules live in billing.fees (Tier and tier_for are re-exported here for the
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

    @property
    def reason_label(self):
        return Reason(self.reason).label


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

    @property
    def short_history(self):
        return self.history_fiscal_years < FULL_HISTORY_FISCAL_YEARS

    @property
    def rate_rounded(self):
        return None if self.rate is None else round_half_up(self.rate, 4)

    def as_json(self):
        """Exactly the keys of DESIGN 5.4."""
        return {
            "office_number": self.office_number,
            "fiscal_year": self.fiscal_year,
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
                {"client_code": c.client_code, "retained": c.retained, "reason": c.reason}
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


def compute_retention(*, office_number, fiscal_year, periods, tiers, what_if=None):
    """The office's rate for fiscal year F from plain ServicePeriod rows and a fee table (Tier
    rows)."""
    window_start, reference_date = window_of(fiscal_year)
    results = []
    for period in sorted(periods, key=lambda p: p.client_code):
        if not period.overlaps(window_start, reference_date):
            continue
        spans = period.employments
        if what_if is not None and what_if.client_code == period.client_code:
            spans = separate_on(spans, what_if.separation_date)
        continuity = employment_continuity(spans, reference_date)
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
            )
        )
    users = len(results)
    retained = sum(1 for r in results if r.retained)
    rate = Fraction(retained, users) if users else None
    first_start = min((p.service_start for p in periods), default=None)
    history = 0 if first_start is None else fiscal_year - fiscal_year_of(first_start)
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
    )


# ---------------------------------------------------------------------------------------------
# Loading from the database


def fee_tiers_for(fiscal_year):
    """The fee table in force on 1 April F, the first day of fiscal year F (``billing.fees``)."""
    return fee_table_on(fiscal_year_bounds(fiscal_year)[0])


def service_periods_by_office(offices):
    """Every client of each office (callers have scoped them) as ServicePeriod rows, in two
    queries whatever the number of offices: {office pk: [ServicePeriod]}."""
    from clients.models import Client, Employment

    office_ids = [office.pk for office in offices]
    clients = Client.objects.filter(office_id__in=office_ids).order_by("office_id", "client_code")
    spans = {}
    employments = (
        Employment.objects.filter(client__office_id__in=office_ids)
        .order_by("start_date")
        .values_list("client_id", "start_date", "end_date", "supported_job_change")
    )
    for client_id, start, end, supported in employments:
        spans.setdefault(client_id, []).append(
            EmploymentSpan(start=start, end=end, supported_job_change=supported)
        )
    periods = {office_id: [] for office_id in office_ids}
    for c in clients:
        periods[c.office_id].append(
            ServicePeriod(
                client_code=c.client_code,
                service_start=c.service_start,
                service_end=c.service_end,
                employments=tuple(spans.get(c.pk, ())),
                client_pk=c.pk,
                full_name=c.full_name,
            )
        )
    return periods


def office_retention(*, office, fiscal_year, what_if=None):
    """The retention result of one office (already scoped by the caller) for fiscal year F."""
    return offices_retention(offices=[office], fiscal_year=fiscal_year, what_if=what_if)[0]


def offices_retention(*, offices, fiscal_year, what_if=None):
    """The retention results of several offices (scoped by the caller), in the given order.

    The same rule as ``office_retention``, loaded in a fixed number of queries however many
    offices a corporation runs.
    """
    offices = list(offices)
    periods = service_periods_by_office(offices)
    tiers = fee_tiers_for(fiscal_year)
    results = []
    for office in offices:
        result = compute_retention(
            office_number=office.office_number,
            fiscal_year=fiscal_year,
            periods=periods[office.pk],
            tiers=tiers,
            what_if=what_if,
        )
        result.office = office
        results.append(result)
    return results


def client_continuity(*, client, reference_date):
    """One client's continuity on a reference date (for the client page)."""
    spans = [
        EmploymentSpan(e.start_date, e.end_date, e.supported_job_change)
        for e in client.employments.all()
    ]
    return employment_continuity(spans, reference_date)
