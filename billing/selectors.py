"""What billing's pages, commands and downloads read (the writes are in ``billing/services.py``,
the rules in ``billing/rules.py``, ``billing/month.py`` and ``billing/certificates.py``). Each read
of a person's data is recorded in the audit trail.

The page, the ``billing_month`` command and the downloads all go through ``month_figures_read``,
which calls ``billing.month.month_figures``: one function computes the numbers they show.
"""

from dataclasses import dataclass

from billing import month as billing_month
from billing import pdf
from billing.models import ClientBillingSettings, DecisionPeriod, OfficeBillingSettings
from core import audit, calendar, tabular
from core.calendar import Month
from core.models import AuditAction
from offices.models import MonthClose
from offices.month_lock import close_state  # noqa: F401  (the month page reads it from here)


def month_figures_read(*, actor, office, month, export="", as_of=None):
    """The month's figures of ``office`` (already scoped by the caller); recorded as a view of
    the people shown, or as an export naming its format when ``export`` is given."""
    figures = billing_month.month_figures(office, month, as_of=as_of)
    if export:
        audit.record(
            actor=actor,
            action=AuditAction.EXPORT,
            office=office,
            detail=f"billing_month {month} {export}",
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
    header, rows = billing_month.csv_rows(figures)
    return tabular.csv_bytes(header, rows, encoding=encoding)


def xlsx_export(figures):
    """The summary sheet (the office's figures) and the people sheet (the CSV's rows)."""
    document = figures.as_document()
    tier = document["tier"] or {}
    summary = [
        ["office_number", document["office_number"]],
        ["month", document["month"]],
        ["fee_table_effective_from", document["fee_table_effective_from"]],
        ["fiscal_year", document["fiscal_year"]],
        ["rate_percent", document["rate_percent"]],
        ["tier_min_percent", tier.get("min_percent")],
        ["tier_units", tier.get("units")],
        ["unit_price_yen", document["unit_price_yen"]],
        ["people", len(document["people"])],
        ["billable", figures.billable_count],
        ["total_units", document["total_units"]],
        ["total_yen", document["total_yen"]],
    ]
    header, rows = billing_month.csv_rows(figures)
    return tabular.xlsx_bytes([("summary", ["item", "value"], summary), ("people", header, rows)])


# ---------------------------------------------------------------------------------------------
# Billing settings


@dataclass(frozen=True)
class OfficeSettings:
    regional_grade: str
    retention_record: bool
    job_coach: bool


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
