"""Survey pages: the public answer form, and the coordinators' and readers' pages.

Public views (no login) are marked ``@login_not_required`` and listed in PUBLIC_VIEWS of
tests/test_scoping_walk.py. Every other view fetches its survey through ``surveys.access``:
coordinator pages through ``get_coordinated_survey_or_404``, report pages through
``get_reportable_survey_or_404`` (coordinators, or office staff once the report is published).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import calendar, tabular
from core.audit import Actor, client_address
from core.params import export_filters, export_format_param
from surveys import access, charts, coding, exports, form_files, invitations, protection
from surveys import report as reports
from surveys.definitions import DefinitionError, survey_copy
from surveys.exchange import FIXED, export_responses, import_responses
from surveys.forms import (
    CategoryForm,
    InvitationUploadForm,
    ResponseFileForm,
    ResponseForm,
    SurveyCopyForm,
    SurveySettingsForm,
)
from surveys.models import Invitation, Question, Response, Survey
from surveys.report import (
    compare_years,
    crosstab,
    figure_export,
    report_export,
    survey_report,
    top_box_ranking,
)
from surveys.responses import TokenUnusable, invitation_state, load_questions, submit_response

# ---------------------------------------------------------------------------------------------
# Public answer form


def _public_survey_or_404(slug):
    survey = Survey.objects.filter(slug=slug).exclude(status=Survey.Status.DRAFT).first()
    if survey is None:
        raise Http404
    return survey


def _answer_form(request, survey, *, token=None, protect=False):
    """The form page. ``protect`` (the open link): a one-time form token, a throttle per address
    and the address's salted hash on the response (surveys/protection.py)."""
    state = survey.accepting_state()
    if state != "open":
        return render(
            request, "surveys/public/unavailable.html", {"survey": survey, "state": state},
            status=200 if state == "not_yet" else 410,
        )  # fmt: skip
    if token is not None:
        token_state = invitation_state(survey=survey, token=token)
        if token_state != "ok":
            return render(
                request, "surveys/public/unavailable.html",
                {"survey": survey, "state": f"token_{token_state}"}, status=410,
            )  # fmt: skip
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
            return render(
                request, "surveys/public/unavailable.html",
                {"survey": survey, "state": "throttled"}, status=429,
            )  # fmt: skip
        try:
            submit_response(
                survey=survey, values=form.cleaned_data, token=token, **protection_kwargs
            )
        except TokenUnusable as exc:
            return render(
                request, "surveys/public/unavailable.html",
                {"survey": survey, "state": f"token_{exc.reason}"}, status=410,
            )  # fmt: skip
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
    state, status = None, 200
    try:
        nonce = protection.form_token_nonce(survey, request.POST.get("form_token"))
    except protection.FormTokenRefused:
        state, status = "token_stale", 400
    else:
        if Response.objects.filter(form_token=nonce).exists():
            state, status = "token_replayed", 409
    if state is None:
        return None
    return render(
        request, "surveys/public/unavailable.html", {"survey": survey, "state": state},
        status=status,
    )  # fmt: skip


@login_not_required
def respond_open(request, survey_slug):
    survey = _public_survey_or_404(survey_slug)
    if not survey.allow_open_link:
        return render(
            request, "surveys/public/unavailable.html",
            {"survey": survey, "state": "invitation_only"}, status=403,
        )  # fmt: skip
    return _answer_form(request, survey, protect=True)


@login_not_required
def respond_token(request, token):
    invitation = Invitation.objects.filter(token=token).select_related("survey").first()
    if invitation is None or invitation.survey.status == Survey.Status.DRAFT:
        raise Http404
    return _answer_form(request, invitation.survey, token=token)


@login_not_required
def thanks(request, survey_slug):
    survey = _public_survey_or_404(survey_slug)
    return render(request, "surveys/public/thanks.html", {"survey": survey})


# ---------------------------------------------------------------------------------------------
# Lists and survey settings (coordinators)


def _survey_list_of(request):
    """The surveys the user coordinates (with ``n_responses``) and those published to them,
    both narrowed by the search: the page and its export read the same."""
    coordinated = access.surveys_coordinated_by(request.user).select_related("corporation")
    coordinated = coordinated.annotate(n_responses=Count("responses", distinct=True))
    published = access.surveys_published_to(request.user).exclude(pk__in=coordinated.values("pk"))
    query = request.GET.get("q", "").strip()
    if query:
        match = Q(title__icontains=query) | Q(slug__icontains=query)
        coordinated, published = coordinated.filter(match), published.filter(match)
    return query, coordinated.order_by("-year", "slug"), published.order_by("-year")


def survey_list(request):
    query, coordinated, published = _survey_list_of(request)
    page = Paginator(coordinated, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/survey_list.html",
        {"page": page, "published": published, "query": query},
    )


def survey_list_export(request):
    """The surveys the user coordinates as CSV or XLSX: every one the search finds."""
    fmt = export_format_param(request.GET)
    _query, coordinated, _published = _survey_list_of(request)
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
        form.save()
        messages.success(request, _("The survey settings were saved."))
        return redirect("survey_detail", survey_slug=survey.slug)
    questions = survey.questions.annotate(n_answers=Count("answers")).order_by("order")
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "form": form,
            "questions": questions,
            "rate": invitations.response_rate(survey),
            "public_url": request.build_absolute_uri(reverse("survey_respond", args=[survey.slug])),
            "reference": reports.national_reference_survey(),
            "may_be_reference": reports.reference_candidates().filter(pk=survey.pk).exists(),
            "min_reference_responses": reports.MIN_REFERENCE_RESPONSES,
        },
    )


@require_POST
def survey_reference(request, survey_slug):
    """An installation-wide coordinator chooses (or stops using) this survey as the national
    reference of the contact statistics."""
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    if survey.corporation_id is not None:
        raise Http404
    if request.POST.get("action") == "clear":
        if reports.national_reference_survey() == survey:
            reports.choose_national_reference(survey=None, user=request.user)
            messages.success(request, _("The contact statistics no longer compare with a survey."))
        return redirect("survey_detail", survey_slug=survey.slug)
    try:
        reports.choose_national_reference(survey=survey, user=request.user)
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


_TRANSITIONS = {
    "open": (Survey.Status.DRAFT, Survey.Status.CLOSED),
    "close": (Survey.Status.OPEN,),
    "publish": (Survey.Status.OPEN, Survey.Status.CLOSED),
    "unpublish": (Survey.Status.OPEN, Survey.Status.CLOSED),
}


@require_POST
def survey_status(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    action = request.POST.get("action")
    if action not in _TRANSITIONS or survey.status not in _TRANSITIONS[action]:
        messages.error(request, _("That change is not possible in the survey's current state."))
        return redirect("survey_detail", survey_slug=survey.slug)
    if action == "open":
        survey.status = Survey.Status.OPEN
        messages.success(request, _("The survey is open for answers."))
    elif action == "close":
        survey.status = Survey.Status.CLOSED
        messages.success(request, _("The survey is closed; no more answers are accepted."))
    else:
        survey.report_published = action == "publish"
        messages.success(
            request,
            _("The aggregate report is published to office staff.")
            if survey.report_published
            else _("The aggregate report is no longer published."),
        )
    survey.save(update_fields=["status", "report_published"])
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
            count = protection.void_responses(
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
            survey = survey_copy(
                source=source,
                slug=form.cleaned_data["slug"],
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"] or None,
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


def responses_export(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    fmt = "csv-cp932" if request.GET.get("encoding") == "cp932" else "csv"
    try:
        body = export_responses(
            survey,
            actor=Actor.from_request(request),
            encoding="cp932" if fmt == "csv-cp932" else "utf-8",
        )
    except tabular.ExportEncodingError as exc:
        messages.error(request, str(exc))
        return redirect("survey_detail", survey_slug=survey.slug)
    return tabular.file_response(f"{survey.slug}-responses", body, fmt=fmt)


# ---------------------------------------------------------------------------------------------
# Importing responses (this system's CSV, or a Google Forms / Microsoft Forms file)

_SESSION_FILE = "survey-form-file"


def responses_import(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    form = ResponseFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            form_file = form_files.read_form_file(data, filename=upload.name)
        except tabular.FileRefused as exc:
            form.add_error("file", str(exc))
        else:
            if set(FIXED) <= set(form_file.headings):
                # This system's own format: no mapping to confirm.
                result = import_responses(
                    survey, data, actor=Actor.from_request(request), filename=upload.name
                )
                if result.ok:
                    messages.success(request, _import_message(result))
                    return redirect("survey_detail", survey_slug=survey.slug)
            else:
                import base64

                request.session[_SESSION_FILE] = {
                    "survey": survey.pk,
                    "name": upload.name,
                    "data": base64.b64encode(data).decode("ascii"),
                }
                return redirect("survey_responses_mapping", survey_slug=survey.slug)
    return render(
        request,
        "surveys/responses_import.html",
        {"survey": survey, "form": form, "result": result},
    )


def _import_message(result):
    return _(
        "The responses were imported: %(created)s new, %(updated)s updated, "
        "%(unchanged)s unchanged."
    ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


def responses_mapping(request, survey_slug):
    """The mapping step: which question each column answers and which choice each label is,
    suggested, then confirmed by the coordinator; the file is imported whole or not at all."""
    import base64

    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    stored = request.session.get(_SESSION_FILE)
    if not stored or stored.get("survey") != survey.pk:
        messages.info(request, _("Choose the response file first."))
        return redirect("survey_responses_import", survey_slug=survey.slug)
    form_file = form_files.read_form_file(base64.b64decode(stored["data"]), filename=stored["name"])
    mapping = form_files.suggest_mapping(survey, form_file)
    questions = load_questions(survey)
    result = None
    if request.method == "POST":
        mapping = _mapping_from_post(request.POST, survey, form_file, mapping, questions)
        dry_run = request.POST.get("action") != "import"
        result = form_files.import_form_file(
            survey,
            form_file,
            mapping,
            actor=Actor.from_request(request),
            filename=stored["name"],
            dry_run=dry_run,
        )
        if result.ok and not dry_run:
            del request.session[_SESSION_FILE]
            messages.success(request, _import_message(result))
            return redirect("survey_detail", survey_slug=survey.slug)
    by_code = {q.code: q for q in questions}
    columns = [
        {"index": i, "heading": h, "selected": mapping.columns.get(h, ""),
         "time": h == mapping.time_column,
         "sample": next((row.get(h) for _n, row in form_file.rows if row.get(h)), "")}
        for i, h in enumerate(form_file.headings)
    ]  # fmt: skip
    labels = [
        {"question": by_code[code], "rows": [
            {"index": j, "label": label, "selected": choice,
             "options": _options_of(by_code[code])}
            for j, (label, choice) in enumerate(found.items())]}
        for code, found in mapping.labels.items()
        if code in by_code and found
    ]  # fmt: skip
    return render(
        request,
        "surveys/responses_mapping.html",
        {"survey": survey, "columns": columns, "labels": labels, "questions": questions,
         "file_name": stored["name"], "rows": len(form_file.rows), "result": result,
         "saved": form_files.saved_mapping(survey) is not None},
    )  # fmt: skip


def _options_of(question):
    from surveys.models import LIKERT_LABELS, LIKERT_VALUES

    if question.type == Question.Type.LIKERT:
        return [(str(v), f"{v} {LIKERT_LABELS[v]}") for v in LIKERT_VALUES]
    return [(c.code, c.label) for c in question.choices.all()]


def _mapping_from_post(post, survey, form_file, suggested, questions):
    codes = {q.code for q in questions}
    mapping = form_files.Mapping()
    for i, heading in enumerate(form_file.headings):
        value = post.get(f"col-{i}", "")
        if value == form_files.TIME:
            mapping.time_column = mapping.time_column or heading
            value = form_files.SKIP
        mapping.columns[heading] = value if value in codes else form_files.SKIP
    if not mapping.time_column:
        mapping.time_column = suggested.time_column
        mapping.columns.pop(mapping.time_column, None)
    # Labels: those suggested for a question still mapped, with the coordinator's choices.
    fresh = form_files.suggest_labels(survey, form_file, mapping.columns)
    for code, found in fresh.items():
        old = list(suggested.labels.get(code, {}))
        for label in found:
            j = old.index(label) if label in old else None
            chosen = post.get(f"label-{code}-{j}") if j is not None else None
            if chosen is not None:
                found[label] = chosen
    mapping.labels = fresh
    return mapping


# ---------------------------------------------------------------------------------------------
# Invitations


def _invitations_of(request, survey):
    """The status filter, search and invitations of an invitation-list request (the page and
    its export), by address."""
    rows = survey.invitations.order_by("email")
    status = request.GET.get("status", "")
    if status == "pending":
        rows = rows.filter(responded=False)
    elif status == "unsent":
        rows = rows.filter(sent_at__isnull=True)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(email__icontains=query)
    return status, query, rows


def invitation_list(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    form = InvitationUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        addresses, problems = invitations.parse_addresses(form.cleaned_data["text"])
        if not problems:
            created, existing = invitations.invitations_add(survey=survey, addresses=addresses)
            messages.success(
                request,
                _("%(created)s addresses added (%(existing)s were already invited).")
                % {"created": created, "existing": existing},
            )
            return redirect("survey_invitations", survey_slug=survey.slug)
    status, query, rows = _invitations_of(request, survey)
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
    _status, _query, rows = _invitations_of(request, survey)
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
    transaction.on_commit(lambda: task.delay(survey.pk, base_url))
    return redirect("survey_invitations", survey_slug=survey.slug)


@require_POST
def invitation_delete(request, survey_slug, invitation_pk):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    invitation = get_object_or_404(Invitation, survey=survey, pk=invitation_pk)
    invitation.delete()
    messages.success(request, _("The address was removed."))
    return redirect("survey_invitations", survey_slug=survey.slug)


# ---------------------------------------------------------------------------------------------
# Free-text coding


def coding_index(request, survey_slug):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    rows = []
    for question in survey.questions.filter(type=Question.Type.TEXT).order_by("order"):
        coded, total = coding.progress(question)
        rows.append({"question": question, "coded": coded, "total": total,
                     "percent": int(coded * 100 / total) if total else 0})  # fmt: skip
    return render(request, "surveys/coding_index.html", {"survey": survey, "rows": rows})


def _text_question_or_404(survey, code):
    return get_object_or_404(Question, survey=survey, code=code, type=Question.Type.TEXT)


def coding_question(request, survey_slug, question_code):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    question = _text_question_or_404(survey, question_code)
    answers = coding.descriptions(question)
    categories = list(question.categories.all())
    if request.method == "POST":
        answer = get_object_or_404(answers, pk=request.POST.get("answer"))
        chosen = [c for c in categories if str(c.pk) in request.POST.getlist("categories")]
        coding.codes_set(
            answer=answer,
            coder=request.user,
            categories=chosen,
            verified=bool(request.POST.get("verified")),
        )
        messages.success(request, _("The codes were saved."))
        next_answer = answers.filter(is_coded=False).exclude(pk=answer.pk).first()
        target = reverse("survey_coding_question", args=[survey.slug, question.code])
        if next_answer is not None:
            target += f"?answer={next_answer.pk}"
        return redirect(target)

    current = None
    if request.GET.get("answer", "").isdigit():
        current = answers.filter(pk=request.GET["answer"]).first()
    if current is None:
        current = answers.filter(is_coded=False).first() or answers.first()
    mine, others = set(), []
    if current is not None:
        codings = current.codings.select_related("category", "coder")
        mine = {c.category_id for c in codings if c.coder_id == request.user.pk}
        others = [c for c in codings if c.coder_id != request.user.pk]
    listing = answers
    show = request.GET.get("show", "")
    if show == "uncoded":
        listing = listing.filter(is_coded=False)
    elif show == "unverified":
        listing = listing.filter(is_verified=False)
    page = Paginator(listing.prefetch_related("codings__category"), 20).get_page(
        request.GET.get("page")
    )
    coded, total = coding.progress(question)
    return render(
        request,
        "surveys/coding_question.html",
        {
            "survey": survey,
            "question": question,
            "current": current,
            "categories": categories,
            "mine": mine,
            "others": others,
            "page": page,
            "show": show,
            "coded": coded,
            "total": total,
            "percent": int(coded * 100 / total) if total else 0,
            "category_form": CategoryForm(),
        },
    )


@require_POST
def category_add(request, survey_slug, question_code):
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    question = _text_question_or_404(survey, question_code)
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            category = coding.category_add(question=question, **form.cleaned_data)
        except coding.CodingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Category “%(label)s” added to the codebook.") % {
                "label": category.label})  # fmt: skip
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    target = reverse("survey_coding_question", args=[survey.slug, question.code])
    if request.POST.get("answer", "").isdigit():
        target += f"?answer={request.POST['answer']}"
    return redirect(target)


# ---------------------------------------------------------------------------------------------
# Reports (coordinators, and office staff once published)


def report(request, survey_slug):
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    data = survey_report(survey)
    sections = charts.report_sections(survey, data)
    return render(
        request,
        "surveys/report.html",
        {
            "survey": survey,
            "report": data,
            "sections": sections,
            "ranking": top_box_ranking(data, survey),
            "likert_questions": survey.questions.filter(type=Question.Type.LIKERT),
            "attributes": survey.questions.filter(
                type__in=[Question.Type.SINGLE, Question.Type.MULTI]
            ),
            "others": _comparable(request.user, survey),
            "hide_tabs": not access.may_coordinate(request.user, survey),
        },
    )


def _comparable(user, survey):
    if not survey.template:
        return Survey.objects.none()
    return (
        access.surveys_reportable_to(user)
        .filter(template=survey.template)
        .exclude(pk=survey.pk)
        .order_by("-year")
    )


def report_download(request, survey_slug):
    """The report's tables as CSV (UTF-8 or CP932) or XLSX (``core.params.export_format_param``)."""
    fmt = export_format_param(request.GET)
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    return tabular.list_download(
        request,
        fmt,
        lambda: report_export(survey, actor=Actor.from_request(request), fmt=fmt),
        back_url=reverse("survey_report", args=[survey.slug]),
        filename_stem=f"{survey.slug}-report",
    )


FIGURE_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def report_figure(request, survey_slug, question_code):
    """One chart of the report as an image for publication: ``?format=svg`` (default) or
    ``png``; anything else is 400."""
    image_format = request.GET.get("format") or "svg"
    if image_format not in FIGURE_TYPES:
        raise BadRequest("unknown figure format")
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    question = get_object_or_404(survey.questions, code=question_code)
    body = figure_export(
        survey, actor=Actor.from_request(request), question=question, image_format=image_format
    )
    response = HttpResponse(body, content_type=FIGURE_TYPES[image_format])
    response["Content-Disposition"] = tabular.content_disposition(
        f"{survey.slug}-{question.code}.{image_format}"
    )
    return response


def _crosstab_of(request, survey):
    """The likert items, attributes, chosen pair and table of a cross-tabulation request (the
    page and its export); no table when the survey has no such pair."""
    likert = survey.questions.filter(type=Question.Type.LIKERT).order_by("order")
    attributes = survey.questions.filter(
        type__in=[Question.Type.SINGLE, Question.Type.MULTI]
    ).order_by("order")
    item_code = request.GET.get("item") or (likert[0].code if likert else "")
    by_code = request.GET.get("by") or (attributes[0].code if attributes else "")
    table = None
    if likert.filter(code=item_code).exists() and attributes.filter(code=by_code).exists():
        table = crosstab(survey, item_code=item_code, by_code=by_code)
    return likert, attributes, item_code, by_code, table


def report_crosstab(request, survey_slug):
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    likert, attributes, item_code, by_code, table = _crosstab_of(request, survey)
    if table is not None:
        for row in [*table["rows"], table["total"]]:
            row["bar"] = charts.likert_bar(row)
    return render(
        request,
        "surveys/crosstab.html",
        {"survey": survey, "likert": likert, "attributes": attributes, "item_code": item_code,
         "by_code": by_code, "table": table,
         "hide_tabs": not access.may_coordinate(request.user, survey)},
    )  # fmt: skip


def report_crosstab_export(request, survey_slug):
    """The cross-tabulation the page shows (``item``, ``by``) as CSV or XLSX; 404 when the
    survey has no likert item or no attribute to break it down by."""
    fmt = export_format_param(request.GET)
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    _likert, _attributes, item_code, by_code, table = _crosstab_of(request, survey)
    if table is None:
        raise Http404
    back = reverse("survey_crosstab", args=[survey.slug])
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.crosstab_export(
            actor=Actor.from_request(request), survey=survey, table=table, fmt=fmt
        ),
        back_url=f"{back}?{export_filters(request.GET)}",
        filename_stem=f"{survey.slug}-crosstab-{item_code}-{by_code}",
    )


def _comparison_of(request, survey):
    """The comparable surveys, the one chosen (``other``, else the latest earlier year) and the
    comparison's rows (the page and its export)."""
    others = _comparable(request.user, survey)
    other = None
    slug = request.GET.get("other")
    if slug:
        other = others.filter(slug=slug).first()
    elif others:
        other = others.filter(year__lt=survey.year).first() or others.first()
    return others, other, compare_years(survey, other) if other else []


def report_compare(request, survey_slug):
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    others, other, rows = _comparison_of(request, survey)
    return render(
        request,
        "surveys/compare.html",
        {
            "survey": survey,
            "other": other,
            "others": others,
            "rows": rows,
            "hide_tabs": not access.may_coordinate(request.user, survey),
        },
    )


def report_compare_export(request, survey_slug):
    """The comparison the page shows as CSV or XLSX; 404 without a survey to compare with."""
    fmt = export_format_param(request.GET)
    survey = access.get_reportable_survey_or_404(request.user, survey_slug)
    _others, other, rows = _comparison_of(request, survey)
    if other is None:
        raise Http404
    back = reverse("survey_compare", args=[survey.slug])
    return tabular.list_download(
        request,
        fmt,
        lambda: exports.compare_export(
            actor=Actor.from_request(request), survey=survey, other=other, rows=rows, fmt=fmt
        ),
        back_url=f"{back}?{export_filters(request.GET)}",
        filename_stem=f"{survey.slug}-compare-{other.slug}",
    )
