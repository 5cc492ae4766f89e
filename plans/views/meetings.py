"""Case meetings (地域連携会議): recording one, with a warning when it would exceed the caps of the
regional-meeting additions, and the report back to the service manager."""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.models import Client
from core import calendar
from core.audit import Actor
from offices.scoping import get_scoped_or_404
from plans import rules, services
from plans.forms import MeetingForm, ReportBackForm
from plans.models import CaseMeeting


def cap_warning(outcome):
    """The sentence shown when a meeting would not count towards the additions."""
    if outcome == rules.MeetingCount.MONTH_CAP:
        return _(
            "This person already has a case meeting this month: a second one does not count "
            "towards the regional-meeting addition (at most once a month)."
        )
    if outcome == rules.MeetingCount.YEAR_CAP:
        return _(
            "This person already has %(n)s counted case meetings this fiscal year: this one does "
            "not count towards the regional-meeting addition (at most %(n)s a fiscal year)."
        ) % {"n": rules.MEETINGS_PER_FISCAL_YEAR}
    return ""


def meeting_create(request, client_pk):
    client = get_scoped_or_404(Client.objects.select_related("office"), request.user, pk=client_pk)
    form = MeetingForm(request.POST or None, initial={"held_on": calendar.today()})
    warning = ""
    if request.method == "POST" and form.is_valid():
        values = form.meeting_values()
        outcome = rules.meeting_exceeds_caps(client, values["held_on"])
        warning = cap_warning(outcome)
        if outcome and not form.cleaned_data["confirm_over_cap"]:
            # Shown once; saving again records the meeting anyway (it was held).
            form = MeetingForm({**request.POST.dict(), "confirm_over_cap": "on"})
            form.is_valid()
        else:
            try:
                services.meeting_create(client=client, actor=Actor.from_request(request), **values)
            except IntegrityError:
                form.add_error("held_on", _("A case meeting of this day is already recorded."))
            else:
                if warning:
                    messages.warning(request, warning)
                messages.success(request, _("The case meeting was recorded."))
                return redirect("client_plans", client_pk=client.pk)
    return render(
        request,
        "plans/meeting_form.html",
        {"client": client, "form": form, "warning": warning},
    )


@require_POST
def meeting_report_back(request, meeting_pk):
    meeting = get_scoped_or_404(
        CaseMeeting.objects.select_related("client"), request.user, pk=meeting_pk
    )
    form = ReportBackForm(request.POST)
    if form.is_valid() and form.cleaned_data["reported_back_on"] >= meeting.held_on:
        services.meeting_report_back(
            meeting=meeting,
            actor=Actor.from_request(request),
            reported_back_on=form.cleaned_data["reported_back_on"],
        )
        messages.success(request, _("The report back was recorded."))
    else:
        messages.error(request, _("Give the date of the report back, on or after the meeting."))
    return redirect("client_plans", client_pk=meeting.client_id)
