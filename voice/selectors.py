"""What the person's channel pages read, as plain data."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.utils import timezone

from core import calendar
from voice import services, trend
from voice.models import (
    CheckIn,
    CheckInLink,
    CheckInPlan,
    CheckInWarning,
    EmployerShare,
    LineChannel,
    LineLink,
    LinkCode,
    OutgoingMessage,
)

TREND_DAYS = 61


def channel_of(office):
    return LineChannel.objects.filter(office=office).select_related("updated_by").first()


def link_qr_text(*, channel, code):
    """What the QR code next to a link code holds: LINE's "send a message to this account" link
    with the code filled in when the account's LINE ID is known, else the code alone."""
    if channel is not None and channel.bot_id:
        return f"https://line.me/R/oaMessage/{channel.bot_id}/?{code.code}"
    return code.code


def check_in_plan_of(client, *, active_only=False):
    plans = CheckInPlan.objects.filter(client=client)
    if active_only:
        plans = plans.filter(active=True)
    return plans.first()


def plan_items(plan):
    """[(key, label)] of the person's chosen items."""
    if plan is None:
        return []
    return [(item["key"], services.item_label(item)) for item in plan.items]


def trend_of(*, client, plan, keys=None, today=None, days=TREND_DAYS):
    """The person's ratings per chosen item (``keys``: only those) over the last ``days``."""
    today = today or calendar.today()
    since = today - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(since, dt.time(), tzinfo=calendar.JST)
    check_ins = list(
        CheckIn.objects.filter(client=client, answered_at__gte=start).order_by("answered_at", "pk")
    )
    items = [(k, label) for k, label in plan_items(plan) if keys is None or k in keys]
    return trend.chart(
        items=items,
        points=[(c.answered_at.astimezone(calendar.JST).date(), c.ratings) for c in check_ins],
        start=since,
        end=today,
    )


def client_voice(*, client, today=None):
    """Everything the person's card shows (its reader was allowed the client already)."""
    now = timezone.now()
    today = today or calendar.today()
    channel = channel_of(client.office)
    link = LineLink.objects.filter(client=client, unlinked_at__isnull=True).first()
    code = (
        LinkCode.objects.filter(client=client, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
        if link is None
        else None
    )
    plan = CheckInPlan.objects.filter(client=client).first()
    return {
        "channel": channel,
        "link": link,
        "code": code,
        "code_qr": link_qr_text(channel=channel, code=code) if code else "",
        "messages": list(
            OutgoingMessage.objects.filter(client=client, contact__isnull=False)
            .select_related("created_by")
            .order_by("-created_at")[:5]
        ),
        "failed": list(
            OutgoingMessage.objects.filter(
                client=client, status=OutgoingMessage.Status.FAILED
            ).order_by("-created_at")[:20]
        ),
        "plan": plan,
        "items": plan_items(plan),
        "trend": trend_of(client=client, plan=plan, today=today) if plan else None,
        "last_check_in": CheckIn.objects.filter(client=client).order_by("-answered_at").first(),
        "warnings": list(
            CheckInWarning.objects.filter(client=client, closed_at__isnull=True).order_by(
                "raised_on"
            )
        ),
        "check_in_links": [
            (link_row, services.check_in_link_token(link_row))
            for link_row in CheckInLink.objects.filter(
                client=client, revoked_at__isnull=True, expires_at__gt=now
            )
        ],
        "shares": [
            (share, services.employer_share_token(share))
            for share in EmployerShare.objects.filter(
                client=client, revoked_at__isnull=True, expires_at__gt=now
            ).select_related("employer_contact__employer")
        ],
    }


def _unsign(token, *, salt, max_days):
    try:
        return signing.loads(token, salt=salt, max_age=dt.timedelta(days=max_days))
    except (signing.BadSignature, ValueError, TypeError):
        return None


def check_in_link_for(token):
    """The open check-in link ``token`` names, or None (bad, expired or revoked)."""
    data = _unsign(
        token, salt=services.CHECK_IN_LINK_SALT, max_days=settings.TEICHAKU_CHECK_IN_LINK_DAYS
    )
    if not isinstance(data, dict):
        return None
    link = (
        CheckInLink.objects.filter(pk=data.get("k"), nonce=str(data.get("n", "")))
        .select_related("client__office")
        .first()
        if isinstance(data.get("k"), int)
        else None
    )
    if link is None or not link.is_open():
        return None
    return link


def employer_share_for(token):
    """The open share ``token`` names, or None (bad, expired or revoked)."""
    data = _unsign(
        token, salt=services.EMPLOYER_SHARE_SALT, max_days=settings.TEICHAKU_EMPLOYER_SHARE_DAYS
    )
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return None
    share = (
        EmployerShare.objects.filter(pk=data["s"], nonce=str(data.get("n", "")))
        .select_related("client__office", "employer_contact__employer")
        .first()
    )
    if share is None or not share.is_open():
        return None
    return share


def month_check_ins(*, client, month):
    start, end = month.bounds()
    return list(
        CheckIn.objects.filter(client=client, answered_at__gte=start, answered_at__lt=end).order_by(
            "answered_at"
        )
    )
