"""Audit trail for sensitive personal information.

Every read and change of a client record goes through ``record``: views call it when they show or
change a client, exports and imports when they touch client rows. Entries are never edited.
"""

import logging

from core.models import AuditEvent

logger = logging.getLogger("teichaku.audit")


def record(*, user, action, obj=None, office=None, detail="", request=None):
    """Store one audit event and echo it to the audit log."""
    if obj is not None and office is None:
        office = _office_of(obj)
    event = AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        office=office,
        detail=detail[:1000],
        ip_address=_client_ip(request),
    )
    logger.info(
        "audit user=%s action=%s object=%s:%s office=%s",
        event.user_id,
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


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
