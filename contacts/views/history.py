"""Contact history: the filtered, paginated list of past contacts."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from clients.services import people_shown
from contacts import exports, selectors
from contacts.forms import (
    ContactFilterForm,
)
from core import calendar, tabular
from core.audit import Actor
from core.params import export_filters, export_format_param
from offices.scoping import (
    offices_visible_to,
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
    contacts = selectors.contacts_found(
        user=request.user, filters=form.cleaned_data if form.is_valid() else None
    )
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
