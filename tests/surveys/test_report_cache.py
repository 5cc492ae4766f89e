"""The survey report is cached per ``Survey.answers_version``: every change of its inputs made
through ``surveys.services`` bumps the version, so the page never shows the report of before.

Each test reads the report (now cached), makes one change through the service, and finds the
report of after: the figure the change moves, counted by hand."""

import pytest

from core.audit import Actor
from surveys import services
from surveys.exchange import export_csv
from surveys.models import Question
from surveys.report import compute_survey_report, survey_report
from tests.factories import UserFactory, challenge_survey, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = challenge_survey(status="closed")
    respond(survey, {"C01": 5, "status_methods": ["phone"]})
    services.report_inputs_changed(survey)
    return survey


@pytest.fixture
def actor():
    return Actor.command(UserFactory(username="coordinator"))


def _cached(survey):
    """The report as the page reads it; the cached copy is what a stale version would show."""
    report = survey_report(survey)
    assert survey_report(survey) == report == compute_survey_report(survey)
    return report


def test_a_change_made_behind_the_services_is_not_seen_until_the_version_moves(survey):
    # The proof that the tests below test the bump, not a cache that is never read.
    assert _cached(survey)["respondents"] == 1
    respond(survey, {"C01": 6})
    assert survey_report(survey)["respondents"] == 1
    services.report_inputs_changed(survey)
    assert survey_report(survey)["respondents"] == 2


def test_a_submission_bumps_the_report(survey):
    assert _cached(survey)["questions"]["C01"]["counts"]["7"] == 0
    services.response_submit(survey=survey, values={"C01": 7})
    report = survey_report(survey)
    assert report["respondents"] == 2
    assert report["questions"]["C01"]["counts"]["7"] == 1


def test_an_import_bumps_the_report(survey, actor):
    other = challenge_survey(slug="other-2024", status="closed")
    respond(other, {"C01": 2})
    respond(other, {"C01": 2})
    assert _cached(survey)["questions"]["C01"]["counts"]["2"] == 0
    result = services.responses_import(survey=survey, data=export_csv(other), actor=actor)
    assert not result.errors and result.created == 2
    assert survey_report(survey)["questions"]["C01"]["counts"]["2"] == 2


def test_a_void_bumps_the_report(survey, actor):
    later = respond(survey, {"C01": 3})
    services.report_inputs_changed(survey)
    assert _cached(survey)["respondents"] == 2
    assert services.responses_void(survey=survey, response_ids=[later.pk], actor=actor) == 1
    report = survey_report(survey)
    assert report["respondents"] == 1
    assert report["questions"]["C01"]["counts"]["3"] == 0


def _text_question(survey):
    return survey.questions.filter(type=Question.Type.TEXT).order_by("order").first()


def test_a_coding_bumps_the_report(survey, actor):
    question = _text_question(survey)
    respond(survey, {question.code: "職場の人間関係に悩んでいる"})
    services.report_inputs_changed(survey)
    assert _cached(survey)["questions"][question.code]["coded"] == 0
    answer = question.answers.get()
    category = question.categories.order_by("order").first()
    services.codes_set(answer=answer, categories=[category], verified=False, actor=actor)
    block = survey_report(survey)["questions"][question.code]
    assert block["coded"] == 1 and block["counts"][category.code] == 1


def test_a_new_category_bumps_the_report(survey, actor):
    question = _text_question(survey)
    assert "new_theme" not in _cached(survey)["questions"][question.code]["counts"]
    services.category_add(question=question, code="new_theme", label_ja="新しい分類", actor=actor)
    assert survey_report(survey)["questions"][question.code]["counts"]["new_theme"] == 0


def test_an_edit_of_the_settings_bumps_the_report(survey, actor):
    _cached(survey)
    version = survey.answers_version
    services.survey_settings_update(survey=survey, values={"title": "改題"}, actor=actor)
    survey.refresh_from_db()
    assert survey.answers_version == version + 1
