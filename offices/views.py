from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from core import audit, calendar
from core.audit import Actor
from core.params import export_filters, export_format_param
from core.tabular.downloads import download_response, list_download, unencodable_refusal
from core.tabular.writing import ExportEncodingError
from offices import exports, selectors
from offices.forms import AuditTrailFilterForm
from offices.scoping import get_office_or_404, offices_managed_by, staff_of


def _office_list_of(request):
    """The search and the offices it finds (the page and its export)."""
    query = request.GET.get("q", "").strip()
    return query, selectors.offices_found(user=request.user, query=query)


def office_list(request):
    query, offices = _office_list_of(request)
    page = Paginator(offices, 25).get_page(request.GET.get("page"))
    return render(request, "offices/office_list.html", {"page": page, "query": query})


def office_list_export(request):
    """The office list as CSV or XLSX: every office its search finds."""
    fmt = export_format_param(request.GET)
    _query, offices = _office_list_of(request)
    return list_download(
        request,
        fmt,
        lambda: exports.office_list_export(
            actor=Actor.from_request(request),
            offices=offices,
            fmt=fmt,
            detail=export_filters(request.GET),
        ),
        back_url=f"{reverse('office_list')}?{export_filters(request.GET)}",
        filename_stem=f"offices_{calendar.today().isoformat()}",
    )


def office_detail(request, office_number):
    office = get_office_or_404(request.user, office_number)
    return render(
        request,
        "offices/office_detail.html",
        selectors.office_page(user=request.user, office=office),
    )


# ---------------------------------------------------------------------------------------------
# The audit trail of an office, for its managers

AUDIT_PAGE_SIZE = 50


def _trail_request(request):
    """The managed office, the filter form and the filtered events of an audit-trail request;
    404 for a user who manages no office (or not the one named)."""
    offices = offices_managed_by(request.user).order_by("office_number")
    if not offices.exists():
        raise Http404
    office_number = request.GET.get("office") or offices.first().office_number
    office = get_office_or_404(request.user, office_number, manage=True)
    staff_choices = staff_of([office], including_inactive=True).order_by(
        "last_name", "first_name", "username"
    )
    form = AuditTrailFilterForm(request.GET or None, staff_choices=staff_choices)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit.office_trail(
        office=office,
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        staff=filters.get("staff"),
        action=filters.get("action", ""),
        client_code=filters.get("client_code", ""),
    )
    return offices, office, form, events


def audit_trail(request):
    offices, office, form, events = _trail_request(request)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "offices/audit_trail.html",
        {"offices": offices, "office": office, "form": form, "page": page},
    )


def audit_trail_export(request):
    fmt = export_format_param(request.GET)
    _offices, office, _form, events = _trail_request(request)
    try:
        # A refused CP932 file rolls its export event back: nothing was exported.
        with transaction.atomic():
            rows = audit.trail_export(
                actor=Actor.from_request(request),
                office=office,
                events=events,
                fmt=fmt,
                detail=export_filters(request.GET),
            )
            return download_response(
                f"audit-{office.office_number}", list(audit.TRAIL_COLUMNS), rows, fmt=fmt
            )
    except ExportEncodingError as error:
        return unencodable_refusal(
            request, error, back_url=f"{reverse('audit_trail')}?{export_filters(request.GET)}"
        )
