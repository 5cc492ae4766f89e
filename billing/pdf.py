"""The monthly service record (サービス提供実績記録票) of one person: one layout, the print view in
the browser and the PDF alike.

Both render ``billing/service_record.html`` with ``record_context``; the PDF is that same HTML
drawn by ``core.pdf.html_to_pdf`` (the support report's machinery: xhtml2pdf, IPAexGothic
embedded). Every figure comes from ``billing.month.month_figures`` (the person's
``rules.PersonMonth``), the numbers the monthly close page, the ``billing_month`` command and the
CSV show; the 共有日 is ``contacts.reports.report_shared_on`` as the figures read it.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from core.pdf import html_to_pdf, pdf_context

TEMPLATE = "billing/service_record.html"


@dataclass(frozen=True)
class SupportDay:
    day: object  # datetime.date, Japan time
    methods: tuple  # the methods' labels, in the order of the day's contacts, each once


def support_days(client, month):
    """The days of the month (Japan time) with a live contact about the person, each with the
    methods of support used that day."""
    from contacts.reports import month_contacts
    from core.calendar import JST

    days = {}
    for contact in month_contacts(client=client, month=month):
        methods = days.setdefault(contact.contacted_at.astimezone(JST).date(), [])
        label = contact.get_method_display()
        if label not in methods:
            methods.append(label)
    return [SupportDay(day, tuple(methods)) for day, methods in sorted(days.items())]


@dataclass(frozen=True)
class RecordDay:
    """One row of the official form: what the claim file's J611:02 row for the day carries."""

    day: object
    supported: bool  # 算定日数 1
    special_area: bool  # 特別地域加算 1
    meeting: str  # 地域連携会議実施加算: "1" (Ⅰ), "2" (Ⅱ) or ""
    methods: tuple  # 備考: the methods of support of the day


def record_days(person, client, month):
    """The form's day rows: the claim file's own (``billing.claim.build.service_record_days``)
    with the day's methods of support as 備考."""
    from billing.claim.build import service_record_days

    methods = {d.day: d.methods for d in support_days(client, month)}
    return [
        RecordDay(day, supported, special, meeting, methods.get(day, ()))
        for day, supported, special, meeting in service_record_days(person)
    ]


def record_context(*, figures, person, client, date_style="", for_pdf=False):
    """What the service record shows (``person``: the ``rules.PersonMonth`` of ``client`` in
    ``figures``, a ``billing.month.MonthFigures``): the official form's header, day rows, totals
    and boxes, the same figures as the claim file's J611 records."""
    adjustments = [*person.additions.items(), *person.reductions.items()]
    rows = record_days(person, client, figures.month)
    return {
        "office": figures.office,
        "month": figures.month,
        "figures": figures,
        "person": person,
        "client": client,
        "municipality_number": figures.municipality_numbers.get(person.client_code, ""),
        # The days of support are the figures' (``PersonMonth.support_days``: inside the
        # service days), each with its methods.
        "days": [d for d in support_days(client, figures.month) if d.day in person.support_days],
        "rows": rows,
        "totals": {
            "supported": sum(1 for r in rows if r.supported),
            "special_area": sum(1 for r in rows if r.special_area),
            "meetings": sum(1 for r in rows if r.meeting),
        },
        "initial_start": person.service_start if "initial" in person.additions else None,
        "adjustments": adjustments,
        "date_style": date_style,
        **pdf_context(for_pdf),
    }


def service_record_pdf(context):
    """PDF bytes of the service record, from the print view's template (``context`` from
    ``record_context(..., for_pdf=True)``)."""
    return html_to_pdf(render_to_string(TEMPLATE, context), what="service record")
