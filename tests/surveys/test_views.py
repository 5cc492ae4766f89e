"""Coordinator and reader pages: who sees what, invitations, coding and the report."""

import io
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from surveys import coding
from surveys.models import Coding, Invitation, Survey
from surveys.report import survey_report
from tests.factories import SurveyCoordinatorFactory, UserFactory, challenge_survey, respond

pytestmark = pytest.mark.django_db

SECRET_TEXT = "秘匿田さんの情報が足りない"


@pytest.fixture
def world(cast):
    survey = challenge_survey(slug="aoba-2024", corporation=cast.corporation_a)
    respond(survey, {"C01": 7, "C02": 4, "role": "manager", "affiliation": ["retention_support"],
                     "other_org_challenges": SECRET_TEXT})  # fmt: skip
    respond(survey, {"C01": 5, "C02": 2, "role": "support_staff",
                     "affiliation": ["retention_support", "continuous_b"]})  # fmt: skip
    coordinator = UserFactory(username="coordinator")
    SurveyCoordinatorFactory(user=coordinator, corporation=cast.corporation_a)
    return survey, coordinator


COORDINATOR_PAGES = [
    ("survey_detail", ()),
    ("survey_copy", ()),
    ("survey_invitations", ()),
    ("survey_coding", ()),
    ("survey_coding_question", ("other_org_challenges",)),
    ("survey_responses_export", ()),
]
REPORT_PAGES = ["survey_report", "survey_crosstab", "survey_compare", "survey_report_download"]


def test_coordinator_reaches_every_page(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    for name, extra in COORDINATOR_PAGES:
        assert client.get(reverse(name, args=[survey.slug, *extra])).status_code == 200, name
    for name in REPORT_PAGES:
        assert client.get(reverse(name, args=[survey.slug])).status_code == 200, name
    listing = client.get(reverse("survey_list")).content.decode()
    assert survey.title in listing


def test_office_staff_see_only_the_published_aggregate_report(client, cast, world):
    survey, _ = world
    client.force_login(cast.alice)
    assert client.get(reverse("survey_report", args=[survey.slug])).status_code == 404
    survey.report_published = True
    survey.save()
    page = client.get(reverse("survey_report", args=[survey.slug]))
    assert page.status_code == 200
    assert SECRET_TEXT not in page.content.decode()
    for name, extra in COORDINATOR_PAGES:
        assert client.get(reverse(name, args=[survey.slug, *extra])).status_code == 404, name
    # staff of another corporation never see it, published or not
    client.force_login(cast.charlie)
    assert client.get(reverse("survey_report", args=[survey.slug])).status_code == 404


def test_a_coordinator_of_another_organiser_is_refused(client, cast, world):
    survey, _ = world
    other = UserFactory(username="other-coordinator")
    SurveyCoordinatorFactory(user=other, corporation=cast.corporation_b)
    SurveyCoordinatorFactory(user=other, corporation=None)
    client.force_login(other)
    assert client.get(reverse("survey_detail", args=[survey.slug])).status_code == 404


def test_uploading_addresses_names_bad_lines_and_adds_nothing(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    url = reverse("survey_invitations", args=[survey.slug])
    page = client.post(url, {"addresses": "a@example.jp\nnot-an-address\nb@example.jp"})
    assert "2 行目" in page.content.decode()
    assert survey.invitations.count() == 0
    client.post(url, {"addresses": "a@example.jp\nB@example.jp, a@example.jp"})
    assert sorted(survey.invitations.values_list("email", flat=True)) == [
        "B@example.jp",
        "a@example.jp",
    ]


def test_invitations_then_reminders_reach_only_those_who_have_not_answered(
    client, world, django_capture_on_commit_callbacks
):
    survey, coordinator = world
    client.force_login(coordinator)
    for email in ("a@example.jp", "b@example.jp", "c@example.jp"):
        Invitation.objects.create(survey=survey, email=email)
    send = reverse("survey_invitation_send", args=[survey.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send, {"kind": "invitation"})
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.jp", "b@example.jp", "c@example.jp"]
    first = Invitation.objects.get(email="a@example.jp")
    assert first.sent_at is not None
    assert (
        f"/answer/t/{first.token}/"
        in mail.outbox[0].body + mail.outbox[1].body + mail.outbox[2].body
    )
    # a answers through the link; the reminder goes to b and c only
    from tests.surveys.test_public_form import COMPLETE

    client.post(reverse("survey_respond_token", args=[first.token]), COMPLETE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send, {"kind": "reminder"})
    assert sorted(m.to[0] for m in mail.outbox) == ["b@example.jp", "c@example.jp"]
    assert "再送" in mail.outbox[0].subject
    assert Invitation.objects.get(email="b@example.jp").reminders == 1
    page = client.get(reverse("survey_invitations", args=[survey.slug]))
    # 1 of 3 invited answered: 33.3%
    assert page.context["rate"]["percent"] == Decimal("33.3")


@pytest.mark.services
def test_invitations_are_sent_by_a_real_celery_worker(celery_worker):
    from surveys.tasks import send_invitations_task

    survey = challenge_survey(slug="worker-2024")
    Invitation.objects.create(survey=survey, email="w1@example.jp")
    Invitation.objects.create(survey=survey, email="w2@example.jp")
    send_invitations_task.delay(survey.pk, "http://testserver/")
    unsent = Invitation.objects.filter(survey=survey, sent_at__isnull=True)
    deadline = time.monotonic() + 60
    while unsent.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not unsent.exists()


def test_coding_assigns_categories_and_counts_progress(client, world):
    survey, coordinator = world
    question = survey.questions.get(code="other_org_challenges")
    answer = question.answers.get()
    assert coding.progress(question) == (0, 1)
    client.force_login(coordinator)
    url = reverse("survey_coding_question", args=[survey.slug, question.code])
    page = client.get(url)
    assert SECRET_TEXT in page.content.decode()
    ids = [
        str(c.pk) for c in question.categories.filter(code__in=["lack_of_info", "trust_building"])
    ]
    client.post(url, {"answer": answer.pk, "categories": ids, "verified": "1"})
    assert coding.progress(question) == (1, 1)
    codings = Coding.objects.filter(answer=answer)
    assert {c.category.code for c in codings} == {"lack_of_info", "trust_building"}
    assert all(c.verified and c.coder == coordinator for c in codings)
    block = survey_report(survey)["questions"]["other_org_challenges"]
    assert block["percent"]["lack_of_info"] == 100.0

    add = reverse("survey_category_add", args=[survey.slug, question.code])
    client.post(add, {"code": "workload", "label_ja": "業務負担", "label_en": "Workload"})
    assert question.categories.filter(code="workload").exists()
    assert "workload" in survey_report(survey)["questions"]["other_org_challenges"]["counts"]


def test_status_changes_and_copy_page(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    client.post(reverse("survey_status", args=[survey.slug]), {"action": "close"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    client.post(reverse("survey_status", args=[survey.slug]), {"action": "publish"})
    survey.refresh_from_db()
    assert survey.report_published
    response = client.post(
        reverse("survey_copy", args=[survey.slug]), {"slug": "aoba-2025", "year": 2025}
    )
    assert response.status_code == 302
    copy = Survey.objects.get(slug="aoba-2025")
    assert copy.corporation == survey.corporation and copy.status == Survey.Status.DRAFT


def test_report_page_ranks_items_by_top_box_and_downloads(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    html = client.get(reverse("survey_report", args=[survey.slug])).content.decode()
    # C01: 7 and 5 → 100% top box; C02: 4 and 2 → 0%; C01 ranks above C02
    ranking = html.split('id="ranking"')[1].split("</table>")[0]
    assert ranking.index("利用者確保の課題") < ranking.index("支援提供の制約")
    assert "<svg" in html
    download = reverse("survey_report_download", args=[survey.slug])
    csv_text = client.get(download + "?format=csv").content.decode("utf-8-sig")
    assert "C01,利用者確保の課題,7件法（1〜7）,2,7," in csv_text
    xlsx = client.get(download + "?format=xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 2


def test_crosstab_breaks_a_likert_item_down_by_role(client, world):
    survey, coordinator = world
    client.force_login(coordinator)
    page = client.get(reverse("survey_crosstab", args=[survey.slug]), {"item": "C01", "by": "role"})
    table = page.context["table"]
    rows = {row["choice"].code: row for row in table["rows"]}
    assert rows["manager"]["counts"]["7"] == 1 and rows["manager"]["n"] == 1
    assert rows["support_staff"]["counts"]["5"] == 1
    assert rows["service_manager"]["n"] == 0
    assert table["total"]["n"] == 2


def test_year_over_year_comparison_of_the_same_template(client, cast, world):
    survey, coordinator = world
    old = challenge_survey(slug="aoba-2023", year=2023, corporation=cast.corporation_a)
    respond(old, {"C01": 3})
    respond(old, {"C01": 6})
    client.force_login(coordinator)
    page = client.get(reverse("survey_compare", args=[survey.slug]))
    assert page.context["other"] == old
    c01 = next(r for r in page.context["rows"] if r["question"].code == "C01")
    top = c01["lines"][0]
    # 2024: 7 and 5 → 100.0%; 2023: 3 and 6 → 50.0%; +50.0 points
    assert (top["current"], top["previous"], top["change"]) == (100.0, 50.0, 50.0)
