from django.utils.functional import SimpleLazyObject

from core.models import date_style_of
from core.navigation import items_for


def navigation(request):
    return {"nav_items": items_for(request.user)}


def date_style(request):
    """``date_style`` for the ``display_date`` and ``month_label`` filters, read only when a
    page uses it."""
    return {"date_style": SimpleLazyObject(lambda: str(date_style_of(request.user)))}
