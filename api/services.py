"""Personal API tokens: made (the secret returned once), revoked, and looked up by their secret.

Making and revoking are audited like any change; a call made with a token is audited by the
service it reaches, exactly as the same read or change on a page.
"""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from core import audit
from core.models import AuditAction

SECRET_PREFIX = "tk_"
PREFIX_LENGTH = 10  # "tk_" and seven characters of the random part
DEFAULT_DAYS = 90
MAX_DAYS = 366


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_create(*, actor, user, name, days=DEFAULT_DAYS):
    """A new token of ``user`` valid for ``days`` days: (ApiToken, secret). The secret is not
    kept anywhere: show it once."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be 1..{MAX_DAYS}")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:100],
            prefix=secret[:PREFIX_LENGTH],
            secret_sha256=digest(secret),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=token,
            detail=f"API token for {user.get_username()} until {token.expires_at:%Y-%m-%d}",
        )
    return token, secret


def token_revoke(*, actor, token):
    """Revoke ``token`` (kept, marked revoked); revoking twice changes nothing."""
    with transaction.atomic():
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=token, detail="API token revoked")
    return token


def tokens_of(*, user):
    """The user's tokens for their page, newest first (revoked and expired ones too)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


# A token's "last used" is written at most once a minute: a polling BI tool must not turn every
# read into a write.
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


def token_for_secret(secret, *, now=None):
    """The usable token whose secret is ``secret`` (with its user), or None; marks it used."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.usable(now=now)
        .select_related("user")
        .filter(secret_sha256=digest(secret))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
