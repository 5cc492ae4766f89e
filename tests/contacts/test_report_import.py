"""``import_csv support_reports`` (DESIGN 5.1): whole or nothing, idempotent, scoped, frozen."""

import datetime as dt

import pytest

from contacts import reports
from contacts.models import ReportSharing, SupportReport
from core import tabular
from core.audit import Actor
from core.calendar import Month
from tests import factories

HEADER = "office_number,client_code,month,shared_with_client_on,shared_with_employer_on,summary\n"


@pytest.fixture
def person(cast):
    return factories.ClientFactory(
        office=cast.office_a, client_code="K001", service_start=dt.date(2024, 1, 1)
    )


def _csv(cast, *rows, office=None):
    number = (office or cast.office_a).office_number
    return (HEADER + "".join(f"{number},{row}\n" for row in rows)).encode()


@pytest.mark.django_db
def test_a_good_file_creates_reports_with_their_sharing_and_twice_changes_nothing(cast, person):
    data = _csv(cast, "K001,2024-04,2024-05-07,2024-05-09,四月の支援", "K001,2024-05,,,")
    first = tabular.run_import("support_reports", data, user=cast.alice)
    assert (first.ok, first.created) == (True, 2), first.errors
    april = SupportReport.objects.get(client=person, month=dt.date(2024, 4, 1))
    assert april.summary == "四月の支援"
    assert reports.report_shared_on(person, Month(2024, 4)) == dt.date(2024, 5, 7)
    assert april.shared_with_employer_on == dt.date(2024, 5, 9)
    assert reports.report_shared_on(person, Month(2024, 5)) is None
    second = tabular.run_import("support_reports", data, user=cast.alice)
    assert (second.ok, second.created, second.updated, second.unchanged) == (True, 0, 0, 2)
    assert ReportSharing.objects.count() == 2
    assert SupportReport.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_row_refuses_the_whole_file(cast, person):
    data = _csv(cast, "K001,2024-04,2024-05-07,,", "K999,2024-13,2024-03-01,,")
    result = tabular.run_import("support_reports", data, user=cast.alice)
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} >= {(3, "month")}
    assert not SupportReport.objects.exists()
    early = tabular.run_import("support_reports", _csv(cast, "K001,2024-04,2024-03-31,,"))
    assert [(e.row, e.column) for e in early.errors] == [(2, "shared_with_client_on")]
    assert not SupportReport.objects.exists()


@pytest.mark.django_db
def test_a_file_may_not_change_a_report_shared_with_the_person(cast, person):
    report, _created = reports.report_create(
        client=person, month=Month(2024, 4), actor=Actor.command()
    )
    reports.report_share(
        report=report,
        actor=Actor.command(),
        recipient="person",
        shared_on=dt.date(2024, 5, 7),
        method="hand_delivered",
    )
    summary_before = SupportReport.objects.get(pk=report.pk).summary
    changed = _csv(cast, "K001,2024-04,2024-05-07,,別の内容", "K001,2024-05,2024-06-03,,五月")
    result = tabular.run_import("support_reports", changed, user=cast.alice)
    (error,) = result.errors
    assert (error.row, error.column) == (2, "summary")
    assert "2024年5月7日" in error.reason
    other_date = tabular.run_import(
        "support_reports", _csv(cast, "K001,2024-04,2024-05-08,,"), user=cast.alice
    )
    assert [e.column for e in other_date.errors] == ["shared_with_client_on"]
    # Nothing was written, not even the good May row.
    assert SupportReport.objects.get(pk=report.pk).summary == summary_before
    assert not SupportReport.objects.filter(month=dt.date(2024, 5, 1)).exists()
    # The same facts again are fine: nothing changes.
    same = tabular.run_import(
        "support_reports", _csv(cast, "K001,2024-04,2024-05-07,,"), user=cast.alice
    )
    assert (same.ok, same.unchanged) == (True, 1)


@pytest.mark.django_db
def test_the_import_reaches_only_the_users_offices(cast, person):
    data = _csv(cast, "K001,2024-04,2024-05-07,,")
    result = tabular.run_import("support_reports", data, user=cast.charlie)
    assert [e.column for e in result.errors] == ["office_number"]
    assert not SupportReport.objects.exists()
    assert "support_reports" in tabular.KINDS
    assert tabular.KINDS["support_reports"].allowed(cast.alice)
