"""The coordinators' response pages: the responses CSV, and importing responses (this system's
CSV, or a Google Forms / Microsoft Forms file with its mapping step)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import jobs, tabular
from core.audit import Actor
from surveys import access, form_files, services
from surveys.exchange import export_responses
from surveys.forms import ResponseFileForm, mapping_fields, mapping_from_post
from surveys.models import ResponseFileUpload
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
        try:
            kept = pending_upload.keep(request, survey=survey, name=upload.name, data=upload.read())
        except jobs.JobNotStarted as exc:
            form.add_error("file", str(exc))
        else:
            if kept.status == ResponseFileUpload.Status.REFUSED:
                form.add_error("file", kept.error)
                pending_upload.discard(kept)
            elif kept.status == ResponseFileUpload.Status.READ and kept.own_format:
                # This system's own format, read in-process: no mapping to confirm.
                result = _import_own_format(request, survey, kept)
                if result.ok:
                    messages.success(request, _import_message(result))
                    return redirect("survey_detail", survey_slug=survey.slug)
            else:  # read, or still being read by a worker: the mapping step follows it
                return redirect("survey_responses_mapping", survey_slug=survey.slug)
    return render(
        request,
        "surveys/responses_import.html",
        {"survey": survey, "form": form, "result": result},
    )


def _import_own_format(request, survey, kept):
    result = services.responses_import(
        survey=survey, data=services.response_file_as_csv(kept),
        actor=Actor.from_request(request), filename=kept.filename,
    )  # fmt: skip
    if result.ok:
        pending_upload.discard(kept)
    return result


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
    if upload.status != ResponseFileUpload.Status.READ:
        if not upload.finished:  # a worker is reading it: the page looks again shortly
            return render(
                request, "surveys/responses_reading.html", {"survey": survey, "upload": upload}
            )
        messages.error(request, upload.error or _("The file could not be read."))
        pending_upload.discard(upload)
        return redirect("survey_responses_import", survey_slug=survey.slug)
    if upload.own_format:
        result = None
        if request.method == "POST" and request.POST.get("action") == "import":
            result = _import_own_format(request, survey, upload)
            if result.ok:
                messages.success(request, _import_message(result))
                return redirect("survey_detail", survey_slug=survey.slug)
        return render(
            request,
            "surveys/responses_reading.html",
            {"survey": survey, "upload": upload, "result": result},
        )
    # The table the job read: the file is not read again on each view of this page.
    form_file = form_files.FormFile(
        headings=upload.headings, rows=[(number, row) for number, row in upload.rows]
    )
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
            filename=upload.filename,
            dry_run=dry_run,
        )
        if result.ok and not dry_run:
            pending_upload.discard(upload)
            messages.success(request, _import_message(result))
            return redirect("survey_detail", survey_slug=survey.slug)
    columns, labels = mapping_fields(form_file=form_file, mapping=mapping, questions=questions)
    return render(
        request,
        "surveys/responses_mapping.html",
        {"survey": survey, "columns": columns, "labels": labels, "questions": questions,
         "file_name": upload.filename, "rows": len(form_file.rows), "result": result,
         "saved": form_files.saved_mapping(survey) is not None},
    )  # fmt: skip
