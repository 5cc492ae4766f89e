"""Morning reminders: each item once per user and day, in the app and by e-mail."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from contacts import tasks
from contacts.models import Notification
from contacts.reminders import send_daily_reminders
from contacts.worklist import worklist_for
from offices.models import Role
from tests import factories

JST = ZoneInfo("Asia/Tokyo")
TODAY = dt.date(2024, 6, 20)


@pytest.fixture
def alices_people(cast):
    """Alice is in charge of three people, each with one item on 20 June 2024."""
    unmet = factories.ClientFactory(
        office=cast.office_a,
        staff_in_charge=cast.alice,
        client_code="UNMET",
        service_start=dt.date(2024, 1, 1),
    )
    met = factories.ClientFactory(
        office=cast.office_a,
        staff_in_charge=cast.alice,
        client_code="ENDING",
        service_start=dt.date(2024, 1, 1),
        service_end=dt.date(2024, 8, 10),  # 51 days after 20 June: ending within 90 days
    )
    factories.ContactFactory(
        client=met,
        contacted_at=dt.datetime(2024, 6, 3, 10, tzinfo=JST),
        method="workplace_visit",
        face_to_face=True,
    )
    follow_up = factories.ContactFactory(
        client=met,
        staff=cast.alice,
        contacted_at=dt.datetime(2024, 6, 10, 10, tzinfo=JST),
        method="phone",
        next_follow_up=dt.date(2024, 6, 19),  # overdue
    )
    return unmet, met, follow_up


@pytest.mark.django_db
def test_the_worklist_lists_unmet_people_due_follow_ups_and_services_ending(cast, alices_people):
    unmet, met, follow_up = alices_people
    worklist = worklist_for(user=cast.alice, today=TODAY)
    assert worklist.no_face_to_face == [unmet]
    assert worklist.follow_ups == [follow_up]
    assert worklist.service_ending == [met]


@pytest.mark.django_db
def test_a_later_contact_closes_the_follow_up(cast, alices_people):
    _unmet, met, _follow_up = alices_people
    factories.ContactFactory(client=met, contacted_at=dt.datetime(2024, 6, 19, 15, tzinfo=JST))
    assert worklist_for(user=cast.alice, today=TODAY).follow_ups == []


@pytest.mark.django_db
def test_a_follow_up_due_tomorrow_is_not_listed_today(cast, alices_people):
    _unmet, _met, follow_up = alices_people
    follow_up.next_follow_up = TODAY + dt.timedelta(days=1)
    follow_up.save()
    assert worklist_for(user=cast.alice, today=TODAY).follow_ups == []


@pytest.mark.django_db
def test_running_the_reminders_twice_sends_each_notification_and_email_once(cast, alices_people):
    first = send_daily_reminders(day=TODAY)
    second = send_daily_reminders(day=TODAY)

    notifications = Notification.objects.filter(user=cast.alice, day=TODAY)
    assert sorted(notifications.values_list("kind", flat=True)) == [
        "follow_up_due",
        "no_face_to_face",
        "service_ending",
    ]
    assert first.notifications == 3
    assert second.notifications == 0
    alice_mails = [m for m in mail.outbox if m.to == [cast.alice.email]]
    assert len(alice_mails) == 1
    assert "UNMET" in alice_mails[0].body and "ENDING" in alice_mails[0].body
    # Names stay out of e-mail; the codes point to the app.
    unmet = alices_people[0]
    assert unmet.given_name not in alice_mails[0].body
    assert second.emails == 0


@pytest.mark.django_db
def test_the_next_day_brings_a_new_notification_for_a_standing_item(cast, alices_people):
    send_daily_reminders(day=TODAY)
    send_daily_reminders(day=TODAY + dt.timedelta(days=1))
    assert Notification.objects.filter(user=cast.alice, kind="no_face_to_face").count() == 2
    assert len([m for m in mail.outbox if m.to == [cast.alice.email]]) == 2


@pytest.mark.django_db
def test_a_user_without_an_address_gets_notifications_but_no_email(cast, alices_people):
    cast.alice.email = ""
    cast.alice.save()
    send_daily_reminders(day=TODAY)
    assert Notification.objects.filter(user=cast.alice).count() == 3
    assert mail.outbox == []


@pytest.mark.django_db
def test_each_staff_member_is_reminded_only_of_their_own_people(cast, alices_people):
    colleague = factories.UserFactory(username="colleague")
    factories.MembershipFactory(user=colleague, office=cast.office_a, role=Role.SUPPORT_STAFF)
    send_daily_reminders(day=TODAY)
    assert not Notification.objects.filter(user=colleague).exists()
    assert not Notification.objects.filter(user=cast.charlie).exists()


@pytest.mark.django_db
def test_the_database_refuses_a_second_notification_for_the_same_item_and_day(cast, alices_people):
    from django.db import IntegrityError, transaction

    unmet = alices_people[0]
    factories.NotificationFactory(user=cast.alice, client=unmet, day=TODAY, kind="no_face_to_face")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.NotificationFactory(
            user=cast.alice, client=unmet, day=TODAY, kind="no_face_to_face"
        )


@pytest.mark.services
def test_a_real_worker_runs_the_daily_reminders_once(celery_worker, cast):
    today = dt.datetime.now(tz=JST).date()
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, service_start=dt.date(2020, 4, 1)
    )
    first = tasks.send_daily_reminders.delay().get(timeout=60)
    second = tasks.send_daily_reminders.delay().get(timeout=60)
    assert (first["notifications"], first["emails"]) == (1, 1)
    assert (second["notifications"], second["emails"]) == (0, 0)
    notifications = Notification.objects.filter(user=cast.alice, client=person, day=today)
    assert list(notifications.values_list("kind", flat=True)) == ["no_face_to_face"]
    # The worker sent the e-mail from its own process; the claimed row shows it went once.
    assert notifications.get().emailed_at is not None
