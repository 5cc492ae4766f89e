"""The client page's timeline: employments and service periods as dated events, oldest first.

Other apps add their own events through the extension point ``CLIENT_TIMELINE_SOURCES``
(settings): functions ``source(client)`` returning event dicts (date, kind, title, detail). The
contacts app adds a row per month of contacts, so this app does not need to know about contacts.

The same way, other apps add a card below the timeline through ``CLIENT_PAGE_CARD_TEMPLATES``: a
template rendered with the client page's context (``client`` and the rest). The contacts app adds
its recent contacts and the months without a shared support report.
"""

from django.utils.translation import gettext as _

from core import calendar, extensions

# Events of the same day in this order; other kinds follow.
_ORDER = {"hire": 0, "service_start": 1, "separation": 2, "supported_change": 2}


def cards():
    """Template names of the cards other apps add to the client page, in the setting's order."""
    return list(extensions.templates("CLIENT_PAGE_CARD_TEMPLATES"))


def events_of(client, employments):
    events = [
        event
        for source in extensions.extensions("CLIENT_TIMELINE_SOURCES")
        for event in source(client)
    ]
    for employment in employments:
        detail = employment.job_title
        events.append(
            {
                "date": employment.start_date,
                "kind": "hire",
                "title": _("Hired by %(employer)s") % {"employer": employment.employer.name},
                "detail": detail,
            }
        )
        if employment.end_date:
            reason = employment.get_separation_reason_display()
            events.append(
                {
                    "date": employment.end_date,
                    "kind": "supported_change" if employment.supported_job_change else "separation",
                    "title": (
                        _("Last working day at %(employer)s (supported job change)")
                        if employment.supported_job_change
                        else _("Last working day at %(employer)s")
                    )
                    % {"employer": employment.employer.name},
                    "detail": reason,
                }
            )
    events.append(
        {
            "date": client.service_start,
            "kind": "service_start",
            "title": _("Retention support starts"),
            "detail": "",
        }
    )
    limit_end = calendar.service_limit_end(client.service_start)
    if client.service_end:
        events.append(
            {
                "date": client.service_end,
                "kind": "service_end",
                "title": _("Retention support ends"),
                "detail": client.service_end_reason,
            }
        )
    else:
        events.append(
            {
                "date": limit_end,
                "kind": "limit",
                "title": _("3-year limit of the service"),
                "detail": "",
            }
        )
    return sorted(events, key=lambda e: (e["date"], _ORDER.get(e["kind"], 3)))
