"""The support report as a document: one layout for the print view and the PDF.

Both render ``contacts/report_document.html`` with ``document_context``; the PDF is that same
HTML drawn by ``core.pdf.html_to_pdf`` (xhtml2pdf, with IPAexGothic embedded).
"""

from django.template.loader import render_to_string

from core.calendar import month_label
from core.names import staff_display_name
from core.pdf import html_to_pdf, pdf_context


def document_context(report, *, for_pdf=False):
    """What the report document shows, for the print view and the PDF alike."""
    client = report.client
    sharings = list(report.sharings.select_related("employer_contact"))
    return {
        "report": report,
        "client": client,
        "office": client.office,
        "month_label": month_label(report.month.year, report.month.month),
        "staff_name": staff_display_name(report.staff),
        "sharings": sharings,
        **pdf_context(for_pdf),
    }


def support_report_pdf(report):
    """PDF bytes of one support report version, from the print view's template."""
    html = render_to_string("contacts/report_document.html", document_context(report, for_pdf=True))
    return html_to_pdf(html, what="support report")
