"""The complete, tamper-proof audit trail: reads of every page that shows people, refused
cross-office attempts, a stable actor, an append-only table, and the office manager's view."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from core import calendar
from core.models import AuditEvent, AuditTrailIsAppendOnly
from offices.models import Role
from tests import factories


@pytest.fixture
def people(cast):
    """Two of Alice's people in service this month, each with a contact by her today."""
    start = calendar.today() - dt.timedelta(days=40)
    ichiro = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, client_code="A-101", service_start=start
    )
    jiro = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, client_code="A-102", service_start=start
    )
    now = calendar.now()
    for person in (ichiro, jiro):
        factories.ContactFactory(
            client=person, staff=cast.alice, contacted_at=now, next_follow_up=calendar.today()
        )
    return ichiro, jiro


def _views_naming(*codes):
    events = AuditEvent.objects.filter(action="view")
    return [e for e in events if all(code in e.detail.split() for code in codes)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "query", "page"),
    [
        ("contact_list", "", "contact history"),
        ("contact_list", "?q=A-10", "contact search"),
        ("contacts_today", "", "today"),
        ("worklist", "", "worklist (mine)"),
        ("worklist", "?scope=office", "worklist (office)"),
        ("home", "", "home"),
        ("report_index", "", "support reports"),
        ("client_list", "", "client list"),
    ],
)
def test_each_list_page_view_writes_one_event_naming_the_people_shown(
    cast, client, people, url_name, query, page
):
    client.force_login(cast.alice)
    before = AuditEvent.objects.count()
    response = client.get(reverse(url_name) + query)
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.detail.startswith(page)
    assert event in _views_naming("A-101", "A-102")
    assert event.username == "alice"
    assert event.office == cast.office_a


@pytest.mark.django_db
def test_contact_forms_and_quick_entry_record_the_read(cast, client, people):
    contact = people[0].contacts.get()
    client.force_login(cast.alice)
    for url_name, detail in (("contact_edit", "edit form"), ("contact_delete", "delete form")):
        client.get(reverse(url_name, kwargs={"contact_pk": contact.pk}))
        event = AuditEvent.objects.latest("pk")
        assert (event.action, event.object_id, event.detail) == ("view", str(contact.pk), detail)
    client.get(reverse("contact_quick_entry", kwargs={"client_pk": people[0].pk}))
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_id) == ("view", str(people[0].pk))
    assert event.detail == f"quick entry; recent contacts: {contact.pk}"


@pytest.mark.django_db
def test_charlies_refused_attempt_writes_a_denied_event(cast, client, people):
    client.force_login(cast.charlie)
    response = client.get(reverse("client_detail", kwargs={"client_pk": people[0].pk}))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="denied")
    assert (event.username, event.object_type, event.object_id) == (
        "charlie",
        "clients.client",
        str(people[0].pk),
    )
    assert event.office == cast.office_a
    assert event.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_a_missing_row_is_a_plain_404_without_an_event(cast, client):
    client.force_login(cast.charlie)
    assert client.get(reverse("client_detail", kwargs={"client_pk": 999999})).status_code == 404
    assert not AuditEvent.objects.filter(action="denied").exists()


@pytest.mark.django_db
def test_another_offices_office_page_is_a_denied_event(cast, client):
    client.force_login(cast.charlie)
    url = reverse("office_detail", kwargs={"office_number": cast.office_a.office_number})
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.get(action="denied").office == cast.office_a


@pytest.mark.django_db
def test_an_account_with_events_cannot_be_deleted_and_the_event_keeps_the_username(cast, client):
    client.force_login(cast.alice)
    client.get(reverse("contact_list"))
    event = AuditEvent.objects.get(user=cast.alice)
    assert (event.user_ref_id, event.username) == (cast.alice.pk, "alice")
    with pytest.raises(ProtectedError):
        cast.alice.delete()
    admin = get_user_model().objects.create_superuser("root", "root@example.jp", "x" * 12)
    client.force_login(admin)
    delete_url = reverse("admin:auth_user_delete", args=[cast.alice.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    change = client.get(reverse("admin:auth_user_change", args=[cast.alice.pk]))
    assert "監査ログ" in change.content.decode()
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [cast.alice.pk]},
    )
    cast.alice.refresh_from_db()
    assert cast.alice.is_active is False
    assert AuditEvent.objects.get(pk=event.pk).username == "alice"


@pytest.mark.django_db
def test_an_account_without_events_can_still_be_deleted(cast):
    cast.diana.delete()


@pytest.mark.django_db
def test_an_event_cannot_be_changed_or_deleted(cast, client):
    client.force_login(cast.alice)
    client.get(reverse("contact_list"))
    event = AuditEvent.objects.get()
    event.detail = "nothing to see"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().detail.startswith("contact history")


@pytest.mark.django_db
def test_the_admin_shows_the_trail_read_only(cast, client):
    client.force_login(cast.alice)
    client.get(reverse("contact_list"))
    event = AuditEvent.objects.get()
    admin = get_user_model().objects.create_superuser("root", "root@example.jp", "x" * 12)
    client.force_login(admin)
    change_url = reverse("admin:core_auditevent_change", args=[event.pk])
    client.post(change_url, {"detail": "x"})
    assert client.post(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403
    assert AuditEvent.objects.get().detail == event.detail


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_a_raw_update_or_delete_of_the_trail(cast, client):
    client.force_login(cast.alice)
    client.get(reverse("contact_list"))
    for statement in (
        "UPDATE core_auditevent SET detail = 'x'",
        "DELETE FROM core_auditevent",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 1


# The office manager's trail


@pytest.mark.django_db
def test_bob_reads_office_as_trail_with_filters(cast, client, people):
    client.force_login(cast.alice)
    client.get(reverse("contact_list"))
    client.get(reverse("client_detail", kwargs={"client_pk": people[1].pk}))
    client.force_login(cast.bob)
    page = client.get(reverse("audit_trail"))
    assert page.status_code == 200
    assert len(page.context["page"]) == 2
    only_jiro = client.get(reverse("audit_trail"), {"client_code": "A-102", "action": "view"})
    assert len(only_jiro.context["page"]) == 2
    only_ichiro = client.get(reverse("audit_trail"), {"client_code": "A-101"})
    assert len(only_ichiro.context["page"]) == 1
    none_of_bob = client.get(reverse("audit_trail"), {"staff": cast.bob.pk})
    assert len(none_of_bob.context["page"]) == 0
    tomorrow = calendar.today() + dt.timedelta(days=1)
    assert len(client.get(reverse("audit_trail"), {"date_from": tomorrow}).context["page"]) == 0
    assert "監査ログ" in page.content.decode()  # in the navigation


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_trail_export_is_itself_audited(cast, client, people, fmt):
    client.force_login(cast.alice)
    client.get(reverse("contact_list"))
    client.force_login(cast.bob)
    response = client.get(reverse("audit_trail_export"), {"format": fmt})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        assert "A-101" in response.content.decode("utf-8-sig")
    export = AuditEvent.objects.get(action="export")
    assert (export.username, export.office) == ("bob", cast.office_a)
    assert export.detail.startswith(f"audit trail {fmt}")


@pytest.mark.django_db
def test_charlie_and_alice_are_refused_office_as_trail(cast, client):
    cast.charlie.memberships.update(role=Role.OFFICE_MANAGER)
    client.force_login(cast.charlie)
    assert client.get(reverse("audit_trail")).status_code == 200  # his own office's trail
    other = {"office": cast.office_a.office_number}
    assert client.get(reverse("audit_trail"), other).status_code == 404
    assert client.get(reverse("audit_trail_export"), other).status_code == 404
    assert AuditEvent.objects.filter(action="denied", username="charlie").count() == 2
    client.force_login(cast.alice)  # staff, not a manager
    assert client.get(reverse("audit_trail")).status_code == 404
    assert "監査ログ" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_trail_in_cp932_and_a_refused_file_leaves_no_export_event(cast, client, people):
    client.force_login(cast.bob)
    response = client.get(reverse("audit_trail_export"), {"encoding": "cp932"})
    assert response.status_code == 200
    assert response.content.decode("cp932").startswith("日時,職員,ログインID,操作")
    assert AuditEvent.objects.filter(action="export").count() == 1
    # Reading a record names it in the trail; 𠮷 (U+20BB7) is not in CP932.
    yoshida = factories.ClientFactory(office=cast.office_a, client_code="Z-1", family_name="𠮷川")
    client.get(reverse("client_detail", kwargs={"client_pk": yoshida.pk}))
    refused = client.get(reverse("audit_trail_export"), {"encoding": "cp932", "action": "view"})
    assert refused.status_code == 302
    assert refused["Location"] == reverse("audit_trail") + "?action=view"
    assert AuditEvent.objects.filter(action="export").count() == 1
    assert client.get(reverse("audit_trail_export"), {"format": "txt"}).status_code == 400
