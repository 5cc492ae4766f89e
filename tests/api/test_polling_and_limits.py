"""Polling: ``ETag`` from the answer, 304 on ``If-None-Match`` while nothing changed,
``Last-Modified`` where the data has a time; and the rate limit: 429 with ``Retry-After``."""

import datetime as dt

import pytest

from core.calendar import JST
from tests import factories
from tests.api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


def test_an_unchanged_list_answers_304_and_a_change_a_new_etag(cast):
    client = factories.ClientFactory(office=cast.office_a)
    factories.ContactFactory(client=client, contacted_at=dt.datetime(2024, 4, 1, 9, tzinfo=JST))
    api = ApiClient(token_for(cast.bob))
    first = api.get("/api/v1/contacts/")
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"].endswith("GMT")
    assert "private" in first["Cache-Control"]
    again = api.get("/api/v1/contacts/", **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    factories.ContactFactory(client=client, contacted_at=dt.datetime(2024, 4, 2, 9, tzinfo=JST))
    changed = api.get("/api/v1/contacts/", **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["count"] == 2


def test_another_etag_gets_the_whole_answer(cast):
    api = ApiClient(token_for(cast.bob))
    response = api.get("/api/v1/offices/", **{"If-None-Match": '"something-else"'})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_over_the_rate_limit_answers_429_with_retry_after(cast, settings):
    settings.TEICHAKU_API_RATE = "3/min"
    api = ApiClient(token_for(cast.bob))
    assert [api.get("/api/v1/offices/").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/v1/offices/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "秒" in refused.json()["message"]
    # The limit is per token: another user's token still answers.
    assert ApiClient(token_for(cast.alice)).get("/api/v1/offices/").status_code == 200
