from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import health, jobs, selectors, services, tabular
from core.audit import Actor
from core.forms import ImportUploadForm, PreferenceForm
from core.models import ImportJob
from core.tasks import start_import_job

# The template's encodings: CP932 for Excel on Japanese Windows, UTF-8 with BOM for the rest.
TEMPLATE_FORMATS = {"cp932": "csv-cp932", "utf-8": "csv"}


def import_upload(request):
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"kind": request.GET.get("kind")},
    )
    if not form.fields["kind"].choices:
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            job = start_import_job(
                user=request.user,
                kind=form.cleaned_data["kind"],
                filename=form.cleaned_data["file"].name,
                content=form.content,
                dry_run=form.cleaned_data["dry_run"],
            )
        except jobs.JobNotStarted as exc:
            form.add_error(None, str(exc))
            context = _upload_context(request, form)
            return render(request, "core/import_upload.html", context, status=503)
        messages.info(request, _("The file was received and is being checked."))
        return redirect("import_job", job_pk=job.pk)
    return render(request, "core/import_upload.html", _upload_context(request, form))


def _upload_context(request, form):
    jobs_of_user = ImportJob.objects.filter(user=request.user).defer("content")[:10]
    kinds = [tabular.KINDS[name] for name, _label in form.fields["kind"].choices]
    return {"form": form, "jobs": jobs_of_user, "kinds": kinds}


def _import_job_or_404(request, job_pk):
    # An import job belongs to the user who uploaded it; nobody else may see its errors.
    return get_object_or_404(ImportJob.objects.defer("content"), pk=job_pk, user=request.user)


@require_GET
def import_template(request, import_kind, template_encoding):
    """The CSV template of a kind the user may import: Japanese headers and one example row."""
    kind = tabular.KINDS.get(import_kind)
    fmt = TEMPLATE_FORMATS.get(template_encoding)
    if kind is None or fmt is None or not kind.allowed(request.user):
        raise Http404
    header, rows = kind.template()
    return tabular.download_response(f"teichaku-{kind.name}-template", header, rows, fmt=fmt)


def import_job(request, job_pk):
    job = _import_job_or_404(request, job_pk)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {
                "status": job.status,
                "finished": job.finished,
                "done": job.rows_done,
                "total": job.rows_total,
                "percent": job.progress_percent,
            }
        )
    kind = tabular.KINDS.get(job.kind)
    kind_label = kind.label if kind else job.kind
    return render(request, "core/import_job.html", {"job": job, "kind_label": kind_label})


@require_POST
def import_job_cancel(request, job_pk):
    job = _import_job_or_404(request, job_pk)
    if jobs.cancel(job):
        messages.info(request, _("Cancelling. Nothing of this file will be written."))
    return redirect("import_job", job_pk=job.pk)


@require_GET
@login_not_required
@never_cache
def healthz(request):
    """Anonymous and cheap: the database answers, and the broker when one is configured."""
    failed = health.failing_services()
    if failed:
        return JsonResponse({"status": "error", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login, in the app and the admin (``AXES_*``)."""
    cool_off = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
        status=429,
    )


def preferences(request):
    """The user's display choices: dates in the Western or the Japanese era calendar."""
    form = PreferenceForm(request.POST or None, instance=selectors.preference_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preference_save(
            actor=Actor.from_request(request), preference=form.save(commit=False)
        )
        messages.success(request, _("Your settings were saved."))
        return redirect("preferences")
    return render(request, "core/preferences.html", {"form": form})
