"""Sharing the trend with a named person at the employer: by consent, read-only, only the chosen
items, expiring and revocable, every view audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.audit import Actor
from core.models import AuditEvent
from tests import factories
from voice import services
from voice.models import EmployerShare

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cast):
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, family_name="共有田", given_name="守"
    )
    services.check_in_plan_set(
        client=person, items=["sleep", "workload", "mood"], rhythm_days=7, ruby=False,
        actor=Actor.command(),
    )  # fmt: skip
    services.check_in_record(
        client=person, ratings={"sleep": 3, "workload": 2, "mood": 1}, comment="上司には内緒",
        via="web", answered_at=timezone.now(), actor=Actor.command(),
    )  # fmt: skip
    return person


@pytest.fixture
def boss(cast, person):
    employer = factories.EmployerFactory(office=cast.office_a, name="見本商事")
    factories.EmploymentFactory(client=person, employer=employer)
    return factories.EmployerContactFactory(employer=employer, family_name="上原")


def test_staff_record_consent_and_the_named_person_sees_only_the_chosen_items(
    client, cast, person, boss
):
    client.force_login(cast.alice)
    response = client.post(
        reverse("employer_share", args=[person.pk]),
        {
            "employer_contact": boss.pk,
            "items": ["workload"],
            "consented_on": "2026-11-20",
            "consent_note": "面談で本人が同意（署名）",
        },
    )
    assert response.status_code == 302
    share = EmployerShare.objects.get(client=person)
    assert share.items == ["workload"] and share.consented_on == dt.date(2026, 11, 20)
    created = AuditEvent.objects.get(object_type="voice.employershare", action="create")
    assert "面談で本人が同意" in created.detail and created.user == cast.alice

    client.logout()
    url = reverse("employer_share_view", args=[services.employer_share_token(share)])
    for _view in range(2):
        page = client.get(url)
        assert page.status_code == 200
    text = page.content.decode()
    assert 'data-item="workload"' in text
    assert 'data-item="sleep"' not in text and 'data-item="mood"' not in text
    # Nothing else of the record: not the name, not the comment.
    assert "共有田" not in text and "上司には内緒" not in text
    views = AuditEvent.objects.filter(object_type="voice.employershare", action="view")
    assert views.count() == 2 and views.first().user is None


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_a_revoked_or_expired_share_shows_nothing(client, cast, person, boss, how):
    share = services.employer_share_create(
        client=person, employer_contact=boss, items=["sleep"], consented_on=dt.date(2026, 11, 1),
        consent_note="署名", actor=Actor.command(cast.alice),
    )  # fmt: skip
    url = reverse("employer_share_view", args=[services.employer_share_token(share)])
    if how == "revoked":
        client.force_login(cast.alice)
        client.post(reverse("employer_share_revoke", args=[person.pk]), {"share": share.pk})
        client.logout()
        assert AuditEvent.objects.filter(object_type="voice.employershare", action="delete")
    else:
        EmployerShare.objects.filter(pk=share.pk).update(expires_at=timezone.now())
    response = client.get(url)
    assert response.status_code == 404 and "data-item" not in response.content.decode()


def test_an_item_the_person_did_not_choose_cannot_be_shared(cast, person, boss):
    with pytest.raises(ValueError):
        services.employer_share_create(
            client=person, employer_contact=boss, items=["meals"],
            consented_on=dt.date(2026, 11, 1), consent_note="x", actor=Actor.command(),
        )  # fmt: skip


def test_staff_of_another_office_cannot_share_or_revoke(client, cast, person, boss):
    client.force_login(cast.charlie)
    assert client.get(reverse("employer_share", args=[person.pk])).status_code == 404
    response = client.post(
        reverse("employer_share", args=[person.pk]),
        {"employer_contact": boss.pk, "items": ["sleep"], "consented_on": "2026-11-20",
         "consent_note": "x"},
    )  # fmt: skip
    assert response.status_code == 404
    assert not EmployerShare.objects.exists()
