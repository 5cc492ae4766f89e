from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients import exports, fees, hooks, retention, selectors, services, timeline
from clients.forms import (
    ClientForm,
    EmployerContactForm,
    EmployerForm,
    EmploymentForm,
)
from clients.models import Client, Employer, Employment, Origin
from core import calendar, tabular
from core.audit import Actor
from core.fields import choice_labels
from core.params import export_filters, export_format_param
from core.vocab import DisabilityType, PlanType
from offices.scoping import (
    corporations_managed_by,
    get_managed_corporation_or_404,
    get_office_or_404,
    get_scoped_or_404,
    offices_managed_by,
    offices_visible_to,
    scoped,
    staff_of,
)

PAGE_SIZE = 25


def _today():
    return calendar.today()


def _staff_of(offices):
    return staff_of(offices).order_by("last_name", "first_name", "username")


# ---------------------------------------------------------------------------------------------
# Clients


def _client_list_request(request):
    """The offices, chosen office, staff choices and filtered clients of a client-list request
    (the page and its export read the same filters)."""
    offices = offices_visible_to(request.user).order_by("office_number")
    if not offices.exists():
        raise Http404
    params = request.GET
    office = None
    if params.get("office_number"):
        office = offices.filter(office_number=params["office_number"]).first()
    staff_choices = _staff_of(offices)
    staff = None
    if params.get("staff") == "me":
        staff = request.user
    elif params.get("staff", "").isdigit():
        staff = staff_choices.filter(pk=params["staff"]).first()
    clients = selectors.filter_clients(
        selectors.clients_visible_to(user=request.user),
        today=_today(),
        query=params.get("q", "").strip(),
        status=params.get("status", ""),
        origin=params.get("origin", ""),
        plan_type=params.get("plan_type", ""),
        staff=staff,
        ending_soon=params.get("ending") == "90",
        office=office,
    )
    return offices, office, staff_choices, clients


def client_list(request):
    today = _today()
    params = request.GET
    offices, office, staff_choices, clients = _client_list_request(request)
    page = Paginator(
        clients.order_by("family_name_kana", "given_name_kana", "client_code"), PAGE_SIZE
    ).get_page(params.get("page"))
    services.people_shown(
        actor=Actor.from_request(request),
        page="client list",
        clients=list(page),
        office=office,
        detail=params.urlencode(),
    )
    return render(
        request,
        "clients/client_list.html",
        {
            "page": page,
            "offices": offices,
            "staff_choices": staff_choices,
            "origins": Origin.choices,
            "plan_types": PlanType.choices,
            "statuses": [
                (selectors.Status.ACTIVE, _("In service")),
                (selectors.Status.UPCOMING, _("Starting later")),
                (selectors.Status.ENDED, _("Ended")),
            ],
            "params": params,
            "today": today,
        },
    )


def client_list_export(request):
    """The client list as CSV or XLSX: every client its search and filters find."""
    fmt = export_format_param(request.GET)
    _offices, office, _staff_choices, clients = _client_list_request(request)
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.client_roster_export(
            actor=Actor.from_request(request),
            clients=clients,
            fmt=fmt,
            office=office,
            detail=export_filters(request.GET),
        ),
        back_url=f"{reverse('client_list')}?{export_filters(request.GET)}",
        filename_stem=f"clients_{_today().isoformat()}",
    )


def _client_or_404(user, client_pk):
    return get_scoped_or_404(
        Client.objects.with_origin().select_related(
            "office__corporation", "staff_in_charge", "referral_office__corporation",
            "consultation_office", "early_start_confirmed_by",
        ),
        user,
        pk=client_pk,
    )  # fmt: skip


def client_detail(request, client_pk):
    client = _client_or_404(request.user, client_pk)
    services.client_read(actor=Actor.from_request(request), client=client)
    employments = list(client.employments.select_related("employer").order_by("start_date"))
    today = _today()
    hire = selectors.start_counted_from(client)
    continuity = retention.client_continuity(client=client, as_of=today)
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "employments": employments,
            "events": timeline.events_of(client, employments),
            "cards": timeline.cards(),
            "continuity": continuity,
            "continuity_label": retention.Reason(continuity.reason).label,
            "disability_labels": choice_labels(DisabilityType, client.disability_types),
            "earliest_start": retention.earliest_service_start(hire) if hire else None,
            "early_start_unconfirmed": selectors.early_start_unconfirmed(client),
            "today": today,
        },
    )


def _client_form(request, *, instance=None, offices):
    office = instance.office if instance is not None else None
    can_confirm = (
        selectors.can_confirm_early_start(user=request.user, office=office)
        if office is not None
        else offices_managed_by(request.user).exists()
    )
    return ClientForm(
        request.POST or None,
        instance=instance,
        offices=offices,
        staff=_staff_of(offices),
        can_confirm=can_confirm,
        today=_today(),
    )


def client_create(request):
    offices = offices_visible_to(request.user).order_by("office_number")
    if not offices.exists():
        raise Http404
    form = _client_form(request, offices=offices)
    if request.method == "POST" and form.is_valid():
        office = form.cleaned_data["office"]
        reason = form.early_start_reason_to_save()
        if reason and not selectors.can_confirm_early_start(user=request.user, office=office):
            form.add_error("early_start_confirmed", _("Only a manager of this office can confirm."))
        else:
            first = None
            if form.cleaned_data.get("hire_date"):
                first = (
                    form.cleaned_data["first_employer_name"],
                    form.cleaned_data["hire_date"],
                    form.cleaned_data.get("first_job_title", ""),
                )
            client = services.client_create(
                actor=Actor.from_request(request),
                client=form.save(commit=False),
                first_employment=first,
                early_start_reason=reason,
            )
            messages.success(request, _("The client was registered."))
            return redirect("client_detail", client_pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client": None})


def client_update(request, client_pk):
    client = _client_or_404(request.user, client_pk)
    before = services.client_snapshot(client)
    offices = offices_visible_to(request.user).filter(pk=client.office_id)
    form = _client_form(request, instance=client, offices=offices)
    if request.method == "POST" and form.is_valid():
        services.client_update(
            actor=Actor.from_request(request),
            client=form.save(commit=False),
            before=before,
            early_start_reason=form.early_start_reason_to_save(),
        )
        messages.success(request, _("The changes were saved."))
        return redirect("client_detail", client_pk=client.pk)
    if request.method == "GET":
        services.client_read(actor=Actor.from_request(request), client=client)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


# ---------------------------------------------------------------------------------------------
# Employments


def _save_employment(request, form, client):
    employment = form.save(commit=False)
    employment.client = client
    services.employment_save(
        actor=Actor.from_request(request),
        employment=employment,
        new_employer_name=form.cleaned_data.get("new_employer_name", ""),
    )
    if selectors.early_start_unconfirmed(client):
        messages.warning(
            request,
            _(
                "The service now starts earlier than 6 months after the hire (or the return "
                "from leave). A manager must confirm it with a reason on the client's edit page."
            ),
        )


def employment_create(request, client_pk):
    client = _client_or_404(request.user, client_pk)
    form = EmploymentForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        _save_employment(request, form, client)
        messages.success(request, _("The employment was added."))
        return redirect("client_detail", client_pk=client.pk)
    if request.method == "GET":
        services.client_read(actor=Actor.from_request(request), client=client)
    return render(
        request,
        "clients/employment_form.html",
        {"form": form, "client": client, "employment": None},
    )


def employment_update(request, employment_pk):
    employment = get_scoped_or_404(
        Employment.objects.select_related("client__office", "employer"),
        request.user,
        pk=employment_pk,
    )
    client = employment.client
    form = EmploymentForm(request.POST or None, instance=employment, client=client)
    if request.method == "POST" and form.is_valid():
        _save_employment(request, form, client)
        messages.success(request, _("The changes were saved."))
        return redirect("client_detail", client_pk=client.pk)
    if request.method == "GET":
        services.client_read(actor=Actor.from_request(request), client=client)
    return render(
        request,
        "clients/employment_form.html",
        {"form": form, "client": client, "employment": employment},
    )


@require_POST
def employment_delete(request, employment_pk):
    employment = get_scoped_or_404(
        Employment.objects.select_related("client", "employer"), request.user, pk=employment_pk
    )
    client = employment.client
    services.employment_delete(actor=Actor.from_request(request), employment=employment)
    messages.success(request, _("The employment was deleted."))
    return redirect("client_detail", client_pk=client.pk)


# ---------------------------------------------------------------------------------------------
# Employers


def _employers_of(request):
    """The offices, search and employers of an employer-list request (page and export)."""
    offices = offices_visible_to(request.user).order_by("office_number")
    if not offices.exists():
        raise Http404
    query = request.GET.get("q", "").strip()
    employers = scoped(Employer, request.user).select_related("office")
    if query:
        employers = employers.filter(name__icontains=query)
    return offices, query, employers


def employer_list(request):
    offices, query, employers = _employers_of(request)
    page = Paginator(employers.order_by("name", "office__office_number"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "clients/employer_list.html",
        {"page": page, "query": query, "offices": offices},
    )


def employer_list_export(request):
    """The employer list as CSV or XLSX: every employer its search finds."""
    fmt = export_format_param(request.GET)
    _offices, _query, employers = _employers_of(request)
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.employer_list_export(
            actor=Actor.from_request(request),
            employers=employers,
            fmt=fmt,
            detail=export_filters(request.GET),
        ),
        back_url=f"{reverse('employer_list')}?{export_filters(request.GET)}",
        filename_stem=f"employers_{_today().isoformat()}",
    )


def employer_create(request, office_number):
    office = get_office_or_404(request.user, office_number)
    form = EmployerForm(request.POST or None, office=office)
    if request.method == "POST" and form.is_valid():
        employer = form.save(commit=False)
        employer.office = office
        services.employer_save(actor=Actor.from_request(request), employer=employer)
        messages.success(request, _("The employer was registered."))
        return redirect("employer_list")
    return render(
        request, "clients/employer_form.html", {"form": form, "office": office, "employer": None}
    )


def employer_update(request, employer_pk):
    employer = get_scoped_or_404(
        Employer.objects.select_related("office"), request.user, pk=employer_pk
    )
    form = EmployerForm(request.POST or None, instance=employer, office=employer.office)
    if request.method == "POST" and form.is_valid():
        services.employer_save(actor=Actor.from_request(request), employer=form.save(commit=False))
        messages.success(request, _("The changes were saved."))
        return redirect("employer_list")
    return _employer_page(request, employer, form=form)


def _employer_page(request, employer, *, form=None, person_form=None):
    return render(
        request,
        "clients/employer_form.html",
        {
            "form": form or EmployerForm(instance=employer, office=employer.office),
            "office": employer.office,
            "employer": employer,
            "people": employer.people.all(),
            "person_form": person_form or EmployerContactForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def employer_contact_create(request, employer_pk):
    employer = get_scoped_or_404(
        Employer.objects.select_related("office"), request.user, pk=employer_pk
    )
    form = EmployerContactForm(request.POST)
    if form.is_valid():
        services.employer_contact_create(
            actor=Actor.from_request(request), employer=employer, **form.cleaned_data
        )
        messages.success(request, _("The person at the employer was added."))
        return redirect("employer_update", employer_pk=employer.pk)
    return _employer_page(request, employer, person_form=form)


# ---------------------------------------------------------------------------------------------
# Retention dashboards


def retention_index(request):
    offices = offices_managed_by(request.user).select_related("corporation")
    corporations = corporations_managed_by(request.user).order_by("name")
    if not offices.exists():
        raise Http404
    if offices.count() == 1 and not corporations.exists():
        return redirect("retention_office", office_number=offices.get().office_number)
    return render(
        request,
        "clients/retention_index.html",
        {"offices": offices.order_by("office_number"), "corporations": corporations},
    )


def retention_office(request, office_number):
    office = get_office_or_404(request.user, office_number, manage=True)
    today = _today()
    page = selectors.office_retention_page(
        actor=Actor.from_request(request),
        office=office,
        params=request.GET,
        today=today,
    )
    return render(
        request,
        "clients/retention_office.html",
        {**page, "panels": hooks.retention_panels(office=office, today=today)},
    )


def retention_office_export(request, office_number):
    """The retention page's roster as CSV or XLSX: each user of the chosen fiscal year's window,
    counted as retained or not, and why."""
    fmt = export_format_param(request.GET)
    office = get_office_or_404(request.user, office_number, manage=True)
    today = _today()
    fiscal_year = selectors.retention_period(request.GET, today=today).fiscal_year
    back = reverse("retention_office", kwargs={"office_number": office.office_number})
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.retention_roster_export(
            actor=Actor.from_request(request),
            office=office,
            fiscal_year=fiscal_year,
            as_of=today,
            fmt=fmt,
        ),
        back_url=f"{back}?fiscal_year={fiscal_year}",
        filename_stem=f"retention_{office.office_number}_FY{fiscal_year}",
    )


def _corporation_offices(request, corporation):
    offices = offices_visible_to(request.user).filter(corporation=corporation)
    return offices.order_by("office_number")


def retention_corporation(request, corporation_pk):
    corporation = get_managed_corporation_or_404(request.user, corporation_pk)
    page = selectors.corporation_retention_page(
        actor=Actor.from_request(request),
        corporation=corporation,
        offices=_corporation_offices(request, corporation),
        params=request.GET,
        today=_today(),
    )
    return render(request, "clients/retention_corporation.html", page)


def retention_corporation_export(request, corporation_pk):
    """The corporation retention page as CSV or XLSX: one row per office (rate, tier, counts,
    the chosen month's fee and the distance to the neighbouring tiers)."""
    fmt = export_format_param(request.GET)
    corporation = get_managed_corporation_or_404(request.user, corporation_pk)
    today = _today()
    period = selectors.retention_period(request.GET, today=today)
    fiscal_year, month = period.fiscal_year, period.month
    results = retention.offices_retention(
        offices=_corporation_offices(request, corporation), fiscal_year=fiscal_year, as_of=today
    )
    back = reverse("retention_corporation", kwargs={"corporation_pk": corporation.pk})
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.corporation_retention_export(
            actor=Actor.from_request(request),
            corporation=corporation,
            outlooks=fees.fee_outlooks(results, month=month),
            fmt=fmt,
        ),
        back_url=f"{back}?fiscal_year={fiscal_year}&month={month}",
        filename_stem=f"retention_corporation_{corporation.pk}_FY{fiscal_year}",
    )
