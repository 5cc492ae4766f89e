"""The monthly service record (サービス提供実績記録票) of one person as PDF: the month, the person,
the recipient number, the days of support, the support report's 共有日 and the additions.

Japanese is set in IPAexGothic, embedded: the TTF comes from the PyPI package
``japanize-matplotlib`` (``japanize_matplotlib/fonts/ipaexg.ttf``), found without importing the
package (which would import matplotlib). Built with reportlab's platypus, like the support
report PDF (``contacts/pdf.py``); the HTML layout the support reports may move to is not used
here.
"""

import importlib.util
import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "IPAexGothic"


def font_path():
    spec = importlib.util.find_spec("japanize_matplotlib")
    return Path(spec.submodule_search_locations[0]) / "fonts" / "ipaexg.ttf"


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font_path())))
    return FONT


def _date(value):
    return date_format(value, "Y年n月j日") if value else _("not yet")


def support_days(client, month):
    """The JST days of the month with a live contact about the person (the days of support)."""
    from contacts.reports import month_contacts
    from core.calendar import JST

    return sorted(
        {c.contacted_at.astimezone(JST).date() for c in month_contacts(client=client, month=month)}
    )


def service_record_pdf(*, office, month, person, client):
    """PDF bytes of one person's service record for ``month`` (``person``: a rules.PersonMonth)."""
    from billing.templatetags.billing_tags import adjustment_label, problem_label

    font = _font()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=21, spaceAfter=4 * mm)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Service record"),
        author=office.name,
    )
    days = support_days(client, month)
    adjustments = {**person.additions, **person.reductions}
    rows = [
        (_("Month"), f"{month.year}年{month.month}月"),
        (_("Office"), f"{office.name}（{office.office_number}）"),
        (_("Person"), f"{client.full_name} 様（{client.client_code}）"),
        (_("Recipient number"), person.recipient_number or "—"),
        (_("Days of support"), "、".join(f"{d.day}日" for d in days) or "—"),
        (_("Support report shared on"), _date(person.report_shared_on)),
        (_("Base units"), f"{person.base_units:,}"),
        (
            _("Additions and reductions"),
            "、".join(f"{adjustment_label(c)} {u:+,}" for c, u in adjustments.items()) or "—",
        ),
        (_("Total units"), f"{person.total_units:,}"),
        (_("Problems"), "、".join(str(problem_label(c)) for c in person.problems) or "—"),
    ]
    table = Table(
        [[Paragraph(escape(str(h)), body), Paragraph(escape(str(v)), body)] for h, v in rows],
        colWidths=[45 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    doc.build([Paragraph(escape(_("Service record")), title), table])
    return buffer.getvalue()
