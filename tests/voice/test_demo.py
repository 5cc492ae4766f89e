"""The demo's LINE step: a linked person with two months of check-ins and one warning."""

import io

import pytest
from django.core.management import call_command

from contacts.models import Contact, Notification
from voice.demo import ANSWERS, OFFICE
from voice.models import CheckIn, CheckInWarning, LineChannel, LineLink


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", "--reset", stdout=io.StringIO(), stderr=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", "fee_tables", "adjustments", verbosity=0)


def test_a_linked_person_with_two_months_of_check_ins_and_one_warning(demo, db):
    channel = LineChannel.objects.get(office__office_number=OFFICE)
    link = LineLink.objects.get(channel=channel, unlinked_at__isnull=True)
    person = link.client
    check_ins = CheckIn.objects.filter(client=person).order_by("answered_at")
    assert check_ins.count() == len(ANSWERS) == 17
    span = (check_ins.last().answered_at - check_ins.first().answered_at).days
    assert span == 59  # two months, twice a week
    # Every check-in is a contact with the person, on LINE.
    assert (
        Contact.objects.filter(client=person, method="line_sns", staff__isnull=True).count() == 18
    )
    # Level of the four before the last: (10/3 + 11/3 + 11/3 + 9/3) / 4 = 41/12 = 3.42;
    # the last (2 + 1 + 2) / 3 = 1.67: a drop of 1.75, the only warning.
    warning = CheckInWarning.objects.get(client=person)
    assert (warning.reason, warning.detail) == ("drop", "3.42 → 1.67")
    assert Notification.objects.filter(
        user=person.staff_in_charge, kind="check_in_warning", client=person
    ).exists()
