"""Japanese error pages (templates 400.html, 403.html, 404.html, 500.html, 503.html).

They must render for anonymous visitors too, so they are not behind the login requirement.
"""

import sys

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseRedirect
from django.template import loader
from django.views import defaults

from core import resilience

bad_request = login_not_required(defaults.bad_request)
permission_denied = login_not_required(defaults.permission_denied)
page_not_found = login_not_required(defaults.page_not_found)

# Seconds a browser is asked to wait before trying again after a 503.
RETRY_AFTER_SECONDS = 10
# A request repeated this many times (counted in the query string, as a browser follows a 307
# with nothing of its own to count) gets the 503 page instead: the database keeps dropping the
# connection before any request can finish, so for this request it cannot be reached.
MAX_REPEATS = 5
REPEAT_PARAM = "_repeat"


def _repeats(request):
    value = request.GET.get(REPEAT_PARAM, "0")
    return int(value) if value.isdigit() and len(value) < 3 else MAX_REPEATS


class RepeatRequest(HttpResponseRedirect):
    """307: the browser sends the same request (method and body) again."""

    status_code = 307


@login_not_required
def server_error(request, template_name="500.html"):
    """The 500 page, except for a database connection lost during the request
    (``core.resilience``): the same request again when the database answers and nothing was
    written, else the 503 page saying what was saved and what was not."""
    exc = sys.exc_info()[1]
    if exc is None or not resilience.is_lost_connection(exc):
        return defaults.server_error(request, template_name)
    started, saved = resilience.writes_of_this_request()
    repeats = _repeats(request)
    if not started and repeats < MAX_REPEATS and resilience.database_answers():
        query = request.GET.copy()
        query[REPEAT_PARAM] = str(repeats + 1)
        return RepeatRequest(f"{request.path}?{query.urlencode()}")
    unconfirmed = len(started) > len(saved)
    body = loader.render_to_string(
        "503.html", {"saved": saved, "unconfirmed": unconfirmed, "method": request.method}
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@login_not_required
def csrf_failure(request, reason=""):
    """A form sent with a missing or stale security token (``CSRF_FAILURE_VIEW``): a page in the
    visitor's language that says what to do, never Django's technical page."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)
