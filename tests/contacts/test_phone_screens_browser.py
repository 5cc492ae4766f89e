"""On a phone (390 px wide): contact history, support reports and the worklist are cards, and
nothing scrolls sideways; the survey coordinator lands on the survey list."""

import datetime as dt

import pytest

from core import calendar
from tests import factories

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def people(cast):
    today = calendar.today()
    people = [
        factories.ClientFactory(
            office=cast.office_a,
            staff_in_charge=cast.alice,
            family_name="長谷川",
            given_name=f"一郎{i}",
            service_start=dt.date(2022, 4, 1),
        )
        for i in range(3)
    ]
    for person in people:
        factories.ContactFactory(
            client=person, staff=cast.alice, method="workplace_visit", counterpart="employer",
            summary="職場の上司と面談。業務量の調整について話し合った。" * 3,
            contacted_at=calendar.start_of_day(today) + dt.timedelta(hours=10),
        )  # fmt: skip
    return people


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("url", "cards"),
    [("/contacts/", "contacts"), ("/contacts/reports/", "reports")],
)
def test_lists_are_cards_on_a_phone(logged_in_page, cast, people, url, cards):
    page = logged_in_page(cast.alice, mobile=True)
    page.goto(url)
    deck = page.locator(f"[data-cards='{cards}']")
    assert deck.is_visible()
    assert deck.locator(".card").count() == 3
    assert not page.locator("table").first.is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_worklist_on_a_phone_shows_the_last_contact_and_days_left(logged_in_page, cast, people):
    page = logged_in_page(cast.alice, mobile=True)
    page.goto("/contacts/worklist/")
    assert page.locator("[data-days-left]").is_visible()
    assert "今月は残り" in page.locator("[data-days-left]").inner_text()
    assert page.get_by_text("最終連絡").first.is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_survey_coordinator_lands_on_the_survey_list(logged_in_page, cast):
    from tests.factories import SurveyCoordinatorFactory, challenge_survey

    challenge_survey()
    coordinator = SurveyCoordinatorFactory().user
    page = logged_in_page(coordinator, mobile=True)
    page.goto("/")
    page.wait_for_url("**/surveys/")
    assert page.get_by_role("heading", name="アンケート", exact=True).is_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_closing_a_survey_asks_first(logged_in_page, cast):
    from surveys.models import Survey
    from tests.factories import SurveyCoordinatorFactory, challenge_survey

    survey = challenge_survey(status="open")
    coordinator = SurveyCoordinatorFactory().user
    page = logged_in_page(coordinator)
    page.goto(f"/surveys/{survey.slug}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="受付を終了", exact=True).click()
    page.wait_for_timeout(300)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="受付を終了", exact=True).click()
    page.wait_for_load_state()
    page.get_by_text("回答の受付を終了しました").first.wait_for()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
