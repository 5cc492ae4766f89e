"""The open answer link: throttled per address, one-time form tokens, bursts to void."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from surveys import protection
from surveys.models import Response
from surveys.report import survey_report
from tests.factories import SurveyCoordinatorFactory, UserFactory, challenge_survey, respond
from tests.surveys.test_public_form import COMPLETE, with_form_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return challenge_survey(status="open")


def test_a_replayed_form_is_refused_in_japanese_and_stored_once(client, survey):
    url = reverse("survey_respond", args=[survey.slug])
    data = with_form_token(client, survey, COMPLETE)
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 409
    assert "すでに送信されています" in again.content.decode()
    assert Response.objects.count() == 1


def test_a_post_without_a_form_token_is_refused(client, survey):
    page = client.post(reverse("survey_respond", args=[survey.slug]), COMPLETE)
    assert page.status_code == 400
    assert "リンクを開き直して" in page.content.decode()
    assert Response.objects.count() == 0


def test_a_token_of_another_survey_is_refused(client, survey):
    other = challenge_survey(slug="other-survey", status="open")
    data = {**COMPLETE, "form_token": protection.issue_form_token(other)}
    assert client.post(reverse("survey_respond", args=[survey.slug]), data).status_code == 400


def test_one_address_is_throttled_after_the_hourly_limit(client, survey, settings):
    settings.TEICHAKU_SURVEY_SUBMISSIONS_PER_HOUR = 2
    url = reverse("survey_respond", args=[survey.slug])
    statuses = [
        client.post(url, with_form_token(client, survey, COMPLETE)).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2
    # another address still answers
    other = client.post(url, with_form_token(client, survey, COMPLETE), REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 302


def test_a_response_keeps_a_salted_hash_of_the_address_never_the_address(client, survey):
    url = reverse("survey_respond", args=[survey.slug])
    client.post(url, with_form_token(client, survey, COMPLETE), REMOTE_ADDR="192.0.2.7")
    stored = Response.objects.values().get()
    assert stored["address_hash"] == protection.address_hash("192.0.2.7")
    assert "192.0.2.7" not in str(stored)


def _burst(survey, *, address="192.0.2.50", n=6, start=None):
    start = start or timezone.now() - dt.timedelta(hours=1)
    for i in range(n):
        response = respond(
            survey, {**{f"C{k:02d}": 7 for k in range(1, 13)}, "role": "support_staff"}
        )
        Response.objects.filter(pk=response.pk).update(
            address_hash=protection.address_hash(address),
            submitted_at=start + dt.timedelta(seconds=20 * i),
        )


def test_bursts_are_found_and_slow_answers_from_one_address_are_not(survey):
    _burst(survey, n=6)
    _burst(survey, address="192.0.2.60", n=3)  # too few
    for day in range(6):  # one address, a day apart: an office sharing a network
        _burst(survey, address="192.0.2.70", n=1, start=timezone.now() - dt.timedelta(days=day + 1))
    found = protection.bursts(survey)
    assert [(b.address_hash, b.size) for b in found] == [(protection.address_hash("192.0.2.50"), 6)]


def test_the_coordinator_voids_a_burst_audited_and_left_out_of_reports(client, survey):
    coordinator = UserFactory()
    SurveyCoordinatorFactory(user=coordinator, corporation=None)
    respond(survey, {**{f"C{k:02d}": 1 for k in range(1, 13)}, "role": "support_staff"})
    _burst(survey, n=6)
    assert survey_report(survey)["respondents"] == 7
    client.force_login(coordinator)
    url = reverse("survey_bursts", args=[survey.slug])
    page = client.get(url)
    assert page.status_code == 200 and "不審な連続回答" in page.content.decode()
    burst = page.context["bursts"][0]
    response = client.post(url, {"burst": burst.address_hash})
    assert response.status_code == 302
    assert Response.objects.filter(voided_at__isnull=False).count() == 6
    report = survey_report(survey)
    assert report["respondents"] == 1
    assert report["questions"]["C01"]["n"] == 1
    assert AuditEvent.objects.filter(user=coordinator, detail__contains="voided 6").exists()


def test_office_staff_cannot_see_or_void_bursts(client, survey, cast):
    _burst(survey, n=6)
    client.force_login(cast.bob)
    url = reverse("survey_bursts", args=[survey.slug])
    assert client.get(url).status_code == 404
    client.post(url, {"burst": protection.address_hash("192.0.2.50")})
    assert not Response.objects.filter(voided_at__isnull=False).exists()
