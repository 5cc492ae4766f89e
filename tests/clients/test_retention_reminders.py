"""The worklist and the morning reminders ask to record the new job before the provisional
month runs out (Office A of retention_office_a.py)."""

import pytest

from contacts.models import Notification
from contacts.reminders import send_daily_reminders
from contacts.worklist import worklist_for
from tests.clients.retention_office_a import D


@pytest.mark.django_db
def test_the_reminders_ask_to_record_the_new_job_before_the_month_runs_out(
    cast, office_a_second_edition
):
    a02 = cast.office_a.clients.get(client_code="A02")
    worklist = worklist_for(user=cast.alice, today=D(2024, 4, 10))
    assert worklist.awaiting_reemployment == [a02]
    assert worklist.awaiting_reemployment[0].month_runs_out == D(2024, 4, 15)
    send_daily_reminders(day=D(2024, 4, 10))
    send_daily_reminders(day=D(2024, 4, 16))  # the month has run out: nothing to record any more
    reminders = Notification.objects.filter(kind=Notification.Kind.AWAITING_REEMPLOYMENT)
    assert [(n.user, n.client, n.day, n.due_date) for n in reminders] == [
        (cast.alice, a02, D(2024, 4, 10), D(2024, 4, 15))
    ]
