"""The retention pages on the database (Office A of retention_office_a.py): the office dashboard,
the corporation page and the report agree; the client page shows the provisional month and
the data problem."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.clients.retention_office_a import JST, _report


@pytest.mark.django_db
def test_dashboard_report_and_corporation_page_agree(client, cast, office_a_second_edition):
    with time_machine.travel(dt.datetime(2024, 4, 15, 12, tzinfo=JST), tick=False):
        report = _report(office_a_second_edition)  # as of today in Japan
        client.force_login(cast.bob)
        office_page = client.get(
            reverse("retention_office", kwargs={"office_number": cast.office_a.office_number}),
            {"fiscal_year": 2024},
        )
        client.force_login(cast.diana)
        corporation_page = client.get(
            reverse("retention_corporation", kwargs={"corporation_pk": cast.corporation_a.pk}),
            {"fiscal_year": 2024},
        )
    on_corporation_page = [
        o.retention
        for o in corporation_page.context["outlooks"]
        if o.retention.office == cast.office_a
    ]
    assert report["as_of"] == "2024-04-15" and report["retained"] == 3
    assert office_page.context["retention"].as_json() == report
    assert on_corporation_page[0].as_json() == report
    text = office_page.content.decode()
    assert "75.0%" in text
    provisional = text[text.index('id="retention-provisional"') :]
    assert "A02" in provisional and "2024年4月15日" in provisional.split("</div>")[0]
    problems = text[text.index('id="retention-data-problems"') :].split("</div>")[0]
    a03 = cast.office_a.clients.get(client_code="A03")
    assert reverse("client_detail", kwargs={"client_pk": a03.pk}) + "#employment-table" in problems
    assert "A01" not in problems and "A02" not in problems


@pytest.mark.django_db
def test_the_client_page_shows_the_provisional_month_and_the_data_problem(
    client, cast, office_a_second_edition
):
    a02 = cast.office_a.clients.get(client_code="A02")
    a03 = cast.office_a.clients.get(client_code="A03")
    client.force_login(cast.bob)
    with time_machine.travel(dt.datetime(2024, 4, 10, 12, tzinfo=JST), tick=False):
        a02_page = client.get(reverse("client_detail", kwargs={"client_pk": a02.pk}))
        a03_page = client.get(reverse("client_detail", kwargs={"client_pk": a03.pk}))
    assert a02_page.context["continuity"].reason == "awaiting_reemployment"
    assert 'id="awaiting-reemployment"' in a02_page.content.decode()
    assert "2024年4月15日" in a02_page.content.decode()
    assert 'id="no-qualifying-employment"' in a03_page.content.decode()
    assert reverse("employment_create", kwargs={"client_pk": a03.pk}) in a03_page.content.decode()
