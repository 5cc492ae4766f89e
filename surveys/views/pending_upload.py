"""The response file waiting for its mapping to be confirmed, kept in the user's session.

The only place that knows where the file waits between the upload and the mapping step: to keep
it elsewhere, change these three functions.
"""

import base64
from typing import NamedTuple

_SESSION_KEY = "survey-form-file"


class PendingUpload(NamedTuple):
    name: str
    data: bytes


def keep(request, *, survey, name, data):
    """Keep the uploaded file ``data`` (named ``name``) for the mapping step of ``survey``."""
    request.session[_SESSION_KEY] = {
        "survey": survey.pk,
        "name": name,
        "data": base64.b64encode(data).decode("ascii"),
    }


def pending(request, *, survey):
    """The ``PendingUpload`` kept for ``survey``, or None."""
    stored = request.session.get(_SESSION_KEY)
    if not stored or stored.get("survey") != survey.pk:
        return None
    return PendingUpload(stored["name"], base64.b64decode(stored["data"]))


def discard(request):
    """Forget the kept file (once imported)."""
    request.session.pop(_SESSION_KEY, None)
