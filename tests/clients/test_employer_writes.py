"""Employers are written by the service, in the transaction of the write they serve, and audited:
a client whose save is refused leaves no employer behind."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.db.models.signals import pre_save
from django.urls import reverse

from clients.models import Client, Employer
from core.models import AuditEvent
from tests import factories
from tests.clients.test_client_views import _form_data

D = dt.date


def _employer_events(employer):
    return AuditEvent.objects.filter(object_type="clients.employer", object_id=str(employer.pk))


def test_a_client_refused_by_the_database_leaves_no_employer_behind(client, cast):
    """Another submission saves the same client code between the form's check and this save
    (simulated by saving it just before): the save is refused, and the new employer with it."""

    def other_submission(sender, instance, **kwargs):
        if instance.pk is None and instance.client_code == "A-100":
            pre_save.disconnect(other_submission, sender=Client)
            factories.ClientFactory(office=cast.office_a, client_code="A-100")

    client.force_login(cast.alice)
    pre_save.connect(other_submission, sender=Client)
    try:
        with pytest.raises(IntegrityError):
            client.post(reverse("client_create"), _form_data(cast))
    finally:
        pre_save.disconnect(other_submission, sender=Client)
    assert not Employer.objects.filter(name="株式会社テスト商事").exists()


def test_an_employer_created_with_a_client_is_audited(client, cast):
    client.force_login(cast.alice)
    assert client.post(reverse("client_create"), _form_data(cast)).status_code == 302
    employer = Employer.objects.get(office=cast.office_a, name="株式会社テスト商事")
    event = _employer_events(employer).get()
    assert (event.action, event.office_id, event.user_id) == (
        "create",
        cast.office_a.pk,
        cast.alice.pk,
    )


def test_an_employer_named_on_a_new_employment_is_audited_once(client, cast):
    person = factories.ClientFactory(office=cast.office_a, service_start=D(2024, 4, 1))
    client.force_login(cast.alice)
    url = reverse("employment_create", kwargs={"client_pk": person.pk})
    data = {"new_employer_name": "株式会社つぎ", "start_date": "2024-06-20", "weekly_hours": "30"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "start_date": "2024-08-01"}).status_code == 302
    employer = Employer.objects.get(office=cast.office_a, name="株式会社つぎ")
    assert person.employments.filter(employer=employer).count() == 2
    assert _employer_events(employer).filter(action="create").count() == 1


def test_creating_and_editing_an_employer_is_audited(client, cast):
    client.force_login(cast.alice)
    create = reverse("employer_create", kwargs={"office_number": cast.office_a.office_number})
    assert client.post(create, {"name": "株式会社あさひ"}).status_code == 302
    employer = Employer.objects.get(office=cast.office_a, name="株式会社あさひ")
    edit = reverse("employer_update", kwargs={"employer_pk": employer.pk})
    assert client.post(edit, {"name": "株式会社あさひ製作所"}).status_code == 302
    assert list(_employer_events(employer).order_by("pk").values_list("action", "office_id")) == [
        ("create", cast.office_a.pk),
        ("update", cast.office_a.pk),
    ]
