"""The response file waiting for its mapping to be confirmed.

It is kept in the database (``surveys.models.ResponseFileUpload``: private, never served, never in
the session) and read once by a background job (``surveys.services.response_file_read``); the
mapping step shows the table the job read. The only place the views learn where the file waits.
"""

from surveys import selectors, services


def keep(request, *, survey, name, data):
    """Keep the uploaded file ``data`` (named ``name``) for the mapping step of ``survey`` and
    have it read. Raises ``core.jobs.JobNotStarted`` when the broker is unreachable."""
    services.response_file_upload(survey=survey, user=request.user, filename=name, data=data)
    return pending(request, survey=survey)


def pending(request, *, survey):
    """The user's ``ResponseFileUpload`` for ``survey`` (waiting, read or refused), or None."""
    return selectors.response_file_of(survey=survey, user=request.user)


def discard(upload):
    """Forget the kept file (once imported)."""
    services.response_file_discard(upload=upload)
