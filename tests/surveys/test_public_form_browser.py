"""The public form on a phone (390px wide): a missing answer is named, nothing typed is lost."""

import pytest
from django.urls import reverse

from surveys.models import Answer, Response
from tests.factories import challenge_survey


@pytest.fixture
def phone_page(browser, live_server):
    """An anonymous visitor's page on a 390px-wide phone (no login: respondents never log in)."""
    context = browser.new_context(
        base_url=live_server.url, locale="ja-JP", is_mobile=True, has_touch=True,
        viewport={"width": 390, "height": 844},
    )  # fmt: skip
    try:
        yield context.new_page()
    finally:
        context.close()


def _choose(page, name, value):
    page.locator(f'input[name="{name}"][value="{value}"]').check()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_user_fixes_a_missing_answer_and_sees_the_thank_you_page(phone_page):
    survey = challenge_survey(slug="phone-2024", status="open")
    page = phone_page
    page.goto(reverse("survey_respond", args=[survey.slug]))
    # nothing sticks out sideways on a 390px screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    _choose(page, "affiliation", "retention_support")
    _choose(page, "corporation_type", "social_welfare")
    _choose(page, "role", "service_manager")
    for i in range(1, 13):
        if i != 7:  # C07 is forgotten
            _choose(page, f"C{i:02d}", str((i % 7) + 1))
    _choose(page, "status_methods", "phone")
    _choose(page, "status_methods", "home_visit")
    _choose(page, "other_org_has_challenges", "yes")
    page.fill('textarea[name="other_org_challenges"]', "前の事業所からの情報が少ない")
    page.get_by_role("button", name="回答を送信する").click()

    error = page.locator("#q-C07 .field-error")
    error.wait_for()
    assert "この質問にお答えください。" in error.inner_text()
    assert page.locator("#form-errors").is_visible()
    # earlier answers are kept
    assert page.locator('input[name="corporation_type"][value="social_welfare"]').is_checked()
    assert page.locator('input[name="C12"][value="6"]').is_checked()
    assert page.locator('input[name="status_methods"][value="home_visit"]').is_checked()
    assert (
        page.input_value('textarea[name="other_org_challenges"]') == "前の事業所からの情報が少ない"
    )
    assert Response.objects.count() == 0

    _choose(page, "C07", "5")
    page.get_by_role("button", name="回答を送信する").click()
    page.get_by_text("ご回答ありがとうございました").wait_for()
    assert page.url.endswith(reverse("survey_thanks", args=[survey.slug]))
    stored = Response.objects.get(survey=survey)
    assert Answer.objects.get(response=stored, question__code="C07").likert == 5
    assert Answer.objects.get(response=stored, question__code="C12").likert == 6
