"""Contact-method statistics for an office or a corporation."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from clients.services import people_shown
from contacts import exports, hooks, stats, stats_rows
from contacts.forms import (
    StatsPeriodForm,
)
from core import calendar, tabular
from core.audit import Actor
from core.calendar import Month
from core.models import date_style_of
from core.params import export_filters, export_format_param
from core.vocab import ContactMethod
from offices.scoping import (
    corporations_managed_by,
    get_managed_corporation_or_404,
    get_office_or_404,
    is_corporation_manager,
    offices_managed_by,
)


def national_method_mix():
    """(survey, {code: percent of mentions}) of the national reference a coordinator chose.

    (None, None) when none is chosen; the page then shows the office's mix alone, with a note.
    """
    from surveys import report

    survey = report.national_reference_survey()
    if survey is None:
        return None, None
    return survey, report.national_method_mix(survey)


def _stats_scope(request):
    """(label, offices, office_number or None, selected key, options) from
    ?scope=office:N|corporation:ID. ``offices`` is a list, read once here: the statistics,
    the people not met and the other apps' sections ask for its ids (a queryset would be a
    subquery in each of their queries)."""
    managed = list(offices_managed_by(request.user).order_by("office_number"))
    options = [(f"office:{o.office_number}", o.name) for o in managed]
    corporations = (
        corporations_managed_by(request.user).order_by("name")
        if is_corporation_manager(request.user)
        else []
    )
    for corporation in corporations:
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
        corporation = get_managed_corporation_or_404(request.user, value)
        offices = [o for o in managed if o.corporation_id == corporation.pk]
        return corporation.name, offices, None, selected, options
    # One of the offices read above, or the refusal (404, recorded) of get_office_or_404.
    office = next((o for o in managed if o.office_number == value), None)
    if office is None:
        office = get_office_or_404(request.user, value, manage=True)
    return office.name, [office], office.office_number, selected, options


def _stats_period(request):
    """(form, date_from, date_to): the page's period, the last 12 months by default."""
    today = calendar.today()
    default_from = Month.of(today)
    for _i in range(11):
        default_from = default_from.previous()
    form = StatsPeriodForm(request.GET or None)
    date_from, date_to = default_from.first_day, today
    if form.is_valid():
        date_from = form.cleaned_data["date_from"] or date_from
        date_to = form.cleaned_data["date_to"] or date_to
        if date_from > date_to:
            date_from, date_to = default_from.first_day, today
    return form, date_from, date_to


def contact_stats_export(request):
    """The statistics page's tables (same scope and period) as CSV or XLSX."""
    fmt = export_format_param(request.GET)
    _label, offices, _office_number, _selected, _options = _stats_scope(request)
    _form, date_from, date_to = _stats_period(request)
    _national_survey, national_mix = national_method_mix()
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.contact_stats_export(
            actor=Actor.from_request(request),
            offices=offices,
            date_from=date_from,
            date_to=date_to,
            fmt=fmt,
            national_mix=national_mix,
        ),
        back_url=f"{reverse('contact_stats_page')}?{export_filters(request.GET)}",
        filename_stem=f"contact_stats_{date_from.isoformat()}_{date_to.isoformat()}",
    )


def contact_stats_page(request):
    label, offices, office_number, selected, options = _stats_scope(request)
    form, date_from, date_to = _stats_period(request)
    result = stats.contact_stats(offices=offices, date_from=date_from, date_to=date_to)
    national_survey, national_mix = national_method_mix()
    mix = stats.method_mix(result.by_method, national_mix=national_mix)
    not_met = stats.people_not_met(
        offices=offices,
        months=[m.month for m in result.monthly_face_to_face if m.missing],
        counted=result.rows,
    )
    named = {client.pk: client for people in not_met.values() for client in people}
    if named:
        people_shown(
            actor=Actor.from_request(request),
            page="contact statistics (not met face to face)",
            clients=list(named.values()),
            detail=f"{date_from.isoformat()}..{date_to.isoformat()}",
        )
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
            "national_mix": national_mix,
            # The tables prepared once here (contacts.stats_rows): the page renders plain text.
            "mix_rows": stats_rows.mix_rows(mix),
            "monthly": stats_rows.monthly_rows(
                result, not_met, date_style=date_style_of(request.user)
            ),
            "counterparts": stats_rows.counterpart_rows(result),
            "groups": stats_rows.group_rows(groups),
            "method_labels": ContactMethod.choices,
            "max_monthly": max([m.active_clients for m in result.monthly_face_to_face] or [0]),
            "sections": hooks.stats_sections(
                offices=offices, date_from=date_from, date_to=date_to, counted=result.rows
            ),
        },
    )
