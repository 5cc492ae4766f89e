"""One office's month: load the rows ``billing.rules`` needs and compute every person's figures.

``month_figures(office, month)`` is the one function the monthly close page, the
``billing_month`` command, the CSV/XLSX exports, the close job and the retention what-if call. It
reads in a fixed number of queries per office, whatever its number of people (the report sharing
dates too: the contacts app's ``shared_on_by_client``, one query for everyone).
"""

from dataclasses import dataclass, field

from billing import rules
from billing.models import (
    Adjustment,
    ClientBillingSettings,
    OfficeBillingSettings,
    RecipientCertificate,
    TreatmentImprovementRate,
)
from clients import fees
from core.calendar import Month, fiscal_year_bounds, fiscal_year_of
from core.numbers import as_json_number
from plans import rules as plan_rules


@dataclass
class MonthFigures:
    office: object
    month: Month
    fiscal_year: int
    table: object  # fees.FeeTableRows or None
    rate_percent: object
    tier: object  # fees.Tier or None
    unit_price: object  # fees.UnitPrice or None
    adjustments: dict
    handover_system_in_place: bool
    # (category, TreatmentImprovementRate in force) or None: the office has not filed for it
    treatment_improvement: object = None
    people: list = field(default_factory=list)  # rules.PersonMonth
    clients: dict = field(default_factory=dict)  # client_code → Client
    # client_code → the municipality number of the certificate whose recipient number is billed
    municipality_numbers: dict = field(default_factory=dict)

    @property
    def total_units(self):
        return sum(p.total_units for p in self.people)

    @property
    def total_yen(self):
        if self.unit_price is None:
            return None
        return fees.yen(self.total_units, self.unit_price.yen_per_unit)

    @property
    def billable_count(self):
        return sum(1 for p in self.people if p.billable)

    @property
    def verified(self):
        """Whether every value in use has been checked against its source."""
        return bool(
            self.table
            and self.table.verified
            and self.unit_price
            and self.unit_price.verified
            and all(a.verified for a in self.adjustments.values())
            and (self.treatment_improvement is None or self.treatment_improvement.verified)
        )

    @property
    def missing_unit_price(self):
        """The message every yen figure shows instead of an amount, or "" with a unit price."""
        if self.unit_price is not None:
            return ""
        return fees.missing_unit_price_message(self.office.regional_grade)

    def unverified_values(self):
        """Each value this month's figures use that has not been checked against its source,
        named: the fee table, the unit price, each addition or reduction somebody earns, the
        treatment improvement rate and its rounding, the rounding of a percentage."""
        from django.utils.translation import gettext as _

        from billing.templatetags.billing_tags import adjustment_label

        names = fees.unverified_names(table=self.table, unit_price=self.unit_price)
        used = set()
        for person in self.people:
            used.update(person.additions, person.reductions)
        for code in (*rules.ADDITION_CODES, *rules.REDUCTION_CODES):
            value = self.adjustments.get(code)
            if code in used and value is not None and not value.verified:
                names.append(str(adjustment_label(code)))
        if "treatment_improvement" in used:
            rate = self.treatment_improvement
            if rate is not None and not rate.verified:
                names.append(
                    _("the rate of %(category)s (%(percent)s%%)")
                    % {"category": rate.get_category_display(), "percent": rate.percent}
                )
            names.append(_("the rounding of the treatment improvement addition"))
        if used.intersection(rules.PERCENT_ORDER):
            names.append(_("the rounding and order of the percentage reductions"))
        return names

    def as_document(self):
        """The ``billing_month`` JSON document (DESIGN 5.4), keys in the contract's order."""
        return {
            "office_number": self.office.office_number,
            "month": str(self.month),
            "fee_table_effective_from": (
                self.table.effective_from.isoformat() if self.table else None
            ),
            "fiscal_year": self.fiscal_year,
            "rate_percent": (
                as_json_number(self.rate_percent) if self.rate_percent is not None else None
            ),  # None: no person-month in the retention year (a new office)
            "tier": self.tier.as_dict() if self.tier else None,
            "unit_price_yen": (
                as_json_number(self.unit_price.yen_per_unit) if self.unit_price else None
            ),
            "people": [p.as_dict() for p in self.people],
            "total_units": self.total_units,
            "total_yen": self.total_yen,
        }


CSV_FIELDS = (
    "client_code",
    "recipient_number",
    "billable",
    "base_units",
    *rules.ADDITION_CODES,
    *rules.REDUCTION_CODES,
    "total_units",
    "report_shared_on",
    "problems",
)


def csv_rows(figures):
    """The CSV form: one row per person, every addition and reduction a column of its own."""
    rows = []
    for person in figures.people:
        row = person.as_dict()
        rows.append(
            [
                row["client_code"],
                row["recipient_number"],
                "true" if row["billable"] else "false",
                row["base_units"],
                *(row["additions"].get(code, 0) for code in rules.ADDITION_CODES),
                *(row["reductions"].get(code, 0) for code in rules.REDUCTION_CODES),
                row["total_units"],
                row["report_shared_on"] or "",
                ";".join(row["problems"]),
            ]
        )
    return list(CSV_FIELDS), rows


# ---------------------------------------------------------------------------------------------
# Loading


def adjustments_on(day):
    """{code: AdjustmentValue} of the rows in force on ``day`` (the latest of each code taking
    effect on or before it), in one query."""
    values = {}
    rows = Adjustment.objects.filter(effective_from__lte=day).order_by("code", "-effective_from")
    for row in rows:
        values.setdefault(
            row.code,
            rules.AdjustmentValue(
                code=row.code,
                effective_from=row.effective_from,
                units=row.units,
                percent=row.percent,
                later_percent=row.later_percent,
                later_from_month=row.later_from_month,
                verified=row.verified,
            ),
        )
    return values


def active_clients(office, month):
    from clients.models import Client

    return (
        Client.objects.filter(office=office)
        .in_service_between(month.first_day, month.last_day)
        .with_origin()
        .order_by("client_code")
    )


def _report_shared_dates(clients, month):
    """{client_pk: the month's report 共有日 or None}."""
    from contacts import reports

    shared = reports.shared_on_by_client(clients=clients, month=month)  # one query for everyone
    return {c.pk: shared.get(c.pk) for c in clients}


def _support_days(clients, month):
    """{client_pk: the month's days of support} (contacts.reports, one query for everyone)."""
    from contacts import reports

    return reports.support_days_by_client(clients=clients, month=month)


def _met(clients, month):
    from contacts.face_to_face import meetings_in_month

    return set(
        meetings_in_month(month).filter(client__in=clients).values_list("client_id", flat=True)
    )


def _plan_statuses(clients, month, last_days):
    """{client_pk: (plans.rules status code on the person's last service day in the month, the
    month's number in the plan lapse or None)}: the agreed versions of everyone in one query,
    judged by ``plans.rules`` (``status_from_agreed``, ``lapse_month_number``)."""
    from plans import rules as plan_rules
    from plans.models import SupportPlan

    agreed = {}
    for client_id, consented_on, review_by in (
        SupportPlan.objects.filter(plan_rules.agreed_q(month.last_day), client__in=clients)
        .order_by("client_id", *plan_rules.CURRENT_ORDER)
        .values_list("client_id", "consented_on", "next_review_by")
    ):
        agreed.setdefault(client_id, []).append((consented_on, review_by))
    statuses = {}
    for client in clients:
        on = last_days.get(client.pk) or month.last_day
        rows = agreed.get(client.pk, [])
        statuses[client.pk] = (
            plan_rules.status_from_agreed(rows, on=on),
            plan_rules.lapse_month_number(
                rows, service_start=client.service_start, month=month, on=on
            ),
        )
    return statuses


def _meetings(clients, month):
    """{client_pk: (held_on, presenter code) of the meetings counted in the month}."""
    from plans.models import CaseMeeting

    first, last = fiscal_year_bounds(fiscal_year_of(month.first_day))
    rows = {}
    for meeting in CaseMeeting.objects.filter(
        client__in=clients, held_on__range=(first, last)
    ).order_by("held_on", "pk"):
        rows.setdefault(meeting.client_id, []).append(
            (meeting.pk, meeting.held_on, meeting.presenter, meeting.qualifies)
        )
    return {pk: rules.counted_meetings_in(m, month) for pk, m in rows.items()}


def _certificates(clients):
    """({client_pk: (has_certificate, [(start, end, recipient_number)])},
    {client_pk: the latest certificate's recipient number},
    {(client_pk, recipient_number): municipality_number}), in one query: each certificate with
    its decision periods (one row per period; one without periods, for a certificate that has
    none)."""
    result = {c.pk: (False, []) for c in clients}
    latest, municipalities = {}, {}
    for client_id, number, municipality, start, end in (
        RecipientCertificate.objects.filter(client__in=clients)
        .order_by("client_id", "-created_at", "-pk", "-periods__start")
        .values_list(
            "client_id", "recipient_number", "municipality_number", "periods__start", "periods__end"
        )
    ):
        result[client_id] = (True, result[client_id][1])
        latest.setdefault(client_id, number)
        municipalities[(client_id, number)] = municipality  # newest first: the oldest one stays
        if start is not None:
            result[client_id][1].append((start, end, number))
    for _has, periods in result.values():  # DecisionPeriod's order: by number, latest first
        periods.sort(key=lambda period: period[0], reverse=True)
        periods.sort(key=lambda period: period[2])
    return result, latest, municipalities


def treatment_improvement_rate(category, day):
    """The ``TreatmentImprovementRate`` of ``category`` in force on ``day``, or None."""
    if not category:
        return None
    return (
        TreatmentImprovementRate.objects.filter(category=category, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )


def office_month(office, month, *, base_units, adjustments, handover_system_in_place):
    settings = OfficeBillingSettings.objects.filter(office=office).first()
    rate = treatment_improvement_rate(settings and settings.treatment_improvement, month.first_day)
    return rules.OfficeMonth(
        month=month,
        base_units=base_units,
        adjustments=adjustments,
        retention_record=bool(settings and settings.retention_record),
        job_coach=bool(settings and settings.job_coach),
        handover_system_in_place=handover_system_in_place,
        treatment_improvement_percent=rate.percent if rate else None,
    ), rate


def month_figures(
    office, month, *, as_of=None, retention_result=None, progress=None, fee_reference=None
):
    """Every active person's figures for ``office`` in ``month`` (a ``MonthFigures``).

    ``office`` must already be scoped by the caller. The rate is that of the fiscal year the month
    belongs to (``clients.retention.office_retention`` as of ``as_of``, today unless given);
    ``retention_result`` may pass one already computed, and ``fee_reference`` the month's
    ``fees.fee_reference_on`` already read; ``progress(done, total)`` is called as people are
    computed (the close job's progress).
    """
    from clients.retention import office_retention

    fiscal_year = fiscal_year_of(month.first_day)
    result = retention_result or office_retention(
        office=office, fiscal_year=fiscal_year, as_of=as_of
    )
    reference = fee_reference or fees.fee_reference_on(month.first_day)
    table = reference.table
    tier = fees.tier_for(result.rate, table)
    unit_price = reference.unit_prices.get(office.regional_grade)
    adjustments = adjustments_on(month.first_day)
    in_place = plan_rules.handover_system_in_place(office, month)
    office_facts, treatment_rate = office_month(
        office,
        month,
        base_units=tier.units if tier else 0,
        adjustments=adjustments,
        handover_system_in_place=in_place,
    )
    figures = MonthFigures(
        office=office,
        month=month,
        fiscal_year=fiscal_year,
        table=table,
        rate_percent=result.rate_percent,
        tier=tier,
        unit_price=unit_price,
        adjustments=adjustments,
        handover_system_in_place=in_place,
        treatment_improvement=treatment_rate,
    )
    clients = list(active_clients(office, month))
    if not clients:
        return figures
    days = {c.pk: rules.service_days(month, c.service_start, c.service_end) for c in clients}
    last_days = {pk: d[1] for pk, d in days.items() if d}
    shared = _report_shared_dates(clients, month)
    support_days = _support_days(clients, month)
    met = _met(clients, month)
    statuses = _plan_statuses(clients, month, last_days)
    meetings = _meetings(clients, month)
    certificates, latest_numbers, municipalities = _certificates(clients)
    settings = {s.client_id: s for s in ClientBillingSettings.objects.filter(client__in=clients)}
    if progress:
        progress(0, len(clients))
    for done, client in enumerate(clients, start=1):
        has_certificate, periods = certificates[client.pk]
        covering = rules.covering_period([(s, e) for s, e, _ in periods], days[client.pk])
        number = next(
            (n for s, e, n in sorted(periods, reverse=True) if (s, e) == covering),
            latest_numbers.get(client.pk, ""),
        )
        person_settings = settings.get(client.pk)
        facts = rules.PersonFacts(
            client_code=client.client_code,
            service_start=client.service_start,
            service_end=client.service_end,
            recipient_number=number,
            has_certificate=has_certificate,
            decision_periods=tuple((s, e) for s, e, _ in periods),
            report_shared_on=shared.get(client.pk),
            met_face_to_face=client.pk in met,
            plan_status=statuses[client.pk][0],
            plan_lapse_month=statuses[client.pk][1],
            origin=client.origin,
            initial_addition=person_settings.initial_addition if person_settings else "",
            special_area=bool(person_settings and person_settings.special_area),
            meetings=meetings.get(client.pk, ()),
            support_days=support_days.get(client.pk, ()),
        )
        figures.people.append(rules.person_month(facts, office_facts))
        figures.clients[client.client_code] = client
        figures.municipality_numbers[client.client_code] = municipalities.get(
            (client.pk, number), ""
        )
        if progress:
            progress(done, len(clients))
    return figures


def billable_person_months(office, month, **_figures):
    """The month's billable person-months of ``office`` (``MonthFigures.billable_count``: the
    retention what-if multiplies by it), read from what decides billing alone
    (``rules.is_billable``: the people in service, their certificates and the month's report
    sharing) in three queries, where ``month_figures`` reads every figure of the month. The
    rate and fee reference ``month_figures`` takes (``_figures``) do not change it."""
    from clients.models import Client

    clients = list(
        Client.objects.filter(office=office)
        .in_service_between(month.first_day, month.last_day)
        .order_by()
        .only("client_code", "service_start", "service_end")
    )
    if not clients:
        return 0
    certificates, _latest, _municipalities = _certificates(clients)
    shared = _report_shared_dates(clients, month)
    billable = 0
    for client in clients:
        has_certificate, periods = certificates[client.pk]
        facts = rules.PersonFacts(
            client_code=client.client_code,
            service_start=client.service_start,
            service_end=client.service_end,
            has_certificate=has_certificate,
            decision_periods=tuple((s, e) for s, e, _ in periods),
            report_shared_on=shared.get(client.pk),
        )
        billable += rules.is_billable(facts, month)
    return billable
