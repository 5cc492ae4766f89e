"""Response headers that keep personal data out of caches.

Every page a signed-in user gets may show people's names, recipient numbers or notes, so none of
them may be kept by the browser's or a proxy's cache (the back button after logging out, a
shared office computer): ``Cache-Control: private, no-store``. Static files are served by
WhiteNoise before this middleware runs and stay cacheable. The Content-Security-Policy is
django-csp's (``CONTENT_SECURITY_POLICY`` in the settings).
"""

from django.utils.cache import patch_cache_control


class NoStoreForSignedInMiddleware:
    """After ``AuthenticationMiddleware``: ``private, no-store`` on every signed-in response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
