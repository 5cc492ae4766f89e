"""Audit trail for sensitive personal information: the one home of who did what, from where.

Every read and change of a client record, every export and every import writes an event through
``record`` (``record_many`` for an import's batch, in one statement), called by the service that
does the work (never by a view, command or task), inside the transaction of the change: a change
without its event cannot be committed, and an import that is rolled back (dry run, refused file)
leaves no event. Entries are never edited.

Callers say who acts with an ``Actor``: ``Actor.from_request(request)`` on a page,
``Actor.command()`` on the command line, ``Actor.task(user_id)`` in a background task.

A page that shows people writes one ``view`` event per office naming them by client code
(``record_people_shown``). A refused attempt to reach another office's row (``offices.scoping``
raises ``OutOfReach``, a 404) is written as a ``denied`` event by ``RefusedAccessMiddleware``.
The events themselves are append-only (``core.models.AuditEvent``).
"""

import datetime as dt
import ipaddress
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core.calendar import JST
from core.models import AuditAction, AuditEvent, AuditVia

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


DETAIL_MAX = 4000


def record(*, actor, action, obj=None, office=None, detail=""):
    """Store one audit event and echo it to the audit log. Call it inside the service's
    transaction, after the change it records."""
    if not isinstance(actor, Actor):
        raise TypeError("audit.record needs an Actor")
    if obj is not None and office is None:
        office = _office_of(obj)
    user = actor.user
    event = AuditEvent.objects.create(
        user=user,
        user_ref_id=user.pk if user is not None else None,
        username=user.get_username() if user is not None else "",
        via=actor.via,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        office=office,
        detail=detail[:DETAIL_MAX],
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


def record_saved(*, actor, obj, created, detail=""):
    """``record`` of a row a service has just saved: ``create`` when it was new (``created``),
    else ``update``."""
    action = AuditAction.CREATE if created else AuditAction.UPDATE
    return record(actor=actor, action=action, obj=obj, detail=detail)


def record_many(*, actor, action, objects, office_of=None, name_of=str, detail=""):
    """Store one event per object of ``objects`` in one statement (an import's batch), and echo
    each to the audit log, as ``record`` does. An item of ``objects`` is an object or an
    (object, detail) pair; ``detail`` is the detail of the others. ``office_of(obj)`` gives an
    object's office (by default its ``office_path``; pass a function that reads objects already
    loaded, so that no query runs per object), ``name_of(obj)`` its name (by default ``str``).
    Call it inside the transaction of the change."""
    if not isinstance(actor, Actor):
        raise TypeError("audit.record_many needs an Actor")
    user = actor.user
    office_of = office_of or _office_of
    events = []
    for item in objects:
        obj, text = item if isinstance(item, tuple) else (item, detail)
        office = office_of(obj)
        events.append(
            AuditEvent(
                user=user,
                user_ref_id=user.pk if user is not None else None,
                username=user.get_username() if user is not None else "",
                via=actor.via,
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=name_of(obj)[:200],
                office=office,
                detail=text[:DETAIL_MAX],
                ip_address=actor.address,
            )
        )
    AuditEvent.objects.bulk_create(events)
    if _echoing():
        for event in events:
            logger.info(
                "audit user=%s via=%s action=%s object=%s:%s office=%s",
                event.user_id,
                actor.via,
                action,
                event.object_type,
                event.object_id,
                getattr(event.office, "office_number", ""),
            )
    return events


def record_selected(
    cursor, *, actor, action, model, select, params=(), with_="", with_params=(), detail=""
):
    """Store one event per row of ``select`` in one ``INSERT … SELECT`` (an import's batch
    written set-based, without a Python object per row), and echo each to the audit log, as
    ``record_many`` does. ``select`` is SQL returning the columns ``object_id`` (text),
    ``object_repr``, ``office_id`` and ``position`` (the order of the events); it may read the
    common table expressions of ``with_`` (``WITH new AS (INSERT … RETURNING …)``: the rows
    written by the same statement). ``with_params`` and ``params`` are the parameters of
    ``with_`` and ``select``. Returns the number of events. Call it inside the
    transaction of the change."""
    if not isinstance(actor, Actor):
        raise TypeError("audit.record_selected needs an Actor")
    user = actor.user
    quote = connection.ops.quote_name
    table = quote(AuditEvent._meta.db_table)
    offices = quote(AuditEvent._meta.get_field("office").related_model._meta.db_table)
    echoing = _echoing()
    returning = (
        f"RETURNING object_id, (SELECT office_number FROM {offices} WHERE id = office_id)"
        if echoing
        else ""
    )
    cursor.execute(
        f"""{with_}
        INSERT INTO {table} (at, user_id, user_ref_id, username, via, action, object_type,
                             object_id, object_repr, office_id, detail, ip_address)
        SELECT %s, %s, %s, %s, %s, %s, %s, src.object_id, SUBSTR(src.object_repr, 1, 200),
               src.office_id, %s, %s
        FROM ({select}) AS src
        ORDER BY src.position
        {returning}""",
        (
            *with_params,
            timezone.now(),
            user.pk if user is not None else None,
            user.pk if user is not None else None,
            user.get_username() if user is not None else "",
            actor.via,
            action,
            model._meta.label_lower,
            detail[:DETAIL_MAX],
            actor.address,
            *params,
        ),
    )
    if not echoing:
        return cursor.rowcount
    events = cursor.fetchall()
    user_id = user.pk if user is not None else None
    for object_id, office_number in events:
        logger.info(
            "audit user=%s via=%s action=%s object=%s:%s office=%s",
            user_id,
            actor.via,
            action,
            model._meta.label_lower,
            object_id,
            office_number or "",
        )
    return len(events)


def _echoing():
    """Whether the events of a batch are echoed to the audit log: a record per event costs
    more than its row, so it is not built when no handler would write it (the tests)."""
    return logger.isEnabledFor(logging.INFO) and logger.hasHandlers()


def record_people_shown(*, actor, page, clients, office=None, detail=""):
    """A page showed ``clients`` (in display order): one ``view`` event per office, its detail
    naming the page and the people by client code. A page that showed nobody still writes one
    event (for ``office``, with its ``detail``: the search that found nobody)."""
    return _record_people(AuditAction.VIEW, actor, page, clients, office, detail)


def record_people_exported(*, actor, export, clients, office=None, detail=""):
    """A list was downloaded (``export``: which list, in which format) with ``clients`` in it:
    one ``export`` event per office naming them by client code, as ``record_people_shown``."""
    return _record_people(AuditAction.EXPORT, actor, export, clients, office, detail)


def record_offices_exported(*, actor, export, offices, detail=""):
    """A list with no people in it (employers, a corporation's offices) was downloaded: one
    ``export`` event per office in it, or one without an office when the list is empty."""
    detail = _join(export, detail)
    offices = list(offices)
    if not offices:
        return [record(actor=actor, action=AuditAction.EXPORT, detail=detail)]
    return [
        record(actor=actor, action=AuditAction.EXPORT, office=office, detail=detail)
        for office in offices
    ]


def _record_people(action, actor, page, clients, office, detail):
    by_office = {}
    for client in clients:  # client.office is read only for the first client of an office
        codes = by_office.setdefault(client.office_id, ([], client.office))[0]
        if client.client_code not in codes:
            codes.append(client.client_code)
    if not by_office:
        nobody = _join(page, detail, "clients: -")
        return [record(actor=actor, action=action, office=office, detail=nobody)]
    return [
        record(
            actor=actor,
            action=action,
            office=shown_office,
            detail=_join(page, detail, "clients: " + " ".join(codes)),
        )
        for codes, shown_office in by_office.values()
    ]


def _join(*parts):
    return "; ".join(part for part in parts if part)


class RefusedAccessMiddleware:
    """Writes a ``denied`` event when a view refused another office's row: scoping raised its
    ``OutOfReach`` 404 (``offices.scoping.get_scoped_or_404`` and friends), which carries the
    row. The visitor still gets the same 404 as for a missing row."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        target = getattr(exception, "refused_object", None)
        if target is not None:
            record(
                actor=Actor.from_request(request),
                action=AuditAction.DENIED,
                obj=target,
                office=getattr(exception, "refused_office", None),
                detail=f"{request.method} {request.path}",
            )
        return None


# ---------------------------------------------------------------------------------------------
# Reading the trail: an office's events for its managers, and their export


def office_trail(*, office, date_from=None, date_to=None, staff=None, action="", client_code=""):
    """The events of ``office``, newest first, filtered. The caller has checked that the reader
    manages the office (``offices.scoping.get_office_or_404(..., manage=True)``).

    ``client_code`` finds the events naming that person: their record or a contact with them
    (the object's name ends with the code in brackets) and the lists that showed them."""
    events = AuditEvent.objects.filter(office=office)
    if date_from:
        events = events.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=JST))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=JST)
        events = events.filter(at__lt=end)
    if staff is not None:
        events = events.filter(user_ref_id=staff.pk)
    if action:
        events = events.filter(action=action)
    if client_code:
        code = re.escape(client_code.strip())
        events = events.filter(
            Q(object_repr__contains=f"({client_code.strip()})")
            | Q(detail__regex=rf"(^|[^0-9A-Za-z_-]){code}([^0-9A-Za-z_-]|$)")
        )
    return events.order_by("-at", "-pk")


TRAIL_COLUMNS = (
    "time",
    "user_id",
    "username",
    "via",
    "action",
    "object",
    "object_type",
    "object_id",
    "detail",
    "ip_address",
)


def trail_rows(events):
    """The export rows of ``events`` (times in Japan time)."""
    for event in events:
        yield (
            event.at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S"),
            event.user_ref_id or "",
            event.username,
            event.via,
            event.action,
            event.object_repr,
            event.object_type,
            event.object_id,
            event.detail,
            event.ip_address or "",
        )


def trail_export(*, actor, office, events, fmt, detail=""):
    """The rows of an office's trail for download, the export itself recorded (in the same
    office's trail)."""
    rows = list(trail_rows(events))
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        office=office,
        detail=_join(f"audit trail {fmt}", detail, f"{len(rows)} events"),
    )
    return rows


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
