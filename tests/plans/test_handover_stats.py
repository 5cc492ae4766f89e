"""The paper's comparison (item 8), hand-derived on five people of office A, April–June 2025.

| code | origin | plan | hand-over | in service | contacts (life side) | employed |
|---|---|---|---|---|---|---|
| W1 | other_org | self_plan | shared | Apr–Jun (3) | 4: 2 client, 1 family, 1 medical (2) | yes |
| W2 | other_org | consultation | withdrawn | Apr–Jun (3) | 3: 3 employer (0) | left 31 May |
| N1 | other_org | consultation | none | from 15 May (2) | 1: consultation (1) | yes |
| O1 | own_org | self_plan | – | Apr–Jun (3) | 2: family, client (1) | yes |
| X1 | other_org | self_plan | – | ended 31 Mar: outside | 5 in March | – |

with hand-over: W1 → 1 person, 3 months, 4 contacts = 1.33/month, life 2 (50.0%), retained 1.
without: W2, N1 → 2 people, 5 months, 4 contacts = 0.80, life 1 (25.0%), retained 1 (50.0%).
self_plan: W1, O1 → 2, 6 months, 6 contacts = 1.00, life 3 (50.0%), retained 2 (100.0%).
consultation_plan: W2, N1 → as "without".
"""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.audit import Actor
from plans import services, stats
from tests import factories

D = dt.date
JST = dt.timezone(dt.timedelta(hours=9))
pytestmark = pytest.mark.django_db
APRIL_2024 = D(2024, 4, 1)


def at(day):
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=JST)


@pytest.fixture
def people(cast):
    other, own = cast.office_b, cast.office_a2
    employer = factories.EmployerFactory(office=cast.office_a)

    def person(code, *, referral, plan, start=APRIL_2024, end=None, left=None):
        client = factories.ClientFactory(
            office=cast.office_a, client_code=code, referral_office=referral, plan_type=plan,
            service_start=start, service_end=end,
        )  # fmt: skip
        factories.EmploymentFactory(
            client=client, employer=employer, start_date=start - dt.timedelta(days=200),
            end_date=left,
        )  # fmt: skip
        return client

    w1 = person("W1", referral=other, plan="self_plan")
    w2 = person("W2", referral=other, plan="consultation_plan", left=D(2025, 5, 31))
    n1 = person("N1", referral=other, plan="consultation_plan", start=D(2025, 5, 15))
    o1 = person("O1", referral=own, plan="self_plan")
    x1 = person("X1", referral=other, plan="self_plan", end=D(2025, 3, 31))
    actor = Actor.command()
    for client, withdrawn in ((w1, None), (w2, D(2025, 5, 1))):
        handover = services.referral_handover_create(
            actor=actor, referring_office=other, receiving_office=cast.office_a, client=client,
            consented_on=D(2025, 3, 1), consent_method="signature",
        )  # fmt: skip
        if withdrawn:
            services.referral_handover_withdraw(
                actor=actor, handover=handover, withdrawn_on=withdrawn, office=cast.office_a
            )
    contacts = [
        (w1, "client"), (w1, "client"), (w1, "family"), (w1, "medical"),
        (w2, "employer"), (w2, "employer"), (w2, "employer"),
        (n1, "consultation"), (o1, "family"), (o1, "client"),
    ]  # fmt: skip
    for index, (client, counterpart) in enumerate(contacts):
        factories.ContactFactory(
            client=client, counterpart=counterpart, contacted_at=at(D(2025, 5, 20 + index % 5))
        )
    for day in range(1, 6):
        factories.ContactFactory(client=x1, counterpart="family", contacted_at=at(D(2025, 3, day)))
    return cast


def test_the_comparison_matches_the_hand_count(people, django_assert_max_num_queries):
    # the people, their contacts and their employments: a fixed number whatever the office's
    # size
    with django_assert_max_num_queries(3):
        result = stats.handover_comparison(
            offices=[people.office_a], date_from=D(2025, 4, 1), date_to=D(2025, 6, 30)
        )
    data = result.as_json()
    assert data["other_org_with_handover"] == {
        "clients": 1, "client_months": 3, "contacts": 4, "contacts_per_month": 1.33,
        "life_side_contacts": 2, "life_side_percent": 50.0, "retained": 1,
        "retention_percent": 100.0,
    }  # fmt: skip
    assert data["other_org_without_handover"] == {
        "clients": 2, "client_months": 5, "contacts": 4, "contacts_per_month": 0.8,
        "life_side_contacts": 1, "life_side_percent": 25.0, "retained": 1,
        "retention_percent": 50.0,
    }  # fmt: skip
    assert data["self_plan"]["clients"] == 2 and data["self_plan"]["client_months"] == 6
    assert data["self_plan"]["contacts_per_month"] == 1.0
    assert data["self_plan"]["life_side_percent"] == 50.0
    assert data["self_plan"]["retention_percent"] == 100.0
    assert data["consultation_plan"] == data["other_org_without_handover"]


def test_the_statistics_rows_give_the_same_comparison_in_two_queries(
    people, django_assert_num_queries
):
    """The statistics page hands over the people and contacts its ``contact_stats`` read: only
    the hand-overs and the employments are read again, and every figure is the hand count's."""
    from contacts.stats import contact_stats

    offices, period = [people.office_a], {"date_from": D(2025, 4, 1), "date_to": D(2025, 6, 30)}
    read = stats.handover_comparison(offices=offices, **period)
    counted = contact_stats(offices=offices, **period).rows
    with django_assert_num_queries(2):
        given = stats.handover_comparison(offices=offices, counted=counted, **period)
    assert given == read
    assert given.as_json()["other_org_with_handover"]["contacts_per_month"] == 1.33
    # Rows of another period, or of another offices object, are not taken: read again.
    with django_assert_num_queries(3):
        stats.handover_comparison(
            offices=offices, date_from=D(2025, 5, 1), date_to=D(2025, 6, 30), counted=counted
        )
    with django_assert_num_queries(3):
        stats.handover_comparison(offices=[people.office_a], counted=counted, **period)


def test_contact_stats_prints_the_comparison_under_its_own_key(people):
    out = StringIO()
    call_command(
        "contact_stats", office=people.office_a.office_number, date_from=D(2025, 4, 1),
        date_to=D(2025, 6, 30), stdout=out,
    )  # fmt: skip
    document = json.loads(out.getvalue())
    assert document["handover_comparison"]["other_org_with_handover"]["clients"] == 1
    assert "by_group" in document  # the existing keys are unchanged


def test_the_statistics_page_shows_the_comparison_table(people, client):
    client.force_login(people.bob)
    page = client.get(
        reverse("contact_stats_page"),
        {"scope": f"office:{people.office_a.office_number}", "date_from": "2025-04-01",
         "date_to": "2025-06-30"},
    ).content.decode()  # fmt: skip
    table = page.split('id="handover-comparison"')[1].split("</table>")[0]
    assert 'data-group="other_org_with_handover"' in table and "1.33" in table
