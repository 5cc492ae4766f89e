"""The coordinators' response pages: the responses CSV, and importing responses (this system's
CSV, or a Google Forms / Microsoft Forms file with its mapping step)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import tabular
from core.audit import Actor
from surveys import access, form_files, services
from surveys.exchange import FIXED, export_responses
from surveys.forms import ResponseFileForm, mapping_fields, mapping_from_post
from surveys.responses import load_questions
from surveys.views import pending_upload


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
                result = services.responses_import(
                    survey=survey, data=data, actor=Actor.from_request(request),
                    filename=upload.name,
                )  # fmt: skip
                if result.ok:
                    messages.success(request, _import_message(result))
                    return redirect("survey_detail", survey_slug=survey.slug)
            else:
                pending_upload.keep(request, survey=survey, name=upload.name, data=data)
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
    survey = access.get_coordinated_survey_or_404(request.user, survey_slug)
    upload = pending_upload.pending(request, survey=survey)
    if upload is None:
        messages.info(request, _("Choose the response file first."))
        return redirect("survey_responses_import", survey_slug=survey.slug)
    form_file = form_files.read_form_file(upload.data, filename=upload.name)
    mapping = form_files.suggest_mapping(survey, form_file)
    questions = load_questions(survey)
    result = None
    if request.method == "POST":
        mapping = mapping_from_post(
            request.POST, survey=survey, form_file=form_file, suggested=mapping,
            questions=questions,
        )  # fmt: skip
        dry_run = request.POST.get("action") != "import"
        result = services.form_file_import(
            survey=survey,
            form_file=form_file,
            mapping=mapping,
            actor=Actor.from_request(request),
            filename=upload.name,
            dry_run=dry_run,
        )
        if result.ok and not dry_run:
            pending_upload.discard(request)
            messages.success(request, _import_message(result))
            return redirect("survey_detail", survey_slug=survey.slug)
    columns, labels = mapping_fields(form_file=form_file, mapping=mapping, questions=questions)
    return render(
        request,
        "surveys/responses_mapping.html",
        {"survey": survey, "columns": columns, "labels": labels, "questions": questions,
         "file_name": upload.name, "rows": len(form_file.rows), "result": result,
         "saved": form_files.saved_mapping(survey) is not None},
    )  # fmt: skip
