"""The daily round: the LINE question once a rhythm to linked people due, silence warnings."""

import datetime as dt

import pytest
from django.utils import timezone

from core import calendar
from core.audit import Actor
from tests import factories
from voice import services
from voice.models import CheckInWarning, LineLink, OutgoingMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cast, channel):
    person = factories.ClientFactory(office=cast.office_a, staff_in_charge=cast.alice)
    services.check_in_plan_set(
        client=person, items=["sleep", "mood", "meals"], rhythm_days=7, ruby=False,
        actor=Actor.command(), today=calendar.today() - dt.timedelta(days=30),
    )  # fmt: skip
    LineLink.objects.create(client=person, channel=channel, line_user_id="U-round")
    return person


def test_the_round_asks_a_linked_person_due_once_per_rhythm(
    person, line_api, django_capture_on_commit_callbacks
):
    today = calendar.today()
    services.check_in_record(
        client=person, ratings={"sleep": 3, "mood": 3, "meals": 3}, comment="", via="web",
        answered_at=timezone.now() - dt.timedelta(days=8), actor=Actor.command(),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert services.check_in_round(today=today)["asked"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.check_in_round(today=today + dt.timedelta(days=3))["asked"] == 0
    assert len(line_api.to("/v2/bot/message/push")) == 1
    assert OutgoingMessage.objects.get(client=person).status == "sent"


def test_the_round_does_not_ask_someone_who_answered_within_their_rhythm(person, line_api):
    services.check_in_record(
        client=person, ratings={"sleep": 3, "mood": 3, "meals": 3}, comment="", via="web",
        answered_at=timezone.now() - dt.timedelta(days=2), actor=Actor.command(),
    )  # fmt: skip
    assert services.check_in_round()["asked"] == 0


def test_the_round_raises_a_silence_warning_after_two_rhythms(person, line_api):
    today = calendar.today()
    # Weekly; the last answer 15 days ago: more than 14.
    services.check_in_record(
        client=person, ratings={"sleep": 3, "mood": 3, "meals": 3}, comment="", via="web",
        answered_at=timezone.now() - dt.timedelta(days=15), actor=Actor.command(),
        today=today - dt.timedelta(days=15),
    )  # fmt: skip
    assert not CheckInWarning.objects.exists()
    result = services.check_in_round(today=today)
    assert result["warnings"] == 1
    warning = CheckInWarning.objects.get(client=person)
    assert warning.reason == "silence" and warning.detail == "15"
    # The next day's round adds no second warning for the same silence.
    assert services.check_in_round(today=today + dt.timedelta(days=1))["warnings"] == 0
