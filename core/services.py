"""Core's own writes (atomic, audited through ``core.audit``, keyword-only arguments)."""

from django.db import transaction

from core import audit


def preference_save(*, actor, preference):
    """Store the user's display choices (a ``UserPreference`` built by its form)."""
    with transaction.atomic():
        created = preference.pk is None
        preference.save()
        audit.record_saved(
            actor=actor,
            obj=preference,
            created=created,
            detail=f"date_style={preference.date_style}",
        )
    return preference
