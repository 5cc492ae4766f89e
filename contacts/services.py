"""Writing contacts: create, edit and delete, each keeping who did it and why; and exporting
the contact statistics.

Each takes an ``actor`` (``core.audit.Actor``: page, command or task) and writes its audit event
in the transaction of the change.
"""

from collections import Counter
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from contacts import hooks, stats
from contacts.face_to_face import default_face_to_face
from contacts.models import Contact, ContactRevision
from core import audit, calendar, resilience
from core.models import AuditAction
from core.tabular import staging
from offices.month_lock import ensure_month_open


def contact_create(
    *,
    client,
    staff,
    contacted_at,
    method,
    counterpart,
    face_to_face=None,
    duration_minutes=None,
    work_topics=(),
    life_topics=(),
    summary="",
    next_follow_up=None,
    employer_contact=None,
    actor,
):
    """A new contact, recorded as created by the actor's user. A connection lost on the way is
    retried once on a fresh one (``core.resilience``): the natural key (person, time, method,
    counterpart) finds the contact if the first attempt was committed after all, so a contact is
    never stored twice nor reported as failed once stored."""
    ensure_month_open(client.office, contacted_at.astimezone(calendar.JST).date())
    face_to_face = _face_to_face_or_default(face_to_face, method=method, office=client.office)

    def attempt():
        # a duplicate (double tap) fails alone, not the caller's transaction
        with transaction.atomic():
            contact = Contact.objects.create(
                client=client,
                staff=staff,
                contacted_at=contacted_at,
                method=method,
                counterpart=counterpart,
                face_to_face=face_to_face,
                duration_minutes=duration_minutes,
                work_topics=list(work_topics),
                life_topics=list(life_topics),
                summary=summary,
                next_follow_up=next_follow_up,
                employer_contact=employer_contact,
                created_by=actor.user,
            )
            audit.record(actor=actor, action=AuditAction.CREATE, obj=contact)
        return contact

    def stored_by_the_first_attempt():
        return (
            Contact.objects.live()
            .filter(
                client=client,
                contacted_at=contacted_at,
                method=method,
                counterpart=counterpart,
                created_by=actor.user,
            )
            .first()
        )

    return resilience.retry_once(attempt, already_done=stored_by_the_first_attempt)


class ImportedContact(NamedTuple):
    """A checked row of the ``contacts`` import, plain values (no model instance per row)."""

    client_id: int
    client_name: str  # ``str`` of the person, for the contact's name in its event
    office: object  # the person's office
    contacted_at: object
    method: str
    counterpart: str
    face_to_face: bool
    duration_minutes: object
    staff: object  # an account or None
    summary: str

    def fields(self):
        """The values an import may change on a contact already recorded."""
        return {
            "duration_minutes": self.duration_minutes,
            "staff": self.staff,
            "summary": self.summary,
        }


def contacts_import(*, rows, actor, reason):
    """Write an import's batch, (row number, ``ImportedContact``) pairs in the file's order
    (the order of the contacts and their events): a row whose key (person, time, method,
    counterpart) names no contact yet creates one (recorded as created by the actor's user,
    with its ``create`` event); one naming a live contact updates it when its duration, staff
    or summary differ (``contact_update_many``: a revision with ``reason`` and an ``update``
    event); one naming only a deleted contact changes nothing (an import does not bring it
    back). Returns the outcomes ({"created": n, "updated": n, "unchanged": n}).

    On PostgreSQL the rows are staged with ``COPY`` and the new contacts and their events are
    written by one ``INSERT … SELECT`` statement; elsewhere with ``bulk_create``. The queries do
    not grow with the rows. Call it inside the import's transaction."""
    rows = list(rows)
    if not rows:
        return Counter()
    if staging.available():
        with transaction.atomic(savepoint=False):
            created, updated = _import_staged(rows, actor, reason)
    else:
        created, updated = _import_portable(rows, actor, reason)
    return Counter(created=created, updated=updated, unchanged=len(rows) - created - updated)


def _import_portable(rows, actor, reason):
    recorded = {}
    contacts = (
        Contact.objects.filter(
            client_id__in={row.client_id for _number, row in rows},
            contacted_at__in={row.contacted_at for _number, row in rows},
        )
        .select_related("client__office", "staff")
        .order_by(F("deleted_at").asc(nulls_first=True), "pk")
    )
    for contact in contacts:
        key = (contact.client_id, contact.contacted_at, contact.method, contact.counterpart)
        recorded.setdefault(key, contact)  # a live contact before a deleted one
    new, changes = [], []
    for _number, row in rows:
        contact = recorded.get((row.client_id, row.contacted_at, row.method, row.counterpart))
        if contact is None:
            contact = Contact(
                client_id=row.client_id,
                contacted_at=row.contacted_at,
                method=row.method,
                counterpart=row.counterpart,
                face_to_face=row.face_to_face,
                created_by=actor.user,
                **row.fields(),
            )
            contact.imported_from = row
            new.append(contact)
        elif not contact.is_deleted:
            changes.append((contact, row.fields()))
    Contact.objects.bulk_create(new)
    audit.record_many(
        actor=actor,
        action=AuditAction.CREATE,
        objects=new,
        office_of=lambda contact: contact.imported_from.office,
        name_of=lambda contact: Contact.describe(
            contact.imported_from.client_name, contact.method, contact.contacted_at
        ),
    )
    updated = contact_update_many(changes=changes, actor=actor, reason=reason)
    return len(new), len(updated)


_STAGING = "contacts_import_staging"
_STAGED_COLUMNS = (
    ("row_number", "integer"),
    ("client_id", "bigint"),
    ("office_id", "bigint"),
    ("contacted_at", "timestamp with time zone"),
    ("method", "text"),
    ("counterpart", "text"),
    ("face_to_face", "boolean"),
    ("duration_minutes", "integer"),
    ("staff_id", "integer"),
    ("summary", "text"),
    ("object_repr", "text"),
)
_SAME_KEY = (
    "c.client_id = s.client_id AND c.contacted_at = s.contacted_at "
    "AND c.method = s.method AND c.counterpart = s.counterpart"
)


def _import_staged(rows, actor, reason):
    describe, labels = Contact.describe, {}
    by_row = dict(rows)
    table = Contact._meta.db_table
    with connection.cursor() as cursor:
        staging.stage(
            cursor,
            table=_STAGING,
            columns=_STAGED_COLUMNS,
            rows=(
                (
                    number,
                    row.client_id,
                    row.office.pk,
                    row.contacted_at,
                    row.method,
                    row.counterpart,
                    row.face_to_face,
                    row.duration_minutes,
                    row.staff.pk if row.staff is not None else None,
                    row.summary,
                    describe(
                        row.client_name,
                        row.method,
                        row.contacted_at,
                        label=labels.get(row.method)
                        or labels.setdefault(row.method, Contact.method_label(row.method)),
                    ),
                )
                for number, row in rows
            ),
        )
        # Live contacts whose values differ: updated through the ORM, with their revisions.
        # Each staged row probes its key in the index (``LATERAL … LIMIT 1``, here and below):
        # without statistics on the staging table the planner would otherwise hash every
        # contact of the country for each batch (``NOT EXISTS`` becomes a hash anti-join).
        cursor.execute(
            f"""SELECT s.row_number, c.id FROM {_STAGING} s
            CROSS JOIN LATERAL (
                SELECT c.id, c.duration_minutes, c.staff_id, c.summary FROM {table} c
                WHERE {_SAME_KEY} AND c.deleted_at IS NULL LIMIT 1
            ) c
            WHERE c.duration_minutes IS DISTINCT FROM s.duration_minutes
                OR c.staff_id IS DISTINCT FROM s.staff_id OR c.summary <> s.summary"""
        )
        changed = cursor.fetchall()
        updated = []
        if changed:
            contacts = Contact.objects.select_related("client__office", "staff").in_bulk(
                [pk for _row, pk in changed]
            )
            updated = contact_update_many(
                changes=[(contacts[pk], by_row[row].fields()) for row, pk in changed],
                actor=actor,
                reason=reason,
            )
        now, user_id = timezone.now(), actor.user.pk if actor.user is not None else None
        # New contacts (no contact with the key, live or deleted) and their events, at once.
        created = audit.record_selected(
            cursor,
            actor=actor,
            action=AuditAction.CREATE,
            model=Contact,
            with_=f"""WITH new AS (
                INSERT INTO {table} (client_id, staff_id, contacted_at, method, counterpart,
                    employer_contact_id, face_to_face, duration_minutes, work_topics,
                    life_topics, summary, next_follow_up, created_at, created_by_id,
                    updated_at, deleted_at, deleted_by_id, delete_reason)
                SELECT s.client_id, s.staff_id, s.contacted_at, s.method, s.counterpart, NULL,
                    s.face_to_face, s.duration_minutes, '[]', '[]', s.summary, NULL, %s, %s,
                    %s, NULL, NULL, ''
                FROM {_STAGING} s
                LEFT JOIN LATERAL (SELECT 1 AS found FROM {table} c WHERE {_SAME_KEY} LIMIT 1) c
                    ON TRUE
                WHERE c.found IS NULL
                ORDER BY s.row_number
                RETURNING id, client_id, contacted_at, method, counterpart)""",
            with_params=(now, user_id, now),
            select=f"""SELECT new.id::text AS object_id, s.object_repr, s.office_id,
                s.row_number AS position
                FROM new JOIN {_STAGING} s ON s.client_id = new.client_id
                    AND s.contacted_at = new.contacted_at AND s.method = new.method
                    AND s.counterpart = new.counterpart""",
        )
    return created, len(updated)


def _face_to_face_or_default(face_to_face, *, method, office):
    """The flag as given, or (None: the user left it open) the office's default for the method."""
    if face_to_face is None:
        return default_face_to_face(method=method, office=office)
    return face_to_face


def contact_read(*, actor, contact, detail=""):
    """Record that ``contact`` was shown (``detail``: where, e.g. its edit form)."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=contact, detail=detail)


EDITABLE_FIELDS = (
    "staff",
    "contacted_at",
    "method",
    "counterpart",
    "employer_contact",
    "face_to_face",
    "duration_minutes",
    "work_topics",
    "life_topics",
    "summary",
    "next_follow_up",
)


def _months_of(contact, changes=None):
    """The JST days of the contact, before and after ``changes`` (a closed month locks both)."""
    times = [contact.contacted_at, (changes or {}).get("contacted_at")]
    return [t.astimezone(calendar.JST).date() for t in times if t is not None]


@transaction.atomic
def contact_update(*, contact, actor, reason, **changes):
    """Apply ``changes``; the previous values are kept in a revision with the reason.
    ``face_to_face=None`` takes the office's default for the (new) method, as on creation."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if "face_to_face" in changes:
        changes["face_to_face"] = _face_to_face_or_default(
            changes["face_to_face"],
            method=changes.get("method", contact.method),
            office=contact.client.office,
        )
    ensure_month_open(contact.client.office, *_months_of(contact, changes))
    before = contact.snapshot()
    for name, value in changes.items():
        setattr(contact, name, value)
    if contact.snapshot() == before:
        return None
    ContactRevision.objects.create(
        contact=contact,
        action=ContactRevision.Action.UPDATE,
        changed_by=actor.user,
        reason=reason,
        before=before,
    )
    contact.save()
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=contact, detail=reason)
    return contact


def contact_update_many(*, changes, actor, reason):
    """``contact_update`` for many contacts in a few statements (an import's batch): ``changes``
    is [(contact, {field: value})], each contact with its ``client`` and office and its
    ``staff`` loaded. Returns the contacts that changed; each keeps a revision of its previous
    values with the reason, and an audit event. Call it inside a transaction."""
    updated, revisions, fields = [], [], {"updated_at"}
    now = timezone.now()
    for contact, values in changes:
        unknown = set(values) - set(EDITABLE_FIELDS)
        if unknown:
            raise TypeError(f"not editable: {sorted(unknown)}")
        before = contact.snapshot()
        for name, value in values.items():
            setattr(contact, name, value)
        if contact.snapshot() == before:
            continue
        revisions.append(
            ContactRevision(
                contact=contact,
                action=ContactRevision.Action.UPDATE,
                changed_by=actor.user,
                reason=reason,
                before=before,
            )
        )
        contact.updated_at = now  # bulk_update does not touch auto_now fields
        fields.update(values)
        updated.append(contact)
    if updated:
        ContactRevision.objects.bulk_create(revisions)
        Contact.objects.bulk_update(updated, sorted(fields))
        audit.record_many(
            actor=actor,
            action=AuditAction.UPDATE,
            objects=updated,
            office_of=lambda contact: contact.client.office,
            detail=reason,
        )
    return updated


@transaction.atomic
def contact_delete(*, contact, actor, reason):
    """Soft delete: the contact leaves every list and count, and its history stays."""
    if contact.is_deleted:
        return contact
    ensure_month_open(contact.client.office, *_months_of(contact))
    ContactRevision.objects.create(
        contact=contact,
        action=ContactRevision.Action.DELETE,
        changed_by=actor.user,
        reason=reason,
        before=contact.snapshot(),
    )
    contact.deleted_at = timezone.now()
    contact.deleted_by = actor.user
    contact.delete_reason = reason
    contact.save(update_fields=["deleted_at", "deleted_by", "delete_reason", "updated_at"])
    audit.record(actor=actor, action=AuditAction.DELETE, obj=contact, detail=reason)
    return contact


def contact_stats_export(*, actor, office, date_from, date_to):
    """The contact statistics of ``office`` (``stats.contact_stats``), recorded as an export."""
    result = stats.contact_stats(offices=[office], date_from=date_from, date_to=date_to)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        office=office,
        detail=f"contact_stats {date_from}..{date_to}",
    )
    return result


def contact_stats_document(*, actor, office, date_from, date_to):
    """The DESIGN 5.4 document of ``contact_stats --format json`` (the statistics and every
    registered statistics section under its key), recorded as an export: the command and the
    API print the same thing."""
    result = contact_stats_export(actor=actor, office=office, date_from=date_from, date_to=date_to)
    document = result.as_json(office_number=office.office_number)
    # The sections take the rows the statistics read (the same offices object: ``covers``).
    for key, _template, section in hooks.stats_sections(
        offices=result.rows.offices, date_from=date_from, date_to=date_to, counted=result.rows
    ):
        document[key] = section.as_json()
    return document


# ---------------------------------------------------------------------------------------------
# Notifications


def notification_read(*, actor, notification):
    """Mark one of the user's notifications as read (once: a read one keeps its time)."""
    if notification.read_at is not None:
        return notification
    with transaction.atomic():
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=notification, detail="read")
    return notification


def notifications_read_all(*, actor, notifications):
    """Mark every unread one of ``notifications`` (the user's, scoped) as read; returns how many."""
    with transaction.atomic():
        count = notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        if count:
            audit.record(
                actor=actor, action=AuditAction.UPDATE, detail=f"notifications read: {count}"
            )
    return count
