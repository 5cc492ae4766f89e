"""Writing contacts: create, edit and delete, each keeping who did it and why; and exporting
the contact statistics.

Each takes an ``actor`` (``core.audit.Actor``: page, command or task) and writes its audit event
in the transaction of the change.
"""

from django.db import transaction
from django.utils import timezone

from billing.close import ensure_month_open
from contacts import stats
from contacts.face_to_face import default_face_to_face
from contacts.models import Contact, ContactRevision
from core import audit, calendar
from core.models import AuditAction


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
    """A new contact, recorded as created by the actor's user."""
    ensure_month_open(client.office, contacted_at.astimezone(calendar.JST).date())
    if face_to_face is None:
        face_to_face = default_face_to_face(method=method, office=client.office)
    with transaction.atomic():  # a duplicate (double tap) fails alone, not the caller's transaction
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


def contact_create_many(*, contacts, actor):
    """Store new contacts (built, unsaved, with their ``client`` and its office loaded) in one
    statement, each recorded as created by the actor's user: an import's batch."""
    for contact in contacts:
        contact.created_by = actor.user
    Contact.objects.bulk_create(contacts)
    audit.record_many(
        actor=actor,
        action=AuditAction.CREATE,
        objects=contacts,
        office_of=lambda contact: contact.client.office,
    )
    return contacts


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
    """Apply ``changes``; the previous values are kept in a revision with the reason."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
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
