"""The one home of the rules a contact must meet, entered on a phone or imported from a file.

The contact forms and the ``contacts`` CSV import both call these functions, so they refuse the
same contacts with the same message. Each rule takes plain values and returns a list of problems
``(field_name, message)``; an empty list means the values pass.
"""

import datetime as dt

from django.utils.translation import gettext as _

# A few minutes of clock drift between a phone and the server is not "the future".
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
MAX_DURATION_MINUTES = 24 * 60


def contacted_at_problems(*, contacted_at, now):
    """A contact is recorded after it happened: its time is not in the future."""
    if contacted_at is not None and contacted_at > now + FUTURE_TOLERANCE:
        return [("contacted_at", _("The time of contact cannot be in the future."))]
    return []


def duration_problems(*, duration_minutes):
    """A contact lasts from 0 minutes to a whole day."""
    if duration_minutes is not None and not 0 <= duration_minutes <= MAX_DURATION_MINUTES:
        return [("duration_minutes", _("Write minutes from 0 to 1440."))]
    return []
