"""Japanese error pages (templates 400.html, 403.html, 404.html, 500.html).

They must render for anonymous visitors too, so they are not behind the login requirement.
"""

from django.contrib.auth.decorators import login_not_required
from django.views import defaults

bad_request = login_not_required(defaults.bad_request)
permission_denied = login_not_required(defaults.permission_denied)
page_not_found = login_not_required(defaults.page_not_found)
server_error = login_not_required(defaults.server_error)


@login_not_required
def csrf_failure(request, reason=""):
    """A form sent with a missing or stale security token (``CSRF_FAILURE_VIEW``): a page in the
    visitor's language that says what to do, never Django's technical page."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)
