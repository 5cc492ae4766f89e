"""One rule for "met face to face in a month": every place that counts it agrees."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from clients.models import Client
from clients.timeline import events_of
from contacts import face_to_face, reports, stats, worklist
from contacts.models import Contact
from contacts.services import contact_create, contact_update
from core.audit import Actor
from core.calendar import Month
from tests import factories

JST = ZoneInfo("Asia/Tokyo")
MARCH = Month(2024, 3)

pytestmark = pytest.mark.django_db


def _log(client, method, counterpart, day=10):
    """A contact logged with the default face-to-face flag, as the quick entry does."""
    return contact_create(
        client=client,
        staff=None,
        contacted_at=dt.datetime(2024, 3, day, 10, 0, tzinfo=JST),
        method=method,
        counterpart=counterpart,
        actor=Actor.command(),
    )


@pytest.fixture
def cast():
    """Four people in service in March 2024, each with one contact in March:

    - video call with the person at an office where video calls count → met;
    - video call with the person at an office where they do not count → not met;
    - workplace visit with the employer only → not met;
    - home visit with the person, deleted afterwards → not met.
    """
    counting = factories.OfficeFactory(video_call_counts_as_face_to_face=True)
    not_counting = factories.OfficeFactory(video_call_counts_as_face_to_face=False)
    video_counted = factories.ClientFactory(office=counting, client_code="A")
    employer_only = factories.ClientFactory(office=counting, client_code="B")
    video_not_counted = factories.ClientFactory(office=not_counting, client_code="C")
    deleted = factories.ClientFactory(office=not_counting, client_code="D")
    _log(video_counted, "video_call", "client")
    _log(employer_only, "workplace_visit", "employer")
    _log(video_not_counted, "video_call", "client")
    gone = _log(deleted, "home_visit", "client")
    Contact.objects.filter(pk=gone.pk).update(deleted_at=dt.datetime(2024, 3, 11, tzinfo=JST))
    return {
        "offices": [counting, not_counting],
        "met": {video_counted.client_code},
        "clients": [video_counted, employer_only, video_not_counted, deleted],
    }


def test_the_video_call_setting_decides_the_default_flag(cast):
    counting, not_counting = cast["offices"]
    assert face_to_face.default_face_to_face(method="video_call", office=counting)
    assert not face_to_face.default_face_to_face(method="video_call", office=not_counting)
    assert face_to_face.default_face_to_face(method="workplace_visit", office=not_counting)
    assert not face_to_face.default_face_to_face(method="phone", office=counting)


def test_python_predicate_and_query_agree_on_every_contact(cast):
    contacts = list(Contact.objects.all())
    in_query = set(Contact.objects.filter(face_to_face.meeting_q()).values_list("pk", flat=True))
    assert {c.pk for c in contacts if face_to_face.meets_the_person(c)} == in_query


def test_face_to_face_with_the_employer_does_not_meet_the_person(cast):
    visit = Contact.objects.get(client__client_code="B")
    assert visit.face_to_face
    assert not face_to_face.meets_the_person(visit)


def test_every_place_counts_the_same_people_as_met(cast):
    clients = cast["clients"]
    expected = cast["met"]

    python = {
        c.client_code
        for c in clients
        if face_to_face.is_met_in_month(list(Contact.objects.filter(client=c)), MARCH)
    }
    query = set(
        Client.objects.filter(face_to_face.met_in_month(MARCH)).values_list(
            "client_code", flat=True
        )
    )
    missing = worklist.clients_without_face_to_face(
        Client.objects.filter(pk__in=[c.pk for c in clients]), month=MARCH
    )
    worklist_met = {c.client_code for c in clients} - {c.client_code for c in missing}
    compliance = stats.face_to_face_compliance(offices=cast["offices"], month=MARCH)
    by_office = stats.face_to_face_compliance_by_office(offices=cast["offices"], month=MARCH)
    monthly = stats.contact_stats(
        offices=cast["offices"], date_from=MARCH.first_day, date_to=MARCH.last_day
    ).monthly_face_to_face[0]

    assert python == query == worklist_met == expected
    assert (compliance.active_clients, compliance.met) == (4, 1)
    assert [c.met for c in by_office.values()] == [1, 0]
    assert (monthly.active_clients, monthly.met) == (4, 1)


@translation.override("en")
def test_timeline_and_report_prefill_count_the_same_meetings(cast):
    titles, summaries = {}, {}
    for client in cast["clients"]:
        titles[client.client_code] = [
            e["title"] for e in events_of(client, []) if e["kind"] == "contacts"
        ]
        summaries[client.client_code] = reports.prefill(client=client, month=MARCH)["summary"]

    assert titles == {
        "A": ["March 2024: 1 contacts, 1 face-to-face with the person"],
        "B": ["March 2024: 1 contacts, 0 face-to-face with the person"],
        "C": ["March 2024: 1 contacts, 0 face-to-face with the person"],
        "D": [],  # its only contact is deleted
    }
    assert summaries["A"] == "1 contacts this month, 1 of them face to face with the person."
    assert summaries["B"] == "1 contacts this month, 0 of them face to face with the person."
    assert summaries["C"] == "1 contacts this month, 0 of them face to face with the person."
    assert summaries["D"] == "0 contacts this month, 0 of them face to face with the person."


def test_an_edit_left_open_takes_the_default_of_the_new_method_as_creation_does(cast):
    """The service applies the office's default on edit as on creation (the view no longer does):
    a phone call (not met) edited into a home visit with the flag left open is met."""
    counting, _not_counting = cast["offices"]
    person = factories.ClientFactory(office=counting, client_code="E")
    call = _log(person, "phone", "client", day=12)
    assert not call.face_to_face
    edited = contact_update(
        contact=call, actor=Actor.command(), reason="method", method="home_visit", face_to_face=None
    )
    assert edited.face_to_face
    kept = contact_update(
        contact=edited, actor=Actor.command(), reason="flag", method="phone", face_to_face=True
    )
    assert kept.face_to_face and kept.method == "phone"
