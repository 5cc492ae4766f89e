"""The self check-in: the web link (signed, expiring, revocable, one person's own), the LINE
quick replies, the contact each check-in becomes, the warning it may raise, the report draft."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contacts import reports
from contacts.models import Contact, Notification
from contacts.worklist import worklist_for
from core import calendar
from core.audit import Actor
from core.calendar import Month
from core.models import AuditEvent
from tests import factories
from tests.voice.conftest import deliver, postback_event, text_event
from voice import selectors, services
from voice.models import CheckIn, CheckInLink, CheckInWarning, OutgoingMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cast):
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, family_name="見本", given_name="花子"
    )
    services.check_in_plan_set(
        client=person, items=["sleep", "workload", "体力"], rhythm_days=7, ruby=False,
        actor=Actor.command(cast.alice),
    )  # fmt: skip
    return person


def _token(person):
    link = services.check_in_link_issue(client=person, actor=Actor.command())
    return link, services.check_in_link_token(link)


def test_the_plan_keeps_three_to_five_items_in_listed_keys_or_own_words(cast, person):
    plan = person.check_in_plan
    assert [i["key"] for i in plan.items] == ["sleep", "workload", "own3"]
    assert selectors.plan_items(plan)[2] == ("own3", "体力")
    with pytest.raises(ValueError):
        services.check_in_plan_set(
            client=person, items=["sleep", "mood"], rhythm_days=7, ruby=False,
            actor=Actor.command(),
        )  # fmt: skip


def test_the_web_link_records_a_check_in_as_an_online_form_contact(client, cast, person):
    _link, token = _token(person)
    url = reverse("check_in_form", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "体力" in text and "見本" not in text  # the items, never the name
    response = client.post(
        url, {"item_sleep": "3", "item_workload": "2", "item_own3": "4", "comment": "眠い"}
    )
    assert response.status_code == 200

    check_in = CheckIn.objects.get(client=person)
    assert check_in.ratings == {"sleep": 3, "workload": 2, "own3": 4}
    assert check_in.via == "web" and check_in.comment == "眠い"
    contact = check_in.contact
    assert contact.method == "online_form" and contact.counterpart == "client"
    assert contact.staff is None
    assert "3" in contact.summary and "体力 4" in contact.summary and "眠い" in contact.summary
    assert AuditEvent.objects.filter(object_type="voice.checkinlink", action="view").exists()


def test_a_missing_rating_keeps_the_others_and_records_nothing(client, person):
    _link, token = _token(person)
    response = client.post(
        reverse("check_in_form", args=[token]), {"item_sleep": "3", "item_workload": "9"}
    )
    assert response.status_code == 400
    assert not CheckIn.objects.exists()
    checked = re.findall(
        r'<input type="radio" name="(item_\w+)" value="(\d)"[^>]*checked', response.content.decode()
    )
    assert checked == [("item_sleep", "3")]


@pytest.mark.parametrize("how", ["expired", "revoked", "tampered", "other salt"])
def test_an_expired_revoked_or_forged_link_is_refused(client, person, how):
    link, token = _token(person)
    if how == "expired":
        CheckInLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    elif how == "revoked":
        services.check_in_link_revoke(link=link, actor=Actor.command())
    elif how == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    else:  # the employer link's signature cannot open a check-in
        from django.core import signing

        token = signing.dumps({"k": link.pk, "n": link.nonce}, salt=services.EMPLOYER_SHARE_SALT)
    url = reverse("check_in_form", args=[token])
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"item_sleep": "3", "item_workload": "3", "item_own3": "3"}).status_code
        == 404
    )
    assert not CheckIn.objects.exists()


def test_a_link_shows_its_own_persons_items_and_records_for_them_only(client, cast, person):
    other = factories.ClientFactory(office=cast.office_a, family_name="別人")
    services.check_in_plan_set(
        client=other, items=["mood", "meals", "commute"], rhythm_days=1, ruby=False,
        actor=Actor.command(),
    )  # fmt: skip
    _link, token = _token(person)
    page = client.get(reverse("check_in_form", args=[token])).content.decode()
    assert 'data-item="sleep"' in page and 'data-item="mood"' not in page
    # Someone else's item names in the post change nothing for the other person.
    client.post(
        reverse("check_in_form", args=[token]),
        {"item_sleep": "1", "item_workload": "1", "item_own3": "1", "item_mood": "4"},
    )
    assert CheckIn.objects.get().client == person
    assert not CheckIn.objects.filter(client=other).exists()


def test_a_low_run_puts_the_person_on_the_worklist_and_notifies_the_staff_the_same_day(
    cast, person, django_capture_on_commit_callbacks
):
    today = calendar.today()
    for days_ago in (14, 7, 0):
        with django_capture_on_commit_callbacks(execute=True):
            services.check_in_record(
                client=person, ratings={"sleep": 2, "workload": 1, "own3": 2}, comment="",
                via="web", answered_at=timezone.now() - dt.timedelta(days=days_ago),
                actor=Actor.command(), today=today,
            )  # fmt: skip
    warning = CheckInWarning.objects.get(client=person)
    assert warning.reason == "low_run" and warning.raised_on == today
    sections = worklist_for(user=cast.alice, today=today).sections
    assert any(s.name == "check_in_warnings" and warning in s.items for s in sections)
    notification = Notification.objects.get(user=cast.alice, kind="check_in_warning")
    assert notification.client == person and notification.day == today
    # Charlie, of another office, is told nothing.
    assert not Notification.objects.filter(user=cast.charlie).exists()


def test_the_months_report_draft_includes_its_check_ins(cast, person):
    when = timezone.now()
    services.check_in_record(
        client=person, ratings={"sleep": 4, "workload": 3, "own3": 2}, comment="順調",
        via="web", answered_at=when, actor=Actor.command(),
    )  # fmt: skip
    draft = reports.prefill(client=person, month=Month.of(calendar.today()))
    assert "体力 2" in draft["work_side"] and "順調" in draft["work_side"]


def test_a_line_check_in_asks_each_item_with_buttons_and_records_it(
    client, cast, person, line_api, channel, django_capture_on_commit_callbacks
):
    code = services.link_code_issue(client=person, actor=Actor.command())
    deliver(client, cast.office_a, text_event(code.code))
    with django_capture_on_commit_callbacks(execute=True):
        services.check_in_question(client=person, actor=Actor.command(cast.alice))
    push = line_api.to("/v2/bot/message/push")[-1]["json"]["messages"][0]
    assert [i["action"]["data"] for i in push["quickReply"]["items"]] == [
        "ci:sleep:1", "ci:sleep:2", "ci:sleep:3", "ci:sleep:4",
    ]  # fmt: skip
    for data in ("ci:sleep:3", "ci:workload:2", "ci:own3:4"):
        deliver(client, cast.office_a, postback_event(data))
    assert not CheckIn.objects.exists()  # the comment is still asked
    last_reply = line_api.to("/v2/bot/message/reply")[-1]["json"]["messages"][0]
    assert last_reply["quickReply"]["items"][0]["action"]["data"] == "ci:done"
    deliver(client, cast.office_a, text_event("少し疲れた", timestamp=1764950000000))

    check_in = CheckIn.objects.get(client=person)
    assert check_in.via == "line" and check_in.ratings == {"sleep": 3, "workload": 2, "own3": 4}
    assert check_in.comment == "少し疲れた"
    assert check_in.contact.method == "line_sns" and check_in.contact.staff is None
    # The comment was the check-in's, not a separate message.
    assert Contact.objects.filter(client=person).count() == 1
    assert OutgoingMessage.objects.filter(client=person, contact__isnull=True).count() == 1


def test_the_trend_is_drawn_on_the_persons_page(client, cast, person):
    services.check_in_record(
        client=person, ratings={"sleep": 4, "workload": 1, "own3": 2}, comment="",
        via="web", answered_at=timezone.now(), actor=Actor.command(),
    )  # fmt: skip
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[person.pk])).content.decode()
    assert "<polyline" in page and 'data-item="workload"' in page
    # y of rating 1 on the chart: 12 + (4 - 1) * (200 - 12 - 28) / 3 = 172.0
    assert ",172.0" in page


def test_staff_of_another_office_cannot_reach_the_check_in_pages(client, cast, person):
    client.force_login(cast.charlie)
    assert client.get(reverse("check_in_plan", args=[person.pk])).status_code == 404
    assert client.post(reverse("check_in_link_issue", args=[person.pk])).status_code == 404
    assert not CheckInLink.objects.exists()


def test_a_line_check_in_whose_comment_never_came_is_kept_and_later_text_is_a_message(
    client, cast, person, line_api, channel
):
    from voice.models import LineCheckInDraft

    code = services.link_code_issue(client=person, actor=Actor.command())
    deliver(client, cast.office_a, text_event(code.code))
    for data in ("ci:sleep:2", "ci:workload:2", "ci:own3:3"):
        deliver(client, cast.office_a, postback_event(data))
    LineCheckInDraft.objects.filter(client=person).update(
        started_at=timezone.now() - dt.timedelta(hours=30)
    )
    deliver(client, cast.office_a, text_event("別の話です", timestamp=1764960000000))

    check_in = CheckIn.objects.get(client=person)
    assert check_in.ratings == {"sleep": 2, "workload": 2, "own3": 3} and check_in.comment == ""
    assert Contact.objects.filter(client=person, summary="別の話です").exists()
    assert not LineCheckInDraft.objects.filter(client=person).exists()
