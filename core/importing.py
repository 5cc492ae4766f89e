"""Import jobs: the upload page and its task call these; the rules live in core.tabular.

``core.tasks.start_import_job`` creates a job and runs it; this module never reaches for the task
(the task module depends on this one, not the other way round).
"""

from core import jobs, tabular
from core.audit import Actor
from core.models import ImportJob


def import_job_create(*, user, kind, filename, content, dry_run):
    """The job row, waiting; ``core.tasks.start_import_job`` also starts it."""
    return ImportJob.objects.create(
        user=user, kind=kind, filename=filename[:255], content=content, dry_run=dry_run
    )


def run_job(job_id):
    """Run an import job from the beginning (a redelivered job starts again: the import is
    written whole or not at all, so an interrupted attempt left nothing behind).

    Progress is written through ``jobs.beat(detached=True)`` so that it moves while the import's
    transaction is open; a cancel seen there rolls the import back.
    """
    job = jobs.begin(ImportJob, job_id)
    if job is None:
        return ImportJob.objects.defer("content").filter(pk=job_id).first()

    def progress(done, total):
        jobs.beat(job, detached=True, rows_done=done, rows_total=total)

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
    except jobs.JobStopped:
        jobs.stopped(job)
    except Exception as exc:
        jobs.failed(job, exc)
    else:
        status = ImportJob.Status.DONE if result.ok else ImportJob.Status.REFUSED
        jobs.end(
            job, status, result=result.as_dict(), rows_total=result.rows, rows_done=result.rows
        )
    finally:
        jobs.close_side_connection()
    return ImportJob.objects.defer("content").get(pk=job_id)
