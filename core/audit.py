"""Audit trail for sensitive personal information: the one home of who did what, from where.

Every read and change of a client record, every export and every import writes an event through
``record``, called by the service that does the work (never by a view, command or task), inside
the transaction of the change: a change without its event cannot be committed, and an import that
is rolled back (dry run, refused file) leaves no event. Entries are never edited.

Callers say who acts with an ``Actor``: ``Actor.from_request(request)`` on a page,
``Actor.command()`` on the command line, ``Actor.task(user_id)`` in a background task.
"""

import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model

from core.models import AuditEvent, AuditVia

logger = logging.getLogger("teichaku.audit")


@dataclass(frozen=True)
class Actor:
    """Who does something, and through what: a page (with the client's address), a command or a
    task. ``user`` is None on the command line and for anonymous visitors."""

    user: object = None
    address: str | None = None
    via: str = AuditVia.COMMAND

    @classmethod
    def from_request(cls, request):
        user = getattr(request, "user", None)
        if user is not None and not user.is_authenticated:
            user = None
        return cls(user=user, address=client_address(request), via=AuditVia.PAGE)

    @classmethod
    def command(cls, user=None):
        return cls(user=user, via=AuditVia.COMMAND)

    @classmethod
    def task(cls, user_id):
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        return cls(user=user, via=AuditVia.TASK)


def client_address(request):
    """The address of the browser: REMOTE_ADDR, or, when REMOTE_ADDR is a trusted proxy
    (``TEICHAKU_TRUSTED_PROXIES``), the right-most X-Forwarded-For entry that is not one.

    Entries left of that are written by the browser itself and prove nothing.
    """
    remote = _ip_or_none(request.META.get("REMOTE_ADDR", ""))
    trusted = set(getattr(settings, "TEICHAKU_TRUSTED_PROXIES", ()) or ())
    if remote is None or remote not in trusted:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if hop not in trusted:
            return _ip_or_none(hop)
    return remote


def _ip_or_none(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def record(*, actor, action, obj=None, office=None, detail=""):
    """Store one audit event and echo it to the audit log. Call it inside the service's
    transaction, after the change it records."""
    if not isinstance(actor, Actor):
        raise TypeError("audit.record needs an Actor")
    if obj is not None and office is None:
        office = _office_of(obj)
    event = AuditEvent.objects.create(
        user=actor.user,
        via=actor.via,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        office=office,
        detail=detail[:1000],
        ip_address=actor.address,
    )
    logger.info(
        "audit user=%s via=%s action=%s object=%s:%s office=%s",
        event.user_id,
        actor.via,
        action,
        event.object_type,
        event.object_id,
        getattr(office, "office_number", ""),
    )
    return event


def _office_of(obj):
    path = getattr(type(obj), "office_path", None)
    if not path:
        return None
    target = obj
    for step in path.split("__"):
        target = getattr(target, step, None)
        if target is None:
            return None
    return target
