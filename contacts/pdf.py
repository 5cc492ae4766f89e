"""The support report as PDF.

Japanese is set in reportlab's built-in CID font HeiseiKakuGo-W5 (Adobe-Japan1, UniJIS-UCS2-H):
nothing is embedded, so the PDF stays small and any PDF viewer substitutes its Japanese gothic
font. On Debian, poppler renders it with fonts-noto-cjk and maps the text with poppler-data.
"""

import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "HeiseiKakuGo-W5"
_registered = False


def _font():
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles():
    font = _font()
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=4 * mm),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=12, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm
        ),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13),
    }


def _paragraphs(text, style):
    lines = (text or "").splitlines() or ["—"]
    return [Paragraph(escape(line) or "&nbsp;", style) for line in lines]


def _date(value):
    return date_format(value, "Y年n月j日") if value else _("not yet")


def support_report_pdf(report):
    """PDF bytes of one support report."""
    styles = _styles()
    client = report.client
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Support report"),
        author=client.office.name,
    )
    month_label = date_format(report.month, "Y年n月")
    rows = [
        (_("Person"), f"{client.full_name} 様"),
        (_("Office"), client.office.name),
        (_("Month"), month_label),
        (_("Shared with the person"), _date(report.shared_with_client_on)),
        (_("Shared with the employer"), _date(report.shared_with_employer_on)),
    ]
    facts = Table(
        [
            [Paragraph(escape(head), styles["small"]), Paragraph(escape(value), styles["body"])]
            for head, value in rows
        ],
        colWidths=[45 * mm, None],
    )
    facts.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story = [
        Paragraph(
            escape(_("Support report (%(month)s)") % {"month": month_label}), styles["title"]
        ),
        facts,
        Paragraph(_("Summary of the support"), styles["heading"]),
        *_paragraphs(report.summary, styles["body"]),
        Paragraph(_("Work side"), styles["heading"]),
        *_paragraphs(report.work_side, styles["body"]),
        Paragraph(_("Life side"), styles["heading"]),
        *_paragraphs(report.life_side, styles["body"]),
        Paragraph(_("Goals for next month"), styles["heading"]),
        *_paragraphs(report.next_goals, styles["body"]),
        Spacer(1, 10 * mm),
        Paragraph(escape(client.office.name), styles["small"]),
    ]
    doc.build(story)
    return buffer.getvalue()
