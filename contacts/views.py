import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.models import Client
from contacts import overview, reports, services, stats
from contacts.forms import (
    ContactDeleteForm,
    ContactEditForm,
    ContactFilterForm,
    PeriodForm,
    QuickEntryForm,
    SupportReportForm,
)
from contacts.models import (
    Contact,
    LifeTopic,
    Notification,
    ReportBatchJob,
    SupportReport,
    WorkTopic,
)
from contacts.pdf import support_report_pdf
from contacts.periods import JST, Month, day_range, jst_today
from contacts.worklist import worklist_for
from core import audit
from core.fields import choice_labels
from core.models import AuditAction
from core.vocab import ContactMethod, Counterpart
from offices.models import Office
from offices.scoping import (
    get_office_or_404,
    get_scoped_or_404,
    is_corporation_manager,
    offices_managed_by,
    offices_visible_to,
    scoped,
)

# ---------------------------------------------------------------------------------------------
# Home by role


def home(request):
    user = request.user
    today = jst_today()
    if is_corporation_manager(user):
        offices = offices_managed_by(user).select_related("corporation")
        return render(
            request,
            "contacts/home_corporation.html",
            {"overviews": overview.offices_overview(offices=offices, today=today)},
        )
    managed = offices_managed_by(user).select_related("corporation")
    if managed.exists():
        return render(
            request,
            "contacts/home_manager.html",
            {"overviews": overview.offices_overview(offices=managed, today=today)},
        )
    if offices_visible_to(user).exists():
        return render(
            request,
            "contacts/home_staff.html",
            {"worklist": worklist_for(user=user, today=today)},
        )
    return render(request, "contacts/home_no_office.html")


# ---------------------------------------------------------------------------------------------
# Today, quick entry and the contact record


def _search_clients(clients, query):
    if not query:
        return clients
    return clients.filter(
        Q(family_name__icontains=query)
        | Q(given_name__icontains=query)
        | Q(family_name_kana__icontains=query)
        | Q(given_name_kana__icontains=query)
        | Q(client_code__icontains=query)
    )


def contacts_today(request):
    today = jst_today()
    query = request.GET.get("q", "").strip()
    visible = scoped(Client, request.user).select_related("office")
    if query:
        clients = _search_clients(visible, query).in_service_between(
            today - dt.timedelta(days=365), today
        )
    else:
        clients = visible.filter(staff_in_charge=request.user).in_service_between(today, today)
    page = Paginator(clients.order_by("family_name_kana", "client_code"), 30).get_page(
        request.GET.get("page")
    )
    day_start, day_end = day_range(today, today)
    todays = (
        scoped(Contact.objects.live(), request.user)
        .filter(staff=request.user, contacted_at__gte=day_start, contacted_at__lt=day_end)
        .select_related("client")
        .order_by("-contacted_at")
    )
    return render(
        request,
        "contacts/today.html",
        {"page": page, "query": query, "todays": todays, "today": today},
    )


def contact_quick_entry(request, client_pk):
    client = get_scoped_or_404(Client.objects.select_related("office"), request.user, pk=client_pk)
    form = QuickEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                client=client,
                staff=request.user,
                created_by=request.user,
                face_to_face=form.face_to_face_value(),
                request=request,
                **form.contact_values(),
            )
        except IntegrityError:
            form.add_error(
                None,
                _("This contact (same time, method and counterpart) has already been recorded."),
            )
        else:
            messages.success(
                request,
                _("Saved: %(method)s with %(counterpart)s, %(client)s.")
                % {
                    "method": contact.get_method_display(),
                    "counterpart": contact.get_counterpart_display(),
                    "client": client.full_name,
                },
            )
            return redirect("contact_detail", contact_pk=contact.pk)
    recent = Contact.objects.live().filter(client=client).select_related("staff")[:5]
    return render(
        request,
        "contacts/quick_entry.html",
        {
            "client": client,
            "form": form,
            "recent": recent,
            "video_call_counts": client.office.video_call_counts_as_face_to_face,
            "face_to_face_methods": _face_to_face_methods(client.office),
        },
    )


def _face_to_face_methods(office):
    from core.vocab import ContactMethod, is_face_to_face

    return [
        m
        for m in ContactMethod.values
        if is_face_to_face(m, video_call_counts=office.video_call_counts_as_face_to_face)
    ]


def _contact_or_404(request, contact_pk):
    return get_scoped_or_404(
        Contact.objects.select_related("client", "client__office", "staff", "deleted_by"),
        request.user,
        pk=contact_pk,
    )


def contact_detail(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    audit.record(user=request.user, action=AuditAction.VIEW, obj=contact, request=request)
    return render(
        request,
        "contacts/contact_detail.html",
        {
            "contact": contact,
            "revisions": contact.revisions.select_related("changed_by"),
            "work_topics": choice_labels(WorkTopic, contact.work_topics),
            "life_topics": choice_labels(LifeTopic, contact.life_topics),
        },
    )


def _office_staff(office):
    return (
        get_user_model()
        .objects.filter(memberships__office=office, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def contact_edit(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    if contact.is_deleted:
        raise Http404
    initial = {
        **{
            name: getattr(contact, name)
            for name in (
                "method",
                "counterpart",
                "contacted_at",
                "summary",
                "duration_minutes",
                "work_topics",
                "life_topics",
                "next_follow_up",
                "staff",
            )
        },
        "face_to_face": "yes" if contact.face_to_face else "no",
    }
    form = ContactEditForm(
        request.POST or None, initial=initial, staff_choices=_office_staff(contact.client.office)
    )
    if request.method == "POST" and form.is_valid():
        values = form.contact_values()
        face_to_face = form.face_to_face_value()
        if face_to_face is None:
            face_to_face = services.default_face_to_face(
                method=values["method"], office=contact.client.office
            )
        try:
            updated = services.contact_update(
                contact=contact,
                user=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
                staff=form.cleaned_data["staff"],
                face_to_face=face_to_face,
                **values,
            )
        except IntegrityError:
            form.add_error(
                None,
                _("Another contact with the same time, method and counterpart already exists."),
            )
        else:
            if updated is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(
                    request, _("The contact was updated; the previous version is kept.")
                )
            return redirect("contact_detail", contact_pk=contact.pk)
    return render(request, "contacts/contact_edit.html", {"contact": contact, "form": form})


def contact_delete(request, contact_pk):
    contact = _contact_or_404(request, contact_pk)
    if contact.is_deleted:
        raise Http404
    form = ContactDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_delete(
            contact=contact, user=request.user, reason=form.cleaned_data["reason"], request=request
        )
        messages.success(request, _("The contact was deleted. Its record and reason are kept."))
        return redirect("contact_list")
    return render(request, "contacts/contact_delete.html", {"contact": contact, "form": form})


def contact_list(request):
    offices = offices_visible_to(request.user)
    staff_choices = (
        get_user_model()
        .objects.filter(memberships__office__in=offices.values("pk"))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    form = ContactFilterForm(request.GET or None, staff_choices=staff_choices)
    contacts = scoped(Contact, request.user).select_related("client", "client__office", "staff")
    if form.is_valid():
        data = form.cleaned_data
        if not data["deleted"]:
            contacts = contacts.live()
        if data["q"]:
            contacts = contacts.filter(client__in=_search_clients(Client.objects.all(), data["q"]))
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
    page = Paginator(contacts.order_by("-contacted_at", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "contacts/contact_list.html", {"form": form, "page": page})


# ---------------------------------------------------------------------------------------------
# Worklist and notifications


def worklist(request):
    today = jst_today()
    scope = request.GET.get("scope", "mine")
    if scope == "office":
        worklist_data = worklist_for(
            user=request.user,
            today=today,
            clients=scoped(Client, request.user),
            contacts=scoped(Contact, request.user),
        )
    else:
        scope = "mine"
        worklist_data = worklist_for(user=request.user, today=today)
    return render(request, "contacts/worklist.html", {"worklist": worklist_data, "scope": scope})


def _my_notifications(user):
    return scoped(Notification.objects.filter(user=user), user)


def notification_list(request):
    notifications = _my_notifications(request.user).select_related("client")
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications.order_by("-day", "kind", "pk"), 30).get_page(
        request.GET.get("page")
    )
    unread = _my_notifications(request.user).filter(read_at__isnull=True).count()
    return render(
        request,
        "contacts/notification_list.html",
        {"page": page, "unread": unread, "only_unread": bool(request.GET.get("unread"))},
    )


@require_POST
def notification_read(request, notification_pk):
    notification = get_scoped_or_404(
        Notification.objects.filter(user=request.user), request.user, pk=notification_pk
    )
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(request.POST.get("next") or "notification_list")


@require_POST
def notifications_read_all(request):
    _my_notifications(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")


# ---------------------------------------------------------------------------------------------
# Statistics


def national_method_mix():
    """(survey, {code: percent of mentions}) of the latest closed national challenge survey.

    (None, None) when there is none; the page then shows the office's mix alone.
    """
    from surveys.report import latest_national_method_mix, latest_national_survey

    survey = latest_national_survey()
    if survey is None:
        return None, None
    return survey, latest_national_method_mix(survey)


def _stats_scope(request):
    """(label, offices, office_number or None, selected key) from ?scope=office:N|corporation:ID."""
    managed = (
        offices_managed_by(request.user).select_related("corporation").order_by("office_number")
    )
    options = [(f"office:{o.office_number}", o.name) for o in managed]
    for corporation_manager in request.user.corporation_roles.select_related("corporation"):
        corporation = corporation_manager.corporation
        options.append(
            (
                f"corporation:{corporation.pk}",
                _("%(corporation)s (all offices)") % {"corporation": corporation.name},
            )
        )
    if not options:
        raise Http404
    selected = request.GET.get("scope") or options[0][0]
    if request.GET.get("office"):
        selected = f"office:{request.GET['office']}"
    kind, _sep, value = selected.partition(":")
    if kind == "corporation":
        corporation_manager = request.user.corporation_roles.filter(
            corporation_id=value if value.isdigit() else 0
        ).first()
        if corporation_manager is None:
            raise Http404
        offices = Office.objects.filter(
            corporation=corporation_manager.corporation, uses_system=True
        )
        return corporation_manager.corporation.name, offices, None, selected, options
    office = get_office_or_404(request.user, value, manage=True)
    return office.name, Office.objects.filter(pk=office.pk), office.office_number, selected, options


def contact_stats_page(request):
    label, offices, office_number, selected, options = _stats_scope(request)
    today = jst_today()
    default_from = Month.of(today)
    for _i in range(11):
        default_from = default_from.previous()
    form = PeriodForm(request.GET or None)
    date_from, date_to = default_from.first_day, today
    if form.is_valid():
        date_from = form.cleaned_data["date_from"] or date_from
        date_to = form.cleaned_data["date_to"] or date_to
        if date_from > date_to:
            date_from, date_to = default_from.first_day, today
    result = stats.contact_stats(offices=offices, date_from=date_from, date_to=date_to)
    national_survey, national_mix = national_method_mix()
    mix = stats.method_mix(result.by_method, national_mix=national_mix)
    groups = [
        (code, name, result.by_group[code])
        for code, name in (
            ("own_org", _("Own organisation")),
            ("other_org", _("Other organisation")),
            ("unknown_origin", _("Unknown origin")),
            ("self_plan", _("Self plan")),
            ("consultation_plan", _("Consultation plan")),
        )
    ]
    return render(
        request,
        "contacts/stats.html",
        {
            "label": label,
            "options": options,
            "selected": selected,
            "office_number": office_number,
            "form": form,
            "date_from": date_from,
            "date_to": date_to,
            "result": result,
            "mix": mix,
            "national_survey": national_survey,
            "counterparts": [
                (label_, result.by_counterpart[code]) for code, label_ in Counterpart.choices
            ],
            "groups": groups,
            "method_labels": ContactMethod.choices,
            "max_monthly": max([m.active_clients for m in result.monthly_face_to_face] or [0]),
        },
    )


# ---------------------------------------------------------------------------------------------
# Support reports


def _month_from(request):
    try:
        return Month.parse(request.GET.get("month", ""))
    except ValueError:
        return Month.of(jst_today())


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
        report, _created = reports.report_create(client=client, month=the_month, user=request.user)
        audit.record(user=request.user, action=AuditAction.CREATE, obj=report, request=request)
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
    form = SupportReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        report = form.save(commit=False)
        report.updated_by = request.user
        report.save()
        audit.record(user=request.user, action=AuditAction.UPDATE, obj=report, request=request)
        messages.success(request, _("The report was saved."))
        return redirect("report_detail", report_pk=report.pk)
    if request.method == "GET":
        audit.record(user=request.user, action=AuditAction.VIEW, obj=report, request=request)
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
    reports.refill(report=report, user=request.user)
    audit.record(
        user=request.user, action=AuditAction.UPDATE, obj=report, detail="refill", request=request
    )
    messages.success(request, _("The work and life sides were filled again from the contacts."))
    return redirect("report_detail", report_pk=report.pk)


def report_print(request, report_pk):
    report = _report_or_404(request, report_pk)
    audit.record(user=request.user, action=AuditAction.VIEW, obj=report, request=request)
    return render(request, "contacts/report_print.html", {"report": report})


def report_pdf(request, report_pk):
    report = _report_or_404(request, report_pk)
    audit.record(user=request.user, action=AuditAction.EXPORT, obj=report, request=request)
    response = HttpResponse(support_report_pdf(report), content_type="application/pdf")
    filename = f"support-report-{report.client.client_code}-{report.month:%Y-%m}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_POST
def report_generate(request):
    office = get_office_or_404(request.user, request.POST.get("office", ""))
    try:
        month = Month.parse(request.POST.get("month", ""))
    except ValueError as exc:
        raise Http404 from exc
    job = reports.batch_job_create(office=office, month=month, user=request.user)
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
