"""The month's figures (docs/domain.md 4.4 and 4.5): the one home of the billable person-month,
its additions and reductions, its problems, and the recipient certificate's number checks.

Plain functions on plain rows, no database: ``billing.month`` loads the rows (the office's
figures and each person's facts) and calls ``person_month`` for everyone active in the month. The
monthly close page, the ``billing_month`` command, the CSV/XLSX exports and the service record
PDF all take their numbers from there.

- **Billable**: the service is active in the month, a decision period of the recipient
  certificate overlaps the person's service days in the month, and the month's support report is
  shared (its 共有日 recorded, whatever its date). A person-month that is not billable earns zero
  (no additions either); its problems say why.
- **Base units**: the tier of the office's rate for the fiscal year the month belongs to, from the
  fee table in force on the month's first day (``clients.fees``; the loader passes the units).
- **Additions and reductions** are data (``Adjustment``) keyed by the date they take effect; the
  row in force on the month's first day applies. Units per person-month (``retention_record``,
  ``job_coach``), per counted meeting (``regional_meeting_1``/``_2``), once (``initial``) or per
  day of support (``special_area``: 240 units a day, unverified).
- **Percentages of the base** (``no_plan``, ``no_handover_system``) are applied to the running
  units and rounded half-up to whole units at each step: 四捨五入 each time a ratio is applied,
  the 報酬告示's 留意事項通知 (障発第1031001号) 第二 1 (1) ① as reproduced by third parties (the
  project has not checked the official text). The steps go in ``PERCENT_ORDER``; that order is
  the project's choice and is not verified. ``no_plan`` counts its months from the month the
  plan lapsed (``plans.rules.lapse_month_number``), not from the service start.
- **Treatment improvement** (福祉・介護職員等処遇改善加算): the office's category's rate (dated
  data, unverified) of the base with every other addition and reduction, rounded half-up to whole
  units (unverified). Yen = units × unit price, cut below one yen (``clients.fees.yen``).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from core import calendar
from core.calendar import Month

# ---------------------------------------------------------------------------------------------
# Codes


class Problem:
    """Problem codes of a person-month (docs/domain.md 4.5), in display order."""

    NO_CERTIFICATE = "no_certificate"
    CERTIFICATE_EXPIRED = "certificate_expired"
    REPORT_NOT_SHARED = "report_not_shared"
    NO_FACE_TO_FACE = "no_face_to_face"
    PLAN_MISSING = "plan_missing"
    PLAN_REVIEW_OVERDUE = "plan_review_overdue"
    HANDOVER_DUE = "handover_due"

    ORDER = (
        NO_CERTIFICATE,
        CERTIFICATE_EXPIRED,
        REPORT_NOT_SHARED,
        NO_FACE_TO_FACE,
        PLAN_MISSING,
        PLAN_REVIEW_OVERDUE,
        HANDOVER_DUE,
    )
    # The problems that make a person-month not billable.
    BLOCKING = frozenset({NO_CERTIFICATE, CERTIFICATE_EXPIRED, REPORT_NOT_SHARED})


ADDITION_CODES = (
    "initial",
    "regional_meeting_1",
    "regional_meeting_2",
    "retention_record",
    "job_coach",
    "special_area",
    "treatment_improvement",
)
REDUCTION_CODES = ("no_plan", "no_handover_system")
# Percentages of the base are applied one after the other to the running units, in this order;
# the treatment improvement addition comes last, on the total of everything else.
PERCENT_ORDER = ("no_plan", "no_handover_system")

OTHER_ORG = "other_org"
SERVICE_MANAGER = "service_manager"  # plans.models.Presenter
OTHER_STAFF = "other_staff"


# ---------------------------------------------------------------------------------------------
# The recipient certificate's numbers


def municipality_check_digit(first_five):
    """The check digit (検査数字) of a municipality number from its first five digits.

    全国地方公共団体コード (総務省): multiply the digits by 6, 5, 4, 3, 2, add, divide by 11;
    the check digit is the last digit of 11 minus the remainder. So a remainder of 1 gives 0
    and a remainder of 0 gives 1 (11 → 1): 新宿区 13104 → 6+15+4+0+8 = 33, remainder 0,
    131041.
    """
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def municipality_number_well_formed(number):
    """Six half-width digits: what a municipality number (市町村番号) must be."""
    number = str(number or "")
    return len(number) == 6 and number.isascii() and number.isdigit()


def municipality_number_valid(number):
    """Well formed and its 6th digit the 全国地方公共団体コード check digit of the first five."""
    number = str(number or "")
    return municipality_number_well_formed(number) and municipality_check_digit(number[:5]) == int(
        number[5]
    )


def recipient_number_valid(number):
    """英数 10: ten half-width letters or digits, as printed on the 受給者証 (DESIGN 5.1)."""
    number = str(number or "")
    return len(number) == 10 and number.isascii() and number.isalnum()


# What a certificate's numbers are checked for (``certificate_number_findings``).
RECIPIENT_NUMBER_FORM = "recipient_number_form"
MUNICIPALITY_NUMBER_FORM = "municipality_number_form"
MUNICIPALITY_CHECK_DIGIT = "municipality_check_digit"


def certificate_number_findings(*, recipient_number, municipality_number):
    """``(refusals, warnings)``, each a tuple of (field, finding code), for a certificate's
    numbers: the one home of the rule the form, the import and the admin apply.

    Refused: a recipient number that is not 英数 10; a municipality number that is not six
    half-width digits. Warned, never refused: a municipality number whose last digit fails the
    check digit (real 受給者証 carry numbers built by another rule, e.g. 212019)."""
    refusals, warnings = [], []
    if not recipient_number_valid(recipient_number):
        refusals.append(("recipient_number", RECIPIENT_NUMBER_FORM))
    if not municipality_number_well_formed(municipality_number):
        refusals.append(("municipality_number", MUNICIPALITY_NUMBER_FORM))
    elif not municipality_number_valid(municipality_number):
        warnings.append(("municipality_number", MUNICIPALITY_CHECK_DIGIT))
    return tuple(refusals), tuple(warnings)


# ---------------------------------------------------------------------------------------------
# Plain rows


@dataclass(frozen=True)
class AdjustmentValue:
    """One addition or reduction as in force: ``units``, or ``percent`` of the running units
    (``later_percent`` from month ``later_from_month`` of the condition on)."""

    code: str
    effective_from: dt.date
    units: int | None = None
    percent: Decimal | None = None
    later_percent: Decimal | None = None
    later_from_month: int | None = None
    verified: bool = False

    def percent_in(self, month_number):
        if self.later_percent is not None and month_number >= (self.later_from_month or 1):
            return self.later_percent
        return self.percent


@dataclass(frozen=True)
class OfficeMonth:
    """What the office brings to each of its person-months."""

    month: Month
    base_units: int  # the tier's units (0 without a tier)
    adjustments: dict = field(default_factory=dict)  # code → AdjustmentValue in force
    retention_record: bool = False
    job_coach: bool = False
    handover_system_in_place: bool = True  # without a registered hook: not reduced
    treatment_improvement_percent: Decimal | None = None  # the office's category's rate


@dataclass(frozen=True)
class PersonFacts:
    """What the rule needs to know of one person in the month."""

    client_code: str
    service_start: dt.date
    service_end: dt.date | None = None
    recipient_number: str = ""
    has_certificate: bool = False
    decision_periods: tuple = ()  # (start, end) of every decision period on record
    report_shared_on: dt.date | None = None
    met_face_to_face: bool = False
    plan_status: str = "ok"  # plans.rules.Status code on the month's last service day
    plan_lapse_month: int | None = None  # the month's number in the plan lapse (1: its first)
    origin: str = ""
    initial_addition: str = ""  # the manager's override: "", "earns", "does_not_earn"
    special_area: bool = False
    meetings: tuple = ()  # (date, presenter code) of the meetings counted in the month
    handover_recorded: bool = False
    support_days: tuple = ()  # dates in the month with a contact with or about the person


@dataclass(frozen=True)
class PersonMonth:
    client_code: str
    recipient_number: str
    billable: bool
    base_units: int
    additions: dict
    reductions: dict
    total_units: int
    report_shared_on: dt.date | None
    problems: tuple
    service_days: tuple | None = None  # (first, last) service day in the month
    # What the claim file and the service record need besides the DESIGN 5.4 figures (not in
    # ``as_dict``, the JSON contract):
    support_days: tuple = ()  # days of support inside the service days (docs/domain.md 4.4)
    special_area_days: int = 0  # support days earning the special area addition
    meetings: tuple = ()  # (date, presenter code) of the case meetings counted in the month
    service_start: dt.date | None = None  # J611 field 70 when ``initial`` is earned

    def as_dict(self):
        return {
            "client_code": self.client_code,
            "recipient_number": self.recipient_number,
            "billable": self.billable,
            "base_units": self.base_units,
            "additions": dict(self.additions),
            "reductions": dict(self.reductions),
            "total_units": self.total_units,
            "report_shared_on": (
                self.report_shared_on.isoformat() if self.report_shared_on else None
            ),
            "problems": list(self.problems),
        }


# ---------------------------------------------------------------------------------------------
# The rules


def service_days(month, service_start, service_end):
    """(first, last) day of the person's service inside ``month`` (the recorded end or the
    3-year limit, whichever is earlier), or None when the service is not active in the month."""
    first = max(month.first_day, service_start)
    last = min(month.last_day, calendar.effective_end(service_start, service_end))
    return (first, last) if first <= last else None


def covering_period(periods, days):
    """The latest decision period overlapping the service days, or None."""
    if days is None:
        return None
    first, last = days
    overlapping = [(s, e) for s, e in periods if s <= last and e >= first]
    return max(overlapping, default=None)


def earns_initial(*, origin, override):
    """Whether the person earns the initial addition: a manager's override, else other-org
    origin (the person came from an office not run together with this one)."""
    if override == "earns":
        return True
    if override == "does_not_earn":
        return False
    return origin == OTHER_ORG


def blocking_problems_of(facts, days):
    """The problems of a person-month that keep it from being billed (``Problem.BLOCKING``: the
    certificate's and the report's), in ``Problem.ORDER``."""
    problems = []
    if not facts.has_certificate or not facts.decision_periods:
        problems.append(Problem.NO_CERTIFICATE)
    elif covering_period(facts.decision_periods, days) is None:
        problems.append(Problem.CERTIFICATE_EXPIRED)
    if facts.report_shared_on is None:
        problems.append(Problem.REPORT_NOT_SHARED)
    return problems


def is_billable(facts, month):
    """Whether the person-month is billed (``person_month``'s ``billable``): the service is
    active in the month and nothing blocks it. Decided by the service dates, the certificate and
    its decision periods and the report's sharing date alone."""
    days = service_days(month, facts.service_start, facts.service_end)
    return days is not None and not blocking_problems_of(facts, days)


def problems_of(facts, days, *, handover_window_end=None):
    """The problem codes of a person-month, in ``Problem.ORDER``."""
    from plans.rules import PROBLEM_CODES

    problems = blocking_problems_of(facts, days)
    if not facts.met_face_to_face:
        problems.append(Problem.NO_FACE_TO_FACE)
    plan_problem = PROBLEM_CODES.get(facts.plan_status)
    if plan_problem:
        problems.append(plan_problem)
    if (
        days is not None
        and not facts.handover_recorded
        and calendar.ends_soon(facts.service_start, facts.service_end, today=days[1])
    ):
        problems.append(Problem.HANDOVER_DUE)
    return tuple(problems)


def _apply_percent(units, percent):
    """``units`` × (100 + percent) / 100, rounded half-up to whole units."""
    value = Decimal(units) * (Decimal(100) + Decimal(percent)) / Decimal(100)
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def treatment_improvement_units(units, percent):
    """The treatment improvement addition on ``units`` (the month's base units with every other
    addition and reduction): ``units`` × ``percent`` / 100, rounded half-up to whole units (our
    reading, unverified: docs/domain.md 4.4)."""
    value = Decimal(units) * Decimal(percent) / Decimal(100)
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def person_month(facts, office):
    """The figures of one person-month (``PersonMonth``) from plain rows."""
    from plans.rules import LACKING_PLAN

    month = office.month
    days = service_days(month, facts.service_start, facts.service_end)
    problems = problems_of(facts, days)
    period = covering_period(facts.decision_periods, days)
    billable = days is not None and not Problem.BLOCKING.intersection(problems)
    support = support_days_within(facts.support_days, days)
    if not billable:
        return PersonMonth(
            client_code=facts.client_code,
            recipient_number=facts.recipient_number,
            billable=False,
            base_units=0,
            additions={},
            reductions={},
            total_units=0,
            report_shared_on=facts.report_shared_on,
            problems=problems,
            service_days=days,
            support_days=support,
            meetings=tuple(facts.meetings),
            service_start=facts.service_start,
        )
    assert period is not None
    adjustments = office.adjustments
    base = office.base_units

    # Percentages, applied one after the other to the running units. The unplanned reduction's
    # months count from the month the plan lapsed (plans.rules.lapse_month_number).
    applies = {
        "no_plan": facts.plan_status in LACKING_PLAN,
        "no_handover_system": not office.handover_system_in_place,
    }
    running = base
    changes = {}
    for code in PERCENT_ORDER:
        value = adjustments.get(code)
        if not applies[code] or value is None or value.percent is None:
            continue
        after = _apply_percent(running, value.percent_in(facts.plan_lapse_month or 1))
        changes[code] = after - running
        running = after

    # Units.
    meeting_units = {SERVICE_MANAGER: "regional_meeting_1", OTHER_STAFF: "regional_meeting_2"}
    unit_counts = {
        "initial": int(
            Month.of(facts.service_start) == month
            and earns_initial(origin=facts.origin, override=facts.initial_addition)
        ),
        "regional_meeting_1": 0,
        "regional_meeting_2": 0,
        "retention_record": int(office.retention_record),
        "job_coach": int(office.job_coach),
    }
    for _held_on, presenter in facts.meetings:
        unit_counts[meeting_units[presenter]] += 1
    special_area_days = len(support) if facts.special_area else 0
    unit_counts["special_area"] = special_area_days  # units per day of support
    for code, count in unit_counts.items():
        value = adjustments.get(code)
        if count and value is not None and value.units:
            changes[code] = changes.get(code, 0) + count * value.units

    # The treatment improvement addition: its rate of everything else, rounded half-up.
    subtotal = base + sum(changes.values())
    if office.treatment_improvement_percent:
        changes["treatment_improvement"] = treatment_improvement_units(
            subtotal, office.treatment_improvement_percent
        )

    additions = {c: changes[c] for c in ADDITION_CODES if changes.get(c)}
    reductions = {c: changes[c] for c in REDUCTION_CODES if changes.get(c)}
    total = base + sum(additions.values()) + sum(reductions.values())
    return PersonMonth(
        client_code=facts.client_code,
        recipient_number=facts.recipient_number,
        billable=True,
        base_units=base,
        additions=additions,
        reductions=reductions,
        total_units=total,
        report_shared_on=facts.report_shared_on,
        problems=problems,
        service_days=days,
        support_days=support,
        special_area_days=special_area_days,
        meetings=tuple(facts.meetings),
        service_start=facts.service_start,
    )


def support_days_within(support_days, days):
    """The support days inside the person's service days (``service_days``), sorted."""
    if days is None:
        return ()
    first, last = days
    return tuple(sorted(d for d in set(support_days) if first <= d <= last))


def counted_meetings_in(meetings, month):
    """``(held_on, presenter)`` of the person's meetings that count in ``month``, from the
    meetings of the fiscal year: ``(key, held_on, presenter, qualifies)`` rows, counted by
    ``plans.rules.count_meetings`` (the first of a month counts, none after the fourth of a fiscal
    year; a meeting presented by other staff only once reported back)."""
    from plans.rules import MeetingCount, MeetingFact, count_meetings

    facts = [MeetingFact(key=k, held_on=d, qualifies=q) for k, d, _, q in meetings]
    outcomes = count_meetings(facts)
    return tuple(
        (held_on, presenter)
        for key, held_on, presenter, _ in sorted(meetings, key=lambda m: (m[1], m[0]))
        if outcomes[key] == MeetingCount.COUNTED and Month.of(held_on) == month
    )


def counted_meeting_presenters(meetings, month):
    """Presenter codes of ``counted_meetings_in``."""
    return tuple(presenter for _held_on, presenter in counted_meetings_in(meetings, month))
