"""One date style on the pages a staff member lives in, in chromium on a desk and a phone: a user
who chose the era calendar reads 令和 dates on the client page, the contact list and a plan page;
a user who chose nothing reads 2024年4月1日; neither sees an ISO date (2024-04-01)."""

import datetime as dt
import re

import pytest

from core.calendar import JST
from core.models import UserPreference
from tests import factories
from tests.plans.conftest import agreed_plan

D = dt.date
ISO_DATE = re.compile(r"\d{4}-\d{1,2}(-\d{1,2})?")
WESTERN_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


@pytest.fixture
def person_with_a_plan(cast):
    """Service from 1 April 2024 (令和6年), hired 1 October 2023 (令和5年), a phone call on
    7 May 2024 at 10:00, and a plan of 1 April 2024."""
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, family_name="暦野", given_name="花子",
        service_start=D(2024, 4, 1), birth_date=D(1990, 4, 1),
    )  # fmt: skip
    factories.EmploymentFactory(client=person, start_date=D(2023, 10, 1))
    factories.ContactFactory(
        client=person, staff=cast.alice, summary="勤務の様子を確認",
        contacted_at=dt.datetime(2024, 5, 7, 10, 0, tzinfo=JST),
    )  # fmt: skip
    plan = agreed_plan(person, D(2024, 4, 1))
    return person, plan


def _pages(person, plan):
    return {
        "client": f"/clients/{person.pk}/",
        "contacts": "/contacts/",
        "plan": f"/plans/{plan.pk}/",
    }


def _open(logged_in_page, user, mobile):
    page = logged_in_page(user, mobile=mobile)
    if not mobile:
        page.set_viewport_size({"width": 1280, "height": 900})
    return page


def _read(page, url):
    page.goto(url)
    text = page.inner_text("main")
    assert not ISO_DATE.search(text), ISO_DATE.search(text)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    return text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_a_user_who_chose_the_era_calendar_reads_reiwa_dates(
    logged_in_page, cast, person_with_a_plan, mobile
):
    UserPreference.objects.create(user=cast.alice, date_style="wareki")
    pages = _pages(*person_with_a_plan)
    page = _open(logged_in_page, cast.alice, mobile)

    client_page = _read(page, pages["client"])
    assert "令和6年4月1日" in client_page  # the service start
    assert "令和9年3月31日" in client_page  # its 3-year limit
    assert "平成2年4月1日" in client_page  # the birth date
    assert "令和5年10月1日" in client_page  # the hire
    assert not WESTERN_DATE.search(client_page), WESTERN_DATE.search(client_page)

    contacts = _read(page, pages["contacts"])
    assert "令和6年5月7日 10:00" in contacts
    assert not WESTERN_DATE.search(contacts)

    plan = _read(page, pages["plan"])
    assert "令和6年4月1日" in plan  # the plan date, approval and agreement
    assert "令和6年10月1日" in plan  # the review, six months on
    assert not WESTERN_DATE.search(plan)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mobile", [False, True], ids=["1280px", "390px"])
def test_a_user_who_chose_nothing_reads_western_dates_in_japanese(
    logged_in_page, cast, person_with_a_plan, mobile
):
    pages = _pages(*person_with_a_plan)
    page = _open(logged_in_page, cast.bob, mobile)

    client_page = _read(page, pages["client"])
    assert "2024年4月1日" in client_page and "2027年3月31日" in client_page
    assert "1990年4月1日" in client_page and "2023年10月1日" in client_page
    assert "令和" not in client_page and "平成" not in client_page

    contacts = _read(page, pages["contacts"])
    assert "2024年5月7日 10:00" in contacts
    assert "令和" not in contacts

    plan = _read(page, pages["plan"])
    assert "2024年4月1日" in plan and "2024年10月1日" in plan
    assert "令和" not in plan
