"""``import_csv contacts`` (DESIGN 5.1)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from contacts.models import Contact
from core import tabular
from tests import factories

JST = ZoneInfo("Asia/Tokyo")
HEADER = (
    "office_number,client_code,contacted_at,method,counterpart,duration_minutes,staff,summary\n"
)


@pytest.fixture
def person(cast):
    return factories.ClientFactory(office=cast.office_a, client_code="K001")


def _csv(cast, *rows):
    number = cast.office_a.office_number
    return (HEADER + "".join(f"{number},{row}\n" for row in rows)).encode()


@pytest.mark.django_db
def test_importing_the_same_file_twice_adds_nothing(cast, person):
    data = _csv(
        cast,
        "K001,2024-04-10 10:30,workplace_visit,client,60,alice,職場で面談",
        "K001,2024-04-11T09:00+09:00,phone,employer,,,",
    )
    first = tabular.run_import("contacts", data)
    second = tabular.run_import("contacts", data)
    assert (first.ok, first.created) == (True, 2)
    assert (second.ok, second.created, second.unchanged) == (True, 0, 2)
    visit = Contact.objects.get(method="workplace_visit")
    assert visit.contacted_at == dt.datetime(2024, 4, 10, 10, 30, tzinfo=JST)
    assert (visit.staff, visit.duration_minutes, visit.face_to_face) == (cast.alice, 60, True)
    assert Contact.objects.get(method="phone").staff is None


@pytest.mark.django_db
def test_a_changed_summary_updates_the_contact_and_keeps_the_old_one(cast, person):
    tabular.run_import("contacts", _csv(cast, "K001,2024-04-10 10:30,phone,client,,,最初"))
    result = tabular.run_import("contacts", _csv(cast, "K001,2024-04-10 10:30,phone,client,,,訂正"))
    assert result.updated == 1
    contact = Contact.objects.get()
    assert contact.summary == "訂正"
    assert contact.revisions.get().before["summary"] == "最初"


@pytest.mark.django_db
def test_a_deleted_contact_is_not_brought_back_by_reimporting(cast, person):
    data = _csv(cast, "K001,2024-04-10 10:30,phone,client,,,")
    tabular.run_import("contacts", data)
    Contact.objects.update(deleted_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    result = tabular.run_import("contacts", data)
    assert (result.created, result.unchanged) == (0, 1)
    assert not Contact.objects.live().exists()


@pytest.mark.django_db
def test_bad_rows_are_all_reported_and_nothing_is_written(cast, person):
    data = _csv(
        cast,
        "K001,2024-04-10 10:30,phone,client,,,",
        "NOBODY,2024-04-10 10:30,phone,client,,,",
        "K001,2024-04-10 10:30,fax,client,,,",
        "K001,2024-04-12 10:30,phone,client,,charlie,",
    )
    result = tabular.run_import("contacts", data)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "client_code"),
        (4, "method"),
        (5, "staff"),
    ]
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_staff_can_import_only_into_their_own_offices(cast, person):
    data = _csv(cast, "K001,2024-04-10 10:30,phone,client,,,")
    result = tabular.run_import("contacts", data, user=cast.charlie)
    assert [(e.row, e.column) for e in result.errors] == [(2, "office_number")]
    assert tabular.run_import("contacts", data, user=cast.alice).created == 1
