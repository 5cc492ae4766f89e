"""Support plans: the office's list, a person's plans with their version history, one version,
a new version (with the second-view prompt for self-plan users), approval, agreement, monitoring."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.models import Client
from core import calendar, tabular
from core.audit import Actor
from core.params import export_filters, export_format_param
from core.vocab import PlanType
from offices.scoping import get_scoped_or_404, offices_visible_to
from plans import exports, rules, selectors, services
from plans.forms import ApproveForm, ConsentForm, MonitoringForm, PlanForm
from plans.models import LifeDomain, SupportPlan

PAGE_SIZE = 25


def _plan_list_request(request, today):
    """The offices, chosen office, status filter and people of a plans-list request: the page
    and its export read the same filters."""
    offices = offices_visible_to(request.user).order_by("office_number")
    if not offices.exists():
        raise Http404
    params = request.GET
    office = None
    if params.get("office"):
        office = offices.filter(office_number=params["office"]).first()
    status = params.get("status", "")
    clients = selectors.plan_list_clients(
        user=request.user,
        today=today,
        office=office,
        query=params.get("q", "").strip(),
        status=status,
    )
    return offices, office, status, clients


def plan_list(request):
    today = calendar.today()
    params = request.GET
    offices, office, status, clients = _plan_list_request(request, today)
    page = Paginator(clients, PAGE_SIZE).get_page(params.get("page"))
    selectors.with_plan_status(page, today)
    services.plan_list_read(
        actor=Actor.from_request(request), office=office, detail=f"plan list {params.urlencode()}"
    )
    return render(
        request,
        "plans/plan_list.html",
        {"page": page, "offices": offices, "params": params, "status": status, "today": today},
    )


def plan_list_export(request):
    """The plans list as CSV or XLSX: everyone its office, status and search find."""
    fmt = export_format_param(request.GET)
    today = calendar.today()
    _offices, office, _status, clients = _plan_list_request(request, today)
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.plan_list_export(
            actor=Actor.from_request(request),
            clients=selectors.with_plan_status(list(clients), today),
            fmt=fmt,
            office=office,
            detail=export_filters(request.GET),
        ),
        back_url=f"{reverse('plan_list')}?{export_filters(request.GET)}",
        filename_stem=f"plans_{today.isoformat()}",
    )


def _client_or_404(request, client_pk):
    return get_scoped_or_404(Client.objects.select_related("office"), request.user, pk=client_pk)


def _plan_or_404(request, plan_pk):
    return get_scoped_or_404(
        SupportPlan.objects.select_related("client__office", "drafted_by", "approved_by"),
        request.user,
        pk=plan_pk,
    )


def client_plans(request, client_pk):
    client = _client_or_404(request, client_pk)
    today = calendar.today()
    services.plan_read(actor=Actor.from_request(request), client=client)
    status = rules.plan_status(client, on=today)
    fiscal_year = calendar.fiscal_year_of(today)
    counts = rules.meeting_counts(client, fiscal_year)
    meetings = list(client.case_meetings.select_related("plan").order_by("-held_on", "-pk"))
    for meeting in meetings:
        if calendar.fiscal_year_of(meeting.held_on) == fiscal_year:
            meeting.count_outcome = counts.outcomes.get(meeting.pk)
        else:
            meeting.count_outcome = rules.meeting_counts(
                client, calendar.fiscal_year_of(meeting.held_on)
            ).outcomes.get(meeting.pk)
    return render(
        request,
        "plans/client_plans.html",
        {
            "client": client,
            "status": status,
            "versions": client.support_plans.select_related("approved_by").order_by(
                "-plan_date", "-version"
            ),
            "meetings": meetings,
            "counts": counts,
            "caps": (rules.MEETINGS_PER_MONTH, rules.MEETINGS_PER_FISCAL_YEAR),
            "today": today,
        },
    )


def plan_detail(request, plan_pk):
    plan = _plan_or_404(request, plan_pk)
    services.plan_read(actor=Actor.from_request(request), client=plan.client, plan=plan)
    today = calendar.today()
    current = rules.current_plan(plan.client, on=today)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "client": plan.client,
            "is_current": current is not None and current.pk == plan.pk,
            "uncovered": _labels(plan.uncovered_domains),
            "notes": plan.monitoring_notes.select_related("author"),
            "meetings": plan.case_meetings.order_by("-held_on"),
            "can_approve": services.can_approve(user=request.user, office=plan.client.office),
            "approve_form": ApproveForm(plan=plan, initial={"approved_on": today}),
            "consent_form": ConsentForm(plan=plan, initial={"consented_on": today}),
            "monitoring_form": MonitoringForm(initial={"noted_on": today}),
            "versions": plan.client.support_plans.order_by("-plan_date", "-version"),
        },
    )


def _labels(codes):
    labels = dict(LifeDomain.choices)
    return [labels[code] for code in codes]


def plan_create(request, client_pk):
    client = _client_or_404(request, client_pk)
    latest = client.support_plans.order_by("-plan_date", "-version").first()
    form = PlanForm(request.POST or None, initial=PlanForm.initial_from(latest))
    if request.method == "POST" and form.is_valid():
        values = form.plan_values()
        if client.support_plans.filter(plan_date=values["plan_date"]).exists():
            form.add_error("plan_date", _("This person already has a plan version of this date."))
        else:
            plan = services.plan_create(client=client, actor=Actor.from_request(request), **values)
            messages.success(
                request,
                _("Version %(version)s was drafted; earlier versions are kept.")
                % {"version": plan.version},
            )
            return redirect("plan_detail", plan_pk=plan.pk)
    # The second view a self-plan user lacks: the domains nobody covered in the last version.
    second_view = None
    if client.plan_type == PlanType.SELF_PLAN:
        second_view = _labels(latest.uncovered_domains if latest else list(LifeDomain.values))
    services.plan_read(actor=Actor.from_request(request), client=client, plan=latest)
    return render(
        request,
        "plans/plan_form.html",
        {
            "client": client,
            "form": form,
            "latest": latest,
            "second_view": second_view,
            "interval": rules.review_interval_months(client.office),
        },
    )


@require_POST
def plan_approve(request, plan_pk):
    plan = _plan_or_404(request, plan_pk)
    if not services.can_approve(user=request.user, office=plan.client.office):
        raise PermissionDenied
    form = ApproveForm(request.POST, plan=plan)
    if plan.is_approved:
        messages.info(request, _("This version is already approved."))
    elif form.is_valid():
        services.plan_approve(
            plan=plan,
            actor=Actor.from_request(request),
            approved_on=form.cleaned_data["approved_on"],
        )
        messages.success(request, _("The plan was approved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("plan_detail", plan_pk=plan.pk)


@require_POST
def plan_consent(request, plan_pk):
    plan = _plan_or_404(request, plan_pk)
    form = ConsentForm(request.POST, plan=plan)
    if plan.consented_on is not None:
        messages.info(request, _("This version is already agreed."))
    elif form.is_valid():
        services.plan_consent(
            plan=plan,
            actor=Actor.from_request(request),
            consented_on=form.cleaned_data["consented_on"],
            consent_method=form.cleaned_data["consent_method"],
        )
        messages.success(request, _("The agreement with the person was recorded."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("plan_detail", plan_pk=plan.pk)


@require_POST
def monitoring_create(request, plan_pk):
    plan = _plan_or_404(request, plan_pk)
    form = MonitoringForm(request.POST)
    if form.is_valid():
        services.monitoring_note_create(
            plan=plan, actor=Actor.from_request(request), **form.cleaned_data
        )
        messages.success(request, _("The monitoring note was saved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("plan_detail", plan_pk=plan.pk)
