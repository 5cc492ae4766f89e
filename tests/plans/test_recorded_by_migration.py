"""plans 0003: the end-of-service hand-over records who recorded it as every record kept as
written does (``core.models.RecordedBy``); the rename keeps the rows' recorder and reverses."""

import datetime as dt

import pytest
from django.db import connection

from core.audit import Actor
from core.models import RecordedBy
from plans import services
from plans.models import ServiceEndHandover
from tests import factories
from tests.migration_steps import latest, migrate

BEFORE = [("plans", "0002_handovers")]
AFTER = [("plans", "0003_service_end_handover_created_by")]


def recorder_column(name):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM plans_serviceendhandover")
        return [row[0] for row in cursor.fetchall()]


def test_the_end_handover_is_a_recorded_by_record():
    assert issubclass(ServiceEndHandover, RecordedBy)


@pytest.mark.django_db(transaction=True)
def test_the_rename_keeps_who_recorded_each_handover_and_reverses(cast):
    person = factories.ClientFactory(office=cast.office_a)
    handover = services.end_handover_create(
        actor=Actor.command(cast.alice),
        client=person,
        successor="employment_life_center",
        successor_name="障害者就業・生活支援センターあさひ",
        shared_on=dt.date(2024, 3, 1),
        shared_what="支援の経過",
    )
    assert handover.created_by == cast.alice
    try:
        migrate(BEFORE)
        assert recorder_column("recorded_by_id") == [cast.alice.pk]
        migrate(AFTER)
        assert recorder_column("created_by_id") == [cast.alice.pk]
    finally:
        migrate(latest())
