"""``Authorization: Bearer <token>``: the only way into the API (no session, no password)."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from api import services


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request)
        if not header:
            return None
        try:
            text = header.decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The API token is not valid.")) from exc
        keyword, _space, secret = text.partition(" ")
        if keyword.lower() != self.keyword.lower() or not secret.strip():
            raise exceptions.AuthenticationFailed(
                _("Send the API token as 'Authorization: Bearer <token>'.")
            )
        token = services.token_for_secret(secret.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The API token is unknown, expired or revoked.")
            )
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
