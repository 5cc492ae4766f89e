"""What core's own pages read, as plain data or unsaved rows (no page writes while it reads)."""

from core.models import UserPreference


def preference_of(user):
    """The user's ``UserPreference``; an unsaved one with the defaults when none was saved yet
    (``core.services.preference_save`` stores it)."""
    return UserPreference.objects.filter(user=user).first() or UserPreference(user=user)
