"""The client page's timeline: employments and service periods as dated events, oldest first.

Other apps add their own events through ``register_source``: a function ``source(client)``
returning event dicts (date, kind, title, detail). The contacts app adds a row per month of
contacts, so this app does not need to know about contacts.

The same way, other apps add a card below the timeline through ``register_card``: a template
rendered with the client page's context (``client`` and the rest). The contacts app adds its
recent contacts and the months without a shared support report.
"""

from django.utils.translation import gettext as _

from core import calendar

_SOURCES = []
_CARDS = []

# Events of the same day in this order; other kinds follow.
_ORDER = {"hire": 0, "service_start": 1, "separation": 2, "supported_change": 2}


def register_source(source):
    _SOURCES.append(source)


def register_card(template_name):
    if template_name not in _CARDS:
        _CARDS.append(template_name)


def cards():
    """Template names of the cards other apps add to the client page, in registration order."""
    return list(_CARDS)


def events_of(client, employments):
    events = [event for source in _SOURCES for event in source(client)]
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
