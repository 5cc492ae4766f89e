"""Logging a contact on a phone shows the current plan's short-term goals, folded away."""

import datetime as dt

import pytest

from tests import factories
from tests.plans.conftest import agreed_plan


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_quick_entry_on_a_phone_shows_the_short_term_goals(cast, logged_in_page):
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, service_start=dt.date(2020, 4, 1)
    )
    agreed_plan(person, dt.date.today() - dt.timedelta(days=10),
                goals="朝7時に起きて出勤する\n困ったら上司に相談する")  # fmt: skip
    page = logged_in_page(cast.alice, mobile=True)
    page.goto(f"/contacts/clients/{person.pk}/new/")
    panel = page.locator("#plan-goals")
    goal = panel.get_by_text("朝7時に起きて出勤する")
    assert not goal.is_visible()  # folded: the form stays at the top of a small screen
    panel.locator("summary").tap()
    assert goal.is_visible()
    assert panel.get_by_text("困ったら上司に相談する").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
