"""The open answer link's protection: one home for throttling, one-time form tokens and bursts.

- **Throttle per address.** At most ``SURVEY_SUBMISSIONS_PER_HOUR`` submissions per hour from one
  browser address (``core.audit.client_address``), counted in Django's cache (Redis when
  configured, local memory otherwise: see docs/architecture.md).
- **One-time form token.** The form page carries a signed token issued on GET; a POST consumes it
  (the response keeps the token's nonce, unique), so a replayed or duplicated submission is
  refused with a Japanese message.
- **Bursts.** A response keeps a salted hash of the address, never the address. Many responses
  with one hash within a few minutes form a burst the coordinator sees and may void; voided
  responses are left out of reports (``surveys.report``); voiding is audited
  (``surveys.services.responses_void``).
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

FORM_TOKEN_SALT = "surveys.open-form-token"
FORM_TOKEN_MAX_AGE = 24 * 60 * 60  # seconds: a respondent may take a day over the form
BURST_WINDOW = timezone.timedelta(minutes=10)
BURST_SIZE = 5  # this many responses from one address within BURST_WINDOW


def submissions_per_hour():
    return settings.TEICHAKU_SURVEY_SUBMISSIONS_PER_HOUR


def address_hash(address):
    """A salted hash of a browser address: equal for one address, useless to recover it."""
    key = hashlib.sha256(f"surveys.address:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()[:32]


def take_submission_slot(hashed_address):
    """Count one submission from the address; False when it is over the hourly limit."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"surveys:submissions:{hashed_address}:{hour}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count <= submissions_per_hour()


class FormTokenRefused(Exception):
    def __init__(self, reason):
        self.reason = reason  # "missing", "invalid", "expired" or "used"
        super().__init__(reason)


def issue_form_token(survey):
    return signing.dumps({"s": survey.pk, "n": secrets.token_hex(16)}, salt=FORM_TOKEN_SALT)


def form_token_nonce(survey, token):
    """The nonce of a token issued for ``survey``; FormTokenRefused otherwise (not yet whether it
    was used: ``submit_response`` checks that in its transaction)."""
    if not token:
        raise FormTokenRefused("missing")
    try:
        data = signing.loads(token, salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise FormTokenRefused("expired") from exc
    except signing.BadSignature as exc:
        raise FormTokenRefused("invalid") from exc
    if not isinstance(data, dict) or data.get("s") != survey.pk or not data.get("n"):
        raise FormTokenRefused("invalid")
    return str(data["n"])


@dataclass(frozen=True)
class Burst:
    address_hash: str
    first: object
    last: object
    response_ids: tuple
    voided: int

    @property
    def size(self):
        return len(self.response_ids)


def bursts(survey, *, window=BURST_WINDOW, size=BURST_SIZE):
    """Runs of at least ``size`` responses from one address hash, each within ``window`` of the
    previous one, newest first."""
    from surveys.models import Response

    rows = (
        Response.objects.filter(survey=survey)
        .exclude(address_hash="")
        .order_by("address_hash", "submitted_at", "pk")
        .values_list("pk", "address_hash", "submitted_at", "voided_at")
    )
    found, run = [], []

    def close(run):
        if len(run) >= size:
            found.append(
                Burst(
                    address_hash=run[0][1],
                    first=run[0][2],
                    last=run[-1][2],
                    response_ids=tuple(r[0] for r in run),
                    voided=sum(1 for r in run if r[3] is not None),
                )
            )

    for row in rows:
        if run and (row[1] != run[-1][1] or row[2] - run[-1][2] > window):
            close(run)
            run = []
        run.append(row)
    close(run)
    return sorted(found, key=lambda b: b.last, reverse=True)
