"""Personal API tokens: stored as a digest only, named, expiring, revocable; made on the user's
page or by ``api_token``; a session alone never opens the API."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import ApiToken
from core.models import AuditEvent
from tests.api.conftest import ApiClient, token_for

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


def test_a_signed_in_session_without_a_token_is_refused(cast, client):
    client.force_login(cast.alice)
    assert client.get("/api/v1/clients/").status_code == 401


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
