"""The API's rate limit: so many calls per token (per account without one) in a period, counted
in the project's cache (Redis in production). Over the limit: 429 with ``Retry-After``."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

DEFAULT_RATE = "120/min"


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        # Read on every call (not at import), so a deployment and a test can each set it.
        return getattr(settings, "TEICHAKU_API_RATE", DEFAULT_RATE)

    def get_cache_key(self, request, view):
        token = request.auth
        if token is not None and getattr(token, "pk", None) is not None:
            ident = f"token-{token.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return f"teichaku-api-throttle-{ident}"
