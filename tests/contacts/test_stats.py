"""Contact statistics (DESIGN 5.4), with every expected figure worked out by hand below."""

import datetime as dt
import io
import json
import os
import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from contacts import stats
from contacts.services import contact_create
from core.audit import Actor
from core.calendar import Month
from tests import factories

JST = ZoneInfo("Asia/Tokyo")


def jst(*args):
    return dt.datetime(*args, tzinfo=JST)


@pytest.fixture(params=["Asia/Tokyo", "UTC", "America/Los_Angeles"])
def server_time_zone(request, settings):
    """Run the test with Django's TIME_ZONE and the process's TZ set to another zone."""
    settings.TIME_ZONE = request.param
    saved = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


@pytest.mark.django_db
def test_late_31_march_counts_in_march_and_early_1_april_in_april(cast, server_time_zone):
    march_person = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 1, 1))
    april_person = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 1, 1))
    factories.ContactFactory(
        client=march_person,
        contacted_at=jst(2024, 3, 31, 23, 30),
        method="workplace_visit",
        face_to_face=True,
    )
    factories.ContactFactory(
        client=april_person,
        contacted_at=jst(2024, 4, 1, 0, 10),
        method="workplace_visit",
        face_to_face=True,
    )
    offices = [cast.office_a]

    march = stats.contact_stats(
        offices=offices, date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31)
    )
    april = stats.contact_stats(
        offices=offices, date_from=dt.date(2024, 4, 1), date_to=dt.date(2024, 4, 30)
    )

    assert march.contacts == 1
    assert april.contacts == 1
    # Both people are in service in both months; each met face to face in one month only.
    assert [(str(m.month), m.active_clients, m.met) for m in march.monthly_face_to_face] == [
        ("2024-03", 2, 1)
    ]
    assert [(str(m.month), m.active_clients, m.met) for m in april.monthly_face_to_face] == [
        ("2024-04", 2, 1)
    ]
    march_only = stats.face_to_face_compliance(offices=offices, month=Month(2024, 3))
    assert march_only.met == 1


@pytest.mark.django_db
def test_the_people_not_met_are_those_the_monthly_compliance_counts_missing(cast, server_time_zone):
    """March and April 2024, whatever the server's zone. L: met at 23:30 JST on 31 March (March
    only). E: met at 00:10 JST on 1 April (April only). F: a face-to-face visit with the
    employer alone, and a deleted interview (never met). N: starts on 10 April (not in service
    in March, not met in April). O: another office's person, never met."""

    def person(code, start=dt.date(2024, 1, 1), office=cast.office_a):
        return factories.ClientFactory(
            office=office, client_code=code, service_start=start, family_name_kana=code
        )

    late, early, family, newcomer = person("L"), person("E"), person("F"), person("N")
    newcomer.service_start = dt.date(2024, 4, 10)
    newcomer.save()
    person("O", office=cast.office_b)
    visit = {"method": "workplace_visit", "face_to_face": True}
    factories.ContactFactory(client=late, contacted_at=jst(2024, 3, 31, 23, 30), **visit)
    factories.ContactFactory(client=early, contacted_at=jst(2024, 4, 1, 0, 10), **visit)
    factories.ContactFactory(
        client=family, contacted_at=jst(2024, 3, 5, 10), counterpart="employer", **visit
    )
    factories.ContactFactory(
        client=family,
        contacted_at=jst(2024, 4, 5, 10),
        deleted_at=jst(2024, 4, 6, 10),
        **visit,
    )
    march, april = Month(2024, 3), Month(2024, 4)

    missing = stats.people_not_met(offices=[cast.office_a], months=[march, april])

    assert [c.client_code for c in missing[march]] == ["E", "F"]
    assert [c.client_code for c in missing[april]] == ["F", "L", "N"]
    for month in (march, april):
        compliance = stats.face_to_face_compliance(offices=[cast.office_a], month=month)
        assert len(missing[month]) == compliance.missing


@pytest.fixture
def april_office(cast):
    """Office A in April 2024: the figures below are derived from this by hand.

    X own-org self-plan (in service), Y other-org consultation-plan (service ends 15 April),
    Z unknown origin, no plan, service from 1 May (not in service in April).
    """
    office = cast.office_a
    x = factories.ClientFactory(
        office=office,
        referral_office=cast.office_a2,
        plan_type="self_plan",
        service_start=dt.date(2024, 1, 1),
    )
    y = factories.ClientFactory(
        office=office,
        referral_office=cast.office_b,
        plan_type="consultation_plan",
        service_start=dt.date(2023, 4, 1),
        service_end=dt.date(2024, 4, 15),
    )
    z = factories.ClientFactory(
        office=office, referral_office=None, plan_type="", service_start=dt.date(2024, 5, 1)
    )
    c = factories.ContactFactory
    c(client=x, contacted_at=jst(2024, 4, 2, 9), method="phone")
    c(client=x, contacted_at=jst(2024, 4, 3, 9), method="phone")
    c(client=x, contacted_at=jst(2024, 4, 10, 10), method="workplace_visit")
    c(client=x, contacted_at=jst(2024, 4, 10, 11), method="workplace_visit", counterpart="employer")
    c(client=y, contacted_at=jst(2024, 4, 5, 18), method="phone", counterpart="family")
    c(client=y, contacted_at=jst(2024, 4, 12, 8), method="email")
    c(client=z, contacted_at=jst(2024, 4, 28, 14), method="office_interview")
    # Outside the period, deleted, or another office's: none of these count.
    c(client=x, contacted_at=jst(2024, 3, 31, 12), method="phone")
    c(client=x, contacted_at=jst(2024, 5, 1, 0, 0), method="phone")
    c(
        client=x,
        contacted_at=jst(2024, 4, 20, 9),
        method="line_sns",
        deleted_at=dt.datetime(2024, 4, 21, tzinfo=dt.UTC),
    )
    other = factories.ClientFactory(office=cast.office_b)
    c(client=other, contacted_at=jst(2024, 4, 15, 9), method="phone")
    return office


@pytest.mark.django_db
def test_shares_by_method_and_counterpart_are_of_all_the_offices_contacts(april_office):
    result = stats.contact_stats(
        offices=[april_office], date_from=dt.date(2024, 4, 1), date_to=dt.date(2024, 4, 30)
    )
    assert result.contacts == 7
    # 3/7 = 42.857 → 42.9; 2/7 = 28.571 → 28.6; 1/7 = 14.285 → 14.3
    assert result.by_method["phone"] == stats.Share(3, Decimal("42.9"))
    assert result.by_method["workplace_visit"] == stats.Share(2, Decimal("28.6"))
    assert result.by_method["email"] == stats.Share(1, Decimal("14.3"))
    assert result.by_method["office_interview"] == stats.Share(1, Decimal("14.3"))
    assert result.by_method["line_sns"] == stats.Share(0, Decimal("0.0"))
    assert len(result.by_method) == 11
    # client 5/7 = 71.4; employer 1/7; family 1/7
    assert result.by_counterpart["client"] == stats.Share(5, Decimal("71.4"))
    assert result.by_counterpart["employer"] == stats.Share(1, Decimal("14.3"))
    assert result.by_counterpart["family"] == stats.Share(1, Decimal("14.3"))
    assert result.by_counterpart["medical"].count == 0
    assert result.face_to_face == 3


@pytest.mark.django_db
def test_groups_count_people_in_service_and_all_their_contacts(april_office):
    result = stats.contact_stats(
        offices=[april_office], date_from=dt.date(2024, 4, 1), date_to=dt.date(2024, 4, 30)
    )
    groups = result.by_group
    assert (groups["own_org"].clients, groups["own_org"].contacts) == (1, 4)
    assert groups["own_org"].by_method["phone"] == 2
    assert groups["own_org"].by_method["workplace_visit"] == 2
    assert (groups["other_org"].clients, groups["other_org"].contacts) == (1, 2)
    assert groups["other_org"].by_method["email"] == 1
    # Z has a contact in April but is not in service until May.
    assert (groups["unknown_origin"].clients, groups["unknown_origin"].contacts) == (0, 1)
    assert (groups["self_plan"].clients, groups["self_plan"].contacts) == (1, 4)
    assert (groups["consultation_plan"].clients, groups["consultation_plan"].contacts) == (1, 2)


@pytest.mark.django_db
def test_only_a_face_to_face_contact_with_the_person_meets_the_month(april_office):
    # X met at work (counterpart: the person). Y: phone with family and e-mail only. Z: not
    # in service in April, so its interview neither adds a person nor a meeting.
    april = stats.face_to_face_compliance(offices=[april_office], month=Month(2024, 4))
    assert (april.active_clients, april.met, april.percent) == (2, 1, Decimal("50.0"))


@pytest.mark.django_db
def test_a_workplace_visit_with_the_employer_alone_does_not_meet_the_month(cast):
    person = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 1, 1))
    factories.ContactFactory(
        client=person,
        contacted_at=jst(2024, 6, 3, 10),
        method="workplace_visit",
        counterpart="employer",
    )
    june = stats.face_to_face_compliance(offices=[cast.office_a], month=Month(2024, 6))
    assert (june.active_clients, june.met) == (1, 0)


@pytest.mark.django_db
def test_a_video_call_meets_the_month_only_where_the_office_says_so(cast):
    cast.office_a.video_call_counts_as_face_to_face = True
    cast.office_a.save()
    counting = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 1, 1))
    not_counting = factories.ClientFactory(office=cast.office_b, service_start=dt.date(2024, 1, 1))
    for person in (counting, not_counting):
        contact_create(
            client=person,
            staff=None,
            contacted_at=jst(2024, 6, 3, 10),
            method="video_call",
            counterpart="client",
            actor=Actor.command(),
        )
    assert stats.face_to_face_compliance(offices=[cast.office_a], month=Month(2024, 6)).met == 1
    assert stats.face_to_face_compliance(offices=[cast.office_b], month=Month(2024, 6)).met == 0


@pytest.mark.django_db
def test_a_corporation_adds_up_its_offices(cast):
    for office in (cast.office_a, cast.office_a2):
        person = factories.ClientFactory(office=office, service_start=dt.date(2024, 1, 1))
        factories.ContactFactory(client=person, contacted_at=jst(2024, 6, 3, 10))
    result = stats.contact_stats(
        offices=cast.corporation_a.offices.all(),
        date_from=dt.date(2024, 6, 1),
        date_to=dt.date(2024, 6, 30),
    )
    assert result.contacts == 2
    assert result.monthly_face_to_face[0].active_clients == 2


@pytest.mark.django_db
def test_a_period_across_months_lists_each_month(cast):
    result = stats.contact_stats(
        offices=[cast.office_a], date_from=dt.date(2024, 3, 15), date_to=dt.date(2024, 5, 2)
    )
    assert [str(m.month) for m in result.monthly_face_to_face] == ["2024-03", "2024-04", "2024-05"]


def test_method_mix_puts_the_national_mix_beside_the_office():
    by_method = {
        "phone": stats.Share(1, Decimal("12.5")),
        "workplace_visit": stats.Share(7, Decimal("87.5")),
    }
    rows = stats.method_mix(by_method, national_mix={"phone": 31.4})
    assert rows[0].national_percent == Decimal("31.4")
    assert rows[0].difference == Decimal("-18.9")
    assert rows[1].national_percent is None and rows[1].difference is None


@pytest.mark.django_db
def test_contact_stats_command_prints_the_design_document(april_office):
    out = io.StringIO()
    call_command(
        "contact_stats",
        "--office",
        april_office.office_number,
        "--from",
        "2024-04-01",
        "--to",
        "2024-04-30",
        "--format",
        "json",
        stdout=out,
    )
    document = json.loads(out.getvalue())
    assert set(document) == {
        "office_number",
        "from",
        "to",
        "contacts",
        "by_method",
        "by_counterpart",
        "face_to_face",
        "by_group",
        "monthly_face_to_face",
        # The plans app's addition (data-contracts 5.4, issue 13 item 8).
        "handover_comparison",
    }
    assert document["office_number"] == april_office.office_number
    assert (document["from"], document["to"]) == ("2024-04-01", "2024-04-30")
    assert document["by_method"]["phone"] == {"count": 3, "percent": 42.9}
    assert set(document["by_counterpart"]["client"]) == {"count", "percent"}
    assert set(document["by_group"]) == {
        "own_org",
        "other_org",
        "unknown_origin",
        "self_plan",
        "consultation_plan",
    }
    assert set(document["by_group"]["own_org"]) == {"clients", "contacts", "by_method"}
    assert document["by_group"]["own_org"]["by_method"]["phone"] == 2
    assert document["monthly_face_to_face"] == [
        {"month": "2024-04", "active_clients": 2, "met": 1, "percent": 50.0}
    ]
