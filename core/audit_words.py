"""The audit trail in words, for an office's managers: who (by name, family name first), did what
(a Japanese action label), to which record, and what was looked at, said as a person would say
it instead of the stored detail (English tags, URL-encoded searches, client codes).

The stored events are not changed (they are append-only): this module only reads them. A stored
detail is a few parts joined by "; " (``core.audit._join``); each part is matched against
``PHRASES`` in order and said in words; a part no phrase knows is shown as it is, with a search
query decoded. People named by client code are named by their name when an app above core
gives the names (the extension point ``AUDIT_PERSON_NAMES``: ``names(*, office_id, codes)`` →
``{(office id, code): name}``), so core does not import the clients app.
"""

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from core.calendar import JST, display_date, month_label
from core.extensions import extensions
from core.names import staff_display_name


@dataclass(frozen=True)
class TrailEntry:
    """One event as the trail page and its export show it."""

    event: object
    at: dt.datetime
    staff: str
    action: str
    via: str
    record: str
    what: str
    refused: bool


def _format_label(fmt):
    return {"csv": "CSV", "xlsx": "Excel", "json": "JSON", "pdf": "PDF"}.get(fmt, fmt)


def _month_words(text):
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        return text
    return month_label(int(match[1]), int(match[2]))


def _day_words(text):
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return text
    return display_date(day)


def _pages():
    """The pages and lists a detail names, in words."""
    return {
        "contact history": _("the contact history"),
        "contact search": _("a search of the contact history"),
        "today": _("today's contacts"),
        "worklist (mine)": _("the worklist (my people)"),
        "worklist (office)": _("the worklist (the whole office)"),
        "home": _("the home page"),
        "client list": _("the client list"),
        "notifications": _("the notifications"),
        "contact statistics (not met face to face)": _(
            "the contact statistics (people not met face to face)"
        ),
        "contact statistics": _("the contact statistics"),
        "plan list": _("the plan list"),
        "billing_month": _("the month's billing"),
        "quick entry": _("quick entry"),
        "edit form": _("the edit form"),
        "delete form": _("the deletion form"),
        "support plan": _("the support plan"),
        "hand-overs": _("the hand-overs"),
        "billing settings": _("the billing settings"),
        "certificates": _("the recipient certificates"),
        "retention roster": _("the retention roster"),
        "employer list": _("the employer list"),
        "corporation retention": _("the corporation's retention"),
        "audit trail": _("the audit trail"),
        "survey list": _("the survey list"),
        "referral hand-over": _("the referral hand-over"),
        "no change": _("nothing changed"),
        "approved": _("approved"),
        "agreed": _("agreed by the person"),
        "reported back": _("reported back"),
        "withdrawn": _("withdrawn"),
        "linked": _("linked to the person"),
        "read": _("marked as read"),
        "pdf": _("as PDF"),
        "referral hand-over with document": _("the referral hand-over, with its document"),
    }


# The query parameters a list page keeps, in words; format, encoding and page say nothing.
def _query_names():
    return {
        "q": _("search"),
        "office": _("office"),
        "month": _("month"),
        "staff": _("staff member"),
        "status": _("status"),
        "scope": _("scope"),
        "date_from": _("from"),
        "date_to": _("to"),
        "from": _("from"),
        "to": _("to"),
        "fiscal_year": _("fiscal year"),
        "action": _("action"),
        "client_code": _("client code"),
        "method": _("method"),
        "sort": _("order"),
    }


_SILENT_PARAMETERS = {"format", "encoding", "page"}


def _query_words(text):
    """``q=%E9%9D%92&month=2026-04`` → 「検索: 青, 月: 2026年4月」; None when ``text`` is not a
    query string."""
    if "=" not in text or " " in text.strip():
        return None
    pairs = parse_qsl(text.strip(), keep_blank_values=False)
    if not pairs:
        return None
    names = _query_names()
    said = []
    for key, value in pairs:
        if key in _SILENT_PARAMETERS:
            continue
        if key == "month":
            value = _month_words(value)
        elif key in {"date_from", "date_to", "from", "to"}:
            value = _day_words(value)
        said.append(f"{names.get(key, key)}: {value}")
    if not said:
        return ""
    return _("filters: %(filters)s") % {"filters": "、".join(said)}


def _field_names(event, names):
    """``first_name, phone`` → the model's field labels (氏名（名）, 電話番号)."""
    model = _model_of(event)
    said = []
    for name in (n.strip() for n in names.split(",")):
        if not name:
            continue
        label = name
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                label = str(model._meta.get_field(name).verbose_name)
        said.append(label)
    return "、".join(said)


def _model_of(event):
    if not event.object_type or "." not in event.object_type:
        return None
    try:
        return apps.get_model(event.object_type)
    except (LookupError, ValueError):
        return None


def _people_words(codes, event, names):
    people = [names.get((event.office_id, code), code) for code in codes.split() if code != "-"]
    if not people:
        return _("nobody shown")
    shown = "、".join(people[:10])
    if len(people) > 10:
        shown += _(" and %(count)s more") % {"count": len(people) - 10}
    return _("people: %(people)s (%(count)s)") % {"people": shown, "count": len(people)}


def _phrases():
    """(pattern, words) in order: ``words(match, event, names)`` says a matching part."""
    pages = _pages()
    page_names = "|".join(re.escape(name) for name in sorted(pages, key=len, reverse=True))

    def page(match, event, names):
        return pages[match[0]]

    def export(match, event, names):
        return _("downloaded %(list)s (%(format)s)") % {
            "list": pages.get(match[1], match[1]),
            "format": _format_label(match[2]),
        }

    def monthly(match, event, names):
        return _("%(page)s of %(month)s") % {
            "page": pages.get(match[1], match[1]),
            "month": _month_words(match[2]),
        }

    def reports(match, event, names):
        words = _("the support reports of %(month)s") % {"month": _month_words(match[1])}
        if match[2]:
            return _("downloaded %(list)s (%(format)s)") % {
                "list": words,
                "format": _format_label(match[2]),
            }
        return words

    def listing(match, event, names):
        words = pages.get(match[1], match[1])
        query = _query_words(match[2] or "")
        return f"{words}（{query}）" if query else words

    return (
        (r"clients: (.*)", lambda m, e, n: _people_words(m[1], e, n)),
        (
            r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})",
            lambda m, e, n: (
                _("period %(start)s to %(end)s")
                % {"start": _day_words(m[1]), "end": _day_words(m[2])}
            ),
        ),
        (
            r"contact_stats (\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})",
            lambda m, e, n: (
                _("the contact statistics, %(start)s to %(end)s")
                % {"start": _day_words(m[1]), "end": _day_words(m[2])}
            ),
        ),
        (r"offices: (.*)", lambda m, e, n: _("offices: %(offices)s") % {"offices": m[1]}),
        (r"(\d+) events", lambda m, e, n: _("%(count)s events") % {"count": m[1]}),
        (r"support reports (\d{4}-\d{2})(?: (csv|xlsx))?", reports),
        (r"(plan list|contact history|contact search)\s*(.*=.*)?", listing),
        (rf"({page_names}) (csv|xlsx|json)", export),
        (r"(service record|billing_month) (\d{4}-\d{2})\s*(pdf|csv|xlsx)?", monthly),
        (
            r"(?:retention_report|retention dashboard) FY(\d{4})",
            lambda m, e, n: _("the retention rate of fiscal year %(year)s") % {"year": m[1]},
        ),
        (
            r"corporation retention dashboard \d+ FY(\d{4})",
            lambda m, e, n: (
                _("the corporation's retention rate of fiscal year %(year)s") % {"year": m[1]}
            ),
        ),
        (r"FY(\d{4})", lambda m, e, n: _("fiscal year %(year)s") % {"year": m[1]}),
        (r"corporation \d+", lambda m, e, n: _("the whole corporation")),
        (
            r"support plan v(\d+)",
            lambda m, e, n: _("the support plan (version %(version)s)") % {"version": m[1]},
        ),
        (r"v(\d+)", lambda m, e, n: _("version %(version)s") % {"version": m[1]}),
        (
            r"changed: (.*)",
            lambda m, e, n: _("changed: %(fields)s") % {"fields": _field_names(e, m[1])},
        ),
        (
            r"billing settings: (.*)",
            lambda m, e, n: _("billing settings changed: %(changes)s") % {"changes": m[1]},
        ),
        (
            r"employment (\d{4}-\d{2}-\d{2}): (.*)",
            lambda m, e, n: (
                _("employment from %(day)s at %(employer)s")
                % {"day": _day_words(m[1]), "employer": m[2]}
            ),
        ),
        (
            r"hand-over document (.*)",
            lambda m, e, n: _("the hand-over document %(name)s") % {"name": m[1]},
        ),
        (
            r"notifications read: (\d+)",
            lambda m, e, n: _("%(count)s notifications marked as read") % {"count": m[1]},
        ),
        (
            r"confirmed (\d{4}-\d{2}-\d{2})",
            lambda m, e, n: _("confirmed by the person on %(day)s") % {"day": _day_words(m[1])},
        ),
        (
            r"shared (.*)",
            lambda m, e, n: _("shared with the person (%(how)s)") % {"how": m[1]},
        ),
        (
            r"close (\d{4}-\d{2}): (\d+) units",
            lambda m, e, n: (
                _("closed %(month)s (%(units)s units)")
                % {"month": _month_words(m[1]), "units": m[2]}
            ),
        ),
        (
            r"reopen (\d{4}-\d{2}): (.*)",
            lambda m, e, n: (
                _("reopened %(month)s (reason: %(reason)s)")
                % {"month": _month_words(m[1]), "reason": m[2]}
            ),
        ),
        (
            r"recent contacts: (.*)",
            lambda m, e, n: _("%(count)s recent contacts") % {"count": len(m[1].split())},
        ),
        (r"(\w+) import", lambda m, e, n: _("import of %(kind)s") % {"kind": m[1]}),
        (
            r"audit trail (csv|xlsx)",
            lambda m, e, n: (
                _("downloaded the audit trail (%(format)s)") % {"format": _format_label(m[1])}
            ),
        ),
        (
            r"(GET|POST|PUT|PATCH|DELETE|HEAD) (/\S*)",
            lambda m, e, n: _("tried to open %(path)s") % {"path": m[2]},
        ),
        (rf"{page_names}", page),
    )


def describe(event, names=None):
    """What ``event`` looked at or changed, in words."""
    names = names or {}
    phrases = [(re.compile(pattern), words) for pattern, words in _phrases()]
    said = []
    for part in (p.strip() for p in event.detail.split(";")):
        if not part:
            continue
        for pattern, words in phrases:
            match = pattern.fullmatch(part)
            if match:
                said.append(words(match, event, names))
                break
        else:
            query = _query_words(part)
            said.append(part if query is None else query)
    return "。".join(s for s in said if s)


def record_words(event):
    """The record an event is about: its kind (the model's name) and its name."""
    model = _model_of(event)
    kind = str(model._meta.verbose_name) if model is not None else ""
    if not event.object_repr:
        return kind
    return f"{kind}: {event.object_repr}" if kind else event.object_repr


_CODES = re.compile(r"(?:^|;\s*)clients: ([^;]*)")


def _person_names(events):
    """``{(office id, code): name}`` of the people the events name, from the apps that know
    them (``AUDIT_PERSON_NAMES``)."""
    codes = {}
    for event in events:
        for match in _CODES.finditer(event.detail):
            codes.setdefault(event.office_id, set()).update(match[1].split())
    names = {}
    for provider in extensions("AUDIT_PERSON_NAMES"):
        for office_id, office_codes in codes.items():
            names.update(provider(office_id=office_id, codes=sorted(office_codes)))
    return names


def trail_entries(events):
    """The entries of ``events`` (an iterable of ``AuditEvent``) in words, in order."""
    events = list(events)
    names = _person_names(events)
    return [
        TrailEntry(
            event=event,
            at=event.at.astimezone(JST),
            staff=staff_display_name(event.user) if event.user_id else event.username,
            action=event.get_action_display(),
            via=event.get_via_display(),
            record=record_words(event),
            what=describe(event, names),
            refused=event.action == "denied",
        )
        for event in events
    ]
