"""Writing the person's own channel: atomic, audited, keyword-only (DESIGN 5.6).

Contacts are created through ``contacts.services.contact_create`` (its month lock, its audit
event); this module keeps only the channel's own rows. A webhook acts as an anonymous page
(``Actor`` without a user, with LINE's address); the daily round as a task.
"""

import datetime as dt
import logging
import re
import unicodedata

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contacts import reminders
from contacts.services import contact_create
from core import audit, calendar
from core.audit import Actor
from core.models import AuditAction, AuditVia
from core.vocab import ContactMethod, Counterpart
from offices.month_lock import MonthClosed
from voice import line_api, secretbox, warning
from voice.models import (
    CheckIn,
    CheckInItem,
    CheckInLink,
    CheckInPlan,
    CheckInWarning,
    EmployerShare,
    LineChannel,
    LineCheckInDraft,
    LineLink,
    LinkCode,
    OutgoingMessage,
    WebhookEvent,
)

logger = logging.getLogger(__name__)

RATINGS = (1, 2, 3, 4)
CHECK_IN_LINK_SALT = "voice.check-in-link"
EMPLOYER_SHARE_SALT = "voice.employer-share"
# A LINE check-in left half answered is forgotten after this long.
DRAFT_HOURS = 24


# --- the office's channel -----------------------------------------------------------------------


@transaction.atomic
def channel_set(*, office, secret, token, bot_id="", actor):
    """Store (or replace) the office's channel secret and access token, encrypted. Neither is
    written to the audit trail nor ever shown again."""
    channel = LineChannel.objects.filter(office=office).first()
    created = channel is None
    if created:
        channel = LineChannel(office=office)
    channel.secret_encrypted = secretbox.seal(secret.strip())
    channel.token_encrypted = secretbox.seal(token.strip())
    channel.bot_id = bot_id.strip()
    channel.updated_by = actor.user
    channel.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=channel,
        detail="LINE channel secret and access token set",
    )
    return channel


def _secret(channel):
    return secretbox.open_sealed(channel.secret_encrypted)


def _token(channel):
    return secretbox.open_sealed(channel.token_encrypted)


# --- linking ------------------------------------------------------------------------------------


@transaction.atomic
def link_code_issue(*, client, actor, now=None):
    """A new one-time code for ``client``; the person's earlier open codes stop working."""
    now = now or timezone.now()
    LinkCode.objects.filter(client=client, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    minutes = settings.TEICHAKU_LINE_LINK_CODE_MINUTES
    for _attempt in range(5):  # eight random digits: a clash with an open code is rare
        try:
            with transaction.atomic():
                code = LinkCode.objects.create(
                    client=client,
                    created_by=actor.user,
                    expires_at=now + dt.timedelta(minutes=minutes),
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover
        raise RuntimeError("no free link code")
    audit.record(actor=actor, action=AuditAction.CREATE, obj=code, detail="LINE link code issued")
    return code


@transaction.atomic
def link_unlink(*, link, actor):
    """End a person's link to LINE (one click on their page): their messages are no longer
    recorded and the office can no longer send to them."""
    if link.unlinked_at is not None:
        return link
    link.unlinked_at = timezone.now()
    link.save(update_fields=["unlinked_at"])
    LineCheckInDraft.objects.filter(client=link.client).delete()
    audit.record(actor=actor, action=AuditAction.DELETE, obj=link, detail="LINE link ended")
    return link


# --- the webhook --------------------------------------------------------------------------------


def _normalise(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def webhook_receive(*, channel, body, signature, address=None):
    """Handle a webhook delivery: ``line_api.BadSignature`` (nothing stored) unless it is signed
    with the office's secret. Each event is handled once by its ``webhookEventId``; replies are
    sent after the event's transaction commits. Returns the number of events handled now."""
    events = line_api.parse_events(body=body, signature=signature, channel_secret=_secret(channel))
    actor = Actor(user=None, address=address, via=AuditVia.PAGE)
    handled = 0
    for event in events:
        replies = []
        try:
            with transaction.atomic():
                stored = _handle_event(channel, event, actor, replies)
        except MonthClosed:
            logger.warning("LINE event %s falls in a closed month", _event_id(event))
            stored = False
        except IntegrityError:
            # A contact of the person at the very same instant already exists.
            logger.warning("LINE event %s clashes with a recorded contact", _event_id(event))
            stored = False
        handled += stored
        for reply_token, text, quick_reply in replies:
            try:
                line_api.reply(
                    access_token=_token(channel),
                    reply_token=reply_token,
                    text=text,
                    quick_reply=quick_reply,
                )
            except line_api.SendFailed as exc:
                logger.warning("LINE reply failed: %s", exc)
    return handled


def _event_id(event):
    return getattr(event, "webhook_event_id", None) or ""


def _claim(channel, event):
    """Record the event as handled; False when it was handled before (a redelivery)."""
    event_id = _event_id(event)
    if not event_id:
        return False
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                channel=channel, webhook_event_id=event_id[:64], kind=str(event.type)[:32]
            )
    except IntegrityError:
        return False
    return True


def _live_link(channel, user_id):
    return (
        LineLink.objects.filter(channel=channel, line_user_id=user_id, unlinked_at__isnull=True)
        .select_related("client__office", "client__staff_in_charge")
        .first()
    )


def _event_time(event):
    return dt.datetime.fromtimestamp(event.timestamp / 1000, tz=dt.UTC)


def _with_language(function, *args, **kwargs):
    with translation.override(settings.LANGUAGE_CODE):
        return function(*args, **kwargs)


def _how_to_link():
    return _(
        "Thank you for your message. This account answers the people its office supports once "
        "they are linked: ask your supporter for a link code and send it here."
    )


def _handle_event(channel, event, actor, replies):
    """Act on one event inside its transaction; True when something was stored."""
    source = getattr(event, "source", None)
    user_id = getattr(source, "user_id", None)
    reply_token = getattr(event, "reply_token", None)
    if not user_id:
        return False  # groups and rooms are not a person's channel
    link = _live_link(channel, user_id)
    kind = getattr(event, "type", "")
    if kind == "message" and getattr(event.message, "type", "") == "text":
        text = event.message.text or ""
        if link is None:
            code = _open_code(channel, text)
            if code is None:
                # A stranger: answered, nothing stored (not even the event's id).
                if reply_token:
                    replies.append((reply_token, _with_language(_how_to_link), ()))
                return False
            if not _claim(channel, event):
                return False
            _link(channel=channel, code=code, user_id=user_id, actor=actor)
            if reply_token:
                replies.append((reply_token, _with_language(_linked_text, code.client), ()))
            return True
        if not _claim(channel, event):
            return False
        plan = _plan_of(link.client)
        draft = _open_draft(link.client, plan, actor)
        if draft and plan and _draft_complete(draft, plan):
            _finish_line_check_in(
                draft=draft, plan=plan, comment=text, when=_event_time(event), actor=actor
            )
            if reply_token:
                replies.append((reply_token, _with_language(_thanks_text), ()))
            return True
        message_received(link=link, text=text, at=_event_time(event), actor=actor)
        return True
    if kind == "postback" and link is not None:
        data = getattr(event.postback, "data", "") or ""
        if not data.startswith("ci:"):
            return False
        if not _claim(channel, event):
            return False
        answer = _line_check_in_answer(link=link, data=data, when=_event_time(event), actor=actor)
        if answer and reply_token:
            replies.append((reply_token, *answer))
        return True
    if kind == "unfollow" and link is not None:
        # The person blocked the account: nothing can reach them any more.
        if not _claim(channel, event):
            return False
        link_unlink(link=link, actor=actor)
        return True
    if kind == "follow" and link is None and reply_token:
        replies.append((reply_token, _with_language(_how_to_link), ()))
    return False


def _open_code(channel, text):
    digits = _normalise(text)
    if not re.fullmatch(r"\d{8}", digits):
        return None
    return (
        LinkCode.objects.select_for_update()
        .filter(
            code=digits,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            client__office=channel.office,
        )
        .select_related("client__office")
        .first()
    )


def _linked_text(client):
    return _(
        "You are now linked with %(office)s. Messages you send here reach your supporters."
    ) % {"office": client.office.name}


def _thanks_text():
    return _("Thank you. Your check-in has been recorded.")


def link_by_code(*, channel, code, user_id, actor):
    """Link the LINE user who sent ``code`` (an open code of the channel's office) to its
    person; used by the webhook, and by the demo."""
    return _link(channel=channel, code=code, user_id=user_id, actor=actor)


def _link(*, channel, code, user_id, actor):
    now = timezone.now()
    code.used_at = now
    code.save(update_fields=["used_at"])
    for old in LineLink.objects.filter(client=code.client, unlinked_at__isnull=True):
        link_unlink(link=old, actor=actor)
    link = LineLink.objects.create(
        client=code.client, channel=channel, line_user_id=user_id, linked_at=now
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=link, detail="LINE link by code")
    return link


def message_received(*, link, text, at, actor):
    """A linked person's text: one contact with the person, self-reported (no staff)."""
    return contact_create(
        client=link.client,
        staff=None,
        contacted_at=at,
        method=ContactMethod.LINE_SNS,
        counterpart=Counterpart.CLIENT,
        summary=text,
        actor=actor,
    )


# --- sending ------------------------------------------------------------------------------------


def live_link_of(client):
    return LineLink.objects.filter(client=client, unlinked_at__isnull=True).first()


class NotLinked(Exception):
    """The person has no live LINE link: nothing can be sent."""


def _enqueue_send(message):
    from voice import tasks

    transaction.on_commit(lambda: _deliver(tasks.send_line_message, message.pk))


def _deliver(task, message_id):
    try:
        task.delay(message_id)
    except line_api.SendFailed:
        pass  # in-process: the task recorded the failure on the message
    except Exception:  # the broker is unreachable: the message stays pending, resent later
        logger.exception("LINE message %s could not be queued", message_id)


@transaction.atomic
def reply_send(*, client, text, actor):
    """A staff member's message to the person on LINE: a contact (by that staff member) and a
    message sent by the ``send_line_message`` task."""
    if live_link_of(client) is None:
        raise NotLinked
    contact = contact_create(
        client=client,
        staff=actor.user,
        contacted_at=timezone.now(),
        method=ContactMethod.LINE_SNS,
        counterpart=Counterpart.CLIENT,
        summary=text,
        actor=actor,
    )
    message = OutgoingMessage.objects.create(
        client=client, contact=contact, text=text, created_by=actor.user
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=message, detail="LINE message")
    _enqueue_send(message)
    return message


@transaction.atomic
def message_resend(*, message, actor):
    """Try a failed (or stuck) message again, with its own retry key (delivered once)."""
    if message.status == OutgoingMessage.Status.SENT:
        return message
    message.status = OutgoingMessage.Status.PENDING
    message.save(update_fields=["status"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=message, detail="LINE resend")
    _enqueue_send(message)
    return message


def message_deliver(*, message_id, final):
    """Push one message (the task's work). Raises ``line_api.SendFailed`` when a retry may help
    and this is not the ``final`` try; a message that cannot be sent is marked failed."""
    message = OutgoingMessage.objects.select_related("client").get(pk=message_id)
    if message.status == OutgoingMessage.Status.SENT:
        return message
    link = live_link_of(message.client)
    message.attempts += 1
    try:
        if link is None:
            raise line_api.SendFailed("not linked to LINE any more", retryable=False)
        line_api.push(
            access_token=_token(link.channel),
            to=link.line_user_id,
            text=message.text,
            retry_key=message.retry_key,
            quick_reply=[tuple(item) for item in message.quick_reply],
        )
    except line_api.SendFailed as exc:
        message.last_error = str(exc)[:500]
        retrying = exc.retryable and not final
        message.status = (
            OutgoingMessage.Status.PENDING if retrying else OutgoingMessage.Status.FAILED
        )
        message.save(update_fields=["attempts", "last_error", "status"])
        if retrying:
            raise
        return message
    message.status = OutgoingMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    return message


# --- the self check-in ---------------------------------------------------------------------------


def item_label(item):
    """An item's label: the listed item's (translated) or the person's own words."""
    key = item.get("key", "")
    if key in CheckInItem.values:
        return str(CheckInItem(key).label)
    return item.get("label", key)


@transaction.atomic
def check_in_plan_set(*, client, items, rhythm_days, ruby, actor, today=None):
    """What the person chose with staff: 3–5 items (listed keys or their own words) and a
    rhythm. Own words are kept as items ``own1``… with their label."""
    chosen = []
    for item in items:
        if item in CheckInItem.values:
            chosen.append({"key": item, "label": ""})
        elif item.strip():
            chosen.append({"key": f"own{len(chosen) + 1}", "label": item.strip()[:40]})
    if not 3 <= len(chosen) <= 5:
        raise ValueError("a check-in has 3 to 5 items")
    plan, created = CheckInPlan.objects.get_or_create(
        client=client,
        defaults={"started_on": today or calendar.today(), "items": chosen},
    )
    plan.items = chosen
    plan.rhythm_days = rhythm_days
    plan.ruby = ruby
    plan.active = True
    plan.updated_by = actor.user
    plan.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=plan,
        detail="check-in items: " + ", ".join(i["key"] for i in chosen),
    )
    return plan


def _plan_of(client):
    return CheckInPlan.objects.filter(client=client, active=True).first()


def _summary(plan, ratings, comment):
    with translation.override(settings.LANGUAGE_CODE):
        parts = [
            f"{item_label(item)} {ratings[item['key']]}"
            for item in plan.items
            if item["key"] in ratings
        ]
        text = _("Self check-in (1–4): %(ratings)s") % {"ratings": " / ".join(parts)}
    if comment.strip():
        text += f"\n{comment.strip()}"
    return text


def check_in_record(*, client, ratings, comment, via, answered_at, actor, today=None):
    """One answered check-in: a contact with the person (``line_sns`` from LINE, ``online_form``
    from the web link; no staff), the check-in row, and the warning rule run on it."""
    plan = _plan_of(client)
    if plan is None:
        raise ValueError("no check-in plan")
    keys = [item["key"] for item in plan.items]
    ratings = {key: int(ratings[key]) for key in keys if key in ratings}
    if set(ratings) != set(keys) or any(r not in RATINGS for r in ratings.values()):
        raise ValueError("every item needs a rating 1–4")
    with transaction.atomic():
        contact = contact_create(
            client=client,
            staff=None,
            contacted_at=answered_at,
            method=ContactMethod.LINE_SNS if via == CheckIn.Via.LINE else ContactMethod.ONLINE_FORM,
            counterpart=Counterpart.CLIENT,
            summary=_summary(plan, ratings, comment),
            actor=actor,
        )
        check_in = CheckIn.objects.create(
            client=client,
            answered_at=answered_at,
            via=via,
            ratings=ratings,
            comment=comment.strip(),
            contact=contact,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=check_in)
        warnings_evaluate(client=client, today=today or calendar.today(), actor=actor)
    return check_in


# The LINE check-in: one question per item with buttons 1–4, then a comment (or none).


def _open_draft(client, plan, actor):
    """The person's LINE check-in still waiting for its comment, or None. One left longer than
    ``DRAFT_HOURS`` is recorded without a comment (its answers are kept) and closed, so a later
    message is a message again."""
    draft = LineCheckInDraft.objects.filter(client=client).first()
    if draft is None or plan is None:
        return None
    if draft.started_at < timezone.now() - dt.timedelta(hours=DRAFT_HOURS):
        if _draft_complete(draft, plan):
            _finish_line_check_in(
                draft=draft, plan=plan, comment="", when=draft.started_at, actor=actor
            )
        else:
            draft.delete()
        return None
    return draft


def _draft_complete(draft, plan):
    return all(item["key"] in draft.ratings for item in plan.items)


def _question(plan, ratings):
    """(text, quick reply) asking the next item, or the comment when all are answered."""
    for index, item in enumerate(plan.items, start=1):
        if item["key"] not in ratings:
            text = _("Check-in %(n)s/%(total)s: how is your %(item)s? (1 bad … 4 good)") % {
                "n": index,
                "total": len(plan.items),
                "item": item_label(item),
            }
            return text, [(str(r), f"ci:{item['key']}:{r}") for r in RATINGS]
    return (
        _("Thank you. Anything you want to add? Send it as a message, or tap “Nothing”."),
        [(_("Nothing"), "ci:done")],
    )


def check_in_question(*, client, actor):
    """Start a LINE check-in: a fresh draft and the first question, sent as a message."""
    plan = _plan_of(client)
    if plan is None or live_link_of(client) is None:
        raise NotLinked
    with transaction.atomic():
        draft = LineCheckInDraft.objects.filter(client=client).first()
        if draft is not None and _draft_complete(draft, plan):
            # Every item answered, the comment never came: recorded as it is, not lost.
            _finish_line_check_in(
                draft=draft, plan=plan, comment="", when=draft.started_at, actor=actor
            )
        LineCheckInDraft.objects.update_or_create(
            client=client, defaults={"ratings": {}, "started_at": timezone.now()}
        )
        text, quick = _with_language(_question, plan, {})
        message = OutgoingMessage.objects.create(client=client, text=text, quick_reply=quick)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=message, detail="check-in")
        _enqueue_send(message)
    return message


def _line_check_in_answer(*, link, data, when, actor):
    """A quick-reply button of a LINE check-in; returns (text, quick reply) to answer with."""
    plan = _plan_of(link.client)
    draft = LineCheckInDraft.objects.filter(client=link.client).first()
    if plan is None:
        return None
    if draft is None or draft.started_at < timezone.now() - dt.timedelta(hours=DRAFT_HOURS):
        draft, _created = LineCheckInDraft.objects.update_or_create(
            client=link.client, defaults={"ratings": {}, "started_at": timezone.now()}
        )
    if data == "ci:done":
        if not _draft_complete(draft, plan):
            return _with_language(_question, plan, draft.ratings)
        _finish_line_check_in(draft=draft, plan=plan, comment="", when=when, actor=actor)
        return _with_language(_thanks_text), ()
    parts = data.split(":")
    keys = {item["key"] for item in plan.items}
    if len(parts) != 3 or parts[1] not in keys or parts[2] not in {"1", "2", "3", "4"}:
        return None
    draft.ratings = {**draft.ratings, parts[1]: int(parts[2])}
    draft.save(update_fields=["ratings"])
    return _with_language(_question, plan, draft.ratings)


def _finish_line_check_in(*, draft, plan, comment, when, actor):
    client = draft.client
    draft.delete()
    check_in_record(
        client=client,
        ratings=draft.ratings,
        comment=comment,
        via=CheckIn.Via.LINE,
        answered_at=when,
        actor=actor,
    )


# The personal web link, for people without LINE.


@transaction.atomic
def check_in_link_issue(*, client, actor, now=None):
    now = now or timezone.now()
    link = CheckInLink.objects.create(
        client=client,
        created_by=actor.user,
        expires_at=now + dt.timedelta(days=settings.TEICHAKU_CHECK_IN_LINK_DAYS),
    )
    audit.record(actor=actor, action=AuditAction.CREATE, obj=link, detail="check-in web link")
    return link


def check_in_link_token(link):
    return signing.dumps({"k": link.pk, "n": link.nonce}, salt=CHECK_IN_LINK_SALT)


@transaction.atomic
def check_in_link_revoke(*, link, actor):
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.DELETE, obj=link, detail="revoked")
    return link


def check_in_form_read(*, link, actor):
    """The person opened their check-in page (anonymous: the link is the key)."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=link, detail="check-in web form")


# --- early warning ------------------------------------------------------------------------------


def warnings_evaluate(*, client, today, actor):
    """Run ``voice.warning`` on the person's check-ins; a new sign opens a warning (one open
    per reason), puts the person on the worklist and notifies the staff in charge today."""
    plan = _plan_of(client)
    if plan is None:
        return []
    check_ins = [
        (c.answered_at.astimezone(calendar.JST).date(), c.mean)
        for c in CheckIn.objects.filter(client=client).order_by("answered_at", "pk")
        if c.mean is not None
    ]
    found = warning.signs(
        check_ins=check_ins, rhythm_days=plan.rhythm_days, started_on=plan.started_on, today=today
    )
    raised = []
    with transaction.atomic():
        open_reasons = set(
            CheckInWarning.objects.filter(client=client, closed_at__isnull=True).values_list(
                "reason", flat=True
            )
        )
        for sign in found:
            if sign.reason in open_reasons:
                continue
            item = CheckInWarning.objects.create(
                client=client, reason=sign.reason, detail=sign.detail, raised_on=today
            )
            audit.record(actor=actor, action=AuditAction.CREATE, obj=item, detail=sign.detail)
            raised.append(item)
        if raised and client.staff_in_charge_id:
            staff = client.staff_in_charge
            transaction.on_commit(lambda: reminders.notify_user(user=staff, day=today))
    return raised


@transaction.atomic
def warning_close(*, item, actor):
    if item.closed_at is None:
        item.closed_at = timezone.now()
        item.closed_by = actor.user
        item.save(update_fields=["closed_at", "closed_by"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=item, detail="closed")
    return item


def check_in_round(*, today=None, actor=None):
    """The daily round: silence warnings for every active check-in, and the first LINE question
    to each linked person whose check-in is due (once a rhythm)."""
    today = today or calendar.today()
    actor = actor or Actor(via=AuditVia.TASK)
    asked = raised = 0
    for plan in CheckInPlan.objects.filter(active=True, client__office__uses_system=True):
        client = plan.client
        raised += len(warnings_evaluate(client=client, today=today, actor=actor))
        last = CheckIn.objects.filter(client=client).order_by("-answered_at").first()
        last_day = last.answered_at.astimezone(calendar.JST).date() if last else None
        due = last_day is None or (today - last_day).days >= plan.rhythm_days
        asked_lately = plan.asked_on and (today - plan.asked_on).days < plan.rhythm_days
        if due and not asked_lately and live_link_of(client) is not None:
            check_in_question(client=client, actor=actor)
            plan.asked_on = today
            plan.save(update_fields=["asked_on"])
            asked += 1
    return {"asked": asked, "warnings": raised}


# --- sharing with the employer ------------------------------------------------------------------


@transaction.atomic
def employer_share_create(
    *, client, employer_contact, items, consented_on, consent_note, actor, now=None
):
    """The person's consent to show the trend of ``items`` (some of their chosen items) to a
    named person at the employer; returns the share (its link: ``employer_share_token``)."""
    plan = _plan_of(client)
    keys = {item["key"] for item in plan.items} if plan else set()
    items = [key for key in items if key in keys]
    if not items:
        raise ValueError("choose at least one of the person's items")
    now = now or timezone.now()
    share = EmployerShare.objects.create(
        client=client,
        employer_contact=employer_contact,
        items=items,
        consented_on=consented_on,
        consent_note=consent_note,
        created_by=actor.user,
        expires_at=now + dt.timedelta(days=settings.TEICHAKU_EMPLOYER_SHARE_DAYS),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=share,
        detail=f"consent {consented_on.isoformat()}: {consent_note}; items {', '.join(items)}",
    )
    return share


def employer_share_token(share):
    return signing.dumps({"s": share.pk, "n": share.nonce}, salt=EMPLOYER_SHARE_SALT)


@transaction.atomic
def employer_share_revoke(*, share, actor):
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.DELETE, obj=share, detail="revoked")
    return share


def employer_share_read(*, share, actor):
    """The employer's person opened the shared trend: every view is in the audit trail."""
    audit.record(
        actor=actor, action=AuditAction.VIEW, obj=share, detail="trend viewed by the employer"
    )
