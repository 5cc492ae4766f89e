"""A closed month cannot be changed through the CSV imports either (docs/domain.md 4.5): the
contacts, support_reports, case_meetings and certificates imports refuse each row that would
create or change a record in a month closed for billing, naming the row, the column and the
month, and write nothing of the file; after a manager reopens the month (with a reason) the same
file imports; a file that changes nothing imports again as all unchanged, closed month or not.

The data: office A closes April 2024. P1 has been in service since 1 January 2024. Each file has
a row in May (open) and a row in April (closed).
"""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import month as billing_month
from billing import services as billing_services
from billing.models import DecisionPeriod, RecipientCertificate
from contacts.models import Contact, ContactRevision, SupportReport
from core import tabular
from core.audit import Actor
from core.calendar import Month
from core.models import AuditEvent
from offices import month_lock
from offices.models import MonthClose
from plans.models import CaseMeeting
from tests import factories

APRIL, MAY = Month(2024, 4), Month(2024, 5)
CLOSED_APRIL = "2024年4月は締め済みです。管理者が締めを解除してから取り込んでください。"


@pytest.fixture
def p1(cast, reference_values):
    return factories.ClientFactory(
        office=cast.office_a, client_code="P1", service_start=dt.date(2024, 1, 1)
    )


def _close(office, month):
    figures = billing_month.month_figures(office, month)
    billing_services.close_month_with(
        office=office, month=month, figures=figures, actor=Actor.command()
    )


def _reopen(office, month, actor):
    billing_services.reopen(
        office=office, month=month, actor=actor, reason="受給者証の記載誤りを訂正する"
    )


def _csv(office, header, *rows):
    lines = [header, *(f"{office.office_number},{row}" for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def _problems(result):
    return [(e.row, e.column, e.label, e.reason) for e in result.errors]


def _counts(result):
    return (result.created, result.updated, result.unchanged)


def test_a_month_of_an_office_with_no_retention_year_closes_with_no_rate(cast, p1):
    # Office B has nobody: no rate, no tier, 0 units (the document keeps the rate as null).
    _close(cast.office_b, APRIL)
    row = MonthClose.objects.get(office=cast.office_b, month=APRIL.first_day)
    assert row.is_closed
    assert (row.figures["rate_percent"], row.figures["tier"], row.figures["total_units"]) == (
        None,
        None,
        0,
    )


def test_the_closed_months_of_a_set_of_offices_come_in_one_query(cast, p1):
    _close(cast.office_a, APRIL)
    _close(cast.office_b, MAY)
    MonthClose.objects.create(office=cast.office_a2, month=MAY.first_day, is_closed=False)
    with CaptureQueriesContext(connection) as captured:
        closed = month_lock.closed_months_of([cast.office_a, cast.office_a2])
    assert closed == {(cast.office_a.pk, APRIL)}
    assert len(captured.captured_queries) == 1


# ---------------------------------------------------------------------------------------------
# contacts (the COPY path on PostgreSQL, bulk_create elsewhere: the check comes before both)

CONTACTS = "事業所番号,利用者コード,日時,方法,相手,時間（分）,担当職員,内容"
CONTACT_MAY = "P1,2024/5/10 10:00,職場訪問,本人,30,alice,5月の面談"
CONTACT_APRIL = "P1,2024/4/15 10:30,職場訪問,本人,30,alice,4月の面談"


def test_a_new_contact_in_a_closed_month_refuses_the_whole_file(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, CONTACTS, CONTACT_MAY, CONTACT_APRIL)
    result = tabular.run_import("contacts", data, user=cast.alice)
    # row 2 (May) is not refused; row 3 (April) is, on its date column
    assert _problems(result) == [(3, "contacted_at", "日時", CLOSED_APRIL)]
    assert str(
        result.errors[0]
    ) == "3 行目、列 日時 (contacted_at)、値「2024-04-15T10:30+09:00」: " + (CLOSED_APRIL)
    assert _counts(result) == (0, 0, 0)
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(object_type="contacts.contact").exists()


def test_after_reopening_the_same_contacts_file_imports(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, CONTACTS, CONTACT_MAY, CONTACT_APRIL)
    assert not tabular.run_import("contacts", data, user=cast.alice).ok
    _reopen(cast.office_a, APRIL, Actor.command(cast.bob))
    result = tabular.run_import("contacts", data, user=cast.alice)
    assert result.ok, result.errors
    assert _counts(result) == (2, 0, 0)
    assert sorted(c.contacted_at.month for c in Contact.objects.all()) == [4, 5]


def test_reimporting_an_unchanged_contacts_file_into_a_closed_month_succeeds(cast, p1):
    data = _csv(cast.office_a, CONTACTS, CONTACT_MAY, CONTACT_APRIL)
    assert _counts(tabular.run_import("contacts", data, user=cast.alice)) == (2, 0, 0)
    _close(cast.office_a, APRIL)
    again = tabular.run_import("contacts", data, user=cast.alice)
    assert again.ok, again.errors
    assert _counts(again) == (0, 0, 2)


def test_a_changed_contact_in_a_closed_month_is_refused_and_keeps_its_summary(cast, p1):
    tabular.run_import(
        "contacts", _csv(cast.office_a, CONTACTS, CONTACT_MAY, CONTACT_APRIL), user=cast.alice
    )
    _close(cast.office_a, APRIL)
    changed = _csv(
        cast.office_a,
        CONTACTS,
        CONTACT_MAY.replace("5月の面談", "5月の面談（訂正）"),  # open month: would be updated
        CONTACT_APRIL.replace("4月の面談", "4月の面談（訂正）"),
    )
    result = tabular.run_import("contacts", changed, user=cast.alice)
    assert _problems(result) == [(3, "contacted_at", "日時", CLOSED_APRIL)]
    assert sorted(Contact.objects.values_list("summary", flat=True)) == ["4月の面談", "5月の面談"]
    assert not ContactRevision.objects.exists()


def test_a_row_naming_a_deleted_contact_in_a_closed_month_changes_nothing_and_passes(cast, p1):
    contact = factories.ContactFactory(
        client=p1,
        staff=cast.alice,
        contacted_at=dt.datetime(2024, 4, 15, 1, 30, tzinfo=dt.UTC),  # 10:30 in Japan
        method="workplace_visit",
        counterpart="client",
        summary="削除前",
        deleted_at=dt.datetime(2024, 4, 20, tzinfo=dt.UTC),
    )
    _close(cast.office_a, APRIL)
    result = tabular.run_import(
        "contacts", _csv(cast.office_a, CONTACTS, CONTACT_APRIL), user=cast.alice
    )
    assert result.ok, result.errors
    assert _counts(result) == (0, 0, 1)
    contact.refresh_from_db()
    assert (contact.summary, contact.is_deleted) == ("削除前", True)


def test_a_contact_late_on_31_march_utc_belongs_to_april_in_japan(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, CONTACTS, "P1,2024-03-31T16:00+00:00,職場訪問,本人,30,alice,")
    result = tabular.run_import("contacts", data, user=cast.alice)  # 1 April, 01:00 in Japan
    assert [(e.row, e.reason) for e in result.errors] == [(2, CLOSED_APRIL)]


def test_an_otherwise_bad_row_in_a_closed_month_lists_both_problems(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, CONTACTS, "P1,2024/4/15 10:30,職場訪問,本人,2000,alice,")
    result = tabular.run_import("contacts", data, user=cast.alice)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "duration_minutes"),
        (2, "contacted_at"),
    ]


def _queries_of_contacts(cast, n):
    start = dt.datetime(2024, 4, 1, 9, 0)
    rows = [
        f"P1,{start + dt.timedelta(hours=i):%Y/%m/%d %H:%M},職場訪問,本人,30,alice,面談{i}"
        for i in range(n)
    ]
    data = _csv(cast.office_a, CONTACTS, *rows)
    with CaptureQueriesContext(connection) as captured:
        result = tabular.run_import("contacts", data, user=cast.alice)
    return len(captured.captured_queries), result


def test_the_lock_costs_the_same_queries_for_three_contacts_as_for_thirty(cast, p1):
    _close(cast.office_a, APRIL)
    (small, refused_small), (large, refused_large) = (
        _queries_of_contacts(cast, n) for n in (3, 30)
    )
    assert (len(refused_small.errors), len(refused_large.errors)) == (3, 30)
    assert small == large
    _reopen(cast.office_a, APRIL, Actor.command(cast.bob))
    assert _queries_of_contacts(cast, 30)[1].created == 30
    _close(cast.office_a, APRIL)
    (small, again_small), (large, again_large) = (_queries_of_contacts(cast, n) for n in (3, 30))
    assert (_counts(again_small), _counts(again_large)) == ((0, 0, 3), (0, 0, 30))
    assert small == large


def test_the_command_line_refuses_a_closed_month_and_names_it(cast, p1, tmp_path):
    _close(cast.office_a, APRIL)
    path = tmp_path / "contacts.csv"
    path.write_bytes(_csv(cast.office_a, CONTACTS, CONTACT_MAY, CONTACT_APRIL))
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_csv", "contacts", str(path), stdout=io.StringIO(), stderr=stderr)
    assert CLOSED_APRIL in stderr.getvalue()
    assert not Contact.objects.exists()


# ---------------------------------------------------------------------------------------------
# support_reports

REPORTS = "事業所番号,利用者コード,対象月,本人共有日,企業共有日,内容"
REPORT_MAY = "P1,2024/5,2024/6/10,,5月の支援経過"
REPORT_APRIL = "P1,2024/4,2024/5/10,,4月の支援経過"


def test_a_new_report_of_a_closed_month_refuses_the_whole_file(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, REPORTS, REPORT_MAY, REPORT_APRIL)
    result = tabular.run_import("support_reports", data, user=cast.alice)
    assert _problems(result) == [(3, "month", "対象月", CLOSED_APRIL)]
    assert _counts(result) == (0, 0, 0)
    assert not SupportReport.objects.exists()


def test_after_reopening_the_same_reports_file_imports(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, REPORTS, REPORT_MAY, REPORT_APRIL)
    assert not tabular.run_import("support_reports", data, user=cast.alice).ok
    _reopen(cast.office_a, APRIL, Actor.command(cast.bob))
    result = tabular.run_import("support_reports", data, user=cast.alice)
    assert result.ok, result.errors
    assert _counts(result) == (2, 0, 0)
    assert sorted(r.month.month for r in SupportReport.objects.current()) == [4, 5]


def test_reimporting_an_unchanged_reports_file_into_a_closed_month_succeeds(cast, p1):
    data = _csv(cast.office_a, REPORTS, REPORT_MAY, REPORT_APRIL)
    assert _counts(tabular.run_import("support_reports", data, user=cast.alice)) == (2, 0, 0)
    _close(cast.office_a, APRIL)
    again = tabular.run_import("support_reports", data, user=cast.alice)
    assert again.ok, again.errors
    assert _counts(again) == (0, 0, 2)


def test_sharing_a_closed_months_report_with_the_employer_is_refused(cast, p1):
    factories.SupportReportFactory(
        client=p1, month=APRIL.first_day, summary="4月の支援経過", shared_with_client_on=None
    )
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, REPORTS, "P1,2024/4,,2024/5/12,")
    result = tabular.run_import("support_reports", data, user=cast.alice)
    assert _problems(result) == [(2, "month", "対象月", CLOSED_APRIL)]
    assert not SupportReport.objects.get().sharings.exists()


# ---------------------------------------------------------------------------------------------
# case_meetings

MEETINGS = "事業所番号,利用者コード,開催日,説明者,出席した関係機関,備考"
MEETING_MAY = "P1,2024/5/20,サービス管理責任者,ハローワーク新宿,"
MEETING_APRIL = "P1,2024/4/22,サービス管理責任者,ハローワーク新宿;新宿区障害者福祉課,"


def test_a_new_meeting_in_a_closed_month_refuses_the_whole_file(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, MEETINGS, MEETING_MAY, MEETING_APRIL)
    result = tabular.run_import("case_meetings", data, user=cast.bob)
    assert _problems(result) == [(3, "held_on", "開催日", CLOSED_APRIL)]
    assert _counts(result) == (0, 0, 0)
    assert not CaseMeeting.objects.exists()


def test_after_reopening_the_same_meetings_file_imports(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, MEETINGS, MEETING_MAY, MEETING_APRIL)
    assert not tabular.run_import("case_meetings", data, user=cast.bob).ok
    _reopen(cast.office_a, APRIL, Actor.command(cast.bob))
    result = tabular.run_import("case_meetings", data, user=cast.bob)
    assert result.ok, result.errors
    assert _counts(result) == (2, 0, 0)
    assert sorted(CaseMeeting.objects.values_list("held_on__month", flat=True)) == [4, 5]


def test_reimporting_an_unchanged_meetings_file_into_a_closed_month_succeeds(cast, p1):
    data = _csv(cast.office_a, MEETINGS, MEETING_MAY, MEETING_APRIL)
    assert _counts(tabular.run_import("case_meetings", data, user=cast.bob)) == (2, 0, 0)
    _close(cast.office_a, APRIL)
    again = tabular.run_import("case_meetings", data, user=cast.bob)
    assert again.ok, again.errors
    assert _counts(again) == (0, 0, 2)


def test_changing_the_notes_of_a_meeting_in_a_closed_month_is_refused(cast, p1):
    data = _csv(cast.office_a, MEETINGS, MEETING_APRIL)
    tabular.run_import("case_meetings", data, user=cast.bob)
    _close(cast.office_a, APRIL)
    changed = _csv(cast.office_a, MEETINGS, MEETING_APRIL + "支援機関と情報を共有")
    result = tabular.run_import("case_meetings", changed, user=cast.bob)
    assert _problems(result) == [(2, "held_on", "開催日", CLOSED_APRIL)]
    assert CaseMeeting.objects.get().notes == ""


# ---------------------------------------------------------------------------------------------
# certificates

CERTIFICATES = (
    "事業所番号,利用者コード,受給者証番号,市町村番号,支給決定開始日,支給決定終了日,"
    "利用者負担上限月額"
)
PERIOD_FROM_JUNE = "P1,0000123456,131016,2024/6/1,2025/5/31,"  # touches no closed month
PERIOD_FROM_APRIL = "P1,0000654321,131016,2024/4/1,2024/5/31,"  # covers April


def test_a_certificate_covering_a_closed_month_refuses_the_whole_file(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, CERTIFICATES, PERIOD_FROM_JUNE, PERIOD_FROM_APRIL)
    result = tabular.run_import("certificates", data, user=cast.bob)
    assert _problems(result) == [(3, "decision_start", "支給決定開始日", CLOSED_APRIL)]
    assert _counts(result) == (0, 0, 0)
    assert not RecipientCertificate.objects.exists()


def test_after_reopening_the_same_certificates_file_imports(cast, p1):
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, CERTIFICATES, PERIOD_FROM_JUNE, PERIOD_FROM_APRIL)
    assert not tabular.run_import("certificates", data, user=cast.bob).ok
    _reopen(cast.office_a, APRIL, Actor.command(cast.bob))
    result = tabular.run_import("certificates", data, user=cast.bob)
    assert result.ok, result.errors
    assert _counts(result) == (2, 0, 0)
    assert DecisionPeriod.objects.count() == 2


def test_reimporting_an_unchanged_certificates_file_into_a_closed_month_succeeds(cast, p1):
    data = _csv(cast.office_a, CERTIFICATES, PERIOD_FROM_JUNE, PERIOD_FROM_APRIL)
    assert _counts(tabular.run_import("certificates", data, user=cast.bob)) == (2, 0, 0)
    _close(cast.office_a, APRIL)
    again = tabular.run_import("certificates", data, user=cast.bob)
    assert again.ok, again.errors
    assert _counts(again) == (0, 0, 2)


def test_shortening_a_period_out_of_a_closed_month_names_every_closed_month_it_covered(cast, p1):
    # 1 April – 31 May becomes 1 April – 30 April: May no longer has a certificate. The old
    # period covers April and May, both closed, so both are named.
    tabular.run_import(
        "certificates", _csv(cast.office_a, CERTIFICATES, PERIOD_FROM_APRIL), user=cast.bob
    )
    _close(cast.office_a, APRIL)
    _close(cast.office_a, MAY)
    shortened = _csv(cast.office_a, CERTIFICATES, "P1,0000654321,131016,2024/4/1,2024/4/30,")
    result = tabular.run_import("certificates", shortened, user=cast.bob)
    assert _problems(result) == [
        (
            2,
            "decision_end",
            "支給決定終了日",
            "2024年4月、2024年5月は締め済みです。管理者が締めを解除してから取り込んでください。",
        )
    ]
    assert DecisionPeriod.objects.get().end == dt.date(2024, 5, 31)


def test_a_period_covering_a_closed_month_before_the_persons_service_passes(cast, p1):
    # P2 starts on 1 June: a closed April was never billed for them.
    factories.ClientFactory(
        office=cast.office_a, client_code="P2", service_start=dt.date(2024, 6, 1)
    )
    _close(cast.office_a, APRIL)
    data = _csv(cast.office_a, CERTIFICATES, "P2,0000777777,131016,2024/4/1,2025/3/31,")
    result = tabular.run_import("certificates", data, user=cast.bob)
    assert result.ok, result.errors
    assert _counts(result) == (1, 0, 0)


def test_a_closed_month_of_another_office_does_not_lock_this_one(cast, p1):
    _close(cast.office_a2, APRIL)
    data = _csv(cast.office_a, CERTIFICATES, PERIOD_FROM_APRIL)
    result = tabular.run_import("certificates", data, user=cast.bob)
    assert result.ok, result.errors
