"""The signed-in user's date style, active while their request is served.

Templates pass ``date_style`` to the ``calendar_tags`` filters; messages, form errors and
refusals built in Python (``core.calendar.display_date`` and friends) read the active style the
way Django's ``gettext`` reads the active language. The preference is read only when a date is
shown (``core.models.date_style_of``, cached on the user).
"""

from core import calendar
from core.models import DateStyle, date_style_of


class DateStyleMiddleware:
    """After ``AuthenticationMiddleware``: dates in the user's calendar for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = calendar.activate_date_style(
            lambda: date_style_of(getattr(request, "user", None)) == DateStyle.WAREKI
        )
        try:
            return self.get_response(request)
        finally:
            calendar.deactivate_date_style(token)
