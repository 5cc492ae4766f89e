"""A contact recorded through the API is the contact the quick-entry form records: the same
service, the same validation and messages, the same row and the same audit event."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from contacts.models import Contact
from core.models import AuditEvent
from offices.models import MonthClose
from tests import factories
from tests.api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db

FORM = {
    "method": "workplace_visit",
    "counterpart": "client",
    "summary": "職場で面談。作業手順を確認した。",
    "duration_minutes": "45",
    "work_topics": ["tasks", "attendance"],
    "life_topics": [],
    "next_follow_up": "2024-05-20",
    "face_to_face": "",
}


def _json(form, **changes):
    body = {k: v for k, v in form.items() if k != "face_to_face"}
    body["duration_minutes"] = int(body["duration_minutes"])
    return {**body, **changes}


def _events_of(action_callable):
    before = AuditEvent.objects.count()
    action_callable()
    return list(AuditEvent.objects.order_by("pk")[before:])


def _event_shape(event):
    return {
        name: getattr(event, name)
        for name in (
            "user_id", "user_ref_id", "username", "via", "action", "object_type", "object_repr",
            "office_id", "detail", "ip_address",
        )
    }  # fmt: skip


def _contact_shape(contact):
    ignored = {"id", "contacted_at", "created_at", "updated_at"}
    return {
        field.attname: getattr(contact, field.attname)
        for field in Contact._meta.concrete_fields
        if field.attname not in ignored
    }


@pytest.fixture
def person(cast):
    client = factories.ClientFactory(office=cast.office_a, staff_in_charge=cast.alice)
    factories.EmploymentFactory(client=client)
    return client


def test_an_api_contact_and_a_form_contact_are_indistinguishable(cast, client, person):
    client.force_login(cast.alice)
    url = reverse("contact_quick_entry", kwargs={"client_pk": person.pk})
    form_events = _events_of(
        lambda: client.post(
            url, {**FORM, "contacted_at": "2024-05-01T10:00"}, REMOTE_ADDR="10.0.0.5"
        )
    )
    api = ApiClient(token_for(cast.alice))
    api_response = None

    def post():
        nonlocal api_response
        api_response = api.http.post(
            "/api/v1/contacts/",
            _json(FORM, client=person.pk, contacted_at="2024-05-01T15:30"),
            content_type="application/json",
            headers=api.headers,
            REMOTE_ADDR="10.0.0.5",
        )

    api_events = _events_of(post)
    assert api_response.status_code == 201
    by_api = Contact.objects.get(pk=api_response.json()["id"])
    by_form = Contact.objects.exclude(pk=by_api.pk).get()
    assert by_form.contacted_at == dt.datetime(2024, 5, 1, 1, 0, tzinfo=dt.UTC)
    assert by_api.contacted_at == dt.datetime(2024, 5, 1, 6, 30, tzinfo=dt.UTC)
    assert _contact_shape(by_api) == _contact_shape(by_form)
    assert by_api.staff == by_api.created_by == cast.alice
    assert by_api.face_to_face is True  # the method decides, as on the form
    assert [_event_shape(e) for e in api_events] == [_event_shape(e) for e in form_events]
    assert [e.action for e in api_events] == ["create"]
    assert api_response["Location"] == f"/api/v1/contacts/{by_api.pk}/"


def test_an_offset_time_is_read_in_japan_time(cast, person):
    api = ApiClient(token_for(cast.alice))
    response = api.post(
        "/api/v1/contacts/", _json(FORM, client=person.pk, contacted_at="2024-05-01T01:00:00Z")
    )
    assert response.status_code == 201
    assert response.json()["contacted_at"] == "2024-05-01T10:00:00+09:00"


def test_the_api_refuses_with_the_form_s_messages(cast, client, person):
    bad = {**FORM, "contacted_at": "2099-01-01T10:00", "duration_minutes": "2000", "method": "x"}
    client.force_login(cast.alice)
    page = client.post(reverse("contact_quick_entry", kwargs={"client_pk": person.pk}), bad)
    form_errors = {name: list(messages) for name, messages in page.context["form"].errors.items()}
    api = ApiClient(token_for(cast.alice))
    response = api.post(
        "/api/v1/contacts/",
        _json(bad, client=person.pk, duration_minutes=2000),
    )
    assert response.status_code == 400
    api_errors = {}
    for error in response.json()["errors"]:
        api_errors.setdefault(error["field"], []).append(error["message"])
    assert api_errors == form_errors
    assert "日時に未来の時刻は指定できません。" in api_errors["contacted_at"]
    assert not Contact.objects.exists()


def test_a_double_recording_is_409_with_the_form_s_message(cast, person):
    api = ApiClient(token_for(cast.alice))
    body = _json(FORM, client=person.pk, contacted_at="2024-05-01T10:00")
    assert api.post("/api/v1/contacts/", body).status_code == 201
    again = api.post("/api/v1/contacts/", body)
    assert again.status_code == 409
    assert again.json()["message"] == "同じ日時・方法・相手の記録がすでにあります。"
    assert Contact.objects.count() == 1


def test_a_closed_month_is_409_with_the_form_s_message(cast, client, person):
    MonthClose.objects.create(office=cast.office_a, month=dt.date(2024, 5, 1), is_closed=True)
    client.force_login(cast.alice)
    url = reverse("contact_quick_entry", kwargs={"client_pk": person.pk})
    page = client.post(url, {**FORM, "contacted_at": "2024-05-01T10:00"}, HTTP_REFERER=url)
    form_message = next(str(m) for m in get_messages(page.wsgi_request))
    api = ApiClient(token_for(cast.alice))
    response = api.post(
        "/api/v1/contacts/", _json(FORM, client=person.pk, contacted_at="2024-05-02T10:00")
    )
    assert response.status_code == 409
    assert response.json()["message"] == form_message
    assert "2024年5月" in form_message
    assert not Contact.objects.exists()


def test_another_office_s_client_is_404_and_recorded(cast, person):
    api = ApiClient(token_for(cast.charlie))
    response = api.post(
        "/api/v1/contacts/", _json(FORM, client=person.pk, contacted_at="2024-05-01T10:00")
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()
    denied = AuditEvent.objects.get(action="denied")
    assert (denied.user, denied.object_id) == (cast.charlie, str(person.pk))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([1, 2], None),
        ({}, "client"),
        ({"client": "abc"}, "client"),
        ({"client": 2**80}, "client"),
        ({"client": True}, "client"),
        ({"client": "PERSON", "work_topics": [{"a": 1}]}, "work_topics"),
        ({"client": "PERSON", "summary": {"x": "y"}}, "summary"),
        ({"client": "PERSON", "face_to_face": "はい"}, "face_to_face"),
        (
            {
                "client": "PERSON",
                "contacted_at": "令和6年5月1日",
                "method": "phone",
                "counterpart": "client",
            },
            "contacted_at",
        ),
        (
            {
                "client": "PERSON",
                "contacted_at": "9999-12-31T23:59",
                "method": "phone",
                "counterpart": "client",
            },
            "contacted_at",
        ),
    ],
)
def test_malformed_bodies_answer_400_naming_the_field(cast, person, body, field):
    if isinstance(body, dict) and body.get("client") == "PERSON":
        body = {**body, "client": person.pk}
    response = ApiClient(token_for(cast.alice)).post("/api/v1/contacts/", body)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field


def test_a_body_that_is_not_json_answers_400_json(cast):
    api = ApiClient(token_for(cast.alice))
    response = api.http.post(
        "/api/v1/contacts/", "{not json", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400
    assert response.json()["message"]
