"""Contact history: the filtered, paginated list of past contacts."""

import datetime as dt

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from clients.models import person_search_q
from clients.services import people_shown
from contacts import exports
from contacts.forms import (
    ContactFilterForm,
)
from contacts.models import (
    Contact,
)
from core import calendar, tabular
from core.audit import Actor
from core.calendar import JST
from core.params import export_filters, export_format_param
from offices.scoping import (
    offices_visible_to,
    scoped,
    staff_of,
)


def _contact_list_request(request):
    """The filter form and the filtered contacts of a contact-history request (the page and its
    export read the same filters)."""
    offices = offices_visible_to(request.user)
    staff_choices = staff_of(offices, including_inactive=True).order_by(
        "last_name", "first_name", "username"
    )
    form = ContactFilterForm(request.GET or None, staff_choices=staff_choices)
    contacts = scoped(Contact, request.user).select_related("client", "client__office", "staff")
    if form.is_valid():
        data = form.cleaned_data
        if not data["deleted"]:
            contacts = contacts.live()
        if data["q"]:
            contacts = contacts.filter(person_search_q(data["q"], prefix="client__"))
        if data["method"]:
            contacts = contacts.filter(method=data["method"])
        if data["counterpart"]:
            contacts = contacts.filter(counterpart=data["counterpart"])
        if data["staff"]:
            contacts = contacts.filter(staff=data["staff"])
        if data["date_from"]:
            contacts = contacts.filter(
                contacted_at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=JST)
            )
        if data["date_to"]:
            contacts = contacts.filter(
                contacted_at__lt=dt.datetime.combine(
                    data["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=JST
                )
            )
    else:
        contacts = contacts.live()
    return form, contacts


def contact_list(request):
    form, contacts = _contact_list_request(request)
    page = Paginator(contacts.order_by("-contacted_at", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    people_shown(
        actor=Actor.from_request(request),
        page="contact search" if form.is_bound and form.data.get("q") else "contact history",
        clients=[contact.client for contact in page],
        detail=request.GET.urlencode(),
    )
    return render(request, "contacts/contact_list.html", {"form": form, "page": page})


def contact_list_export(request):
    """Contact history as CSV or XLSX: every contact its filters find."""
    fmt = export_format_param(request.GET)
    _form, contacts = _contact_list_request(request)
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.contact_history_export(
            actor=Actor.from_request(request),
            contacts=contacts,
            fmt=fmt,
            detail=export_filters(request.GET),
        ),
        back_url=f"{reverse('contact_list')}?{export_filters(request.GET)}",
        filename_stem=f"contacts_{calendar.today().isoformat()}",
    )
