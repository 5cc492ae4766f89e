"""The LINE Messaging API through the official SDK (``line-bot-sdk`` v3), at ``LINE_API_BASE``.

The one place that speaks to LINE: signature check and parsing of webhook bodies, replies (with
the event's reply token) and pushes (with a retry key, so a retried push is delivered once).
Each call carries the office's own access token.
"""

import logging

from django.conf import settings
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PostbackAction,
    PushMessageRequest,
    QuickReply,
    QuickReplyItem,
    ReplyMessageRequest,
    TextMessage,
)

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class BadSignature(Exception):
    """The body was not signed with the office's channel secret (or is not a webhook body)."""


class SendFailed(Exception):
    """LINE refused or could not be reached; ``retryable`` says whether trying again may help."""

    def __init__(self, message, *, retryable):
        super().__init__(message)
        self.retryable = retryable


def parse_events(*, body, signature, channel_secret):
    """The events of a webhook body whose ``X-Line-Signature`` is right, else ``BadSignature``."""
    if not signature:
        raise BadSignature("no signature")
    try:
        return WebhookParser(channel_secret).parse(body, signature)
    except InvalidSignatureError as exc:
        raise BadSignature(str(exc)) from exc
    except (ValueError, KeyError, TypeError) as exc:  # signed but not a webhook body
        raise BadSignature(f"unreadable body: {exc}") from exc


def _text_message(text, quick_reply=()):
    message = TextMessage(text=text[:5000])
    if quick_reply:
        message.quick_reply = QuickReply(
            items=[
                QuickReplyItem(
                    action=PostbackAction(label=label[:20], data=data, display_text=label[:300])
                )
                for label, data in quick_reply
            ]
        )
    return message


def _api(access_token):
    configuration = Configuration(host=settings.LINE_API_BASE, access_token=access_token)
    configuration.retries = 0  # the Celery task retries, with the same retry key
    return ApiClient(configuration)


def _failure(exc):
    if isinstance(exc, ApiException):
        status = exc.status or 0
        # 409: this retry key was accepted before (the message went out): not a failure.
        return SendFailed(f"LINE {status}: {exc.reason}", retryable=status >= 500 or status == 429)
    return SendFailed(f"LINE unreachable: {exc}", retryable=True)


def reply(*, access_token, reply_token, text, quick_reply=()):
    """Answer an event (free of charge on LINE's side, valid for a minute)."""
    with _api(access_token) as client:
        try:
            MessagingApi(client).reply_message(
                ReplyMessageRequest(
                    reply_token=reply_token, messages=[_text_message(text, quick_reply)]
                ),
                _request_timeout=TIMEOUT_SECONDS,
            )
        except Exception as exc:
            raise _failure(exc) from exc


def push(*, access_token, to, text, retry_key, quick_reply=()):
    """Send a message to a LINE user. ``retry_key`` (a UUID) is the same on every try: LINE
    answers 409 to a key it already accepted, which counts as sent."""
    with _api(access_token) as client:
        try:
            MessagingApi(client).push_message(
                PushMessageRequest(to=to, messages=[_text_message(text, quick_reply)]),
                x_line_retry_key=str(retry_key),
                _request_timeout=TIMEOUT_SECONDS,
            )
        except ApiException as exc:
            if exc.status == 409:
                return
            raise _failure(exc) from exc
        except Exception as exc:
            raise _failure(exc) from exc
