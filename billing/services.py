"""Reading and exporting a month's figures, each recorded in the audit trail.

The page, the ``billing_month`` command and the downloads all go through ``month_figures_read``,
which calls ``billing.month.month_figures``: one function computes the numbers they show.
"""

from billing import month as billing_month
from billing import pdf
from core import audit, tabular
from core.models import AuditAction


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
