"""Optional two-factor login (TOTP, django-otp) for managers and administrators.

Who may enrol: an office manager, a corporation manager (``scoping.is_manager``) or a
superuser. Support staff and survey coordinators are not offered it: theirs are day-to-day work
accounts, and a lost phone would lock them out of that work (docs/guide.md, signing in).

Enrolment makes an unconfirmed ``TOTPDevice``; it takes effect only when the user types a code
from it. From then on a login is two steps: the password (``TwoStepLoginView``) keeps the user
*pending* in the session without logging in, and the code (``login_verify``) logs in and marks the
session verified (``django_otp.login``). ``SecondFactorMiddleware`` treats a session of an enrolled
user that was never verified as anonymous, so neither the app nor the admin trusts it.

Whether the user is enrolled is read with the user on every request, in the same query
(``offices.backends.SessionUserBackend``): a request of a user who did not enrol costs no query
more, and a device confirmed in another session counts from that session's very next request.

Wrong codes are throttled by django-otp (1, 2, 4 … seconds between tries, ``TOTPDevice``) and
each counts as a failed login for django-axes, so the usual lockout applies.
"""

import base64
import re
import time
import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from offices.scoping import is_manager

PENDING_SESSION_KEY = "teichaku_two_factor_pending"
PENDING_SECONDS = 300  # the code must follow the password within five minutes


def may_enrol(user):
    """Whether ``user`` is offered two-factor login: managers and superusers."""
    return user.is_authenticated and user.is_active and (user.is_superuser or is_manager(user))


def confirmed_device(user):
    return confirmed_devices(user).order_by("pk").first()


def confirmed_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


ENROLLED_ATTRIBUTE = "two_factor_enrolled"


def is_enrolled(user):
    return confirmed_devices(user).exists()


def enrolled_as_loaded(user):
    """``is_enrolled`` as read with the session's user (``offices.backends``); a query only for a
    user loaded some other way."""
    enrolled = getattr(user, ENROLLED_ATTRIBUTE, None)
    return is_enrolled(user) if enrolled is None else enrolled


def secret_of(device):
    """The key as an authenticator app takes it by hand: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The device's ``otpauth://`` address as an inline SVG QR code (drawn here, no service)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def verify_code(*, request, user, device, code):
    """Whether ``code`` is the device's current code. django-otp refuses a code it already
    accepted and throttles after a failure; a failure also counts towards django-axes' lockout."""
    code = unicodedata.normalize("NFKC", code or "").replace(" ", "")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if re.fullmatch(r"[0-9]+", code) and len(code) == device.digits:
            accepted = device.verify_token(code)
        else:  # not even a code: a failure all the same, throttled like one
            accepted = False
            device.throttle_increment()
    if not accepted:
        user_login_failed.send(
            sender=__name__,
            credentials={"username": user.get_username()},
            request=request,
        )
    return accepted


def start_pending_login(request, user, redirect_to):
    """After the password: remember who is logging in until the code is given."""
    request.session[PENDING_SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": redirect_to,
        "at": time.time(),
    }


def pending_login(request):
    """(user, backend, next) of the login waiting for its code, or None (none, or expired)."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_SESSION_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        return None
    return user, pending.get("backend"), pending.get("next")


def forget_pending_login(request):
    request.session.pop(PENDING_SESSION_KEY, None)


def locked_out(request, user):
    """Whether django-axes has locked this account (or address) out, codes counted."""
    from axes.handlers.proxy import AxesProxyHandler

    return not AxesProxyHandler.is_allowed(request, credentials={"username": user.get_username()})


def finish_pending_login(request, user, backend, device):
    request.session.pop(PENDING_SESSION_KEY, None)
    auth_login(request, user, backend=backend)
    otp_login(request, device)


class SecondFactorMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``: an enrolled user whose session was never
    verified with a code is anonymous, in the app and in the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and enrolled_as_loaded(user):
            request.user = AnonymousUser()
        return self.get_response(request)
