import pytest
from django.test import Client as HttpClient

from api import services
from core.audit import Actor


def token_for(user, *, days=30, name="test"):
    """A new API token of ``user``: its secret."""
    _token, secret = services.token_create(actor=Actor.command(), user=user, name=name, days=days)
    return secret


class ApiClient:
    """Django's test client sending a Bearer token (or none)."""

    def __init__(self, secret=None):
        self.http = HttpClient(raise_request_exception=False)
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path, params=None, **headers):
        return self.http.get(path, params or {}, headers={**self.headers, **headers})

    def post(self, path, body, **headers):
        return self.http.post(
            path, body, content_type="application/json", headers={**self.headers, **headers}
        )


@pytest.fixture
def api_as():
    def make(user):
        return ApiClient(token_for(user))

    return make
