"""The contacts and survey-response imports write PostgreSQL through a staging table (``COPY``
and one ``INSERT … SELECT`` per batch, ``core.tabular.staging``) and other databases with
``bulk_create``: the same file must give the same rows and the same audit events either way, be
idempotent, and be rolled back whole. Speed is measured in ``bench/imports.py``."""

import datetime as dt
import logging

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, ContactRevision
from core import tabular
from core.audit import Actor
from core.calendar import JST
from core.models import AuditAction, AuditEvent
from core.tabular import staging
from surveys.exchange import import_responses
from surveys.models import Answer, AnswerChoice, Coding
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "事業所番号,利用者コード,日時,方法,相手,時間（分）,担当職員,内容\n"


@pytest.fixture
def people(cast):
    return [
        factories.ClientFactory(
            office=cast.office_a, client_code=f"K{i:03d}", family_name="山田", given_name=f"{i}郎"
        )
        for i in range(7)
    ]


def _contacts(cast, n, *, summary="職場で面談した", last_client=None):
    """``n`` rows over seven people, an hour apart, alternating methods and staff; the last
    row names ``last_client`` when given."""
    number = cast.office_a.office_number
    start = dt.datetime(2024, 4, 1, 9, 0)  # a cell as written, Japan time
    lines = []
    for i in range(n):
        code = last_client if last_client and i == n - 1 else f"K{i % 7:03d}"
        at = start + dt.timedelta(hours=i)
        method = ("職場訪問", "電話連絡", "テレビ会議システムによる面談")[i % 3]
        staff = ("alice", "bob", "")[i % 3]
        minutes = ("30", "", "45")[i % 3]
        lines.append(
            f"{number},{code},{at:%Y/%m/%d %H:%M},{method},本人,{minutes},{staff},{summary}{i}\n"
        )
    return (HEADER + "".join(lines)).encode()


def _written(since_event):
    """The contacts (by natural key) and the events after ``since_event``, as plain values; each
    event names its contact by key, not by id."""
    contacts = {
        c.pk: (
            c.client.client_code,
            c.contacted_at,
            c.method,
            c.counterpart,
            c.face_to_face,
            c.duration_minutes,
            c.staff.username if c.staff else "",
            c.summary,
            c.work_topics,
            c.life_topics,
            c.created_by_id,
            c.deleted_at,
            c.next_follow_up,
            c.employer_contact_id,
        )
        for c in Contact.objects.select_related("client", "staff")
    }
    events = [
        (
            e.action,
            e.object_type,
            contacts[int(e.object_id)][:4] if e.object_type == "contacts.contact" else "",
            e.object_repr,
            e.office_id,
            e.user_id,
            e.user_ref_id,
            e.username,
            e.via,
            e.detail,
            e.ip_address,
        )
        for e in AuditEvent.objects.filter(pk__gt=since_event).order_by("pk")
    ]
    return sorted(contacts.values()), events


def _last_event():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _import_with(path, data, actor, monkeypatch, **kwargs):
    """Import ``data`` through the staged path (``"staged"``) or ``bulk_create`` (``"portable"``,
    what SQLite runs) on this database."""
    with monkeypatch.context() as patch:
        if path == "portable":
            patch.setattr(staging, "available", lambda: False)
        return tabular.run_import("contacts", data, actor=actor, **kwargs)


@pytest.mark.postgres
def test_the_staged_path_writes_the_same_contacts_and_events_as_bulk_create(
    cast, people, monkeypatch
):
    data = _contacts(cast, 40)
    actor = Actor(user=cast.bob, address="192.0.2.7", via="page")
    results = {}
    for path in ("portable", "staged"):
        since = _last_event()
        with transaction.atomic():
            result = _import_with(path, data, actor, monkeypatch)
            results[path] = (result.as_dict(), *_written(since))
            order = list(
                AuditEvent.objects.filter(pk__gt=since, action=AuditAction.CREATE)
                .order_by("pk")
                .values_list("object_repr", flat=True)
            )
            transaction.set_rollback(True)
        # the events follow the file's rows: K000 on row 2, K001 on row 3, ...
        assert [repr_.split(" ")[1] for repr_ in order[:8]] == [
            f"{i}郎" for i in (0, 1, 2, 3, 4, 5, 6, 0)
        ]
    assert results["staged"] == results["portable"]
    summary, contacts, events = results["staged"]
    assert (summary["created"], len(contacts)) == (40, 40)
    assert len(events) == 41  # one per contact, and the import's own
    first = next(e for e in events if e[0] == AuditAction.CREATE)
    assert first[2:10] == (
        ("K000", dt.datetime(2024, 4, 1, 9, 0, tzinfo=JST), "workplace_visit", "client"),
        "山田 0郎 (K000) 職場訪問 2024-04-01",
        cast.office_a.pk,
        cast.bob.pk,
        cast.bob.pk,
        "bob",
        "page",
        "",
    )


@pytest.mark.postgres
def test_the_staged_path_updates_changed_contacts_as_bulk_create_does(cast, people, monkeypatch):
    actor = Actor.command(cast.bob)
    tabular.run_import("contacts", _contacts(cast, 21), actor=actor)
    results = {}
    for path in ("portable", "staged"):
        since = _last_event()
        with transaction.atomic():
            result = _import_with(path, _contacts(cast, 21, summary="訂正"), actor, monkeypatch)
            revisions = sorted(ContactRevision.objects.values_list("reason", "before__summary"))
            results[path] = (result.as_dict(), *_written(since), revisions)
            transaction.set_rollback(True)
    assert results["staged"] == results["portable"]
    summary, contacts, events, revisions = results["staged"]
    assert (summary["created"], summary["updated"]) == (0, 21)
    assert {c[7] for c in contacts} == {f"訂正{i}" for i in range(21)}
    assert [e[0] for e in events] == [AuditAction.UPDATE] * 21 + [AuditAction.IMPORT]
    assert revisions[0] == ("CSV取り込みによる更新", "職場で面談した0")


@pytest.mark.postgres
def test_a_staged_import_done_twice_adds_nothing(cast, people):
    data = _contacts(cast, 30)
    first = tabular.run_import("contacts", data)
    events = AuditEvent.objects.count()
    second = tabular.run_import("contacts", data)
    assert (first.created, second.created, second.updated, second.unchanged) == (30, 0, 0, 30)
    assert Contact.objects.count() == 30
    assert AuditEvent.objects.count() == events + 1  # the second import's own event


@pytest.mark.postgres
def test_a_staged_import_does_not_bring_back_a_deleted_contact(cast, people):
    data = _contacts(cast, 3)
    tabular.run_import("contacts", data)
    Contact.objects.filter(summary="職場で面談した1").update(deleted_at=dt.datetime.now(JST))
    again = tabular.run_import("contacts", data)
    assert (again.created, again.unchanged) == (0, 3)
    assert Contact.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_problem_in_the_last_row_rolls_the_staged_import_back_whole(cast, people, monkeypatch):
    monkeypatch.setattr(tabular.importing, "BATCH_SIZE", 10)  # three batches written first
    result = tabular.run_import("contacts", _contacts(cast, 31, last_client="NOBODY"))
    assert [(e.row, e.column) for e in result.errors] == [(32, "client_code")]
    assert result.errors[0].label == "利用者コード"
    assert str(result.errors[0]).startswith("32 行目")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.exists()


def _import_queries(data):
    with CaptureQueriesContext(connection) as captured:
        result = tabular.run_import("contacts", data)
    assert result.ok, result.errors
    return len(captured.captured_queries)


@pytest.mark.postgres  # SQLite's bulk_create splits at 999 parameters: one INSERT per 52 rows
def test_the_queries_of_an_import_do_not_grow_with_its_rows(cast, people):
    small = _import_queries(_contacts(cast, 5))
    Contact.objects.all().delete()
    larger = _import_queries(_contacts(cast, 60))
    assert small == larger


# ---------------------------------------------------------------------------------------------
# Survey responses

LIKERT = ",".join(f"C{i:02d}" for i in range(1, 13))
SURVEY_HEADER = (
    "response_id,submitted_at,affiliation,corporation_type,role,"
    + LIKERT
    + ",status_methods,other_org_has_challenges,other_org_challenges,"
    "other_org_challenges__categories,self_plan_differences,self_plan_differences__categories\n"
)


def _responses(n, *, bad_last=False):
    rows = []
    for i in range(n):
        scale = [str(1 + (i + q) % 7) for q in range(12)]
        if bad_last and i == n - 1:
            scale[0] = "9"
        methods = ("phone;email", "workplace_visit", "email;workplace_visit;phone")[i % 3]
        rows.append(
            f"R{i:04d},2024-01-20 10:00,retention_support,social_welfare,support_staff,"
            f"{','.join(scale)},{methods},yes,連携が難しい{i},collaboration,,\n"
        )
    return (SURVEY_HEADER + "".join(rows)).encode()


def _answers():
    answers = {
        a.pk: (a.response.response_id, a.question.code, a.likert, a.choice_id, a.text)
        for a in Answer.objects.select_related("response", "question")
    }
    return (
        sorted(answers.values()),
        sorted((answers[c.answer_id], c.choice_id) for c in AnswerChoice.objects.all()),
        sorted(
            (answers[c.answer_id], c.category_id, c.coder_id, c.verified)
            for c in Coding.objects.all()
        ),
    )


@pytest.mark.postgres
def test_staged_survey_answers_are_the_same_as_bulk_created_ones(monkeypatch):
    survey = factories.challenge_survey()
    data = _responses(12)
    results = {}
    for path in ("portable", "staged"):
        with transaction.atomic():
            with monkeypatch.context() as patch:
                if path == "portable":
                    patch.setattr(staging, "available", lambda: False)
                result = import_responses(survey, data)
            results[path] = (result.as_dict(), _answers())
            transaction.set_rollback(True)
    assert results["staged"] == results["portable"]
    summary, (answers, picked, codings) = results["staged"]
    assert summary["created"] == 12
    # per respondent: affiliation (multi), two single choices, 12 likert, the methods (multi),
    # yes/no and one text
    assert len(answers) == 12 * 18
    assert len(picked) == 12 * 1 + 4 * 2 + 4 * 1 + 4 * 3
    assert len(codings) == 12
    assert {c[2:] for c in codings} == {(None, False)}


@pytest.mark.postgres
def test_a_staged_survey_import_is_idempotent_and_whole_or_nothing(monkeypatch):
    survey = factories.challenge_survey()
    monkeypatch.setattr(tabular.importing, "BATCH_SIZE", 5)
    refused = import_responses(survey, _responses(12, bad_last=True))
    assert [(e.row, e.column) for e in refused.errors] == [(13, "C01")]
    assert not Answer.objects.exists()
    first = import_responses(survey, _responses(12))
    answers = Answer.objects.count()
    again = import_responses(survey, _responses(12))
    assert (first.created, again.created, again.unchanged) == (12, 0, 12)
    assert Answer.objects.count() == answers == 12 * 18


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_each_imported_contact_is_echoed_to_the_audit_log(cast, people):
    lines = _Lines()
    audit_log = logging.getLogger("teichaku.audit")
    audit_log.addHandler(lines)
    try:
        tabular.run_import("contacts", _contacts(cast, 3), actor=Actor.command(cast.bob))
    finally:
        audit_log.removeHandler(lines)
    created = [line for line in lines.lines if "action=create" in line]
    ids = sorted(Contact.objects.values_list("pk", flat=True))
    assert created == [
        f"audit user={cast.bob.pk} via=command action=create object=contacts.contact:{pk} "
        f"office={cast.office_a.office_number}"
        for pk in ids
    ]
