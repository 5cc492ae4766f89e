"""The office's LINE channel against a local stand-in of the LINE API (tests/voice/conftest.py):
webhook signature, each event once, linking, strangers, replies with the office's own token,
pushes with a retry key, retried and then shown as failed."""

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from contacts.models import Contact
from core.audit import Actor
from core.models import AuditEvent
from tests import factories
from tests.voice.conftest import TOKEN, deliver, sign, text_event
from voice import services
from voice.models import LineChannel, LineLink, LinkCode, OutgoingMessage, WebhookEvent

pytestmark = pytest.mark.django_db

REPLY = "/v2/bot/message/reply"
PUSH = "/v2/bot/message/push"


@pytest.fixture
def person(cast):
    return factories.ClientFactory(office=cast.office_a, staff_in_charge=cast.alice)


def _link(client, person, office, user="U-person-1"):
    code = services.link_code_issue(client=person, actor=Actor.command())
    response = deliver(client, office, text_event(code.code, user=user))
    assert response.status_code == 200
    return LineLink.objects.get(client=person, unlinked_at__isnull=True)


def test_a_person_sending_their_code_is_linked_and_told_so(client, cast, channel, line_api, person):
    code = services.link_code_issue(client=person, actor=Actor.command())
    # Full-width digits with a space, as a phone keyboard may send them.
    typed = "".join(chr(ord(d) + 0xFEE0) for d in code.code[:4]) + " " + code.code[4:]
    response = deliver(client, cast.office_a, text_event(typed, user="U-person-1"))

    assert response.status_code == 200
    link = LineLink.objects.get(client=person)
    assert link.line_user_id == "U-person-1" and link.unlinked_at is None
    code.refresh_from_db()
    assert code.used_at is not None
    replies = line_api.to(REPLY)
    assert len(replies) == 1
    assert cast.office_a.name in replies[0]["json"]["messages"][0]["text"]
    assert replies[0]["headers"]["authorization"] == f"Bearer {TOKEN}"
    # Sending the code is linking, not a contact.
    assert not Contact.objects.filter(client=person).exists()
    assert AuditEvent.objects.filter(object_type="voice.linelink", action="create").count() == 1


def test_a_linked_persons_message_is_stored_once_however_often_line_redelivers_it(
    client, cast, channel, line_api, person
):
    _link(client, person, cast.office_a)
    event = text_event("今日は仕事がつらかったです", timestamp=1764900000000)
    for redelivery in (False, True, True):
        again = {**event, "deliveryContext": {"isRedelivery": redelivery}}
        assert deliver(client, cast.office_a, again).status_code == 200

    contact = Contact.objects.get(client=person)
    assert contact.method == "line_sns" and contact.counterpart == "client"
    assert contact.staff is None and contact.face_to_face is False
    assert contact.summary == "今日は仕事がつらかったです"
    # 1764900000000 ms = 2025-12-05 02:00:00 UTC
    assert contact.contacted_at == dt.datetime(2025, 12, 5, 2, 0, tzinfo=dt.UTC)
    assert WebhookEvent.objects.filter(webhook_event_id=event["webhookEventId"]).count() == 1


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", "wrong-secret"])
def test_a_wrongly_signed_webhook_answers_400_and_stores_nothing(
    client, cast, channel, line_api, person, signature
):
    link = _link(client, person, cast.office_a)
    events_before = AuditEvent.objects.count()
    requests_before = len(line_api.requests)
    event = text_event("偽物のメッセージ")
    if signature == "wrong-secret":
        response = deliver(client, cast.office_a, event, secret="another-secret")
    else:
        response = deliver(client, cast.office_a, event, signature=signature)

    assert response.status_code == 400
    assert not Contact.objects.filter(client=person).exists()
    assert not WebhookEvent.objects.filter(webhook_event_id=event["webhookEventId"]).exists()
    assert AuditEvent.objects.count() == events_before
    assert len(line_api.requests) == requests_before  # not even answered
    assert LineLink.objects.get(pk=link.pk).unlinked_at is None


def test_a_body_signed_for_another_office_is_refused(client, cast, channel, line_api, person):
    services.channel_set(
        office=cast.office_b, secret="office-b-secret", token="office-b-token",
        actor=Actor.command(),
    )  # fmt: skip
    # Signed with office B's secret, sent to office A's address.
    response = deliver(client, cast.office_a, text_event("x"), secret="office-b-secret")
    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_form_post_or_unreadable_body_is_400_not_an_error(client, cast, channel, line_api):
    url = f"/line/webhook/{cast.office_a.office_number}/"
    assert client.post(url, {"events": "x"}).status_code == 400  # a form, not JSON
    body = b"\xff\xfe not utf-8"
    response = client.post(
        url, data=body, content_type="application/json", headers={"X-Line-Signature": sign(body)}
    )
    assert response.status_code == 400
    body = b'{"no events": 1}'
    response = client.post(
        url, data=body, content_type="application/json", headers={"X-Line-Signature": sign(body)}
    )
    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_webhook_for_an_office_without_a_channel_is_404(client, cast, line_api):
    response = deliver(client, cast.office_b, text_event("x"))
    assert response.status_code == 404


def test_a_stranger_is_answered_and_nothing_is_stored(client, cast, channel, line_api, person):
    events_before = AuditEvent.objects.count()
    event = text_event("こんにちは、初めてです", user="U-stranger")
    response = deliver(client, cast.office_a, event)

    assert response.status_code == 200
    replies = line_api.to(REPLY)
    assert len(replies) == 1
    assert replies[0]["json"]["replyToken"] == event["replyToken"]
    assert "コード" in replies[0]["json"]["messages"][0]["text"]  # how to link
    assert Contact.objects.count() == 0
    assert WebhookEvent.objects.count() == 0
    assert LineLink.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_a_used_or_expired_code_links_nobody(client, cast, channel, line_api, person):
    code = services.link_code_issue(client=person, actor=Actor.command())
    _link_user = deliver(client, cast.office_a, text_event(code.code, user="U-person-1"))
    assert _link_user.status_code == 200
    # The same code again, from someone else: a stranger.
    deliver(client, cast.office_a, text_event(code.code, user="U-someone-else"))
    assert not LineLink.objects.filter(line_user_id="U-someone-else").exists()

    other = factories.ClientFactory(office=cast.office_a)
    expired = services.link_code_issue(client=other, actor=Actor.command())
    LinkCode.objects.filter(pk=expired.pk).update(
        expires_at=expired.created_at - dt.timedelta(seconds=1)
    )
    deliver(client, cast.office_a, text_event(expired.code, user="U-other"))
    assert not LineLink.objects.filter(client=other).exists()


def test_a_code_of_another_office_does_not_link_at_this_one(client, cast, channel, line_api):
    services.channel_set(
        office=cast.office_b, secret="office-b-secret", token="office-b-token",
        actor=Actor.command(),
    )  # fmt: skip
    b_person = factories.ClientFactory(office=cast.office_b)
    code = services.link_code_issue(client=b_person, actor=Actor.command())
    deliver(client, cast.office_a, text_event(code.code, user="U-x"))
    assert not LineLink.objects.exists()


def test_replies_carry_the_offices_own_token(client, cast, channel, line_api):
    services.channel_set(
        office=cast.office_b, secret="office-b-secret", token="office-b-token",
        actor=Actor.command(),
    )  # fmt: skip
    deliver(client, cast.office_a, text_event("hi", user="U-1"))
    deliver(client, cast.office_b, text_event("hi", user="U-2"), secret="office-b-secret")
    tokens = [r["headers"]["authorization"] for r in line_api.to(REPLY)]
    assert tokens == [f"Bearer {TOKEN}", "Bearer office-b-token"]


def test_staff_reply_is_a_contact_pushed_with_the_offices_token_and_a_retry_key(
    client, cast, channel, line_api, person, django_capture_on_commit_callbacks
):
    _link(client, person, cast.office_a)
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("line_reply", args=[person.pk]), {"text": "明日お電話します"}
        )
    assert response.status_code == 302

    contact = Contact.objects.get(client=person)
    assert contact.staff == cast.alice and contact.method == "line_sns"
    assert contact.summary == "明日お電話します"
    message = OutgoingMessage.objects.get(client=person)
    assert message.contact == contact and message.status == "sent"
    pushes = line_api.to(PUSH)
    assert len(pushes) == 1
    assert pushes[0]["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert pushes[0]["headers"]["x-line-retry-key"] == str(message.retry_key)
    assert pushes[0]["json"]["to"] == "U-person-1"
    assert pushes[0]["json"]["messages"][0]["text"] == "明日お電話します"


def test_a_push_answered_500_is_retried_with_the_same_key_and_then_shown_as_failed(
    client, cast, channel, line_api, person, django_capture_on_commit_callbacks
):
    _link(client, person, cast.office_a)
    line_api.statuses = [500] * 10
    client.force_login(cast.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("line_reply", args=[person.pk]), {"text": "届かないメッセージ"})

    message = OutgoingMessage.objects.get(client=person)
    pushes = line_api.to(PUSH)
    assert len(pushes) == 4  # the first try and three retries
    assert {p["headers"]["x-line-retry-key"] for p in pushes} == {str(message.retry_key)}
    assert message.status == "failed" and message.attempts == 4
    assert "500" in message.last_error
    # Never lost: the contact stays, and the person's page shows the failure.
    assert Contact.objects.filter(client=person, summary="届かないメッセージ").exists()
    page = client.get(reverse("client_detail", args=[person.pk]))
    assert f'data-failed-message="{message.pk}"' in page.content.decode()

    # Trying again (LINE is back) sends it with the same key.
    line_api.statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("line_resend", args=[person.pk]), {"message": message.pk})
    message.refresh_from_db()
    assert message.status == "sent"
    assert line_api.to(PUSH)[-1]["headers"]["x-line-retry-key"] == str(message.retry_key)


def test_a_push_that_fails_once_is_sent_by_the_retry(
    client, cast, channel, line_api, person, django_capture_on_commit_callbacks
):
    _link(client, person, cast.office_a)
    line_api.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_send(client=person, text="再送で届く", actor=Actor.command(cast.alice))
    message = OutgoingMessage.objects.get(client=person)
    assert message.status == "sent" and message.attempts == 2
    assert len(line_api.to(PUSH)) == 2


def test_a_push_refused_400_is_not_retried(
    client, cast, channel, line_api, person, django_capture_on_commit_callbacks
):
    _link(client, person, cast.office_a)
    line_api.statuses = [400]
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_send(client=person, text="x", actor=Actor.command(cast.alice))
    message = OutgoingMessage.objects.get(client=person)
    assert message.status == "failed" and len(line_api.to(PUSH)) == 1


def test_unlinking_is_one_click_and_audited(client, cast, channel, line_api, person):
    link = _link(client, person, cast.office_a)
    client.force_login(cast.alice)
    client.post(reverse("line_unlink", args=[person.pk]))
    link.refresh_from_db()
    assert link.unlinked_at is not None
    event = AuditEvent.objects.get(object_type="voice.linelink", action="delete")
    assert event.user == cast.alice and event.office == cast.office_a
    # Their messages are strangers' now: answered, not stored.
    deliver(client, cast.office_a, text_event("まだ届く?", user="U-person-1"))
    assert not Contact.objects.filter(client=person).exists()


def test_staff_of_another_office_cannot_reply_or_unlink(client, cast, channel, line_api, person):
    link = _link(client, person, cast.office_a)
    client.force_login(cast.charlie)
    assert client.post(reverse("line_reply", args=[person.pk]), {"text": "x"}).status_code == 404
    assert client.post(reverse("line_unlink", args=[person.pk])).status_code == 404
    link.refresh_from_db()
    assert link.unlinked_at is None and not line_api.to(PUSH)


def test_the_secret_and_token_are_stored_encrypted_and_never_shown(client, cast, line_api):
    client.force_login(cast.bob)
    url = reverse("line_channel_settings", args=[cast.office_a.office_number])
    response = client.post(
        url, {"channel_secret": "s3cret-value", "access_token": "t0ken-value", "bot_id": "@abc"}
    )
    assert response.status_code == 302
    row = LineChannel.objects.get(office=cast.office_a)
    assert "s3cret-value" not in row.secret_encrypted and "t0ken-value" not in row.token_encrypted
    page = client.get(url).content.decode()
    assert "s3cret-value" not in page and "t0ken-value" not in page
    assert f"/line/webhook/{cast.office_a.office_number}/" in page
    event = AuditEvent.objects.get(object_type="voice.linechannel")
    assert "s3cret" not in event.detail and "t0ken" not in event.detail
    # Support staff may not set it.
    client.force_login(cast.alice)
    assert client.get(url).status_code == 404


def test_production_without_a_key_refuses_to_store_a_channel(cast, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TEICHAKU_SECRETS_KEY_DERIVED = False  # what production (no DJANGO_DEBUG) sets
    settings.TEICHAKU_SECRETS_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        services.channel_set(office=cast.office_a, secret="s", token="t", actor=Actor.command())
    assert not LineChannel.objects.exists()


def test_line_channel_reads_the_environment_and_line_link_code_prints_the_code_last(
    cast, person, capsys, monkeypatch
):
    monkeypatch.setitem(os.environ, "LINE_CHANNEL_SECRET", "env-secret")
    monkeypatch.setitem(os.environ, "LINE_CHANNEL_ACCESS_TOKEN", "env-token")
    call_command("line_channel", "--office", cast.office_a.office_number)
    channel = LineChannel.objects.get(office=cast.office_a)
    assert services._secret(channel) == "env-secret" and services._token(channel) == "env-token"
    out = capsys.readouterr().out
    assert "env-secret" not in out and "env-token" not in out

    call_command(
        "line_link_code", "--office", cast.office_a.office_number, "--client", person.client_code
    )
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert LinkCode.objects.get(client=person, used_at__isnull=True).code == last_line
    assert len(last_line) == 8 and last_line.isdigit()


def test_the_persons_page_shows_the_open_code_with_a_qr_code(client, cast, channel, person):
    code = services.link_code_issue(client=person, actor=Actor.command())
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[person.pk])).content.decode()
    assert code.code in page and "<svg" in page


def test_a_person_who_blocks_the_account_is_unlinked(client, cast, channel, line_api, person):
    link = _link(client, person, cast.office_a)
    event = {
        "type": "unfollow", "mode": "active", "timestamp": 1764900000000,
        "source": {"type": "user", "userId": "U-person-1"},
        "webhookEventId": "01UNFOLLOW0000000000000000", "deliveryContext": {"isRedelivery": False},
    }  # fmt: skip
    assert deliver(client, cast.office_a, event).status_code == 200
    link.refresh_from_db()
    assert link.unlinked_at is not None


def test_two_messages_at_the_same_instant_never_make_an_error(client, cast, channel, person):
    _link(client, person, cast.office_a)
    first = text_event("一通目", timestamp=1764900000000)
    second = text_event("二通目", timestamp=1764900000000)
    assert deliver(client, cast.office_a, first, second).status_code == 200
    assert list(Contact.objects.filter(client=person).values_list("summary", flat=True)) == [
        "一通目"
    ]


def test_lines_verify_button_gets_200(client, cast, channel, line_api):
    # The console's "検証" sends a signed body with no events.
    response = deliver(client, cast.office_a)
    assert response.status_code == 200 and not line_api.requests
