"""The support plan's rules (DESIGN 1 and 4): the one home of review dates, a person's plan status,
the role map's gaps, the case-meeting caps and the end-of-service hand-over (``handover_due``,
``handover_system_in_place``).

Plain functions on dates and rows: the plan pages, the worklist, the manager's home, the reminders,
the importers, the demo data and (later) billing call these and restate nothing.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery

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


# The statuses in which the person lacks an agreed current plan: none was ever agreed, or the
# current version's review date has passed (the plan has lapsed). The unplanned reduction
# (``no_plan``, docs/domain.md 4.4) applies in a month whose status is one of these.
LACKING_PLAN = frozenset({Status.MISSING, Status.REVIEW_OVERDUE})


def status_from_agreed(agreed, *, on):
    """``status_of`` for a person in service on ``on``, from the person's agreed versions as
    ``(consented_on, review_by)`` rows in current-version order (``CURRENT_ORDER``): the first
    agreed by ``on`` is the current one."""
    review_by = next((r for c, r in agreed if c <= on), None)
    return status_of(
        in_service=True, review_by=review_by, has_agreed_plan=review_by is not None, on=on
    )


def lapse_month_number(agreed, *, service_start, month, on):
    """How many months the person has lacked an agreed current plan by ``month``, counting
    ``month`` itself (1: the lapse began this month), or None when the status on ``on`` (the
    month's last service day) is not a lapse (``LACKING_PLAN``).

    Each earlier month is judged on its last day, back to the month the service started: the
    lapse begins in the first month of the unbroken run of lacking months that ends with
    ``month`` (a plan agreed in 2023 whose review fell due on 31 January 2024 and was never
    reviewed: February 2024 is month 1, March month 2, April month 3)."""
    if status_from_agreed(agreed, on=on) not in LACKING_PLAN:
        return None
    first = calendar.Month.of(service_start)
    number, earlier = 1, month.previous()
    while earlier >= first and (status_from_agreed(agreed, on=earlier.last_day) in LACKING_PLAN):
        number, earlier = number + 1, earlier.previous()
    return number


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
    current on the month's last day ("" without an agreed plan). Listed in the setting
    ``SUPPORT_REPORT_GOALS`` (``contacts.reports.plan_goals`` asks it)."""
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
    """{office_pk: {status: count}} of ``needing_attention``, for the manager's home: the same
    people and statuses, read as three columns (no client rows built, no order)."""
    horizon = on + dt.timedelta(days=REVIEW_REMINDER_DAYS)
    counts = {}
    for office_id, review_by, current_pk in (
        with_review_by(clients, on=on)
        .filter(in_service_on_q(on))
        .order_by()
        .values_list("office_id", "plan_review_by", "plan_current_pk")
    ):
        if review_by is not None and review_by > horizon:
            continue  # not needing attention (``needing_attention``'s filter)
        status = status_of(
            in_service=True, review_by=review_by, has_agreed_plan=current_pk is not None, on=on
        )
        office = counts.setdefault(office_id, {})
        office[status] = office.get(status, 0) + 1
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


def meeting_date_problems(*, held_on, reported_back_on):
    """(field, message) for a case meeting's dates: the report back (by other staff to the
    service manager) comes on or after the meeting. The form and the import ask this."""
    from django.utils.translation import gettext as _

    if held_on is not None and reported_back_on is not None and reported_back_on < held_on:
        return [("reported_back_on", _("The report back cannot come before the meeting."))]
    return []


# ---------------------------------------------------------------------------------------------
# Hand-over at the end of the service (DESIGN 1; DESIGN 4 ``handover_due``, ``no_handover_system``)

# Information is shared from at least three months before the end: the window is the 90 days of
# "ending soon" (``core.calendar.ENDING_SOON_DAYS``), so the flag and the 3-year list agree.
HANDOVER_WINDOW_DAYS = calendar.ENDING_SOON_DAYS
HANDOVER_PROBLEM = "handover_due"


class HandoverStatus:
    RECORDED = "recorded"  # a hand-over with the person's consent is on record
    DUE = "due"  # the end is within the window and nothing is recorded: ``handover_due``
    NOT_DUE = "not_due"  # the end is further away
    NOT_IN_SERVICE = "not_in_service"
    # The hand-over list only: the service ended with no consented hand-over on record.
    MISSING = "missing"


def handover_window_opens(end):
    """The first day of the hand-over window of a service ending on ``end`` (90 days before)."""
    return end - dt.timedelta(days=HANDOVER_WINDOW_DAYS)


def handover_status_of(*, service_start, service_end, has_handover, on):
    """The status from plain facts. The end is ``core.calendar.effective_end`` (the recorded end
    or the 3-year limit, whichever comes first); the window is ``core.calendar.ends_soon``."""
    if service_start > on or calendar.effective_end(service_start, service_end) < on:
        return HandoverStatus.NOT_IN_SERVICE
    if has_handover:
        return HandoverStatus.RECORDED
    if calendar.ends_soon(service_start, service_end, today=on):
        return HandoverStatus.DUE
    return HandoverStatus.NOT_DUE


# The hand-over list keeps a person for this long after their service ended.
HANDOVER_LIST_AFTER_END_DAYS = 365


def handover_list_status_of(*, service_start, service_end, has_handover, on):
    """The status the hand-over list shows: ``handover_status_of`` while in service; after the
    end, ``RECORDED`` or ``MISSING`` (nothing consented on record)."""
    status = handover_status_of(
        service_start=service_start, service_end=service_end, has_handover=has_handover, on=on
    )
    if status == HandoverStatus.NOT_IN_SERVICE and service_start <= on:
        return HandoverStatus.RECORDED if has_handover else HandoverStatus.MISSING
    return status


def handover_list_q(*, on):
    """The people the hand-over list shows on ``on``: in service (begun), or whose service ended
    (recorded end or 3-year limit) within ``HANDOVER_LIST_AFTER_END_DAYS``."""
    since = on - dt.timedelta(days=HANDOVER_LIST_AFTER_END_DAYS)
    return (
        Q(service_start__lte=on)
        & (Q(service_end__isnull=True) | Q(service_end__gte=since))
        # the 3-year limit ends on ``since`` or later
        & Q(service_start__gt=calendar.latest_start_with_limit_by(since - dt.timedelta(days=1)))
    )


def consented_handover_q():
    return Q(consented_on__isnull=False)


def handover_status(client, *, on):
    """The end-of-service hand-over status of one person on ``on`` (a ``HandoverStatus`` code)."""
    return handover_status_of(
        service_start=client.service_start,
        service_end=client.service_end,
        has_handover=client.end_handovers.filter(consented_handover_q()).exists(),
        on=on,
    )


def with_handover(clients):
    """Annotate ``has_handover``: a consented end-of-service hand-over is on record."""
    from plans.models import ServiceEndHandover

    return clients.annotate(
        has_handover=Exists(
            ServiceEndHandover.objects.filter(consented_handover_q(), client=OuterRef("pk"))
        )
    )


def handovers_due(clients, *, on):
    """The clients (a queryset, scoped by the caller) whose service ends within the window on
    ``on`` with no consented hand-over, each with ``handover_end`` (the effective end) set,
    soonest end first: one query however many. The worklist and the retention page show these."""
    rows = with_handover(clients.filter(calendar.ending_soon_q(today=on))).filter(
        has_handover=False
    )
    result = []
    for client in rows:
        client.handover_end = calendar.effective_end(client.service_start, client.service_end)
        result.append(client)
    return sorted(result, key=lambda c: (c.handover_end, c.client_code))


def handovers_due_by_office(clients, *, on):
    """{office_pk: number of ``handovers_due``} for the manager's home: the same people, counted
    by office in the query."""
    return dict(
        with_handover(clients.filter(calendar.ending_soon_q(today=on)))
        .filter(has_handover=False)
        .order_by()
        .values("office_id")
        .annotate(n=Count("pk"))
        .values_list("office_id", "n")
    )


@dataclass(frozen=True)
class HandoverSystem:
    """Whether an office met the conditions of the ``no_handover_system`` reduction in a month.

    ``problems``: ``no_policy``, ``no_person_in_charge``, ``handover_missing`` (a person whose
    service ended in the month had no consented hand-over), ``handover_late`` (it was shared or
    consented to less than 90 days before the end). ``late``/``missing``: those people's codes."""

    month: object
    problems: tuple = ()
    missing: tuple = ()
    late: tuple = ()

    @property
    def in_place(self):
        return not self.problems

    def __bool__(self):
        # billing.month asks a yes/no question: is the hand-over system in place?
        return self.in_place


def handover_is_timely(*, end, shared_on, consented_on):
    """Shared, with consent, from at least three months (90 days) before the end."""
    opens = handover_window_opens(end)
    return consented_on is not None and consented_on <= opens and shared_on <= opens


def handover_system_in_place(office, month):
    """The conditions of the ``no_handover_system`` reduction for ``office`` in ``month`` (a
    ``core.calendar.Month``), for billing: a written policy and a named person in charge (the
    office's plan settings); and every person whose service ends in the month (recorded end or
    3-year limit) handed over with consent from at least 90 days before the end. Two queries."""
    from clients.models import Client
    from plans.models import OfficePlanSettings, ServiceEndHandover

    problems = []
    settings = OfficePlanSettings.objects.filter(office=office).first()
    if settings is None or not settings.handover_policy.strip():
        problems.append("no_policy")
    if settings is None or settings.handover_lead_id is None:
        problems.append("no_person_in_charge")
    first, last = month.first_day, month.last_day
    ending = [
        client
        for client in Client.objects.filter(office=office, service_start__lte=last).filter(
            Q(service_end__isnull=True) | Q(service_end__gte=first)
        )
        if first <= calendar.effective_end(client.service_start, client.service_end) <= last
    ]
    handovers = {}
    for handover in ServiceEndHandover.objects.filter(client__in=[c.pk for c in ending]):
        handovers.setdefault(handover.client_id, []).append(handover)
    missing, late = [], []
    for client in sorted(ending, key=lambda c: c.client_code):
        end = calendar.effective_end(client.service_start, client.service_end)
        records = [h for h in handovers.get(client.pk, []) if h.consented_on is not None]
        if not records:
            missing.append(client.client_code)
        elif not any(
            handover_is_timely(end=end, shared_on=h.shared_on, consented_on=h.consented_on)
            for h in records
        ):
            late.append(client.client_code)
    if missing:
        problems.append("handover_missing")
    if late:
        problems.append("handover_late")
    return HandoverSystem(
        month=month, problems=tuple(problems), missing=tuple(missing), late=tuple(late)
    )
