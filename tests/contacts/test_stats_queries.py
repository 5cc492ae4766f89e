"""contact_stats counts in a fixed number of grouped queries, and its month-by-month figures
(worked out below by hand from the billing rule) come out of them unchanged."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import stats
from tests import factories

JST = ZoneInfo("Asia/Tokyo")


def jst(*args):
    return dt.datetime(*args, tzinfo=JST)


def queries_of(**kwargs):
    with CaptureQueriesContext(connection) as captured:
        stats.contact_stats(**kwargs)
    return len(captured)


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_months_of_the_period(cast):
    for month in range(1, 13):
        person = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2023, 4, 1))
        factories.ContactFactory(
            client=person, contacted_at=jst(2024, month, 10, 10), method="office_interview"
        )
    one_month = queries_of(
        offices=[cast.office_a], date_from=dt.date(2024, 6, 1), date_to=dt.date(2024, 6, 30)
    )
    twelve_months = queries_of(
        offices=[cast.office_a], date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)
    )
    assert one_month == twelve_months
    # Nor with the number of offices of a corporation.
    corporation = queries_of(
        offices=cast.corporation_a.offices.all(),
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
    )
    assert corporation == one_month


@pytest.mark.django_db
def test_each_month_counts_only_the_people_in_service_in_it(cast):
    """Period 15 Feb – 10 Apr 2024: the months February, March and April, whole.

    p: in service 1 Jan – 20 Feb; met in person on 5 Feb, and on 10 Mar after the service ended.
    q: in service from 31 Mar; met at 23:30 on 31 Mar (March) and at 23:59 on 30 Apr (April),
       a phone call on 2 Apr.
    r: in service since June 2023; a workplace visit with the employer alone in February, a
       deleted face-to-face contact in February, met at 00:00 on 1 Apr (April).
    s: in service 1 Jan – 10 Feb (before the period, inside February); met on 3 Feb.

    February: in service p, r, s (3); met p, s (2).
    March: in service q, r (2); met q (1) — p's contact of 10 Mar is after p's service.
    April: in service q, r (2); met q, r (2).
    People in service during the period: p, q, r (3; s ended on 10 Feb).
    """
    office = cast.office_a

    def person(start, end=None):
        return factories.ClientFactory(
            office=office, referral_office=None, service_start=start, service_end=end
        )

    def met(client, when, **extra):
        values = {"method": "office_interview", "counterpart": "client", "face_to_face": True}
        values.update(extra)
        return factories.ContactFactory(client=client, contacted_at=when, **values)

    p = person(dt.date(2024, 1, 1), dt.date(2024, 2, 20))
    q = person(dt.date(2024, 3, 31))
    r = person(dt.date(2023, 6, 1))
    s = person(dt.date(2024, 1, 1), dt.date(2024, 2, 10))
    met(p, jst(2024, 2, 5, 10))
    met(p, jst(2024, 3, 10, 10))
    met(q, jst(2024, 3, 31, 23, 30))
    met(q, jst(2024, 4, 30, 23, 59))
    met(q, jst(2024, 4, 2, 10), method="phone", face_to_face=False)
    met(r, jst(2024, 2, 7, 10), method="workplace_visit", counterpart="employer")
    met(r, jst(2024, 2, 8, 10), deleted_at=dt.datetime(2024, 2, 9, tzinfo=dt.UTC))
    met(r, jst(2024, 4, 1, 0, 0))
    met(s, jst(2024, 2, 3, 10))

    result = stats.contact_stats(
        offices=[office], date_from=dt.date(2024, 2, 15), date_to=dt.date(2024, 4, 10)
    )

    assert [(str(m.month), m.active_clients, m.met) for m in result.monthly_face_to_face] == [
        ("2024-02", 3, 2),
        ("2024-03", 2, 1),
        ("2024-04", 2, 2),
    ]
    assert result.by_group["unknown_origin"].clients == 3
