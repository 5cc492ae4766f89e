"""The life of a background job row (``core.models.BackgroundJob``), for every kind of job.

One home for the rules every job follows, whatever it does:

- **sending** it to the broker, failing fast and cleanly when the broker is unreachable;
- **starting** an attempt (a redelivered message starts the job again from the beginning,
  at most ``MAX_ATTEMPTS`` times);
- **signs of life**: progress and a heartbeat, checked for a cancel request between batches;
- **ending** it however it ends, which always empties the uploaded data (personal data);
- **cancelling** and **sweeping** jobs that stopped showing signs of life.

Job models register here (``register``); core never imports the apps that own them.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import NO_RESULTS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3

INTERRUPTED = _("The job was interrupted. Please run it again.")
GAVE_UP = _("The job was interrupted %(attempts)s times and was stopped. Please run it again.")
BROKEN = _("The job stopped because of an unexpected error. Please run it again.")
NOT_STARTED = _(
    "The job could not be started because the background job service is not answering. "
    "Nothing was kept. Please try again in a few minutes."
)

JOB_MODELS = []


def register(model):
    """Make ``model`` (a BackgroundJob) known to the sweeper."""
    if model not in JOB_MODELS:
        JOB_MODELS.append(model)
    return model


class JobNotStarted(Exception):
    """The broker could not be reached; the job row and its uploaded data were removed."""


class JobStopped(Exception):
    """The job was cancelled or swept while it ran. Raised between batches; inside an import's
    transaction it rolls the import back."""


# --- sending ---------------------------------------------------------------------------------


def enqueue(task, job):
    """Send ``task(job.pk)`` once the job row is committed.

    When the broker is unreachable the job row is deleted with its uploaded data, and
    ``JobNotStarted`` is raised to the caller (a page shows ``NOT_STARTED``). The broker settings
    (``CELERY_BROKER_CONNECTION_TIMEOUT``, ``CELERY_TASK_PUBLISH_RETRY_POLICY``) keep this quick.
    """

    def send():
        try:
            task.apply_async((job.pk,))
        except (BrokerUnreachable, OSError) as exc:
            logger.warning("job %s %s not sent: %s", job._meta.label, job.pk, exc)
            type(job).objects.filter(pk=job.pk).delete()
            raise JobNotStarted(str(NOT_STARTED)) from exc

    transaction.on_commit(send)


# --- running ---------------------------------------------------------------------------------


def begin(model, job_id):
    """Start an attempt at the job: it is running again from the beginning.

    Returns the job, or None when there is nothing to do: the job has ended, was cancelled while
    it waited, or has been interrupted ``MAX_ATTEMPTS`` times already (then it is failed).
    """
    job = model.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return None
    if job.cancel_requested:
        end(job, model.Status.CANCELLED)
        return None
    if job.attempts >= MAX_ATTEMPTS:
        end(job, model.Status.FAILED, error=str(GAVE_UP % {"attempts": job.attempts}))
        return None
    job.attempts += 1
    job.status = model.Status.RUNNING
    job.heartbeat_at = timezone.now()
    updated = (
        model.objects.filter(pk=job.pk)
        .exclude(status__in=model.ENDED_STATUSES)
        .update(status=job.status, heartbeat_at=job.heartbeat_at, attempts=job.attempts)
    )
    return job if updated else None


_side = threading.local()


def _side_connection():
    """A second connection to the same database, in autocommit, for progress written while the
    default connection is inside a long transaction (other connections then see it at once)."""
    side = getattr(_side, "connection", None)
    if side is None:
        default = connections[DEFAULT_DB_ALIAS]
        side = type(default)(dict(default.settings_dict), alias=DEFAULT_DB_ALIAS)
        _side.connection = side
    return side


def close_side_connection():
    side = getattr(_side, "connection", None)
    if side is not None:
        side.close()
        _side.connection = None


def _update(model, pk, values, *, on):
    query = UpdateQuery(model)
    query.add_update_values(values)
    query.add_q(Q(pk=pk))
    query.get_compiler(connection=on).execute_sql(NO_RESULTS)


def _read_state(model, pk, *, on):
    table = on.ops.quote_name(model._meta.db_table)
    with on.cursor() as cursor:
        cursor.execute(
            f"SELECT status, cancel_requested FROM {table} WHERE {on.ops.quote_name('id')} = %s",
            [pk],
        )
        return cursor.fetchone()


def beat(job, *, detached=False, **progress):
    """Write the job's progress and a heartbeat, then stop it if it was cancelled or swept.

    ``detached=True`` writes through a second connection in autocommit, for a caller inside a
    transaction that others must not wait for (an import is written whole or not at all, and its
    progress must still move). SQLite allows one writer at a time, so there the progress is
    written in the caller's transaction and shows when it commits.

    Raises ``JobStopped`` when the job was cancelled or is no longer running.
    """
    model = type(job)
    on = connection
    if detached and connection.vendor != "sqlite" and connection.in_atomic_block:
        on = _side_connection()
    _update(model, job.pk, {**progress, "heartbeat_at": timezone.now()}, on=on)
    state = _read_state(model, job.pk, on=on)
    # A row the connection cannot see (created in a transaction not yet committed) is no news.
    if state is not None and (state[1] or state[0] != model.Status.RUNNING):
        raise JobStopped


def end(job, status, *, error="", expected=None, **fields):
    """End the job with ``status``; its uploaded data is emptied whatever happened.

    ``expected`` (a dict of field values, e.g. the status and heartbeat the sweeper saw) makes the
    change conditional, so a job that has moved on meanwhile is left alone. Returns whether the
    status was written.
    """
    model = type(job)
    close_side_connection()
    rows = model.objects.filter(pk=job.pk).exclude(status__in=model.ENDED_STATUSES)
    if expected:
        rows = rows.filter(**expected)
    changed = rows.update(
        status=status, error=str(error)[:1000], heartbeat_at=timezone.now(), **fields
    )
    if model.payload_fields:
        model.objects.filter(pk=job.pk).update(**model.payload_fields)
    return bool(changed)


def stopped(job):
    """End a job that raised ``JobStopped``: cancelled if asked to; a swept job is already
    failed (``end`` leaves an ended job's status alone)."""
    end(job, type(job).Status.CANCELLED)


def failed(job, exc):
    """End a job whose code raised: failed, with the reason logged for the administrator."""
    logger.error("job %s %s failed", job._meta.label, job.pk, exc_info=exc)
    end(job, type(job).Status.FAILED, error=str(BROKEN))


# --- cancelling and sweeping -----------------------------------------------------------------


def cancel(job):
    """Cancel a waiting job at once; ask a running one to stop at its next batch (an import is
    then rolled back). Returns whether there was anything to cancel."""
    model = type(job)
    if end(job, model.Status.CANCELLED, expected={"status": model.Status.PENDING}):
        return True
    return bool(
        model.objects.filter(pk=job.pk, status=model.Status.RUNNING).update(cancel_requested=True)
    )


def stale_after():
    return timedelta(minutes=settings.TEICHAKU_JOB_STALE_MINUTES)


def pending_after():
    return timedelta(minutes=settings.TEICHAKU_JOB_PENDING_MINUTES)


def sweep(*, now=None):
    """End every job that stopped showing signs of life: running with no heartbeat for
    ``TEICHAKU_JOB_STALE_MINUTES``, or waiting for ``TEICHAKU_JOB_PENDING_MINUTES``. Such a job
    is failed with ``INTERRUPTED`` (cancelled if a cancel was asked) and may be run again.

    Returns the swept jobs.
    """
    now = now or timezone.now()
    swept = []
    for model in JOB_MODELS:
        silent = Q(status=model.Status.RUNNING) & (
            Q(heartbeat_at__lt=now - stale_after())
            | Q(heartbeat_at__isnull=True, created_at__lt=now - stale_after())
        )
        waiting = Q(status=model.Status.PENDING, created_at__lt=now - pending_after())
        for job in model.objects.filter(silent | waiting).defer(*model.payload_fields):
            status = model.Status.CANCELLED if job.cancel_requested else model.Status.FAILED
            expected = {"status": job.status, "heartbeat_at": job.heartbeat_at}
            if end(job, status, error=str(INTERRUPTED), expected=expected):
                job.status = status
                swept.append(job)
    return swept
