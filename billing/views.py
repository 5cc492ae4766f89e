"""The monthly close pages: a manager opens an office's month, sees every person's figures and
problems with links to fix them, closes the month (a background job) or reopens it with a reason,
and downloads the figures. Recipient certificates are recorded from the client page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing import certificates, pdf, selectors, services
from billing.forms import (
    CertificateForm,
    ClientBillingSettingsForm,
    OfficeBillingSettingsForm,
    ReopenForm,
)
from billing.models import MonthCloseJob
from clients import fees
from clients.models import Client
from core import calendar, jobs, tabular
from core.audit import Actor
from core.calendar import Month
from core.models import date_style_of
from core.params import month_param
from offices import month_lock
from offices.scoping import get_office_or_404, get_scoped_or_404, offices_managed_by
from plans import rules as plan_rules


def _month_or_404(text):
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise Http404 from exc


MONTHS_PER_PAGE = 24


def month_index(request):
    """Every month with activity of the offices the user manages, newest first, with its close
    state (``selectors.month_index``), filtered by office and state, a page at a time."""
    params = request.GET
    state = params.get("state", "")
    if state not in selectors.CloseState.ALL:
        state = ""
    today = calendar.today()
    index = selectors.month_index(
        offices=offices_managed_by(request.user),
        today=today,
        office_number=params.get("office", ""),
        state=state,
    )
    return render(
        request,
        "billing/month_index.html",
        {
            "index": index,
            "page": Paginator(index.entries, MONTHS_PER_PAGE).get_page(params.get("page")),
            "params": params,
            "state": state,
            "this_month": Month.of(today),
        },
    )


def month_page(request, office_number, billing_month):
    office = get_office_or_404(request.user, office_number, manage=True)
    the_month = _month_or_404(billing_month)
    figures = selectors.month_figures_read(
        actor=Actor.from_request(request), office=office, month=the_month
    )
    people = [(p, figures.clients[p.client_code]) for p in figures.people]
    return render(
        request,
        "billing/month.html",
        {
            "office": office,
            "month": the_month,
            "figures": figures,
            "people": people,
            "state": selectors.close_state(office, the_month),
            "close_confirmation": selectors.close_confirmation(figures),
            "reopen_form": ReopenForm(),
            "running": MonthCloseJob.objects.filter(
                office=office,
                month=the_month.first_day,
                status__in=[MonthCloseJob.Status.PENDING, MonthCloseJob.Status.RUNNING],
            ).first(),
            "previous": the_month.previous(),
            "next": the_month.next(),
        },
    )


@require_POST
def month_close(request, office_number, billing_month):
    office = get_office_or_404(request.user, office_number, manage=True)
    the_month = _month_or_404(billing_month)
    try:
        job = services.start_close(office=office, month=the_month, user=request.user)
    except jobs.JobNotStarted as exc:
        messages.error(request, str(exc))
        return redirect(
            "billing_month", office_number=office.office_number, billing_month=str(the_month)
        )
    return redirect("billing_close_job", close_job_pk=job.pk)


@require_POST
def month_reopen(request, office_number, billing_month):
    office = get_office_or_404(request.user, office_number, manage=True)
    the_month = _month_or_404(billing_month)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening the month."))
    elif not month_lock.month_is_closed(office, the_month):
        messages.info(request, _("The month is not closed."))
    else:
        services.reopen(
            office=office,
            month=the_month,
            actor=Actor.from_request(request),
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The month was reopened. Close it again when it is fixed."))
    return redirect(
        "billing_month", office_number=office.office_number, billing_month=str(the_month)
    )


# The page's downloads, in Japanese; ``contract-csv`` is the DESIGN 5.4 CSV (machine contract).
EXPORT_FORMATS = ("csv", "csv-cp932", "xlsx", "contract-csv")


def month_export(request, office_number, billing_month, export_format):
    office = get_office_or_404(request.user, office_number, manage=True)
    the_month = _month_or_404(billing_month)
    fmt = export_format
    if fmt not in EXPORT_FORMATS:
        raise Http404
    figures = selectors.month_figures_read(
        actor=Actor.from_request(request), office=office, month=the_month, export=fmt
    )
    stem = f"billing_{office.office_number}_{the_month}"
    if fmt == "contract-csv":
        return tabular.file_response(stem, selectors.csv_export(figures), fmt="csv")
    else:
        try:
            body = selectors.people_export(figures, fmt=fmt)
        except tabular.ExportEncodingError:
            messages.error(
                request, _("Some characters cannot be written in CP932. Download UTF-8 instead.")
            )
            return redirect(
                "billing_month", office_number=office_number, billing_month=billing_month
            )
    return tabular.file_response(stem, body, fmt=fmt)


def claim_file(request, office_number, billing_month):
    """The month's claim file for the 国保連 (DESIGN 5.5), once the month is closed."""
    from billing.claim.build import ClaimRefused

    office = get_office_or_404(request.user, office_number, manage=True)
    the_month = _month_or_404(billing_month)
    back = reverse(
        "billing_month",
        kwargs={"office_number": office.office_number, "billing_month": billing_month},
    )
    if not month_lock.month_is_closed(office, the_month):
        messages.error(request, _("Close the month before downloading its claim file."))
        return render(request, "billing/claim_refused.html", {"back": back}, status=409)
    try:
        body, name = selectors.claim_file(
            actor=Actor.from_request(request), office=office, month=the_month
        )
    except ClaimRefused as exc:
        return render(
            request,
            "billing/claim_refused.html",
            {"back": back, "problems": exc.problems},
            status=409,
        )
    response = HttpResponse(body, content_type="text/csv; charset=Shift_JIS")
    response["Content-Disposition"] = tabular.content_disposition(name)
    return response


def _service_record(request, office_number, billing_month, client_code, *, as_pdf):
    office = get_office_or_404(request.user, office_number, manage=True)
    the_month = _month_or_404(billing_month)
    try:
        return selectors.service_record(
            actor=Actor.from_request(request),
            office=office,
            month=the_month,
            client_code=client_code,
            date_style=str(date_style_of(request.user)),
            as_pdf=as_pdf,
        )
    except LookupError as exc:
        raise Http404 from exc


def service_record_print(request, office_number, billing_month, client_code):
    """The person's monthly service record (実績記録票): the print view, the PDF's own page."""
    context = _service_record(request, office_number, billing_month, client_code, as_pdf=False)
    return render(request, pdf.TEMPLATE, context)


def service_record_pdf(request, office_number, billing_month, client_code):
    """The person's monthly service record (実績記録票) as PDF, drawn from the print view."""
    body = _service_record(request, office_number, billing_month, client_code, as_pdf=True)
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"service-record-{client_code}-{billing_month}.pdf"
    response["Content-Disposition"] = tabular.content_disposition(filename)
    return response


def _job_or_404(request, close_job_pk):
    job = get_scoped_or_404(
        MonthCloseJob.objects.select_related("office"), request.user, pk=close_job_pk
    )
    get_office_or_404(request.user, job.office.office_number, manage=True)
    return job


def close_job(request, close_job_pk):
    job = _job_or_404(request, close_job_pk)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {
                "status": job.status,
                "finished": job.finished,
                "done": job.done,
                "total": job.total,
                "percent": job.progress_percent,
            }
        )
    back = reverse(
        "billing_month",
        kwargs={"office_number": job.office.office_number, "billing_month": f"{job.month:%Y-%m}"},
    )
    return render(request, "billing/close_job.html", {"job": job, "back": back})


@require_POST
def close_job_cancel(request, close_job_pk):
    job = _job_or_404(request, close_job_pk)
    if jobs.cancel(job):
        messages.info(request, _("Cancelling. The month stays open."))
    return redirect("billing_close_job", close_job_pk=job.pk)


def certificate_edit(request, client_pk):
    """Record a decision period of the person's recipient certificate."""
    client = get_scoped_or_404(Client.objects.select_related("office"), request.user, pk=client_pk)
    form = CertificateForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.certificate_save_checked(
                client=client,
                actor=Actor.from_request(request),
                recipient_number=data["recipient_number"],
                municipality_number=data["municipality_number"],
                start=data["start"],
                end=data["end"],
                copay_cap=data["copay_cap"],
                cap_manager_office_number=data["cap_manager_office_number"],
                cap_management_result=data["cap_management_result"],
                cap_management_amount=data["cap_management_amount"],
            )
        except month_lock.MonthClosed as exc:
            form.add_error(None, _closed_refusal(exc))
            status = 409
        else:
            messages.success(request, _("The recipient certificate was saved."))
            for _field, message in certificates.number_warnings(
                recipient_number=data["recipient_number"],
                municipality_number=data["municipality_number"],
            ):
                messages.warning(request, message)
            return redirect("client_detail", client_pk=client.pk)
    if request.method == "GET":
        selectors.certificates_read(actor=Actor.from_request(request), client=client)
    periods = selectors.periods_of(client)
    return render(
        request,
        "billing/certificate_edit.html",
        {"client": client, "form": form, "periods": periods},
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# Billing settings, for managers


def _closed_refusal(exc):
    return _(
        "This change would alter the figures of %(month)s, which is closed for billing. Reopen "
        "the month, with a reason, before making it."
    ) % {"month": calendar.month_label(exc.month.year, exc.month.month)}


def _month_back(request, office):
    """The monthly close page the manager came from (``?month=YYYY-MM``), or None."""
    the_month = month_param(request.GET.get("month"), default=None)
    if the_month is None:
        return None
    return reverse(
        "billing_month",
        kwargs={"office_number": office.office_number, "billing_month": str(the_month)},
    )


def office_settings_edit(request, office_number):
    """The office's billing settings: regional grade and the standing additions."""
    office = get_office_or_404(request.user, office_number, manage=True)
    current = selectors.office_settings_of(office)
    form = OfficeBillingSettingsForm(request.POST or None, initial=current.__dict__)
    back = _month_back(request, office)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.office_settings_save(
                    office=office, actor=Actor.from_request(request), **form.cleaned_data
                )
            except month_lock.MonthClosed as exc:
                form.add_error(None, _closed_refusal(exc))
                status = 409
            else:
                if changed:
                    messages.success(request, _("The billing settings were saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect(back or request.get_full_path())
        else:
            status = 400
    today = calendar.today()
    unit_price = fees.unit_prices_on(today).get(office.regional_grade)
    in_place = plan_rules.handover_system_in_place(office, Month.of(today))
    return render(
        request,
        "billing/office_settings.html",
        {
            "office": office,
            "form": form,
            "back": back,
            "unit_price": unit_price,
            "handover_system_in_place": in_place,
            "closed_months": selectors.closed_months(office),
        },
        status=status,
    )


def client_settings_edit(request, client_pk):
    """A person's billing settings: the initial addition override and the special area."""
    client = get_scoped_or_404(
        Client.objects.select_related("office", "referral_office"), request.user, pk=client_pk
    )
    office = get_office_or_404(request.user, client.office.office_number, manage=True)
    actor = Actor.from_request(request)
    current = selectors.client_settings_of(client)
    form = ClientBillingSettingsForm(request.POST or None, initial=current.__dict__)
    back = _month_back(request, office)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.client_settings_save(
                    client=client, actor=actor, **form.cleaned_data
                )
            except month_lock.MonthClosed as exc:
                form.add_error(None, _closed_refusal(exc))
                status = 409
            else:
                if changed:
                    messages.success(request, _("The billing settings were saved."))
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect(back or reverse("client_detail", kwargs={"client_pk": client.pk}))
        else:
            status = 400
    else:
        selectors.client_settings_read(actor=actor, client=client)
    return render(
        request,
        "billing/client_settings.html",
        {
            "client": client,
            "form": form,
            "back": back,
            "origin": client.origin,
            "current_certificate": certificates.current_certificate(client, on=calendar.today()),
        },
        status=status,
    )
