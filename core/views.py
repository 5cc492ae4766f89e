from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.forms import ImportUploadForm
from core.models import ImportJob
from core.tasks import start_import_job


def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["kind"].choices:
        raise Http404
    if request.method == "POST" and form.is_valid():
        job = start_import_job(
            user=request.user,
            kind=form.cleaned_data["kind"],
            filename=form.cleaned_data["file"].name,
            content=form.content,
            dry_run=form.cleaned_data["dry_run"],
        )
        messages.info(request, _("The file was received and is being checked."))
        return redirect("import_job", job_pk=job.pk)
    jobs = ImportJob.objects.filter(user=request.user).defer("content")[:10]
    return render(request, "core/import_upload.html", {"form": form, "jobs": jobs})


def import_job(request, job_pk):
    # An import job belongs to the user who uploaded it; nobody else may see its errors.
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=job_pk, user=request.user)
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
    return render(request, "core/import_job.html", {"job": job})


@require_GET
@login_not_required
def healthz(request):
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
