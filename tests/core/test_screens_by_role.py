"""Screens that fit the role: where each role lands, dates as the user reads them, the security
token page, and the print view in English."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as BrowserClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import UserPreference
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_survey_coordinator_without_an_office_lands_on_the_survey_list(cast, client):
    coordinator = factories.SurveyCoordinatorFactory().user
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("survey_list")


def test_someone_with_no_role_still_hears_they_belong_to_no_office(cast, client):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "contacts/home_no_office.html" in [t.name for t in response.templates]


def test_a_user_who_chooses_the_era_calendar_sees_birth_dates_in_it_with_the_age(cast, client):
    person = factories.ClientFactory(office=cast.office_a, birth_date=dt.date(1990, 4, 1))
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[person.pk])).content.decode()
    assert "1990年4月1日" in page
    assert "歳）" in page
    response = client.post(reverse("preferences"), {"date_style": "wareki"})
    assert response.status_code == 302
    assert UserPreference.objects.get(user=cast.alice).date_style == "wareki"
    page = client.get(reverse("client_detail", args=[person.pk])).content.decode()
    assert "平成2年4月1日" in page


def test_months_read_in_the_era_calendar_on_the_statistics_page(cast, client):
    UserPreference.objects.create(user=cast.bob, date_style="wareki")
    client.force_login(cast.bob)
    page = client.get(
        reverse("contact_stats_page"), {"date_from": "2024-04-01", "date_to": "2024-05-31"}
    ).content.decode()
    assert "令和6年4月" in page
    assert "2024年4月" not in page


def test_the_date_style_comes_with_the_session_user_not_a_query_of_its_own(cast, client):
    UserPreference.objects.create(user=cast.bob, date_style="wareki")
    client.force_login(cast.bob)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(
            reverse("contact_stats_page"), {"date_from": "2024-04-01", "date_to": "2024-05-31"}
        ).content.decode()
    assert "令和6年4月" in page
    alone = [q["sql"] for q in captured if q["sql"].lstrip().startswith('SELECT "core_userpref')]
    assert alone == []


def test_a_stale_security_token_gets_a_japanese_page_not_the_technical_one(cast):
    browser = BrowserClient(enforce_csrf_checks=True)
    browser.force_login(cast.alice)
    response = browser.post(reverse("preferences"), {"date_style": "wareki"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "送信できませんでした" in page
    assert "CSRF" not in page


def test_the_worklist_shows_the_last_contact_and_the_days_left(cast, client):
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, service_start=dt.date(2020, 4, 1)
    )
    factories.ContactFactory(
        client=person, staff=cast.alice, method="phone", counterpart="client",
        contacted_at=dt.datetime(2020, 5, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))),
    )  # fmt: skip
    client.force_login(cast.alice)
    response = client.get(reverse("worklist"))
    page = response.content.decode()
    assert "最終連絡 2020年5月7日" in page
    days = response.context["worklist"].days_left_in_month
    assert f"今月は残り{days}日" in page


def test_the_print_view_in_english_has_no_japanese_date_format(cast, client):
    person = factories.ClientFactory(office=cast.office_a, staff_in_charge=cast.alice)
    report = factories.SupportReportFactory(
        client=person, month=dt.date(2024, 5, 1), shared_with_client_on=dt.date(2024, 5, 31)
    )
    client.force_login(cast.alice)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("report_print", args=[report.pk])).content.decode()
    assert "May 2024" in page
    assert "May 31, 2024" in page
    assert "年" not in page
    assert "様" not in page
    client.cookies["django_language"] = "ja"
    page = client.get(reverse("report_print", args=[report.pk])).content.decode()
    assert "2024年5月31日" in page
    assert "様" in page


def test_the_import_page_names_the_kind_in_words(cast, client):
    from core.models import ImportJob

    job = ImportJob.objects.create(user=cast.bob, kind="clients", filename="c.csv")
    client.force_login(cast.bob)
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "<code>clients</code>" not in page
    assert "利用者" in page
