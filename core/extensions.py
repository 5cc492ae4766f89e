"""Extension points: how an upper app adds to a lower app's page without the lower app importing
it (docs/architecture.md, "Extension points").

Each extension point is one named setting in ``config/settings.py`` listing, in order, the dotted
paths of what the upper apps add (functions, or template names where the point takes templates).
``extensions("WORKLIST_SECTIONS")`` imports them once and returns them in that order, so a page can
be followed to everything it shows by reading the settings.
"""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string


@cache
def extensions(name):
    """The objects the setting ``name`` lists (dotted paths), imported, in order."""
    return tuple(import_string(path) for path in getattr(settings, name, ()))


def templates(name):
    """The template names the setting ``name`` lists, in order."""
    return tuple(getattr(settings, name, ()))


def _forget(*, setting, **kwargs):
    extensions.cache_clear()


setting_changed.connect(_forget)
