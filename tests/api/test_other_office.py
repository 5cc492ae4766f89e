"""Every API path, asked with another office's token about office A's objects and with office A
named in every filter: nothing of office A comes back (404, or an empty or own-office list)."""

import pytest
from django.urls import reverse

from tests.api.conftest import ApiClient, token_for
from tests.scoping_walk import MARKERS, build_world, endpoints, url_kwargs

pytestmark = pytest.mark.django_db


def _api_endpoints():
    found = [e for e in endpoints() if e.token_authenticated]
    assert len(found) >= 10  # the walk would pass vacuously if the API vanished
    return found


def test_charlie_s_token_finds_nothing_of_office_a(cast):
    world = build_world(cast)
    charlie = ApiClient(token_for(cast.charlie))
    office_a = cast.office_a.office_number
    probes = [
        {},
        {"office": office_a},
        {"client": world.client.pk},
        {"q": "秘匿"},
        {"client": world.client.pk, "from": "2000-01-01", "to": "2100-12-31"},
    ]
    for endpoint in _api_endpoints():
        url = reverse(endpoint.name, kwargs=url_kwargs(endpoint, world))
        for params in probes:
            response = charlie.get(url, params)
            text = response.content.decode()
            assert not [m for m in MARKERS if m in text], (endpoint.name, params)
            assert office_a not in text, (endpoint.name, params)
            if endpoint.kwargs:
                assert response.status_code == 404, (endpoint.name, params)
            elif response.status_code == 200:
                for row in response.json()["results"]:
                    assert row.get("office_number", cast.office_b.office_number) == (
                        cast.office_b.office_number
                    ), (endpoint.name, params)
            else:
                assert response.status_code == 404, (endpoint.name, params)
        body = {"client": world.client.pk, "contacted_at": "2024-05-01T10:00", "method": "phone"}
        if "post" in endpoint.view.view_class.http_method_names and hasattr(
            endpoint.view.view_class, "post"
        ):
            assert charlie.post(url, {**body, "counterpart": "client"}).status_code == 404


def test_the_same_walk_finds_office_a_with_bob_s_token(cast):
    """The walk above could pass by answering 404 to everyone: Bob, office A's manager, is
    answered on every path."""
    world = build_world(cast)
    bob = ApiClient(token_for(cast.bob))
    for endpoint in _api_endpoints():
        url = reverse(endpoint.name, kwargs=url_kwargs(endpoint, world))
        response = bob.get(url)
        assert response.status_code == 200, (endpoint.name, response.content[:200])
        assert cast.office_a.office_number in response.content.decode(), endpoint.name
