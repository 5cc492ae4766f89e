"""The login lockout: django-axes with two limits of its own (``AXES_HANDLER``).

django-axes counts failures per lockout parameter (here the username and the address) but
compares every count with the one ``AXES_FAILURE_LIMIT``, and a successful login deletes the
attempts matching its username *or* its address. Neither fits an office of several people behind
one address: ten typing mistakes among colleagues would lock the whole office, and anyone with a
working account could wipe the failures recorded against a colleague's name from the same
address by logging in between guesses. So this handler, axes' supported extension point:

- locks a **username** after ``AXES_FAILURE_LIMIT`` (10) failures, whatever the addresses they
  came from;
- locks an **address** only after ``TEICHAKU_LOGIN_ADDRESS_FAILURE_LIMIT`` (100) failures,
  whatever the usernames tried;
- clears, on a successful login, only the failures recorded against **that** username.

Both counts cover the cool-off window (``AXES_COOLOFF_TIME``), as axes' own count does. A wrong
current password on the password change form and a wrong second-factor code are sent as
``user_login_failed`` (``record_wrong_password``) and so count the same as a wrong login.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum


def _failures(attempts, request):
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class UsernameAndAddressHandler(AxesDatabaseHandler):
    """django-axes' database handler with a username limit and a higher address limit."""

    def username_failures(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if not username:
            return 0
        return _failures(AccessAttempt.objects.filter(username=username), request)

    def address_failures(self, request):
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        return _failures(AccessAttempt.objects.filter(ip_address=address), request)

    def get_failures(self, request, credentials=None):
        """The failures counted against the username's limit; an address over its own (higher)
        limit counts as the full limit, so axes locks (and says so) exactly when either limit is
        reached."""
        failures = self.username_failures(request, credentials)
        if self.address_failures(request) >= settings.TEICHAKU_LOGIN_ADDRESS_FAILURE_LIMIT:
            failures = max(failures, get_failure_limit(request, credentials))
        return failures

    def reset_user_attempts(self, request, credentials=None):
        """After a successful login: only that username's failures, from any address. Another
        username's success never clears them, nor does it clear the address's count of others."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count


def record_wrong_password(request, user):
    """A wrong password typed by a logged-in user (the password change form, turning two-factor
    login off) counts towards the lockout like a wrong login."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def is_locked_out(request, user):
    """Whether the account (or the address) is locked out now."""
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, credentials={"username": user.get_username()})
