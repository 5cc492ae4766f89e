"""A local stand-in for the LINE Messaging API: a real HTTP server on 127.0.0.1 in a thread,
with ``LINE_API_BASE`` pointed at it (the SDK talks to it over HTTP; nothing is patched)."""

import base64
import hashlib
import hmac
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.audit import Actor
from voice import services

SECRET = "office-a-channel-secret"
TOKEN = "office-a-access-token"
_ids = itertools.count(1)


class LineStandIn:
    def __init__(self):
        self.requests = []  # (method, path, headers, json body)
        self.statuses = []  # statuses to answer next, then 200
        self.lock = threading.Lock()

    def answer(self):
        with self.lock:
            return self.statuses.pop(0) if self.statuses else 200

    def to(self, path):
        return [r for r in self.requests if r["path"] == path]


@pytest.fixture
def line_api(settings):
    stand_in = LineStandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            stand_in.requests.append(
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "json": json.loads(raw or b"{}"),
                }
            )
            status = stand_in.answer()
            # As LINE answers a reply or a push: the messages it accepted.
            body = (
                json.dumps({"sentMessages": [{"id": str(next(_ids)), "quoteToken": "q"}]}).encode()
                if status == 200
                else b'{"message":"stand-in failure"}'
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LINE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def channel(cast):
    return services.channel_set(
        office=cast.office_a, secret=SECRET, token=TOKEN, actor=Actor.command(cast.bob)
    )


def sign(body, secret=SECRET):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def text_event(
    text, *, user="U-person-1", event_id=None, timestamp=1764892800000, redelivery=False
):
    return {
        "type": "message",
        "mode": "active",
        "timestamp": timestamp,
        "source": {"type": "user", "userId": user},
        "webhookEventId": event_id or f"01EVENT{next(_ids):020d}",
        "deliveryContext": {"isRedelivery": redelivery},
        "replyToken": f"reply-{next(_ids)}",
        "message": {"type": "text", "id": str(next(_ids)), "quoteToken": "q", "text": text},
    }


def postback_event(data, *, user="U-person-1", timestamp=1764892800000):
    return {
        "type": "postback",
        "mode": "active",
        "timestamp": timestamp,
        "source": {"type": "user", "userId": user},
        "webhookEventId": f"01EVENT{next(_ids):020d}",
        "deliveryContext": {"isRedelivery": False},
        "replyToken": f"reply-{next(_ids)}",
        "postback": {"data": data},
    }


def deliver(http, office, *events, secret=SECRET, signature=None):
    body = json.dumps({"destination": "Ubot", "events": list(events)}).encode()
    return http.post(
        f"/line/webhook/{office.office_number}/",
        data=body,
        content_type="application/json",
        headers={"X-Line-Signature": signature if signature is not None else sign(body, secret)},
    )
