"""The support plan's rules (DESIGN 1 and 4): the one home of review dates, a person's plan status,
the role map's gaps and the case-meeting caps.

Plain functions on dates and rows: the plan pages, the worklist, the manager's home, the reminders,
the importers, the demo data and (later) billing call these and restate nothing.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery

from core import calendar

# The office's designation says how often plans are reviewed; six months unless set (DESIGN 1).
DEFAULT_REVIEW_INTERVAL_MONTHS = 6
# Staff are reminded this many days before a review falls due.
REVIEW_REMINDER_DAYS = 30

# Regional-meeting additions (DESIGN 4): (Ⅰ) and (Ⅱ) together at most once a month and four times a
# fiscal year per person, counted in date order.
MEETINGS_PER_MONTH = 1
MEETINGS_PER_FISCAL_YEAR = 4


# ---------------------------------------------------------------------------------------------
# Review dates


def review_interval_months(office):
    """The office's review interval in months (its plans settings, six unless set)."""
    settings = getattr(office, "plan_settings", None) if office is not None else None
    if settings is None:
        from plans.models import OfficePlanSettings

        settings = OfficePlanSettings.objects.filter(office=office).first()
    return settings.review_interval_months if settings else DEFAULT_REVIEW_INTERVAL_MONTHS


def next_review_by(plan_date, *, interval_months=DEFAULT_REVIEW_INTERVAL_MONTHS, given=None):
    """The day the plan must be reviewed by: ``given`` when set, otherwise the plan date plus the
    interval, clamped to the month's end (31 August + 6 months is 28 or 29 February)."""
    if given is not None:
        return given
    return calendar.add_months(plan_date, interval_months)


# ---------------------------------------------------------------------------------------------
# A person's plan status


class Status:
    """Plan status codes. ``missing`` and ``review_overdue`` are the billing problems of DESIGN 4
    (``plan_missing``, ``plan_review_overdue``); ``review_due`` is the reminder window."""

    OK = "ok"
    REVIEW_DUE = "review_due"
    REVIEW_OVERDUE = "review_overdue"
    MISSING = "missing"
    NOT_IN_SERVICE = "not_in_service"


PROBLEM_CODES = {Status.MISSING: "plan_missing", Status.REVIEW_OVERDUE: "plan_review_overdue"}


@dataclass(frozen=True)
class PlanStatus:
    status: str
    current: object = None  # the current agreed SupportPlan version, if any
    review_by: dt.date | None = None

    @property
    def problem(self):
        """The billing problem code (``plan_missing``, ``plan_review_overdue``) or None."""
        return PROBLEM_CODES.get(self.status)

    @property
    def is_risk(self):
        return self.problem is not None


def status_of(*, in_service, review_by, has_agreed_plan, on):
    """The status from plain facts: in service on ``on``; the current agreed version's review date.

    A review falls due on ``review_by`` and is overdue from the next day; the reminder window opens
    ``REVIEW_REMINDER_DAYS`` before it."""
    if not in_service:
        return Status.NOT_IN_SERVICE
    if not has_agreed_plan:
        return Status.MISSING
    if review_by < on:
        return Status.REVIEW_OVERDUE
    if review_by <= on + dt.timedelta(days=REVIEW_REMINDER_DAYS):
        return Status.REVIEW_DUE
    return Status.OK


def _in_service(client, on):
    return client.service_start <= on and (client.service_end is None or client.service_end >= on)


def agreed_q(on):
    """An agreed version on ``on``: approved and agreed with the person by then."""
    return Q(approved_on__isnull=False, consented_on__isnull=False, consented_on__lte=on)


CURRENT_ORDER = ("-plan_date", "-version")


def current_plan(client, *, on):
    """The current version on ``on``: the latest agreed one (by plan date, then version)."""
    from plans.models import SupportPlan

    return SupportPlan.objects.filter(agreed_q(on), client=client).order_by(*CURRENT_ORDER).first()


def report_goals(*, client, month):
    """The goals a month's support report is prefilled with: the short-term goals of the plan
    current on the month's last day ("" without an agreed plan). Registered with
    ``contacts.reports.register_goals_provider``."""
    plan = current_plan(client, on=month.last_day)
    return "\n".join(plan.goals) if plan else ""


def plan_status(client, *, on):
    """The plan status of one person on ``on`` (a ``PlanStatus``)."""
    current = current_plan(client, on=on)
    review_by = current.next_review_by if current else None
    return PlanStatus(
        status=status_of(
            in_service=_in_service(client, on),
            review_by=review_by,
            has_agreed_plan=current is not None,
            on=on,
        ),
        current=current,
        review_by=review_by,
    )


def with_review_by(clients, *, on):
    """Annotate ``plan_review_by``: the review date of each client's current agreed version on
    ``on`` (None without one), one subquery however many clients."""
    from plans.models import SupportPlan

    current = SupportPlan.objects.filter(agreed_q(on), client=OuterRef("pk")).order_by(
        *CURRENT_ORDER
    )
    return clients.annotate(
        plan_review_by=Subquery(current.values("next_review_by")[:1]),
        plan_current_pk=Subquery(current.values("pk")[:1]),
    )


def needing_attention(clients, *, on):
    """Clients in service on ``on`` whose plan is missing, overdue or due within the reminder
    window, each with ``plan_status`` (a status code) set, for the worklist, home and reminders."""
    horizon = on + dt.timedelta(days=REVIEW_REMINDER_DAYS)
    rows = (
        with_review_by(clients, on=on)
        .filter(in_service_on_q(on))
        .filter(Q(plan_review_by__isnull=True) | Q(plan_review_by__lte=horizon))
    )
    result = []
    for client in rows:
        client.plan_status = status_of(
            in_service=True,
            review_by=client.plan_review_by,
            has_agreed_plan=client.plan_current_pk is not None,
            on=on,
        )
        result.append(client)
    return result


def in_service_on_q(on):
    return Q(service_start__lte=on) & (Q(service_end__isnull=True) | Q(service_end__gte=on))


def status_q(status, *, on):
    """``status_of`` as a filter on clients annotated by ``with_review_by`` and in service."""
    horizon = on + dt.timedelta(days=REVIEW_REMINDER_DAYS)
    return {
        Status.MISSING: Q(plan_current_pk__isnull=True),
        Status.REVIEW_OVERDUE: Q(plan_review_by__lt=on),
        Status.REVIEW_DUE: Q(plan_review_by__gte=on, plan_review_by__lte=horizon),
        Status.OK: Q(plan_review_by__gt=horizon),
    }[status]


def status_counts_by_office(clients, *, on):
    """{office_pk: {status: count}} of ``needing_attention``, for the manager's home."""
    counts = {}
    for client in needing_attention(clients, on=on):
        office = counts.setdefault(client.office_id, {})
        office[client.plan_status] = office.get(client.plan_status, 0) + 1
    return counts


# ---------------------------------------------------------------------------------------------
# The role map: who covers which life domain


def uncovered_domains(role_map, domains):
    """The life domains (codes, in vocabulary order) nobody covers in ``role_map``
    ({domain: [supporter codes]})."""
    role_map = role_map or {}
    return [domain for domain in domains if not role_map.get(domain)]


# ---------------------------------------------------------------------------------------------
# Case meetings and their caps


class MeetingCount:
    """Why a meeting does or does not count towards the regional-meeting additions."""

    COUNTED = "counted"
    MONTH_CAP = "month_cap"  # another meeting already counted this month
    YEAR_CAP = "year_cap"  # four already counted this fiscal year
    AWAITING_REPORT = "awaiting_report"  # presented by other staff, not yet reported back


NEW = "new"  # the key of a meeting being recorded


@dataclass(frozen=True)
class MeetingFact:
    """What the caps need to know of one meeting."""

    key: object
    held_on: dt.date
    qualifies: bool = True  # service manager presented, or other staff reported back


@dataclass
class MeetingCounts:
    fiscal_year: int
    outcomes: dict = field(default_factory=dict)  # key → MeetingCount code

    @property
    def counted(self):
        return sum(1 for code in self.outcomes.values() if code == MeetingCount.COUNTED)


def count_meetings(facts):
    """Walk meetings in date order (then key): the first qualifying meeting of a month counts,
    and none after the fourth counted in a fiscal year. Returns {key: MeetingCount code}."""
    outcomes = {}
    months, years = set(), {}
    for fact in sorted(facts, key=_date_order):
        month = calendar.Month.of(fact.held_on)
        year = calendar.fiscal_year_of(fact.held_on)
        if not fact.qualifies:
            outcomes[fact.key] = MeetingCount.AWAITING_REPORT
        elif month in months:
            outcomes[fact.key] = MeetingCount.MONTH_CAP
        elif years.get(year, 0) >= MEETINGS_PER_FISCAL_YEAR:
            outcomes[fact.key] = MeetingCount.YEAR_CAP
        else:
            months.add(month)
            years[year] = years.get(year, 0) + 1
            outcomes[fact.key] = MeetingCount.COUNTED
    return outcomes


def _date_order(fact):
    # Same-day meetings in the order they were recorded; a meeting not yet saved comes last.
    return (fact.held_on, 1, 0) if fact.key == NEW else (fact.held_on, 0, fact.key)


def _facts(meetings):
    return [MeetingFact(key=m.pk, held_on=m.held_on, qualifies=m.qualifies) for m in meetings]


def _meetings_of(client, fiscal_year, *, exclude_pk=None):
    from plans.models import CaseMeeting

    first, last = calendar.fiscal_year_bounds(fiscal_year)
    meetings = CaseMeeting.objects.filter(client=client, held_on__range=(first, last))
    if exclude_pk is not None:
        meetings = meetings.exclude(pk=exclude_pk)
    return list(meetings)


def meeting_counts(client, fiscal_year):
    """How each of the person's meetings in ``fiscal_year`` counts (``MeetingCounts``)."""
    return MeetingCounts(
        fiscal_year=fiscal_year, outcomes=count_meetings(_facts(_meetings_of(client, fiscal_year)))
    )


def meeting_exceeds_caps(client, held_on, *, exclude_pk=None):
    """Why a meeting on ``held_on`` would not count (``MeetingCount.MONTH_CAP`` or ``YEAR_CAP``),
    or None when it counts, given the person's other meetings of that fiscal year."""
    facts = _facts(_meetings_of(client, calendar.fiscal_year_of(held_on), exclude_pk=exclude_pk))
    outcome = count_meetings([*facts, MeetingFact(key=NEW, held_on=held_on, qualifies=True)])[NEW]
    return None if outcome == MeetingCount.COUNTED else outcome


# ---------------------------------------------------------------------------------------------
# Dates in order (forms and the importer)


def date_problems(*, plan_date, approved_on=None, consented_on=None, next_review_by=None):
    """(field, message) for dates out of order: drafted, then approved, then agreed; the review
    after the plan date. An agreement needs an approval."""
    from django.utils.translation import gettext as _

    problems = []
    if approved_on is not None and approved_on < plan_date:
        problems.append(("approved_on", _("The approval cannot come before the plan date.")))
    if consented_on is not None:
        if approved_on is None:
            problems.append(("consented_on", _("A plan is agreed after it is approved.")))
        elif consented_on < approved_on:
            problems.append(("consented_on", _("The agreement cannot come before the approval.")))
    if next_review_by is not None and next_review_by <= plan_date:
        problems.append(("next_review_by", _("The review must come after the plan date.")))
    return problems
