"""Personal API tokens: stored as a digest only, named, expiring, revocable; made on the user's
page or by ``api_token``; a session alone never opens the API."""

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api import urls as api_urls
from api.models import ApiToken
from contacts.models import Contact
from core.models import AuditEvent
from tests.api.conftest import ApiClient, token_for
from tests.scoping_walk import build_world, endpoints, url_kwargs

pytestmark = pytest.mark.django_db


def test_only_the_sha256_of_the_secret_is_kept(cast):
    secret = token_for(cast.alice, name="BI")
    token = ApiToken.objects.get()
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get())
    assert secret not in stored
    assert secret[7:] not in stored  # not even the random part
    assert token.prefix == secret[:10]


def test_a_token_answers_as_its_user(cast):
    response = ApiClient(token_for(cast.alice)).get("/api/v1/offices/")
    assert response.status_code == 200
    assert [o["office_number"] for o in response.json()["results"]] == [cast.office_a.office_number]


def _refused(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["field"] is None
    return body["message"]


def test_no_token_unknown_token_and_a_malformed_header_answer_401(cast):
    assert _refused(ApiClient().get("/api/v1/clients/")) == "認証情報が含まれていません。"
    assert _refused(ApiClient("tk_" + "x" * 43).get("/api/v1/clients/")) == (
        "API トークンが見つからないか、期限切れか、失効しています。"
    )
    http = ApiClient()
    message = _refused(http.get("/api/v1/clients/", Authorization="Token abc"))
    assert message == "API トークンは 'Authorization: Bearer <トークン>' の形で送ってください。"


def test_an_expired_token_answers_401(cast):
    secret = token_for(cast.alice, days=1)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _refused(ApiClient(secret).get("/api/v1/clients/"))


def test_a_revoked_token_answers_401(cast, client):
    secret = token_for(cast.alice)
    client.force_login(cast.alice)
    token = ApiToken.objects.get()
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    _refused(ApiClient(secret).get("/api/v1/clients/"))
    assert AuditEvent.objects.filter(
        action="update", object_type="api.apitoken", detail="API token revoked"
    ).exists()


def test_a_deactivated_account_s_token_answers_401(cast):
    secret = token_for(cast.alice)
    cast.alice.is_active = False
    cast.alice.save()
    _refused(ApiClient(secret).get("/api/v1/clients/"))


def _api_endpoints():
    """Every path of api/urls.py but the schema and its documentation (public on purpose), each
    of them an API view authenticating every call by its Bearer token."""
    public = {p.name for p in api_urls.urlpatterns if getattr(p.callback, "login_required", True)
              is False and not getattr(p.callback, "token_authenticated", False)}  # fmt: skip
    assert public == {"api_schema", "api_docs"}
    names = {p.name for p in api_urls.urlpatterns} - public
    found = [e for e in endpoints() if e.name in names]
    assert {e.name for e in found} == names
    assert all(e.token_authenticated for e in found)
    return found


METHODS = ("get", "head", "options", "post", "put", "patch", "delete")


def test_a_signed_in_session_without_a_token_is_refused_on_every_api_path(cast, client):
    """Bob, office A's manager, answered on every path with his token, is signed in by session
    in the same test client: without the token every method of every path answers 401 (not
    200, not 304 for the ETag his token was given, not 405), and nothing is written."""
    world = build_world(cast)
    with_token = ApiClient(token_for(cast.bob))
    client.force_login(cast.bob)
    assert client.get(reverse("home")).status_code == 200  # the session itself is good
    contacts = Contact.objects.count()
    body = {"client": world.client.pk, "contacted_at": "2024-05-01T10:00", "method": "phone",
            "counterpart": "client"}  # fmt: skip
    api_endpoints = _api_endpoints()
    assert len(api_endpoints) >= 10  # the walk would pass vacuously if the API vanished
    for endpoint in api_endpoints:
        url = reverse(endpoint.name, kwargs=url_kwargs(endpoint, world))
        answered = with_token.get(url)
        assert answered.status_code == 200, endpoint.name
        assert _refused(client.get(url)) == "認証情報が含まれていません。", endpoint.name
        _refused(client.get(url, headers={"If-None-Match": answered["ETag"]}))
        for method in METHODS:
            response = client.generic(
                method.upper(), url, json.dumps(body), content_type="application/json"
            )
            assert response.status_code == 401, (endpoint.name, method, response.status_code)
            assert response["WWW-Authenticate"].startswith("Bearer"), (endpoint.name, method)
    assert Contact.objects.count() == contacts


def test_the_last_use_is_recorded(cast):
    secret = token_for(cast.alice)
    assert ApiToken.objects.get().last_used_at is None
    ApiClient(secret).get("/api/v1/offices/")
    assert ApiToken.objects.get().last_used_at is not None


def test_the_page_shows_a_new_token_once_and_it_works(cast, client):
    client.force_login(cast.bob)
    response = client.post("/accounts/api-tokens/", {"name": "本部の Power BI", "days": "30"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (cast.bob, "本部の Power BI")
    assert dt.timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(30)
    assert secret not in client.get("/accounts/api-tokens/").content.decode()
    assert ApiClient(secret).get("/api/v1/clients/").status_code == 200


def test_another_user_cannot_revoke_a_token(cast, client):
    token_for(cast.alice)
    client.force_login(cast.bob)
    token = ApiToken.objects.get()
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_command_prints_the_token_last(cast):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token", "diana", "--name", "Power Query", "--days", "7", stdout=out, stderr=err
    )
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert (token.user, token.name) == (cast.diana, "Power Query")
    assert dt.timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(7)
    assert ApiClient(secret).get("/api/v1/offices/").status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="create", via="command", object_type="api.apitoken"
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    "args",
    [["nobody"], ["alice", "--days", "0"], ["alice", "--days", "400"], ["alice", "--name", " "]],
)
def test_the_command_refuses_what_it_cannot_make(cast, args):
    with pytest.raises(CommandError):
        call_command("api_token", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()
