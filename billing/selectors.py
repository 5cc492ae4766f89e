"""What billing's pages, commands and downloads read (the writes are in ``billing/services.py``,
the rules in ``billing/rules.py``, ``billing/month.py`` and ``billing/certificates.py``). Each read
of a person's data is recorded in the audit trail.

The page, the ``billing_month`` command and the downloads all go through ``month_figures_read``,
which calls ``billing.month.month_figures``: one function computes the numbers they show.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from billing import month as billing_month
from billing import pdf
from billing.models import (
    ClientBillingSettings,
    DecisionPeriod,
    OfficeBillingSettings,
    ServiceCode,
)
from clients import fees
from core import audit, calendar, tabular
from core.calendar import Month
from core.models import AuditAction
from offices.models import MonthClose
from offices.month_lock import close_state  # noqa: F401  (the month page reads it from here)


def month_figures_read(*, actor, office, month, export="", as_of=None):
    """The month's figures of ``office`` (already scoped by the caller); recorded as a view of
    the people shown, or, when ``export`` (the format) is given, as an export naming the people
    in the file (each row carries a recipient number) by client code."""
    figures = billing_month.month_figures(office, month, as_of=as_of)
    if export:
        audit.record_people_exported(
            actor=actor,
            export=f"billing_month {month} {export}",
            clients=list(figures.clients.values()),
            office=office,
        )
    else:
        audit.record_people_shown(
            actor=actor,
            page="billing_month",
            clients=list(figures.clients.values()),
            office=office,
            detail=str(month),
        )
    return figures


def service_record(*, actor, office, month, client_code, date_style="", as_pdf=False):
    """One person's monthly service record: the print view's context, or with ``as_pdf`` the PDF
    bytes. Recorded as a view of the person, or as an export for the PDF. Raises ``LookupError``
    when nobody with ``client_code`` is in service at ``office`` (already scoped) in ``month``."""
    figures = billing_month.month_figures(office, month)
    person = next((p for p in figures.people if p.client_code == client_code), None)
    if person is None:
        raise LookupError(client_code)
    client = figures.clients[client_code]
    context = pdf.record_context(
        figures=figures, person=person, client=client, date_style=date_style, for_pdf=as_pdf
    )
    result = pdf.service_record_pdf(context) if as_pdf else context
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT if as_pdf else AuditAction.VIEW,
        obj=client,
        detail=f"service record {month}{' pdf' if as_pdf else ''}",
    )
    return result


def csv_export(figures, *, encoding="utf-8"):
    """The DESIGN 5.4 CSV (the machine contract: codes, plain integers), as ``billing_month
    --format csv`` writes it."""
    header, rows = billing_month.csv_rows(figures)
    return tabular.csv_bytes(header, rows, encoding=encoding)


def _units(value):
    """Units as a person reads them: 3,512 and −670."""
    return f"{value:,}".replace("-", "−")


def people_sheet(figures):
    """The page's people download, in Japanese (``(title, header, rows)``): names family name
    first, 可/不可, labels, units and yen formatted. The figures are ``figures``' own; where the
    unit price is missing, the yen column says what is missing."""
    from billing.templatetags.billing_tags import adjustment_label, problem_label

    codes = [*billing_month.rules.ADDITION_CODES, *billing_month.rules.REDUCTION_CODES]
    header = [
        _("Client code"),
        _("Name"),
        _("Recipient number"),
        _("Billable"),
        _("Base units"),
        *(str(adjustment_label(code)) for code in codes),
        _("Total units"),
        _("Amount (yen)"),
        _("Report shared on"),
        _("Problems"),
    ]
    price = figures.unit_price.yen_per_unit if figures.unit_price else None
    rows = []
    for person in figures.people:
        client = figures.clients[person.client_code]
        changes = {**person.additions, **person.reductions}
        rows.append(
            [
                person.client_code,
                client.full_name,
                person.recipient_number,
                pgettext("billable", "Yes") if person.billable else pgettext("billable", "No"),
                _units(person.base_units),
                *(_units(changes[code]) if code in changes else "" for code in codes),
                _units(person.total_units),
                _units(fees.yen(person.total_units, price))
                if price is not None
                else figures.missing_unit_price,
                person.report_shared_on.isoformat() if person.report_shared_on else "",
                "、".join(str(problem_label(code)) for code in person.problems),
            ]
        )
    return (_("People"), header, rows)


def summary_sheet(figures):
    """The office's figures of the month, in Japanese (``(title, header, rows)``)."""
    document = figures.as_document()
    rows = [
        [_("Office number"), document["office_number"]],
        [_("Month"), document["month"]],
        [_("Fee table in force"), document["fee_table_effective_from"] or ""],
        [_("Retention rate"), "" if figures.rate_percent is None else f"{figures.rate_percent}%"],
        [_("Base units"), _units(figures.tier.units) if figures.tier else ""],
        [
            _("Unit price"),
            f"{figures.unit_price.yen_per_unit}円"
            if figures.unit_price
            else figures.missing_unit_price,
        ],
        [_("Billable people"), f"{figures.billable_count} / {len(figures.people)}"],
        [_("Total units"), _units(figures.total_units)],
        [
            _("Amount (yen)"),
            _units(figures.total_yen)
            if figures.total_yen is not None
            else figures.missing_unit_price,
        ],
        [_("Not yet checked against their source"), "、".join(figures.unverified_values())],
    ]
    return (_("Summary"), [_("Item"), _("Value")], rows)


def people_export(figures, *, fmt):
    """The page's download in Japanese: the people (CSV), with the summary first (XLSX)."""
    people = people_sheet(figures)
    sheets = [summary_sheet(figures), people] if fmt == "xlsx" else [people]
    return tabular.table_bytes(sheets, fmt=fmt)


def not_billable_reasons(figures):
    """[(problem code, people)] of the people not billable this month, by the problems that
    make them so (a person may have several), in ``rules.Problem.ORDER``."""
    counts = {}
    for person in figures.people:
        if not person.billable:
            for code in person.problems:
                if code in billing_month.rules.Problem.BLOCKING:
                    counts[code] = counts.get(code, 0) + 1
    return [(code, counts[code]) for code in billing_month.rules.Problem.ORDER if code in counts]


def close_confirmation(figures):
    """What the close asks before it starts: how many people are not billable, and why."""
    from billing.templatetags.billing_tags import problem_label

    total = len(figures.people)
    not_billable = total - figures.billable_count
    if not_billable:
        reasons = "、".join(
            _("%(reason)s %(people)s") % {"reason": problem_label(code), "people": people}
            for code, people in not_billable_reasons(figures)
        )
        counted = _(
            "%(not_billable)s of %(total)s people are not billable this month (%(reasons)s): they "
            "are closed with 0 units."
        ) % {"not_billable": not_billable, "total": total, "reasons": reasons}
    else:
        counted = _("All %(total)s people are billable this month.") % {"total": total}
    return (
        counted
        + " "
        + _(
            "Close the month? Its contacts, reports and meetings are locked until a manager "
            "reopens it."
        )
    )


# ---------------------------------------------------------------------------------------------
# The monthly close index


class CloseState:
    """Where an office's month stands: never closed, closed, or reopened after a close."""

    OPEN = "open"
    CLOSED = "closed"
    REOPENED = "reopened"
    ALL = (OPEN, CLOSED, REOPENED)


@dataclass(frozen=True)
class MonthEntry:
    """One office's month with activity: the people in service in it (those its figures list)
    and its close state."""

    office: object
    month: Month
    people: int
    state: str


@dataclass(frozen=True)
class MonthIndex:
    offices: list  # every office the user manages, by office number (the filter's choices)
    entries: list  # MonthEntry, newest month first, then by office number


def _month_number(month):
    return month.year * 12 + month.month - 1


def _month_of_number(number):
    return Month(number // 12, number % 12 + 1)


def _people_by_month(spans, *, until):
    """{(office pk, Month): people in service} from (office pk, service start, recorded end)
    rows, months up to ``until``: a person counts in every month their service period touches
    (``in_service_between``, as ``billing.month.active_clients`` reads them)."""
    last = _month_number(until)
    changes = {}  # office pk → {month number: people starting − people gone}
    for office_id, start, end in spans:
        first = _month_number(Month.of(start))
        stop = min(_month_number(Month.of(end)), last) if end else last
        if first > stop:
            continue
        office = changes.setdefault(office_id, {})
        office[first] = office.get(first, 0) + 1
        office[stop + 1] = office.get(stop + 1, 0) - 1
    counts = {}
    for office_id, office in changes.items():
        people = 0
        for number in range(min(office), last + 1):
            people += office.get(number, 0)
            if people:
                counts[(office_id, _month_of_number(number))] = people
    return counts


def close_state_of(row):
    """The ``CloseState`` of a ``MonthClose`` row (None: never closed)."""
    if row is None or (not row["is_closed"] and row["reopened_at"] is None):
        return CloseState.OPEN
    return CloseState.CLOSED if row["is_closed"] else CloseState.REOPENED


def month_index(*, offices, today, office_number="", state=""):
    """Every month with activity of ``offices`` (those the user manages, already scoped),
    newest first, each with its people in service and its close state, in three queries
    whatever the number of offices, people and months.

    A month has activity when someone of the office is in service in it (up to ``today``'s
    month): the people its figures list, whose contacts, reports, meetings, plans and
    certificates the figures read (``billing.month.month_figures``); or when it has a close row
    (closed, or reopened). ``office_number`` narrows to one office, ``state`` (a ``CloseState``)
    to the months in that state.
    """
    from clients.models import Client

    offices = list(offices.order_by("office_number"))
    chosen = [o for o in offices if o.office_number == office_number] or offices
    by_pk = {o.pk: o for o in chosen}
    this_month = Month.of(today)
    spans = (
        Client.objects.filter(office__in=list(by_pk), service_start__lte=this_month.last_day)
        .order_by()
        .values_list("office_id", "service_start", "service_end")
    )
    people = _people_by_month(spans, until=this_month)
    closes = {
        (row["office_id"], Month.of(row["month"])): row
        for row in MonthClose.objects.filter(office__in=list(by_pk))
        .order_by()
        .values("office_id", "month", "is_closed", "reopened_at")
    }
    entries = []
    for key in set(people) | set(closes):
        entry = MonthEntry(
            office=by_pk[key[0]],
            month=key[1],
            people=people.get(key, 0),
            state=close_state_of(closes.get(key)),
        )
        if not state or entry.state == state:
            entries.append(entry)
    entries.sort(key=lambda e: (-_month_number(e.month), e.office.office_number))
    return MonthIndex(offices=offices, entries=entries)


# ---------------------------------------------------------------------------------------------
# Billing settings


@dataclass(frozen=True)
class OfficeSettings:
    regional_grade: str
    retention_record: bool
    job_coach: bool
    treatment_improvement: str = ""


@dataclass(frozen=True)
class ClientSettings:
    initial_addition: str
    special_area: bool


def office_settings_of(office):
    row = OfficeBillingSettings.objects.filter(office=office).first()
    return OfficeSettings(
        regional_grade=office.regional_grade,
        retention_record=bool(row and row.retention_record),
        job_coach=bool(row and row.job_coach),
        treatment_improvement=row.treatment_improvement if row else "",
    )


def client_settings_of(client):
    row = ClientBillingSettings.objects.filter(client=client).first()
    if row is None:
        return ClientSettings(initial_addition="", special_area=False)
    return ClientSettings(initial_addition=row.initial_addition, special_area=row.special_area)


def closed_months(office, *, client=None):
    """The months closed for ``office``, oldest first; with ``client``, only those of the
    person's service (the recorded end or the 3-year limit, whichever is earlier)."""
    rows = MonthClose.objects.filter(office=office, is_closed=True)
    if client is not None:
        end = calendar.effective_end(client.service_start, client.service_end)
        rows = rows.filter(month__gte=Month.of(client.service_start).first_day, month__lte=end)
    return [Month.of(day) for day in rows.order_by("month").values_list("month", flat=True)]


def client_settings_read(*, actor, client):
    """Record that the person's billing settings were shown."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=client, detail="billing settings")


# ---------------------------------------------------------------------------------------------
# Recipient certificates


def periods_of(client):
    """Every decision period of the person, latest first, with its certificate."""
    return list(
        DecisionPeriod.objects.filter(certificate__client=client)
        .select_related("certificate")
        .order_by("-start", "-pk")
    )


def certificates_read(*, actor, client):
    """Record that the person's certificates were shown."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=client, detail="certificates")


# ---------------------------------------------------------------------------------------------
# The claim file (DESIGN 5.5)


def service_codes_on(day):
    """{item: ServiceCode} of the rows in force on ``day`` (the latest of each item taking
    effect on or before it), in one query."""
    codes = {}
    for row in ServiceCode.objects.filter(effective_from__lte=day).order_by(
        "item", "-effective_from"
    ):
        codes.setdefault(row.item, row)
    return codes


def claim_periods(figures):
    """{client code: the decision period covering the person's service days in the month}, of
    the certificate whose recipient number the figures bill, in one query."""
    from billing import rules

    wanted = {p.client_code: p for p in figures.people if p.billable}
    by_client = {}
    for period in DecisionPeriod.objects.filter(
        certificate__client__in=[figures.clients[c] for c in wanted]
    ).select_related("certificate", "certificate__client"):
        code = period.certificate.client.client_code
        if period.certificate.recipient_number == wanted[code].recipient_number:
            by_client.setdefault(code, []).append(period)
    result = {}
    for code, periods in by_client.items():
        covering = rules.covering_period(
            [(p.start, p.end) for p in periods], wanted[code].service_days
        )
        result[code] = next((p for p in periods if (p.start, p.end) == covering), None)
    return result


def claim_file(*, actor, office, month, processing_month=None, as_of=None):
    """The month's claim file for ``office`` (already scoped): (bytes, file name). Raises
    ``billing.claim.build.ClaimRefused`` naming what is missing. Recorded as an export naming
    the people in it."""
    from django.conf import settings

    from billing.claim import build

    figures = billing_month.month_figures(office, month, as_of=as_of)
    processing_month = processing_month or month.next()
    body, statements = build.claim_file(
        figures,
        periods=claim_periods(figures),
        codes=service_codes_on(month.first_day),
        processing_month=processing_month,
        data_kind=settings.TEICHAKU_CLAIM_DATA_KIND,
        form_number=settings.TEICHAKU_CLAIM_SERVICE_RECORD_FORM,
    )
    audit.record_people_exported(
        actor=actor,
        export="claim_file",
        clients=[s.client for s in statements],
        office=office,
        detail=f"{month} processing {processing_month}",
    )
    name = f"claim_{office.office_number}_{month}_{processing_month}.csv"
    return body, name
