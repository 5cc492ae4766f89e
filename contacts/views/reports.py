"""Monthly support reports: index, per-month editing, print, PDF and batch generation."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.models import Client
from clients.services import people_shown
from contacts import exports, reports
from contacts.forms import (
    ReportConfirmationForm,
    ReportCorrectionForm,
    ReportSharingForm,
    SupportReportForm,
)
from contacts.models import (
    ReportBatchJob,
    SupportReport,
)
from contacts.pdf import document_context
from contacts.tasks import start_report_batch
from core import calendar, jobs, tabular
from core.audit import Actor
from core.calendar import Month
from core.params import export_format_param, month_param
from offices.scoping import (
    get_office_or_404,
    get_scoped_or_404,
    offices_visible_to,
    staff_of,
)


def _month_from(request):
    return month_param(request.GET.get("month"), default=Month.of(calendar.today()))


def _report_index_office(request):
    """(offices, office): the offices the user may read and the one the list shows."""
    offices = offices_visible_to(request.user).order_by("office_number")
    if not offices.exists():
        raise Http404
    office_number = request.GET.get("office") or offices.first().office_number
    return offices, get_office_or_404(request.user, office_number)


def report_index_export(request):
    """The month's support-report list (same office and month as the page) as CSV or XLSX."""
    fmt = export_format_param(request.GET)
    _offices, office = _report_index_office(request)
    month = _month_from(request)
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.support_reports_export(
            actor=Actor.from_request(request), office=office, month=month, fmt=fmt
        ),
        back_url=f"{reverse('report_index')}?office={office.office_number}&month={month}",
        filename_stem=f"support_reports_{office.office_number}_{month}",
    )


def report_index(request):
    offices, office = _report_index_office(request)
    month = _month_from(request)
    statuses = reports.report_statuses(clients=Client.objects.filter(office=office), month=month)
    jobs = ReportBatchJob.objects.filter(office=office).order_by("-created_at")[:5]
    people_shown(
        actor=Actor.from_request(request),
        page=f"support reports {month}",
        clients=[status.client for status in statuses],
        office=office,
    )
    return render(
        request,
        "contacts/report_index.html",
        {
            "office": office,
            "offices": offices,
            "month": month,
            "previous_month": month.previous(),
            "next_month": month.next(),
            "statuses": statuses,
            "flagged": sum(1 for s in statuses if s.flagged),
            "jobs": jobs,
        },
    )


def report_for_month(request, client_pk, year, month):
    client = get_scoped_or_404(Client.objects.select_related("office"), request.user, pk=client_pk)
    try:
        the_month = Month(year, month)
        the_month.first_day  # noqa: B018  (validates the month)
    except ValueError as exc:
        raise Http404 from exc
    existing = (
        SupportReport.objects.current().filter(client=client, month=the_month.first_day).first()
    )
    if existing:
        return redirect("report_detail", report_pk=existing.pk)
    if request.method == "POST":
        report, _created = reports.report_create(
            client=client, month=the_month, actor=Actor.from_request(request)
        )
        messages.success(request, _("The report was created from the month's contacts."))
        return redirect("report_detail", report_pk=report.pk)
    return render(request, "contacts/report_missing.html", {"client": client, "month": the_month})


def _report_or_404(request, report_pk):
    return get_scoped_or_404(
        SupportReport.objects.select_related("client", "client__office"),
        request.user,
        pk=report_pk,
    )


def _detail_page(request, report, **forms):
    month = Month.of(report.month)
    client = report.client
    forms.setdefault(
        "form",
        SupportReportForm(instance=report, staff_choices=staff_of([client.office])),
    )
    forms.setdefault(
        "sharing_form",
        ReportSharingForm(
            initial={"shared_on": calendar.today()},
            employer_contacts=reports.employer_contacts_for(client),
        ),
    )
    forms.setdefault(
        "confirmation_form",
        ReportConfirmationForm(
            initial={
                "confirmed_on": report.confirmed_on or calendar.today(),
                "method": report.confirmation_method,
            }
        ),
    )
    forms.setdefault("correction_form", ReportCorrectionForm())
    return render(
        request,
        "contacts/report_detail.html",
        {
            "report": report,
            "month": month,
            "sharings": report.sharings.select_related("employer_contact", "created_by"),
            "versions": reports.report_versions(report),
            "contacts": reports.month_contacts(client=client, month=month),
            **forms,
        },
        status=400 if request.method == "POST" else 200,
    )


def report_detail(request, report_pk):
    report = _report_or_404(request, report_pk)
    if request.method == "POST":
        form = SupportReportForm(
            request.POST, instance=report, staff_choices=staff_of([report.client.office])
        )
        if form.is_valid():
            content = form.content()
            report.refresh_from_db()  # the form wrote into the instance; the service compares
            try:
                updated = reports.report_update(
                    report=report, actor=Actor.from_request(request), **content
                )
            except reports.ReportRefused as exc:
                form.add_error(None, exc)
            else:
                if updated is None:
                    messages.info(request, _("Nothing was changed."))
                else:
                    messages.success(request, _("The report was saved."))
                return redirect("report_detail", report_pk=report.pk)
        report.refresh_from_db()
        return _detail_page(request, report, form=form)
    reports.report_read(report=report, actor=Actor.from_request(request))
    return _detail_page(request, report)


@require_POST
def report_share(request, report_pk):
    report = _report_or_404(request, report_pk)
    form = ReportSharingForm(
        request.POST, employer_contacts=reports.employer_contacts_for(report.client)
    )
    if form.is_valid():
        try:
            reports.report_share(
                report=report, actor=Actor.from_request(request), **form.cleaned_data
            )
        except reports.ReportRefused as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The sharing was recorded."))
            return redirect("report_detail", report_pk=report.pk)
    return _detail_page(request, report, sharing_form=form)


@require_POST
def report_confirm(request, report_pk):
    report = _report_or_404(request, report_pk)
    form = ReportConfirmationForm(request.POST)
    if form.is_valid():
        try:
            reports.report_confirm(
                report=report,
                actor=Actor.from_request(request),
                confirmed_on=form.cleaned_data["confirmed_on"],
                method=form.cleaned_data["method"],
            )
        except reports.ReportRefused as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The person's confirmation was recorded."))
            return redirect("report_detail", report_pk=report.pk)
    return _detail_page(request, report, confirmation_form=form)


@require_POST
def report_correct(request, report_pk):
    report = _report_or_404(request, report_pk)
    form = ReportCorrectionForm(request.POST)
    if form.is_valid():
        try:
            corrected = reports.report_correct(
                report=report, actor=Actor.from_request(request), reason=form.cleaned_data["reason"]
            )
        except reports.ReportRefused as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Version %(version)s was created; the shared version is kept.")
                % {"version": corrected.version},
            )
            return redirect("report_detail", report_pk=corrected.pk)
    return _detail_page(request, report, correction_form=form)


@require_POST
def report_refill(request, report_pk):
    report = _report_or_404(request, report_pk)
    try:
        reports.refill(report=report, actor=Actor.from_request(request))
    except reports.ReportRefused as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The plan goals and the work and life sides were filled again.")
        )
    return redirect("report_detail", report_pk=report.pk)


def report_print(request, report_pk):
    """The print view: the same document the PDF is drawn from."""
    report = _report_or_404(request, report_pk)
    reports.report_read(report=report, actor=Actor.from_request(request))
    return render(request, "contacts/report_document.html", document_context(report))


def report_pdf(request, report_pk):
    report = _report_or_404(request, report_pk)
    body = reports.report_pdf(report=report, actor=Actor.from_request(request))
    response = HttpResponse(body, content_type="application/pdf")
    suffix = f"-v{report.version}" if report.version > 1 else ""
    filename = f"support-report-{report.client.client_code}-{report.month:%Y-%m}{suffix}.pdf"
    response["Content-Disposition"] = tabular.content_disposition(filename, inline=True)
    return response


@require_POST
def report_generate(request):
    office = get_office_or_404(request.user, request.POST.get("office", ""))
    month = month_param(request.POST.get("month"), default=None)
    if month is None:
        raise Http404
    return _start_batch(request, office=office, month=month)


def _start_batch(request, *, office, month):
    try:
        job = start_report_batch(office=office, month=month, user=request.user)
    except jobs.JobNotStarted as exc:
        messages.error(request, str(exc))
        return redirect(reverse("report_index") + f"?office={office.office_number}&month={month}")
    messages.info(request, _("Generating the month's reports…"))
    return redirect("report_job", report_job_pk=job.pk)


def _report_job_or_404(request, report_job_pk):
    return get_scoped_or_404(
        ReportBatchJob.objects.select_related("office"), request.user, pk=report_job_pk
    )


@require_POST
def report_job_cancel(request, report_job_pk):
    job = _report_job_or_404(request, report_job_pk)
    if jobs.cancel(job):
        messages.info(request, _("Cancelling. Reports already created are kept."))
    return redirect("report_job", report_job_pk=job.pk)


@require_POST
def report_job_retry(request, report_job_pk):
    """Run a failed or cancelled job again as a new job; existing reports are skipped."""
    job = _report_job_or_404(request, report_job_pk)
    if not job.can_retry:
        return redirect("report_job", report_job_pk=job.pk)
    return _start_batch(request, office=job.office, month=Month.of(job.month))


def report_job(request, report_job_pk):
    job = _report_job_or_404(request, report_job_pk)
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
    back = reverse("report_index") + f"?office={job.office.office_number}&month={job.month:%Y-%m}"
    return render(request, "contacts/report_job.html", {"job": job, "back": back})
