"""Query counts that do not grow with the data: each rule and page asks the same number of
queries for a few people as for many, and for two offices as for six.

Sizes, not speeds: the timings live in ``bench/run.py``, which also checks these counts at
national scale.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.retention import offices_retention
from contacts import stats
from contacts.worklist import worklist_for
from surveys.report import compute_survey_report, national_method_mix, survey_report
from tests import factories

JST = ZoneInfo("Asia/Tokyo")
TODAY = dt.date(2024, 6, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2024, 6, 20, 10, tzinfo=JST), tick=False):
        yield


def queries_of(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def add_people(office, count, *, staff):
    """``count`` people of ``office`` in ``staff``'s charge, each with a job, contacts this month
    and last, and a follow-up due."""
    for _ in range(count):
        person = factories.ClientFactory(office=office, staff_in_charge=staff)
        factories.EmploymentFactory(client=person)
        for month, day in ((5, 10), (6, 3)):
            factories.ContactFactory(
                client=person,
                staff=staff,
                contacted_at=dt.datetime(2024, month, day, 10, tzinfo=JST),
                method="office_interview",
                next_follow_up=dt.date(2024, 6, 10),
            )


def add_offices(corporation, count, *, people=2):
    offices = []
    for _ in range(count):
        office = factories.OfficeFactory(corporation=corporation)
        add_people(office, people, staff=None)
        offices.append(office)
    return offices


def the_same_at_both_sizes(measure, grow):
    """The query count of ``measure`` before and after ``grow`` adds data."""
    small = measure()
    grow()
    large = measure()
    assert large == small
    return small


@pytest.mark.django_db
def test_retention_takes_the_same_queries_for_two_offices_as_for_six(cast):
    offices = [cast.office_a, cast.office_a2]
    add_people(cast.office_a, 5, staff=cast.alice)

    def measure():
        return queries_of(lambda: offices_retention(offices=offices, fiscal_year=2024))

    def grow():
        offices.extend(add_offices(cast.corporation_a, 4, people=10))

    # The offices' clients (the users in the window and the first service starts), the users'
    # employments, the fee table.
    assert the_same_at_both_sizes(measure, grow) == 3


@pytest.mark.django_db
def test_contact_statistics_take_the_same_queries_for_five_people_as_for_forty(cast):
    add_people(cast.office_a, 5, staff=cast.alice)

    def measure():
        return queries_of(
            lambda: stats.contact_stats(
                offices=[cast.office_a], date_from=dt.date(2023, 7, 1), date_to=TODAY
            )
        )

    assert the_same_at_both_sizes(measure, lambda: add_people(cast.office_a, 35, staff=None)) <= 4


@pytest.mark.django_db
def test_the_worklist_takes_the_same_queries_for_five_people_as_for_forty(cast):
    add_people(cast.office_a, 5, staff=cast.alice)

    def measure():
        worklist = worklist_for(user=cast.alice, today=TODAY)
        assert worklist.follow_ups and worklist.count
        return queries_of(lambda: worklist_for(user=cast.alice, today=TODAY).people)

    the_same_at_both_sizes(measure, lambda: add_people(cast.office_a, 35, staff=cast.alice))


@pytest.mark.django_db
def test_the_home_pages_take_the_same_queries_at_any_size(cast, client):
    add_people(cast.office_a, 5, staff=cast.alice)

    def measure():
        counts = []
        for user in (cast.alice, cast.bob, cast.diana):  # staff, office manager, corporation
            client.force_login(user)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("home"))
            assert response.status_code == 200
            counts.append(len(captured))
        return counts

    def grow():
        add_people(cast.office_a, 35, staff=cast.alice)
        add_offices(cast.corporation_a, 4)

    the_same_at_both_sizes(measure, grow)


@pytest.mark.django_db
def test_the_client_list_takes_the_same_queries_for_five_people_as_for_forty(cast, client):
    add_people(cast.office_a, 5, staff=cast.alice)
    client.force_login(cast.bob)
    client.get(reverse("client_list"))  # the session's expiry renewed (core.sessions), once

    def measure():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("client_list"))
        assert response.status_code == 200
        return len(captured)

    the_same_at_both_sizes(measure, lambda: add_people(cast.office_a, 35, staff=cast.alice))


@pytest.mark.django_db
def test_the_client_list_query_reads_only_the_columns_it_shows(cast):
    from clients import selectors as services

    add_people(cast.office_a, 3, staff=cast.alice)
    with CaptureQueriesContext(connection) as captured:
        list(services.clients_visible_to(user=cast.bob))
    (sql,) = [q["sql"] for q in captured.captured_queries]
    selected = sql.split(" FROM ")[0]
    assert "birth_date" not in selected and "corporation_number" not in selected
    assert "family_name_kana" in selected


@pytest.mark.django_db
def test_the_survey_report_takes_the_same_queries_for_five_responses_as_for_forty(cast, client):
    survey = factories.challenge_survey(status="closed")
    values = {"status_methods": ["phone", "office_interview"]}

    def answer(n):
        for _ in range(n):
            factories.respond(survey, values)

    answer(5)

    def measure():
        return queries_of(lambda: compute_survey_report(survey))

    assert the_same_at_both_sizes(measure, lambda: answer(35)) <= 10


@pytest.mark.django_db
def test_the_cached_survey_report_is_one_query_until_its_inputs_change(cast):
    from surveys.services import report_inputs_changed

    survey = factories.challenge_survey(status="closed")
    factories.respond(survey, {"status_methods": ["phone"]})
    report_inputs_changed(survey)
    assert survey_report(survey)["respondents"] == 1
    # The version, read from the database: a survey object loaded before a change is not fooled.
    assert queries_of(lambda: survey_report(survey)) == 1
    factories.respond(survey, {"status_methods": ["phone"]})
    assert survey_report(survey)["respondents"] == 1  # not bumped: the stored report
    report_inputs_changed(survey)
    assert survey_report(survey)["respondents"] == 2


@pytest.mark.django_db
def test_the_national_method_mix_is_read_from_the_cache_until_the_answers_change(cast):
    from surveys.services import response_submit

    survey = factories.challenge_survey(status="closed")
    factories.respond(survey, {"status_methods": ["phone"]})
    survey.answers_changed()

    assert national_method_mix(survey)["phone"] == 100.0
    assert queries_of(lambda: national_method_mix(survey)) == 0

    survey.status = "open"
    survey.save(update_fields=["status"])
    response_submit(survey=survey, values={"status_methods": ["office_interview"]})
    assert survey.answers_version == 2
    mix = national_method_mix(survey)
    assert mix["phone"] == 50.0 and mix["office_interview"] == 50.0


@pytest.mark.django_db
def test_the_statistics_page_asks_the_same_queries_with_a_national_survey_of_any_size(cast, client):
    survey = factories.challenge_survey(status="closed")
    add_people(cast.office_a, 5, staff=cast.alice)
    client.force_login(cast.bob)

    def measure():
        client.get(reverse("contact_stats_page"))  # the mix is cached from the first view on
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("contact_stats_page"))
        assert response.status_code == 200
        return len(captured)

    def grow():
        for _ in range(10):
            factories.respond(survey, {"status_methods": ["phone"]})
        survey.answers_changed()
        add_people(cast.office_a, 35, staff=cast.alice)

    the_same_at_both_sizes(measure, grow)


@pytest.mark.django_db
def test_the_retention_page_takes_the_same_queries_for_five_people_as_for_forty(cast, client):
    """The page's billing figures of the month read every person's report sharing date in one
    query (not one per person)."""
    add_people(cast.office_a, 5, staff=cast.alice)
    client.force_login(cast.bob)
    url = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    client.get(url)  # the session's expiry renewed (core.sessions), once

    def measure():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    the_same_at_both_sizes(measure, lambda: add_people(cast.office_a, 35, staff=cast.alice))


@pytest.mark.django_db
def test_the_people_not_met_of_any_number_of_months_take_the_same_three_queries(cast):
    from core.calendar import Month

    office = factories.OfficeFactory(corporation=cast.corporation_a)
    add_people(office, 2, staff=None)  # in service since April 2023, met in May and June 2024
    met = set(office.clients.all())
    newcomer = factories.ClientFactory(office=office, service_start=dt.date(2024, 5, 1))
    months = [Month(2024, 3), Month(2024, 4), Month(2024, 5), Month(2024, 6)]

    with CaptureQueriesContext(connection) as one_month:
        stats.people_not_met(offices=[office], months=months[:1])
    with CaptureQueriesContext(connection) as captured:
        missing = stats.people_not_met(offices=[office], months=months)

    # The people, the people met each month, the people not met by name: for one month or four.
    assert len(captured) == len(one_month) == 3
    # March and April: the two people, not met then; the newcomer was not yet in service.
    assert set(missing[Month(2024, 3)]) == set(missing[Month(2024, 4)]) == met
    # May and June: the two were met; the newcomer, in service, never was.
    assert missing[Month(2024, 5)] == missing[Month(2024, 6)] == [newcomer]
    assert stats.people_not_met(offices=[office], months=[]) == {}


@pytest.mark.django_db
def test_the_people_not_met_read_from_the_statistics_rows_take_one_query(cast):
    """The statistics page names the people not met from the rows ``contact_stats`` read (its
    people and the people met each month): the same people as reading them again, in one query
    (the names) instead of three."""
    from core.calendar import Month

    office = factories.OfficeFactory(corporation=cast.corporation_a)
    add_people(office, 2, staff=None)  # in service since April 2023, met in May and June 2024
    factories.ClientFactory(office=office, service_start=dt.date(2024, 5, 1))
    offices = [office]
    result = stats.contact_stats(
        offices=offices, date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 6, 30)
    )
    months = [m.month for m in result.monthly_face_to_face if m.missing]
    assert months == [Month(2024, 3), Month(2024, 4), Month(2024, 5), Month(2024, 6)]

    with CaptureQueriesContext(connection) as captured:
        from_rows = stats.people_not_met(offices=offices, months=months, counted=result.rows)
    assert len(captured) == 1
    assert from_rows == stats.people_not_met(offices=[office], months=months)
    # Rows read for other offices are not used: the people are read again.
    other = [factories.OfficeFactory(corporation=cast.corporation_a)]
    with CaptureQueriesContext(connection) as captured:
        stats.people_not_met(offices=other, months=months, counted=result.rows)
    assert len(captured) == 2  # the people and the meetings; nobody to name
