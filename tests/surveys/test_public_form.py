"""The anonymous answer form: no login, tokens used once, clear errors, answers kept."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from surveys.models import Answer, Invitation, Response
from surveys.responses import TokenUnusable, submit_response
from tests.factories import challenge_survey

pytestmark = pytest.mark.django_db

COMPLETE = {
    "affiliation": ["retention_support", "continuous_b"],
    "corporation_type": "npo",
    "role": "support_staff",
    **{f"C{i:02d}": str((i % 7) + 1) for i in range(1, 13)},
    "status_methods": ["phone", "workplace_visit"],
    "other_org_has_challenges": "yes",
    "other_org_challenges": "利用者の情報が少ない",
    "self_plan_differences": "",
}


def with_form_token(client, survey, data):
    """``data`` with the one-time form token the open form's page issues."""
    page = client.get(reverse("survey_respond", args=[survey.slug]))
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    return {**data, "form_token": token}


@pytest.fixture
def survey():
    return challenge_survey(status="open")


def test_anyone_can_answer_through_the_open_link_without_logging_in(client, survey):
    url = reverse("survey_respond", args=[survey.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "利用者の確保" in page.content.decode()
    response = client.post(url, with_form_token(client, survey, COMPLETE))
    assert response.status_code == 302
    assert response["Location"] == reverse("survey_thanks", args=[survey.slug])
    stored = Response.objects.get(survey=survey)
    assert Answer.objects.get(response=stored, question__code="C03").likert == 4
    assert set(
        Answer.objects.get(response=stored, question__code="affiliation").selected.values_list(
            "choice__code", flat=True
        )
    ) == {"retention_support", "continuous_b"}
    assert not Answer.objects.filter(response=stored, question__code="self_plan_differences")


def test_a_missing_required_answer_names_the_question_and_keeps_the_others(client, survey):
    url = reverse("survey_respond", args=[survey.slug])
    partial = {k: v for k, v in COMPLETE.items() if k != "C05"}
    page = client.post(url, with_form_token(client, survey, partial))
    assert page.status_code == 200
    html = page.content.decode()
    assert "この質問にお答えください。" in html
    assert 'href="#q-C05"' in html
    # earlier answers are still selected and typed text is still there
    assert re.search(r'<input[^>]*value="npo"[^>]*checked', html)
    assert re.search(r'<input[^>]*name="C04"[^>]*value="5"[^>]*checked', html)
    assert not re.search(r'<input[^>]*name="C05"[^>]*checked', html)
    assert "利用者の情報が少ない" in html
    assert Response.objects.count() == 0


def test_an_out_of_scale_value_is_refused(client, survey):
    page = client.post(
        reverse("survey_respond", args=[survey.slug]),
        with_form_token(client, survey, {**COMPLETE, "C01": "9"}),
    )
    assert page.status_code == 200
    assert Response.objects.count() == 0


def test_a_closed_survey_says_so_politely(client, survey):
    survey.status = "closed"
    survey.save()
    page = client.get(reverse("survey_respond", args=[survey.slug]))
    assert page.status_code == 410
    assert "回答受付は終了しました" in page.content.decode()
    client.post(reverse("survey_respond", args=[survey.slug]), COMPLETE)
    assert Response.objects.count() == 0


def test_a_draft_survey_is_not_found(client):
    draft = challenge_survey(slug="draft", status="draft")
    assert client.get(reverse("survey_respond", args=[draft.slug])).status_code == 404


def test_an_invitation_token_answers_once_and_leaves_no_trace(client, survey):
    invitation = Invitation.objects.create(survey=survey, email="sato@example.jp")
    url = reverse("survey_respond_token", args=[invitation.token])
    assert client.post(url, COMPLETE).status_code == 302
    invitation.refresh_from_db()
    assert invitation.responded
    again = client.post(url, COMPLETE)
    assert again.status_code == 410
    assert "既に回答" in again.content.decode()
    assert Response.objects.count() == 1
    # nothing in the stored response points back at the address or the token
    stored = Response.objects.values().get()
    assert invitation.token not in str(stored) and "sato" not in str(stored)


def test_an_invitation_only_survey_refuses_the_open_link(client, survey):
    survey.allow_open_link = False
    survey.save()
    assert client.get(reverse("survey_respond", args=[survey.slug])).status_code == 403


def test_submitting_with_a_used_token_raises(survey):
    invitation = Invitation.objects.create(survey=survey, email="a@example.jp")
    submit_response(survey=survey, values={"C01": 5}, token=invitation.token)
    with pytest.raises(TokenUnusable):
        submit_response(survey=survey, values={"C01": 5}, token=invitation.token)
    assert Response.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_with_one_token_store_one_response():
    assert connection.vendor == "postgresql"
    survey = challenge_survey(slug="race", status="open")
    invitation = Invitation.objects.create(survey=survey, email="race@example.jp")
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        from django.db import connections

        try:
            barrier.wait()
            submit_response(survey=survey, values={"C01": 7, "C02": 1}, token=invitation.token)
            outcomes.append("stored")
        except TokenUnusable as exc:
            outcomes.append(exc.reason)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["stored", "used"]
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey).count() == 2
