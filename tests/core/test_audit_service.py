"""Audit in the service layer: whoever calls a service (page, command, task), the service writes
the event, in the transaction of the change, and an import that is not committed writes none."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from clients.models import Client
from contacts.models import Contact
from contacts.services import contact_create, contact_update
from core import audit, importing, tabular
from core.audit import Actor
from core.models import AuditEvent, ImportJob
from surveys.models import Response
from tests import factories
from tests.clients.test_imports import clients_csv
from tests.offices.test_office_import import GOOD_ROWS
from tests.offices.test_office_import import csv_text as office_csv

pytestmark = pytest.mark.django_db

JST = ZoneInfo("Asia/Tokyo")
CONTACT_HEADER = "office_number,client_code,contacted_at,method,counterpart,summary\n"


@pytest.fixture
def person(cast):
    return factories.ClientFactory(office=cast.office_a, client_code="K001")


def _contacts_csv(cast, *rows):
    number = cast.office_a.office_number
    return (CONTACT_HEADER + "".join(f"{number},{row}\n" for row in rows)).encode()


def _create_contact(person, actor):
    return contact_create(
        client=person,
        staff=None,
        contacted_at=dt.datetime(2024, 6, 3, 10, tzinfo=JST),
        method="phone",
        counterpart="client",
        actor=actor,
    )


# --- who acts -----------------------------------------------------------------------------------


def test_a_contact_created_from_the_command_line_is_audited_without_an_address(person):
    contact = _create_contact(person, Actor.command())
    event = AuditEvent.objects.get(object_type="contacts.contact", object_id=str(contact.pk))
    assert (event.action, event.via, event.user, event.ip_address) == (
        "create",
        "command",
        None,
        None,
    )
    assert event.office == person.office


def test_a_task_names_the_user_who_queued_it(cast, person):
    contact = _create_contact(person, Actor.task(cast.alice.pk))
    event = AuditEvent.objects.get(object_id=str(contact.pk))
    assert (event.via, event.user) == ("task", cast.alice)
    assert contact.created_by == cast.alice


def _request(remote, forwarded=None, user=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)
    if user is not None:
        request.user = user
    return request


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.TEICHAKU_TRUSTED_PROXIES = []
    actor = Actor.from_request(_request("203.0.113.7", "198.51.100.1"))
    assert (actor.address, actor.via, actor.user) == ("203.0.113.7", "page", None)


def test_forwarded_for_is_ignored_when_the_peer_is_not_the_trusted_proxy(settings):
    settings.TEICHAKU_TRUSTED_PROXIES = ["10.0.0.1"]
    assert Actor.from_request(_request("203.0.113.7", "198.51.100.1")).address == "203.0.113.7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_browser(settings):
    settings.TEICHAKU_TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.2"]
    # The browser wrote the first entry itself; the proxies appended the rest.
    request = _request("10.0.0.1", "192.0.2.66, 198.51.100.1, 10.0.0.2")
    assert Actor.from_request(request).address == "198.51.100.1"


def test_a_garbled_forwarded_address_is_not_recorded(settings):
    settings.TEICHAKU_TRUSTED_PROXIES = ["10.0.0.1"]
    assert Actor.from_request(_request("10.0.0.1", "not-an-address")).address is None


def test_a_page_records_the_forwarded_address_of_the_browser(client, cast, person, settings):
    settings.TEICHAKU_TRUSTED_PROXIES = ["10.0.0.1"]
    client.force_login(cast.alice)
    client.get(
        reverse("client_detail", kwargs={"client_pk": person.pk}),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    event = AuditEvent.objects.get(action="view", object_id=str(person.pk))
    assert (event.via, event.user, event.ip_address) == ("page", cast.alice, "198.51.100.9")


# --- the event is part of the change --------------------------------------------------------


@pytest.fixture
def failing_audit_log(monkeypatch):
    """The audit log fails right after the event row is written, i.e. after the change."""

    def fail(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit.logger, "info", fail)


def test_an_error_after_the_change_leaves_neither_change_nor_event(person, failing_audit_log):
    with pytest.raises(RuntimeError):
        _create_contact(person, Actor.command())
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_failed_edit_keeps_the_contact_as_it_was(person, request):
    contact = _create_contact(person, Actor.command())
    request.getfixturevalue("failing_audit_log")
    with pytest.raises(RuntimeError):
        contact_update(contact=contact, actor=Actor.command(), reason="typo", summary="changed")
    contact.refresh_from_db()
    assert contact.summary == ""
    assert not contact.revisions.exists()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["create"]


# --- imports --------------------------------------------------------------------------------


def test_a_dry_run_import_writes_no_event(cast, person):
    result = tabular.run_import(
        "contacts", _contacts_csv(cast, "K001,2024-04-10 10:30,phone,client,x"), dry_run=True
    )
    assert (result.ok, result.created) == (True, 1)
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_refused_import_writes_no_event(cast, person):
    result = tabular.run_import(
        "contacts",
        _contacts_csv(
            cast, "K001,2024-04-10 10:30,phone,client,ok", "K999,2024-04-10 11:00,phone,client,"
        ),
    )
    assert not result.ok
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_contacts_import_writes_an_event_per_contact_and_one_for_the_file(cast, person):
    data = _contacts_csv(
        cast, "K001,2024-04-10 10:30,phone,client,a", "K001,2024-04-11 09:00,email,employer,b"
    )
    tabular.run_import("contacts", data, actor=Actor.command(), filename="april.csv")
    created = AuditEvent.objects.filter(action="create", object_type="contacts.contact")
    assert created.count() == 2
    assert set(created.values_list("via", flat=True)) == {"command"}
    event = AuditEvent.objects.get(action="import")
    assert event.detail == "contacts april.csv: 2 rows, 2 created, 0 updated, 0 unchanged"
    # Importing the same file again changes nothing but is still an import on record.
    tabular.run_import("contacts", data, actor=Actor.command())
    assert created.count() == 2
    assert AuditEvent.objects.filter(action="import").count() == 2


def test_the_import_command_is_audited(cast, tmp_path):
    path = tmp_path / "clients.csv"
    a = cast.office_a.office_number
    path.write_text(clients_csv(cast, f"{a},K100,佐藤,一郎,サトウ,イチロウ,,,,,,2024-04-01,,"))
    call_command("import_csv", "clients", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    client = Client.objects.get(client_code="K100")
    assert AuditEvent.objects.filter(
        action="create", object_id=str(client.pk), via="command"
    ).exists()
    assert AuditEvent.objects.get(action="import").detail.startswith("clients clients.csv: 1 rows")


def test_an_import_job_is_audited_as_a_task_of_its_user(cast, person):
    job = ImportJob.objects.create(
        user=cast.alice,
        kind="contacts",
        filename="c.csv",
        content=_contacts_csv(cast, "K001,2024-04-10 10:30,phone,client,x"),
    )
    importing.run_job(job.pk)
    events = AuditEvent.objects.all()
    assert {(e.action, e.via, e.user_id) for e in events} == {
        ("create", "task", cast.alice.pk),
        ("import", "task", cast.alice.pk),
    }


def test_an_offices_import_audits_each_office_it_writes(db):
    assert tabular.run_import("offices", office_csv(GOOD_ROWS[0]).encode()).ok
    event = AuditEvent.objects.get(action="create")
    assert (event.object_type, event.office.office_number) == ("offices.office", "1310100001")


def test_a_survey_import_is_audited_unless_it_is_a_dry_run(tmp_path):
    from tests.surveys.test_exchange import _csv, _row

    survey = factories.challenge_survey()
    path = tmp_path / "answers.csv"
    path.write_bytes(_csv(_row("r1")))
    out = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("survey_import", survey.slug, str(path), "--dry-run", **out)
    assert not AuditEvent.objects.exists()
    call_command("survey_import", survey.slug, str(path), **out)
    assert Response.objects.count() == 1
    event = AuditEvent.objects.get()
    assert (event.action, event.via, event.object_id) == ("import", "command", str(survey.pk))


# --- exports --------------------------------------------------------------------------------


def test_a_csv_export_from_a_page_is_audited(client, cast):
    survey = factories.challenge_survey(slug="aoba-2024", corporation=cast.corporation_a)
    coordinator = factories.UserFactory(username="coordinator")
    factories.SurveyCoordinatorFactory(user=coordinator, corporation=cast.corporation_a)
    client.force_login(coordinator)
    response = client.get(reverse("survey_responses_export", kwargs={"survey_slug": survey.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    event = AuditEvent.objects.get(action="export")
    assert (event.via, event.user, event.ip_address) == ("page", coordinator, "127.0.0.1")
    assert event.detail == "survey responses aoba-2024: 0 rows"


def test_command_line_exports_are_audited(cast, person, tmp_path):
    survey = factories.challenge_survey()
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("survey_export", survey.slug, "--output", str(tmp_path / "s.csv"), **quiet)
    number = cast.office_a.office_number
    call_command("contact_stats", "--office", number, "--from", "2024-04-01", "--to",
                 "2024-04-30", **quiet)  # fmt: skip
    call_command("retention_report", "--office", number, "--fiscal-year", "2024", **quiet)
    events = AuditEvent.objects.filter(action="export").order_by("pk")
    assert [e.detail.split()[0] for e in events] == ["survey", "contact_stats", "retention_report"]
    assert {e.via for e in events} == {"command"}
    assert [e.office for e in events] == [None, cast.office_a, cast.office_a]


def test_a_report_pdf_is_audited_as_an_export(client, cast, person):
    report = factories.SupportReportFactory(client=person)
    client.force_login(cast.alice)
    response = client.get(reverse("report_pdf", kwargs={"report_pk": report.pk}))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="export")
    assert (event.object_type, event.object_id, event.via) == (
        "contacts.supportreport",
        str(report.pk),
        "page",
    )
