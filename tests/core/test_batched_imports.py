"""Imports read, check and write a file in batches (DESIGN 5.1): the queries of a batch do not
grow with its rows, the file is still written whole or not at all, every problem of every batch
is reported, and re-importing changes nothing. Speed itself is measured in ``bench/imports.py``."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client, Employer, Employment
from contacts.models import Contact, ContactRevision
from core import tabular
from core.audit import Actor
from core.models import AuditAction, AuditEvent
from core.tabular import importing
from surveys.exchange import import_responses
from surveys.models import Answer, Response
from tests import factories

pytestmark = pytest.mark.django_db

BATCH = 10
CONTACTS_HEADER = "事業所番号,利用者コード,日時,方法,相手,時間（分）,担当職員,内容\n"


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", BATCH)


@pytest.fixture
def people(cast):
    return [
        factories.ClientFactory(office=cast.office_a, client_code=f"K{i:03d}") for i in range(7)
    ]


def _contacts(cast, n, *, summary="職場で面談した", bad_rows=()):
    """A contacts file of ``n`` rows over seven people; ``bad_rows`` (spreadsheet numbers) name
    a client that does not exist."""
    number = cast.office_a.office_number
    start = dt.datetime(2024, 4, 1, 9, 0)
    lines = []
    for i in range(n):
        code = "NOBODY" if i + 2 in bad_rows else f"K{i % 7:03d}"
        at = start + dt.timedelta(hours=i)
        lines.append(f"{number},{code},{at:%Y/%m/%d %H:%M},職場訪問,本人,30,alice,{summary}{i}\n")
    return (CONTACTS_HEADER + "".join(lines)).encode()


def _queries(run):
    with CaptureQueriesContext(connection) as captured:
        result = run()
    assert result.ok, result.errors
    return len(captured.captured_queries)


def _per_batch(queries_for):
    """Queries of 1, 2 and 4 batches: a constant cost per batch, whatever the rows."""
    one, two, four = (queries_for(batches * BATCH) for batches in (1, 2, 4))
    assert four - two == 2 * (two - one)
    return two - one


def test_a_batch_of_contacts_costs_the_same_queries_whatever_its_size(cast, people):
    def created(n):
        Contact.objects.all().delete()
        return _queries(lambda: tabular.run_import("contacts", _contacts(cast, n)))

    def updated(n):
        Contact.objects.all().delete()
        tabular.run_import("contacts", _contacts(cast, n))
        return _queries(lambda: tabular.run_import("contacts", _contacts(cast, n, summary="訂正")))

    # clients, staff, contacts recorded, new contacts, their events
    assert _per_batch(created) <= 5
    # ... and the changed contacts, their revisions
    assert _per_batch(updated) <= 7


def test_reimporting_a_file_of_three_batches_changes_nothing(cast, people):
    data = _contacts(cast, 3 * BATCH)
    first = tabular.run_import("contacts", data)
    events = AuditEvent.objects.count()
    second = tabular.run_import("contacts", data)
    assert (first.created, first.updated, first.unchanged) == (30, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 30)
    assert Contact.objects.count() == 30
    assert not ContactRevision.objects.exists()
    assert AuditEvent.objects.count() == events + 1  # the second import's own event only


def test_changed_contacts_keep_their_revision_and_event(cast, people):
    tabular.run_import("contacts", _contacts(cast, 3 * BATCH))
    result = tabular.run_import("contacts", _contacts(cast, 3 * BATCH, summary="訂正"))
    assert (result.updated, result.unchanged) == (30, 0)
    assert ContactRevision.objects.count() == 30
    revision = ContactRevision.objects.get(contact__summary="訂正0")
    assert revision.before["summary"] == "職場で面談した0"
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 30


def test_a_problem_in_the_last_row_of_the_last_batch_writes_nothing(cast, people):
    data = _contacts(cast, 3 * BATCH, bad_rows={3 * BATCH + 1})
    result = tabular.run_import("contacts", data)
    assert [(e.row, e.column) for e in result.errors] == [(3 * BATCH + 1, "client_code")]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.exists()


def test_problems_of_every_batch_are_reported_in_one_pass(cast, people):
    result = tabular.run_import("contacts", _contacts(cast, 3 * BATCH, bad_rows={2, 15, 31}))
    assert [e.row for e in result.errors] == [2, 15, 31]
    assert not Contact.objects.exists()


def test_a_key_repeated_in_a_later_batch_is_reported(cast, people):
    data = _contacts(cast, 2 * BATCH)
    repeated = data.decode().splitlines()[1]
    result = tabular.run_import("contacts", (data.decode() + repeated + "\n").encode())
    assert [(e.row, e.column, e.value.split(" / ")[1]) for e in result.errors] == [
        (2 * BATCH + 2, "office_number", "K000")
    ]


def test_problems_past_the_limit_are_counted_not_listed(cast, people, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ERRORS", 5)
    bad = set(range(2, 14))
    result = tabular.run_import("contacts", _contacts(cast, 2 * BATCH, bad_rows=bad))
    assert [e.row for e in result.errors] == [2, 3, 4, 5, 6]
    assert result.more_errors == 7
    assert result.as_dict()["more_errors"] == 7


def test_a_dry_run_of_many_batches_writes_nothing_and_no_event(cast, people):
    result = tabular.run_import("contacts", _contacts(cast, 3 * BATCH), dry_run=True)
    assert (result.ok, result.created) == (True, 30)
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.exists()


def test_audit_events_of_a_batch_are_written_in_one_statement(cast, people):
    with CaptureQueriesContext(connection) as captured:
        tabular.run_import("contacts", _contacts(cast, 2 * BATCH), actor=Actor.command(cast.bob))
    inserts = [q for q in captured.captured_queries if 'INSERT INTO "core_auditevent"' in q["sql"]]
    assert len(inserts) == 2 + 1  # one per batch, and the import's own event
    created = AuditEvent.objects.filter(action=AuditAction.CREATE)
    assert created.count() == 20
    event = created.get(object_id=str(Contact.objects.get(summary="職場で面談した0").pk))
    assert (event.office, event.username, event.object_type) == (
        cast.office_a,
        "bob",
        "contacts.contact",
    )


def test_progress_is_reported_after_each_batch(cast, people):
    calls = []
    tabular.run_import(
        "contacts", _contacts(cast, 25), progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(10, 25), (20, 25), (25, 25)]


def test_a_file_object_is_read_as_a_stream(cast, people):
    result = tabular.run_import("contacts", io.BytesIO(_contacts(cast, 25)))
    assert (result.ok, result.rows, result.created) == (True, 25, 25)


def test_a_cp932_file_with_an_euc_jp_row_far_down_is_refused_naming_it(cast, people):
    text = _contacts(cast, 3 * BATCH).decode()
    lines = text.splitlines(keepends=True)
    data = "".join(lines[:-1]).encode("cp932") + lines[-1].encode("euc_jp")
    result = tabular.run_import("contacts", io.BytesIO(data))
    assert len(result.errors) == 1
    assert "31 " in result.errors[0].reason
    assert not Contact.objects.exists()


# ---------------------------------------------------------------------------------------------
# Clients and employments

CLIENTS_HEADER = (
    "office_number,client_code,family_name,given_name,family_name_kana,given_name_kana,"
    "birth_date,disability_types,referral_office_number,plan_type,consultation_office_number,"
    "service_start,service_end,service_end_reason\n"
)
EMPLOYMENTS_HEADER = (
    "office_number,client_code,start_date,employer_name,end_date,separation_reason,"
    "supported_job_change\n"
)


def _clients(cast, n, family="山田"):
    number = cast.office_a.office_number
    rows = "".join(f"{number},N{i:04d},{family},太郎,,,,,,,,2024/4/1,,\n" for i in range(n))
    return (CLIENTS_HEADER + rows).encode()


def _employments(cast, n, employers=3):
    number = cast.office_a.office_number
    rows = "".join(f"{number},N{i:04d},2023/10/1,さくら食品{i % employers},,,\n" for i in range(n))
    return (EMPLOYMENTS_HEADER + rows).encode()


def test_a_batch_of_clients_costs_the_same_queries_whatever_its_size(cast):
    def created(n):
        Client.objects.all().delete()
        return _queries(lambda: tabular.run_import("clients", _clients(cast, n)))

    def updated(n):
        Client.objects.all().delete()
        tabular.run_import("clients", _clients(cast, n))
        return _queries(lambda: tabular.run_import("clients", _clients(cast, n, family="佐藤")))

    assert _per_batch(created) <= 5
    assert _per_batch(updated) <= 6


def test_reimporting_clients_and_employments_changes_nothing(cast):
    tabular.run_import("clients", _clients(cast, 25))
    first = tabular.run_import("employments", _employments(cast, 25))
    events = AuditEvent.objects.count()
    again = [
        tabular.run_import("clients", _clients(cast, 25)),
        tabular.run_import("employments", _employments(cast, 25)),
    ]
    assert (first.created, first.unchanged) == (25, 0)
    assert [(r.created, r.updated, r.unchanged) for r in again] == [(0, 0, 25)] * 2
    assert (Client.objects.count(), Employment.objects.count()) == (25, 25)
    assert AuditEvent.objects.count() == events + 2
    assert {e.employer.name for e in Employment.objects.select_related("employer")} == {
        "さくら食品0",
        "さくら食品1",
        "さくら食品2",
    }


def test_a_batch_of_employments_costs_the_same_queries_whatever_its_size(cast):
    tabular.run_import("clients", _clients(cast, 4 * BATCH))

    def created(n):  # each row with a new employer
        Employment.objects.all().delete()
        Employer.objects.all().delete()
        return _queries(
            lambda: tabular.run_import("employments", _employments(cast, n, employers=n))
        )

    # clients, employers, new employers, employments recorded, new employments, their events
    assert _per_batch(created) <= 6


# ---------------------------------------------------------------------------------------------
# Survey responses

LIKERT = ",".join(f"C{i:02d}" for i in range(1, 13))
SURVEY_HEADER = (
    "response_id,submitted_at,affiliation,corporation_type,role,"
    + LIKERT
    + ",status_methods,other_org_has_challenges,other_org_challenges,"
    "other_org_challenges__categories,self_plan_differences,self_plan_differences__categories\n"
)


def _responses(n, *, likert="5"):
    scale = ",".join([likert] * 12)
    rows = "".join(
        f"R{i:04d},2024-01-20 10:00,retention_support,social_welfare,support_staff,{scale},"
        f"phone;email,yes,連携が難しい,collaboration,,\n"
        for i in range(n)
    )
    return (SURVEY_HEADER + rows).encode()


def test_a_batch_of_survey_responses_costs_the_same_queries_whatever_its_size():
    survey = factories.challenge_survey()

    def created(n):
        Response.objects.all().delete()
        return _queries(lambda: import_responses(survey, _responses(n)))

    def updated(n):
        Response.objects.all().delete()
        import_responses(survey, _responses(n))
        return _queries(lambda: import_responses(survey, _responses(n, likert="6")))

    assert _per_batch(created) <= 8
    assert _per_batch(updated) <= 16


def test_reimporting_survey_responses_in_batches_changes_nothing():
    survey = factories.challenge_survey()
    first = import_responses(survey, _responses(25))
    answers = Answer.objects.count()
    second = import_responses(survey, _responses(25))
    assert (first.created, second.unchanged, second.created) == (25, 25, 0)
    assert Answer.objects.count() == answers
