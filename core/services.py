"""Core's own writes (atomic, audited through ``core.audit``, keyword-only arguments)."""

from django.db import transaction

from core import audit
from core.models import AuditAction


def preference_save(*, actor, preference):
    """Store the user's display choices (a ``UserPreference`` built by its form)."""
    with transaction.atomic():
        created = preference.pk is None
        preference.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=preference,
            detail=f"date_style={preference.date_style}",
        )
    return preference
