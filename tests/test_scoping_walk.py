import pytest
from django.http import HttpResponse
from django.urls import path, reverse
from rest_framework.response import Response

from api.base import ApiView
from clients.models import Client
from config import urls as project_urls
from tests.scoping_walk import build_world, endpoints, find_leaks

# Views that anyone may open without logging in. Adding one is a decision: list it here.
PUBLIC_VIEWS = {
    "login",
    "login_verify",
    "set_language",
    "healthz",
    "survey_respond",
    "survey_respond_token",
    "survey_thanks",
    # The API's schema and its documentation pages (no data; the API itself needs a token).
    "api_schema",
    "api_docs",
    # The person's own channel (voice): LINE's webhook is verified by its signature, the check-in
    # and the employer's trend by a signed, expiring, revocable token (tests/voice/).
    "line_webhook",
    "check_in_form",
    "employer_share_view",
}


def test_only_the_declared_views_are_public():
    public = {endpoint.name for endpoint in endpoints() if endpoint.public}
    assert public == PUBLIC_VIEWS


@pytest.mark.django_db
def test_no_view_shows_office_a_data_to_another_office(cast):
    world = build_world(cast)
    assert find_leaks(world) == []


@pytest.mark.django_db
def test_office_a_lists_show_its_marked_people_to_its_own_staff(cast, client):
    """The walk proves something for a list only if office A's data is on it: Bob sees it."""
    build_world(cast)
    client.force_login(cast.bob)
    for url_name in ("handover_list", "client_list"):
        assert "秘匿田" in client.get(reverse(url_name)).content.decode(), url_name


# A deliberately unscoped view, to prove the walk catches one.
def leaky_client_view(request, client_pk):
    client = Client.objects.get(pk=client_pk)
    return HttpResponse(f"{client.family_name} {client.given_name}")


def leaky_list_view(request):
    return HttpResponse(", ".join(c.family_name for c in Client.objects.all()))


class LeakyApiView(ApiView):
    """An API view that forgets scoping: the walk must find it with another office's token."""

    def get(self, request, client_pk):
        client = Client.objects.get(pk=client_pk)
        return Response({"name": f"{client.family_name} {client.given_name}"})


urlpatterns = [
    *project_urls.urlpatterns,
    path("api/v1/leak/<int:client_pk>/", LeakyApiView.as_view(), name="leaky_api"),
    path("leak/<int:client_pk>/", leaky_client_view, name="leaky_client"),
    path("leak/", leaky_list_view, name="leaky_list"),
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_walk_catches_a_deliberately_unscoped_view(cast):
    world = build_world(cast)
    problems = find_leaks(world, urlconf=__name__)
    assert all(p.startswith("leaky_") for p in problems)
    assert any(
        p.startswith("leaky_client: GET by another office's staff answered 200") for p in problems
    )
    assert any(p.startswith("leaky_client: GET showed office A data") for p in problems)
    assert any(p.startswith("leaky_list: GET showed office A data") for p in problems)
    assert any(
        p.startswith("leaky_api: GET by another office's staff answered 200") for p in problems
    )
    assert any(p.startswith("leaky_api: GET showed office A data") for p in problems)


@pytest.mark.django_db
@pytest.mark.urls("tests.urls_unknown_kwarg")
def test_the_walk_refuses_an_unknown_url_keyword(cast):
    world = build_world(cast)
    problems = find_leaks(world, urlconf="tests.urls_unknown_kwarg")
    assert problems == ["mystery: no sample for URL keyword(s) ['mystery_pk']; add them to SAMPLES"]
