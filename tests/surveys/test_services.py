"""Every change a coordinator makes to a survey is written by ``surveys.services`` with its
audit event: who, through which page, what changed."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import AuditAction, AuditEvent, AuditVia
from surveys.models import Category, Coding, Invitation, NationalReference, Survey
from surveys.report import MIN_REFERENCE_RESPONSES
from tests.factories import SurveyCoordinatorFactory, UserFactory, challenge_survey, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    survey = challenge_survey(slug="aoba-2024", corporation=cast.corporation_a)
    coordinator = UserFactory(username="coordinator")
    SurveyCoordinatorFactory(user=coordinator, corporation=cast.corporation_a)
    return survey, coordinator


def _events(obj):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("pk")


def test_closing_and_publishing_a_survey_are_audited(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    url = reverse("survey_status", args=[survey.slug])
    client.post(url, {"action": "close"})
    client.post(url, {"action": "publish"})
    events = list(_events(survey))
    assert [e.action for e in events] == [AuditAction.UPDATE, AuditAction.UPDATE]
    assert all(e.user == coordinator and e.via == AuditVia.PAGE for e in events)
    assert "close" in events[0].detail and "open -> closed" in events[0].detail
    assert "publish" in events[1].detail and "False -> True" in events[1].detail


def test_a_refused_status_change_changes_and_records_nothing(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    # An open survey cannot be opened again; "archive" is no action at all.
    for action in ("open", "archive", ""):
        client.post(reverse("survey_status", args=[survey.slug]), {"action": action})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and not survey.report_published
    assert not _events(survey).exists()


def test_saving_the_settings_is_audited_with_the_fields_changed(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    client.post(
        reverse("survey_detail", args=[survey.slug]),
        {"title": "あおば会 職員調査 2024", "description": survey.description, "opens_on": "",
         "closes_on": "", "allow_open_link": "on" if survey.allow_open_link else ""},
    )  # fmt: skip
    survey.refresh_from_db()
    assert survey.title == "あおば会 職員調査 2024"
    (event,) = _events(survey)
    assert event.action == AuditAction.UPDATE and event.user == coordinator
    assert event.detail == "settings: title"


def test_adding_and_removing_addresses_are_audited(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    client.post(
        reverse("survey_invitations", args=[survey.slug]),
        {"addresses": "a@example.jp\nb@example.jp"},
    )
    (added,) = _events(survey)
    assert added.action == AuditAction.CREATE
    assert added.detail == "invitations: 2 added, 0 already invited"
    invitation = Invitation.objects.get(survey=survey, email="a@example.jp")
    client.post(reverse("survey_invitation_delete", args=[survey.slug, invitation.pk]))
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    (removed,) = _events(invitation)
    assert removed.action == AuditAction.DELETE and removed.user == coordinator
    assert removed.via == AuditVia.PAGE


def test_sending_invitations_records_each_address_sent_for_the_coordinator(
    client, world, django_capture_on_commit_callbacks
):
    survey, coordinator = world
    first = Invitation.objects.create(survey=survey, email="a@example.jp")
    second = Invitation.objects.create(survey=survey, email="b@example.jp")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("survey_invitation_send", args=[survey.slug]), {"kind": "invitation"})
    for invitation in (first, second):
        (event,) = _events(invitation)
        assert event.detail == "invitation sent"
        assert event.via == AuditVia.TASK and event.user == coordinator


def test_coding_and_the_codebook_are_audited(client, world):
    survey, coordinator = world
    respond(survey, {"C01": 5, "other_org_challenges": "情報が足りない"})
    question = survey.questions.get(code="other_org_challenges")
    answer = question.answers.get()
    client.force_login(coordinator)
    url = reverse("survey_coding_question", args=[survey.slug, question.code])
    chosen = question.categories.get(code="lack_of_info")
    client.post(url, {"answer": answer.pk, "categories": [chosen.pk], "verified": "1"})
    assert Coding.objects.filter(answer=answer, coder=coordinator, verified=True).count() == 1
    (coded,) = _events(answer)
    assert coded.action == AuditAction.UPDATE and coded.detail == "codes: lack_of_info; verified"
    client.post(
        reverse("survey_category_add", args=[survey.slug, question.code]),
        {"code": "workload", "label_ja": "業務負担"},
    )
    category = Category.objects.get(question=question, code="workload")
    (added,) = _events(category)
    assert added.action == AuditAction.CREATE and added.user == coordinator


def test_copying_a_survey_is_audited_on_the_copy(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    client.post(reverse("survey_copy", args=[survey.slug]), {"slug": "aoba-2025", "year": 2025})
    copy = Survey.objects.get(slug="aoba-2025")
    (event,) = _events(copy)
    assert event.action == AuditAction.CREATE and event.detail == "copy of aoba-2024"


def test_choosing_the_national_reference_is_audited(client, cast):
    survey = challenge_survey(slug="national-2024", status="closed")
    for _i in range(MIN_REFERENCE_RESPONSES):
        respond(survey, {"status_methods": ["phone"]})
    survey.report_published = True
    survey.save()
    coordinator = UserFactory(username="national")
    SurveyCoordinatorFactory(user=coordinator, corporation=None)
    client.force_login(coordinator)
    url = reverse("survey_reference", args=[survey.slug])
    client.post(url)
    assert NationalReference.objects.get().survey == survey
    client.post(url, {"action": "clear"})
    assert not NationalReference.objects.exists()
    assert [e.detail for e in _events(survey)] == [
        "national reference chosen",
        "national reference cleared",
    ]


def test_the_create_command_records_the_new_survey(cast):
    call_command("survey_create", "cmd-2024", "--year", "2024", "--template",
                 "retention-challenges")  # fmt: skip
    survey = Survey.objects.get(slug="cmd-2024")
    (event,) = _events(survey)
    assert event.via == AuditVia.COMMAND and event.user is None
    assert event.detail == "from template retention-challenges"
