"""The home pages' office overviews: several offices computed together stay apart.

Today is 2026-11-27 (JST); November 2026 is the month. Every figure is worked out by hand below.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from contacts.overview import offices_overview
from tests import factories

JST = ZoneInfo("Asia/Tokyo")
TODAY = dt.date(2026, 11, 27)


def _world(cast):
    """Office A: two people in service, A1 met at work this month and shared October's report,
    A2 only phoned, with a follow-up due yesterday; A1's service ends in 30 days.
    Office A2: one person B1, met at home this month, no reports. Office B: nobody."""
    a1 = factories.ClientFactory(
        office=cast.office_a, client_code="A1", service_start=dt.date(2025, 4, 1),
        service_end=TODAY + dt.timedelta(days=30),
    )  # fmt: skip
    a2 = factories.ClientFactory(
        office=cast.office_a, client_code="A2", service_start=dt.date(2025, 4, 1)
    )
    b1 = factories.ClientFactory(
        office=cast.office_a2, client_code="B1", service_start=dt.date(2026, 1, 1)
    )
    for client in (a1, a2, b1):
        factories.EmploymentFactory(client=client, start_date=dt.date(2024, 1, 1))
    factories.ContactFactory(
        client=a1, method="workplace_visit", contacted_at=dt.datetime(2026, 11, 5, 10, tzinfo=JST)
    )
    factories.ContactFactory(
        client=a2, method="phone", contacted_at=dt.datetime(2026, 11, 6, 10, tzinfo=JST),
        next_follow_up=TODAY - dt.timedelta(days=1),
    )  # fmt: skip
    factories.ContactFactory(
        client=b1, method="home_visit", contacted_at=dt.datetime(2026, 11, 7, 10, tzinfo=JST)
    )
    factories.SupportReportFactory(
        client=a1, month=dt.date(2026, 10, 1), shared_with_client_on=dt.date(2026, 11, 2)
    )


def test_offices_overview_counts_each_office_on_its_own(cast):
    _world(cast)

    a, a2, b = offices_overview(offices=[cast.office_a, cast.office_a2, cast.office_b], today=TODAY)

    assert [o.office for o in (a, a2, b)] == [cast.office_a, cast.office_a2, cast.office_b]
    assert (a.compliance.active_clients, a.compliance.met) == (2, 1)
    assert (a2.compliance.active_clients, a2.compliance.met) == (1, 1)
    assert (b.compliance.active_clients, b.compliance.met) == (0, 0)
    assert (a.contacts_this_month, a2.contacts_this_month, b.contacts_this_month) == (2, 1, 0)
    counts_a = {row.code: row.count for row in a.method_rows}
    assert (counts_a["workplace_visit"], counts_a["phone"], counts_a["home_visit"]) == (1, 1, 0)
    assert {row.code: row.count for row in a2.method_rows}["home_visit"] == 1
    # October: A1 shared, A2 not; B1 not. November: nobody has shared yet.
    assert (a.unshared_last_month, a2.unshared_last_month) == (1, 1)
    assert (a.unshared_this_month, a2.unshared_this_month, b.unshared_this_month) == (2, 1, 0)
    assert (a.follow_ups_due, a2.follow_ups_due, b.follow_ups_due) == (1, 0, 0)
    assert (a.service_ending, a2.service_ending, b.service_ending) == (1, 0, 0)
    assert (a.retention.users, a2.retention.users, b.retention.users) == (2, 1, 0)
