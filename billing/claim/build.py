"""The month's claim file for the 国保連 (DESIGN 5.5), written from ``billing.month.month_figures``:
the file carries exactly the units ``billing_month`` computes; this module adds only the yen, the
co-payment and the layout.

Per billable person (sorted by municipality number, recipient number and client code):

- **J121:03**, one row per service code: the base band (combined with the reductions applied to
  it, ``billing.claim.items``) with the base units plus reductions, count 1; each addition with
  its units per occurrence and the number of occurrences (special area: the days it was earned;
  the case-meeting additions: the counted meetings; the others once);
- **J121:04**: 総費用額 = total units × unit price, cut below one yen (``clients.fees.yen``);
  1割相当額 = 総費用額 / 10 cut below one yen; 上限月額調整 = the lower of the certificate's monthly
  cap and that tenth; 決定利用者負担額 = 上限月額調整, or, where another office manages the
  co-payment (上限額管理), the lower of it and the management's result amount (result 1 or 3;
  result 2 leaves 上限月額調整: the total was within the cap); 給付費 = 総費用額 − 決定利用者負担額;
- **J121:01** repeats the totals of J121:04; **J121:02** the service start and the days;
- **J611:01/02**, the service record: one day row per day of support (and per day of a counted
  case meeting), 算定日数 ``1`` on days of support.

J111:01/02, per municipality, add the statements up. Only billable person-months are claimed.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from billing import rules
from billing.claim import envelope, items
from clients import fees
from core import calendar
from core.names import display_name, halfwidth_katakana

SERVICE_TYPE = "47"  # 就労定着支援
BENEFIT_KIND = "1"  # 給付種別 1: 介護給付費・訓練等給付費 …
KANA_NAME_BYTES = 25

# 地域区分コード of J121:01 field 10 by the office's regional grade (DESIGN 5.5).
REGION_CODES = {"1": "11", "2": "12", "3": "13", "4": "14", "5": "15", "6": "16", "7": "17"}
REGION_CODE_OTHER = "23"


def _month(month):
    return calendar.month_label(month.year, month.month)


class ClaimRefused(Exception):
    """The file cannot be written; ``problems`` are Japanese sentences naming what is missing."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class CodeLine:
    item: str
    service_code: str
    units: int
    count: int

    @property
    def service_units(self):
        return self.units * self.count


@dataclass
class Statement:
    """One billable person's statement and service record."""

    person: object  # rules.PersonMonth
    client: object
    municipality_number: str
    period: object  # billing.models.DecisionPeriod covering the month
    kana_name: str
    lines: list = field(default_factory=list)
    total_cost: int = 0
    tenth: int = 0
    cap_adjusted: int = 0
    decided: int = 0
    benefit: int = 0

    @property
    def managed_elsewhere(self):
        return bool(self.period.cap_manager_office_number)


def _ymd(day):
    return day.strftime("%Y%m%d") if day else ""


def _ym(month):
    return f"{month.year:04d}{month.month:02d}"


def unit_price_field(yen_per_unit):
    """単位数単価: 2 integer and 3 decimal digits (10.00 yen → ``10000``), the fourth decimal
    rounded half-up (the spec's note on J121:04 field 11)."""
    value = (Decimal(yen_per_unit) * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{int(value):05d}"


def region_code(grade):
    return REGION_CODES.get(str(grade), REGION_CODE_OTHER if grade == "other" else "")


def _reductions_applied(person):
    """(code, percent) of each reduction in the order the rules apply them: the percentage is
    read back from the units (the change over the running units, to a whole percent)."""
    order = [c for c in rules.PERCENT_ORDER if c in person.reductions]
    order += [c for c in person.reductions if c not in order]
    running, applied = person.base_units, []
    for code in order:
        change = person.reductions[code]
        percent = (Decimal(-change) * 100 / Decimal(running or 1)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        applied.append((code, int(percent)))
        running += change
    return applied


def _occurrences(person, code):
    """How many times addition ``code`` was earned in the month."""
    if code == "special_area":
        return person.special_area_days
    meetings = [presenter for _day, presenter in person.meetings]
    if code == "regional_meeting_1":
        return meetings.count(rules.SERVICE_MANAGER)
    if code == "regional_meeting_2":
        return meetings.count(rules.OTHER_STAFF)
    return 1


def code_lines(person, figures, codes, missing):
    """The J121:03 rows of ``person``; an item without a code in ``codes`` is added to
    ``missing``."""
    base = items.combined_item(
        items.base_item(figures.tier.min_percent), _reductions_applied(person)
    )
    wanted = [(base, person.base_units + sum(person.reductions.values()), 1)]
    for code, amount in person.additions.items():
        count = _occurrences(person, code) or 1
        if amount % count:
            raise ClaimRefused(
                [
                    _("%(client)s: %(item)s of %(units)s units is not %(count)s equal parts.")
                    % {"client": person.client_code, "item": code, "units": amount, "count": count}
                ]
            )
        wanted.append((code, amount // count, count))
    lines = []
    for item, units, count in wanted:
        row = codes.get(item)
        if row is None:
            missing.add(item)
            continue
        lines.append(CodeLine(item, row.service_code, units, count))
    return lines


def copay(statement, yen_per_unit):
    """Fill the statement's yen figures (see the module's docstring)."""
    person, period = statement.person, statement.period
    statement.total_cost = fees.yen(person.total_units, yen_per_unit)
    statement.tenth = statement.total_cost // 10
    statement.cap_adjusted = min(period.copay_cap, statement.tenth)
    decided = statement.cap_adjusted
    if statement.managed_elsewhere and period.cap_management_result in ("1", "3"):
        decided = min(decided, period.cap_management_amount or 0)
    statement.decided = decided
    statement.benefit = statement.total_cost - decided


def statements(figures, *, periods, codes):
    """The statements of the month's billable people. ``periods``: client code → the decision
    period covering the month (with its certificate); ``codes``: item → ``ServiceCode`` in force
    on the month's first day. Raises ``ClaimRefused`` naming everything missing."""
    problems, missing = [], set()
    if figures.unit_price is None:
        problems.append(
            _(
                "The unit price of the office's regional grade is not recorded for %(month)s: "
                "ask the administrator to enter it."
            )
            % {"month": _month(figures.month)}
        )
    if figures.tier is None:
        problems.append(
            _("The office has no fee tier for %(month)s.") % {"month": _month(figures.month)}
        )
    billable = [p for p in figures.people if p.billable]
    if not billable:
        problems.append(_("Nobody is billable in %(month)s.") % {"month": _month(figures.month)})
    result = []
    for person in billable:
        client = figures.clients[person.client_code]
        name = display_name(client.family_name, client.given_name) or person.client_code
        who = f"{person.client_code} {name}"
        period = periods.get(person.client_code)
        if period is None or period.copay_cap is None:
            problems.append(
                _("%(client)s: the recipient certificate has no monthly co-payment cap.")
                % {"client": who}
            )
        kana = halfwidth_katakana(
            " ".join(p for p in (client.family_name_kana, client.given_name_kana) if p)
        )
        if not kana or any(envelope.byte_length(ch) != 1 for ch in kana):
            problems.append(
                _("%(client)s: the reading (フリガナ) cannot be written in half-width kana.")
                % {"client": who}
            )
        if figures.tier is None:
            continue
        statement = Statement(
            person=person,
            client=client,
            municipality_number=figures.municipality_numbers.get(person.client_code, ""),
            period=period,
            # The field holds 25 bytes; a longer reading is cut there.
            kana_name=kana.encode(envelope.ENCODING, "replace")[:KANA_NAME_BYTES].decode(
                envelope.ENCODING, "ignore"
            ),
        )
        statement.lines = code_lines(person, figures, codes, missing)
        result.append(statement)
    if missing:
        problems.append(
            _(
                "No service code in force on %(day)s for: %(items)s. Load them with the "
                "service_codes import."
            )
            % {
                "day": calendar.display_date(figures.month.first_day),
                "items": ", ".join(sorted(missing)),
            }
        )
    if problems:
        raise ClaimRefused(problems)
    for statement in result:
        copay(statement, figures.unit_price.yen_per_unit)
    result.sort(
        key=lambda s: (s.municipality_number, s.person.recipient_number, s.person.client_code)
    )
    return result


# ---------------------------------------------------------------------------------------------
# Records


def _common(figures, statement=None, municipality=None):
    values = {
        3: _ym(figures.month),
        4: statement.municipality_number if statement else municipality,
        5: figures.office.office_number,
    }
    if statement is not None:
        values[6] = statement.person.recipient_number
    return values


def invoice_records(figures, municipality, group):
    units = sum(s.person.total_units for s in group)
    cost = sum(s.total_cost for s in group)
    benefit = sum(s.benefit for s in group)
    decided = sum(s.decided for s in group)
    common = _common(figures, municipality=municipality)
    head = envelope.inner_record(
        "J111:01",
        {
            **common,
            6: benefit,
            7: len(group),
            8: units,
            9: cost,
            10: benefit,
            11: 0,
            12: decided,
            13: 0,
            14: 0,
            15: 0,
            16: 0,
            17: len(group),
            18: units,
            19: cost,
            20: benefit,
            21: 0,
            22: decided,
            23: 0,
        },
    )
    detail = envelope.inner_record(
        "J111:02",
        {
            **common,
            6: BENEFIT_KIND,
            7: SERVICE_TYPE,
            8: len(group),
            9: units,
            10: cost,
            11: benefit,
            12: 0,
            13: decided,
            14: 0,
        },
    )
    return [head, detail]


def statement_records(figures, statement):
    person, period = statement.person, statement.period
    common = _common(figures, statement)
    support_days = sorted(person.support_days)
    managed = statement.managed_elsewhere
    records = [
        envelope.inner_record(
            "J121:01",
            {
                **common,
                8: statement.kana_name,
                10: region_code(figures.office.regional_grade),
                12: period.copay_cap,
                15: period.cap_manager_office_number if managed else "",
                16: period.cap_management_result if managed else "",
                17: period.cap_management_amount if managed else "",
                20: person.total_units,
                21: statement.total_cost,
                22: statement.cap_adjusted,
                26: statement.decided if managed else "",
                27: statement.decided,
                28: statement.benefit,
            },
        )
    ]
    end = statement.client.service_end
    records.append(
        envelope.inner_record(
            "J121:02",
            {
                **common,
                7: SERVICE_TYPE,
                8: _ymd(statement.client.service_start),
                9: _ymd(end) if end and end <= figures.month.last_day else "",
                10: len(support_days),
            },
        )
    )
    for line in statement.lines:
        records.append(
            envelope.inner_record(
                "J121:03",
                {
                    **common,
                    7: line.service_code,
                    8: line.units,
                    9: line.count,
                    10: line.service_units,
                },
            )
        )
    records.append(
        envelope.inner_record(
            "J121:04",
            {
                **common,
                7: SERVICE_TYPE,
                9: len(support_days),
                10: person.total_units,
                11: unit_price_field(figures.unit_price.yen_per_unit),
                12: 0,
                13: statement.total_cost,
                14: statement.tenth,
                15: statement.tenth,
                16: statement.cap_adjusted,
                20: statement.decided if managed else "",
                21: statement.decided,
                22: statement.benefit,
            },
        )
    )
    return records


def service_record_days(person):
    """The day rows of the service record: (day, supported, special_area, meeting code)."""
    support_days = sorted(person.support_days)
    special = set(support_days[: person.special_area_days])
    meetings = {}
    for day, presenter in person.meetings:
        meetings[day] = "1" if presenter == rules.SERVICE_MANAGER else "2"
    days = sorted(set(support_days) | set(meetings))
    supported = set(support_days)
    return [(d, d in supported, d in special, meetings.get(d, "")) for d in days]


def service_record_records(figures, statement, form_number):
    person = statement.person
    common = _common(figures, statement)
    rows = service_record_days(person)
    records = [
        envelope.inner_record(
            "J611:01",
            {
                **common,
                7: form_number,
                37: sum(1 for _d, supported, _s, _m in rows if supported),
                70: _ymd(person.service_start) if "initial" in person.additions else "",
                123: person.special_area_days or "",
                146: len(person.meetings) or "",
                153: _ymd(person.report_shared_on),
            },
        )
    ]
    for day, supported, special, meeting in rows:
        records.append(
            envelope.inner_record(
                "J611:02",
                {
                    **common,
                    7: form_number,
                    9: f"{day.day:02d}",
                    45: "1" if supported else "",
                    81: "1" if special else "",
                    90: meeting,
                },
            )
        )
    return records


def claim_records(figures, statements_, *, form_number):
    """Every inner record, in the file's order: J111 per municipality, then per person J121 and
    J611."""
    groups = {}
    for statement in statements_:
        groups.setdefault(statement.municipality_number, []).append(statement)
    records = []
    for municipality in sorted(groups):
        records += invoice_records(figures, municipality, groups[municipality])
    for statement in statements_:
        records += statement_records(figures, statement)
        records += service_record_records(figures, statement, form_number)
    return records


def claim_file(figures, *, periods, codes, processing_month, data_kind, form_number):
    """The file's bytes. ``data_kind`` (control record field 5) and ``form_number`` (J611's
    様式種別番号) are unverified settings (docs/data-contracts.md 5.5): refused when unset."""
    problems = []
    if not data_kind:
        problems.append(
            _("The control record's data kind is not set (setting TEICHAKU_CLAIM_DATA_KIND).")
        )
    if not form_number:
        problems.append(
            _(
                "The service record's form number (様式種別番号) is not set (setting "
                "TEICHAKU_CLAIM_SERVICE_RECORD_FORM)."
            )
        )
    try:
        statements_ = statements(figures, periods=periods, codes=codes)
    except ClaimRefused as exc:
        raise ClaimRefused(problems + exc.problems) from None
    if problems:
        raise ClaimRefused(problems)
    records = claim_records(figures, statements_, form_number=form_number)
    return envelope.file_bytes(
        records,
        data_kind=data_kind,
        office_number=figures.office.office_number,
        processing_month=_ym(processing_month),
    ), statements_
