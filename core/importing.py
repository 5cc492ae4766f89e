"""Import jobs: the upload page and its task call these; the rules live in core.tabular.

``core.tasks.start_import_job`` creates a job and runs it; this module never reaches for the task
(the task module depends on this one, not the other way round).
"""

from core import tabular
from core.audit import Actor
from core.models import ImportJob


def import_job_create(*, user, kind, filename, content, dry_run):
    """The job row, waiting; ``core.tasks.start_import_job`` also starts it."""
    return ImportJob.objects.create(
        user=user, kind=kind, filename=filename[:255], content=content, dry_run=dry_run
    )


def run_job(job_id):
    job = ImportJob.objects.get(pk=job_id)
    if job.finished:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)

    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    try:
        result = tabular.run_import(
            job.kind,
            bytes(job.content),
            user=job.user,
            actor=Actor.task(job.user_id),
            filename=job.filename,
            dry_run=job.dry_run,
            progress=progress,
        )
    except Exception as exc:
        job.status = ImportJob.Status.FAILED
        job.result = {"errors": [{"row": 0, "column": "", "value": "", "reason": str(exc)}]}
        job.save(update_fields=["status", "result"])
        raise
    job.result = result.as_dict()
    job.rows_total = job.rows_done = result.rows
    job.status = ImportJob.Status.DONE if result.ok else ImportJob.Status.REFUSED
    job.content = b""  # the file may hold personal data; keep only the outcome
    job.save(update_fields=["result", "rows_total", "rows_done", "status", "content"])
    return job
