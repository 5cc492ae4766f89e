"""The client page's timeline, contacts' part: one event per month with contacts.

A month's row says how many contacts there were, how many met the person face to face, and
when that month's support report was shared. Months are Japan-time months (core.calendar).
"""

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from contacts.face_to_face import meeting_q
from contacts.models import Contact
from contacts.reports import shared_months
from core.calendar import JST, display_date, month_label


def monthly_contact_events(client):
    rows = (
        Contact.objects.live()
        .filter(client=client)
        .annotate(month=TruncMonth("contacted_at", tzinfo=JST))
        .values("month")
        .annotate(
            contacts=Count("pk"),
            met=Count("pk", filter=meeting_q()),
        )
        .order_by("month")
    )
    shared = shared_months(client=client)
    events = []
    for row in rows:
        month = row["month"].astimezone(JST).date()
        detail = (
            _("Support report shared with the person on %(date)s")
            % {"date": display_date(shared[month])}
            if month in shared
            else _("No support report shared yet")
        )
        events.append(
            {
                "date": month,
                "kind": "contacts",
                "title": _("%(month)s: %(contacts)s contacts, %(met)s face-to-face with the person")
                % {
                    "month": month_label(month.year, month.month),
                    "contacts": row["contacts"],
                    "met": row["met"],
                },
                "detail": detail,
            }
        )
    return events
