"""The coordinators' invitation pages: the address list (adding, removing, its export) and
sending invitations and reminders."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import tabular
from core.audit import Actor
from core.params import export_filters, export_format_param
from surveys import access, exports, invitations, selectors, services
from surveys.forms import InvitationUploadForm
from surveys.models import Invitation


def _filters(request):
    return request.GET.get("status", ""), request.GET.get("q", "").strip()


def invitation_list(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    form = InvitationUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        addresses, problems = invitations.parse_addresses(form.cleaned_data["text"])
        if not problems:
            created, existing = services.invitations_add(
                survey=survey, addresses=addresses, actor=Actor.from_request(request)
            )
            messages.success(
                request,
                _("%(created)s addresses added (%(existing)s were already invited).")
                % {"created": created, "existing": existing},
            )
            return redirect("survey_invitations", survey_slug=survey.slug)
    status, query = _filters(request)
    rows = selectors.invitation_list(survey=survey, status=status, query=query)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/invitations.html",
        {
            "survey": survey,
            "form": form,
            "problems": problems,
            "page": page,
            "rate": invitations.response_rate(survey),
            "status": status,
            "query": query,
        },
    )


def invitation_list_export(request, survey_slug):
    """The invitation list as CSV or XLSX: every address its status and search find."""
    fmt = export_format_param(request.GET)
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    status, query = _filters(request)
    rows = selectors.invitation_list(survey=survey, status=status, query=query)
    back = reverse("survey_invitations", args=[survey.slug])
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.invitation_list_export(
            actor=Actor.from_request(request),
            survey=survey,
            invitations=rows,
            fmt=fmt,
            detail=export_filters(request.GET),
        ),
        back_url=f"{back}?{export_filters(request.GET)}",
        filename_stem=f"{survey.slug}-invitations",
    )


@require_POST
def invitation_send(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    if survey.accepting_state() != "open":
        messages.error(request, _("Open the survey before sending invitations."))
        return redirect("survey_invitations", survey_slug=survey.slug)
    from surveys.tasks import send_invitations_task, send_reminders_task

    base_url = request.build_absolute_uri("/")
    if request.POST.get("kind") == "reminder":
        task = send_reminders_task
        messages.info(request, _("Reminders to those who have not answered are being sent."))
    else:
        task = send_invitations_task
        messages.info(request, _("Invitations are being sent to every address not yet invited."))
    user_id = request.user.pk
    transaction.on_commit(lambda: task.delay(survey.pk, base_url, user_id))
    return redirect("survey_invitations", survey_slug=survey.slug)


@require_POST
def invitation_delete(request, survey_slug, invitation_pk):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    invitation = get_object_or_404(Invitation, survey=survey, pk=invitation_pk)
    services.invitation_delete(invitation=invitation, actor=Actor.from_request(request))
    messages.success(request, _("The address was removed."))
    return redirect("survey_invitations", survey_slug=survey.slug)
