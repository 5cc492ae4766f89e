"""The public answer form: the open link, the invitation link and the thanks page."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render

from core.audit import client_address
from surveys import protection, selectors
from surveys.forms import ResponseForm
from surveys.responses import TokenUnusable, invitation_state, load_questions, submit_response


def _public_survey_or_404(slug):
    survey = selectors.public_survey(slug)
    if survey is None:
        raise Http404
    return survey


def _unavailable(request, survey, state, status):
    return render(
        request, "surveys/public/unavailable.html", {"survey": survey, "state": state},
        status=status,
    )  # fmt: skip


def _answer_form(request, survey, *, token=None, protect=False):
    """The form page. ``protect`` (the open link): a one-time form token, a throttle per address
    and the address's salted hash on the response (surveys/protection.py)."""
    state = survey.accepting_state()
    if state != "open":
        return _unavailable(request, survey, state, 200 if state == "not_yet" else 410)
    if token is not None:
        token_state = invitation_state(survey=survey, token=token)
        if token_state != "ok":
            return _unavailable(request, survey, f"token_{token_state}", 410)
    questions = load_questions(survey)
    form = ResponseForm(request.POST or None, questions=questions)
    protection_kwargs = {}
    if protect and request.method == "POST":
        refused = _open_link_refusal(request, survey)
        if refused is not None:
            return refused
        protection_kwargs = {
            "form_token": protection.form_token_nonce(survey, request.POST.get("form_token")),
            "address_hash": protection.address_hash(client_address(request)),
        }
    if request.method == "POST" and form.is_valid():
        if protect and not protection.take_submission_slot(protection_kwargs["address_hash"]):
            return _unavailable(request, survey, "throttled", 429)
        try:
            submit_response(
                survey=survey, values=form.cleaned_data, token=token, **protection_kwargs
            )
        except TokenUnusable as exc:
            return _unavailable(request, survey, f"token_{exc.reason}", 410)
        return redirect("survey_thanks", survey_slug=survey.slug)
    context = {"survey": survey, "form": form}
    if protect:
        # The same token again after a refused form: it is consumed only by a stored response.
        context["form_token"] = request.POST.get("form_token") or protection.issue_form_token(
            survey
        )
    return render(request, "surveys/public/form.html", context)


def _open_link_refusal(request, survey):
    """The page refusing an open-link POST with a stale or replayed form token, or None."""
    try:
        nonce = protection.form_token_nonce(survey, request.POST.get("form_token"))
    except protection.FormTokenRefused:
        return _unavailable(request, survey, "token_stale", 400)
    if selectors.form_token_used(nonce):
        return _unavailable(request, survey, "token_replayed", 409)
    return None


@login_not_required
def respond_open(request, survey_slug):
    survey = _public_survey_or_404(survey_slug)
    if not survey.allow_open_link:
        return _unavailable(request, survey, "invitation_only", 403)
    return _answer_form(request, survey, protect=True)


@login_not_required
def respond_token(request, token):
    survey = selectors.survey_of_token(token)
    if survey is None:
        raise Http404
    return _answer_form(request, survey, token=token)


@login_not_required
def thanks(request, survey_slug):
    survey = _public_survey_or_404(survey_slug)
    return render(request, "surveys/public/thanks.html", {"survey": survey})
