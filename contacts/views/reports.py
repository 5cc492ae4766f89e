"""Monthly support reports: index, per-month editing, print, PDF and batch generation."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.models import Client
from contacts import reports
from contacts.forms import (
    SupportReportForm,
)
from contacts.models import (
    ReportBatchJob,
    SupportReport,
)
from contacts.tasks import start_report_batch
from core import calendar, tabular
from core.audit import Actor
from core.calendar import Month
from core.params import month_param
from offices.scoping import (
    get_office_or_404,
    get_scoped_or_404,
    offices_visible_to,
)


def _month_from(request):
    return month_param(request.GET.get("month"), default=Month.of(calendar.today()))


def report_index(request):
    offices = offices_visible_to(request.user).order_by("office_number")
    if not offices.exists():
        raise Http404
    office_number = request.GET.get("office") or offices.first().office_number
    office = get_office_or_404(request.user, office_number)
    month = _month_from(request)
    statuses = reports.report_statuses(clients=Client.objects.filter(office=office), month=month)
    jobs = ReportBatchJob.objects.filter(office=office).order_by("-created_at")[:5]
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
    existing = SupportReport.objects.filter(client=client, month=the_month.first_day).first()
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


def report_detail(request, report_pk):
    report = _report_or_404(request, report_pk)
    before = reports.report_sharing(report)
    form = SupportReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        report = reports.report_update(
            report=form.save(commit=False), actor=Actor.from_request(request), before=before
        )
        messages.success(request, _("The report was saved."))
        return redirect("report_detail", report_pk=report.pk)
    if request.method == "GET":
        reports.report_read(report=report, actor=Actor.from_request(request))
    month = Month.of(report.month)
    return render(
        request,
        "contacts/report_detail.html",
        {
            "report": report,
            "form": form,
            "month": month,
            "contacts": reports.month_contacts(client=report.client, month=month),
        },
    )


@require_POST
def report_refill(request, report_pk):
    report = _report_or_404(request, report_pk)
    reports.refill(report=report, actor=Actor.from_request(request))
    messages.success(request, _("The work and life sides were filled again from the contacts."))
    return redirect("report_detail", report_pk=report.pk)


def report_print(request, report_pk):
    report = _report_or_404(request, report_pk)
    reports.report_read(report=report, actor=Actor.from_request(request))
    return render(request, "contacts/report_print.html", {"report": report})


def report_pdf(request, report_pk):
    report = _report_or_404(request, report_pk)
    body = reports.report_pdf(report=report, actor=Actor.from_request(request))
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"support-report-{report.client.client_code}-{report.month:%Y-%m}.pdf"
    response["Content-Disposition"] = tabular.content_disposition(filename, inline=True)
    return response


@require_POST
def report_generate(request):
    office = get_office_or_404(request.user, request.POST.get("office", ""))
    month = month_param(request.POST.get("month"), default=None)
    if month is None:
        raise Http404
    job = start_report_batch(office=office, month=month, user=request.user)
    messages.info(request, _("Generating the month's reports…"))
    return redirect("report_job", report_job_pk=job.pk)


def report_job(request, report_job_pk):
    job = get_scoped_or_404(
        ReportBatchJob.objects.select_related("office"), request.user, pk=report_job_pk
    )
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
