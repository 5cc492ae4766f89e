"""The coordinators' survey pages: the list, a survey's settings and status, the national
reference, a copy for next year, and bursts of open-link responses."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import calendar, tabular
from core.audit import Actor
from core.params import export_filters, export_format_param
from surveys import access, exports, protection, selectors, services, status
from surveys import report as reports
from surveys.definitions import DefinitionError
from surveys.forms import SurveyCopyForm, SurveySettingsForm


def survey_list(request):
    query = request.GET.get("q", "").strip()
    coordinated, published = selectors.survey_list(user=request.user, query=query)
    page = Paginator(coordinated, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/survey_list.html",
        {"page": page, "published": published, "query": query},
    )


def survey_list_export(request):
    """The surveys the user coordinates as CSV or XLSX: every one the search finds."""
    fmt = export_format_param(request.GET)
    coordinated, _published = selectors.survey_list(
        user=request.user, query=request.GET.get("q", "").strip()
    )
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.survey_list_export(
            actor=Actor.from_request(request),
            surveys=coordinated,
            fmt=fmt,
            detail=export_filters(request.GET),
        ),
        back_url=f"{reverse('survey_list')}?{export_filters(request.GET)}",
        filename_stem=f"surveys_{calendar.today().isoformat()}",
    )


def survey_detail(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    form = SurveySettingsForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        services.survey_settings_update(
            survey=survey, values=form.cleaned_data, actor=Actor.from_request(request)
        )
        messages.success(request, _("The survey settings were saved."))
        return redirect("survey_detail", survey_slug=survey.slug)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "form": form,
            "public_url": request.build_absolute_uri(reverse("survey_respond", args=[survey.slug])),
            **selectors.survey_overview(survey=survey),
        },
    )


@require_POST
def survey_reference(request, survey_slug):
    """An installation-wide coordinator chooses (or stops using) this survey as the national
    reference of the contact statistics."""
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    if survey.corporation_id is not None:
        raise Http404
    actor = Actor.from_request(request)
    if request.POST.get("action") == "clear":
        if reports.national_reference_survey() == survey:
            services.national_reference_choose(survey=None, actor=actor)
            messages.success(request, _("The contact statistics no longer compare with a survey."))
        return redirect("survey_detail", survey_slug=survey.slug)
    try:
        services.national_reference_choose(survey=survey, actor=actor)
    except ValueError:
        messages.error(
            request,
            _(
                "Only a published challenge survey of the whole installation with at least "
                "%(n)s responses can be the national reference."
            )
            % {"n": reports.MIN_REFERENCE_RESPONSES},
        )
    else:
        messages.success(request, _("The contact statistics now compare offices with this survey."))
    return redirect("survey_detail", survey_slug=survey.slug)


@require_POST
def survey_status(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    action = request.POST.get("action")
    try:
        services.survey_status_change(
            survey=survey, action=action, actor=Actor.from_request(request)
        )
    except status.TransitionRefused:
        messages.error(request, _("That change is not possible in the survey's current state."))
        return redirect("survey_detail", survey_slug=survey.slug)
    if action == "open":
        messages.success(request, _("The survey is open for answers."))
    elif action == "close":
        messages.success(request, _("The survey is closed; no more answers are accepted."))
    else:
        messages.success(
            request,
            _("The aggregate report is published to office staff.")
            if survey.report_published
            else _("The aggregate report is no longer published."),
        )
    return redirect("survey_detail", survey_slug=survey.slug)


def burst_list(request, survey_slug):
    """Many open-link responses from one address within minutes; a POST voids one burst."""
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    found = protection.bursts(survey)
    if request.method == "POST":
        chosen = next((b for b in found if b.address_hash == request.POST.get("burst")), None)
        if chosen is None:
            messages.error(request, _("That burst no longer exists."))
        else:
            count = services.responses_void(
                survey=survey, response_ids=chosen.response_ids, actor=Actor.from_request(request)
            )
            messages.success(
                request,
                _("%(count)s response(s) were voided and are left out of the reports.")
                % {"count": count},
            )
        return redirect("survey_bursts", survey_slug=survey.slug)
    return render(
        request,
        "surveys/bursts.html",
        {
            "survey": survey,
            "bursts": found,
            "window_minutes": int(protection.BURST_WINDOW.total_seconds() // 60),
            "burst_size": protection.BURST_SIZE,
        },
    )


def survey_copy_page(request, survey_slug):
    source = access.get_coordinated_survey_or_404(request.user, survey_slug)
    initial = {"year": source.year + 1, "slug": _next_slug(source)}
    form = SurveyCopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_copy(
                source=source,
                slug=form.cleaned_data["slug"],
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"] or None,
                actor=Actor.from_request(request),
            )
        except DefinitionError as exc:
            form.add_error("slug", str(exc))
        else:
            messages.success(request, _("A draft copy for %(year)s was created.") % {
                "year": survey.year})  # fmt: skip
            return redirect("survey_detail", survey_slug=survey.slug)
    return render(request, "surveys/survey_copy.html", {"survey": source, "form": form})


def _next_slug(source):
    year = str(source.year)
    if year in source.slug:
        return source.slug.replace(year, str(source.year + 1))
    return f"{source.slug}-{source.year + 1}"
