"""The one home of the rules every URL parameter meets, whichever view or form reads it.

- **No NUL bytes or control characters** in the path, the query string, form fields or cookies:
  ``RefuseHostileInputMiddleware`` answers 400 (the Japanese ``400.html``) before any view runs.
  PostgreSQL cannot store a NUL byte, so one would otherwise end in a server error.
- **Dates within a sane range** (1900-01-01 to 2100-12-31): ``SaneDateField`` for forms,
  ``date_param`` for a view reading one date, ``year_param`` for a year.
- **Ids within the database's integer range**: the ``id`` path converter (``<id:client_pk>``)
  matches nothing outside it, so a huge id is a 404; ``id_param`` for a query-string id.

Views answer 400 (``django.core.exceptions.BadRequest``) or 404, never 500, on any input.
"""

import datetime as dt
import re

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, ValidationError
from django.urls import register_converter
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# BigAutoField, the primary key of every model.
ID_MAX = 2**63 - 1

# C0 controls and DEL, except tab, line feed and carriage return (textareas send those).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In a path or a cookie, line breaks and tabs are hostile too.
_CONTROL_STRICT = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(value, *, allow_line_breaks=True):
    pattern = _CONTROL if allow_line_breaks else _CONTROL_STRICT
    return bool(pattern.search(value))


def hostile_part(request):
    """The first part of ``request`` carrying a NUL byte or a control character, or ''."""
    if has_control_characters(request.path, allow_line_breaks=False):
        return "path"
    for name, values in request.GET.lists():
        if has_control_characters(name, allow_line_breaks=False) or any(
            has_control_characters(v) for v in values
        ):
            return "query"
    if any(has_control_characters(v, allow_line_breaks=False) for v in request.COOKIES.values()):
        return "cookie"
    if request.method == "POST":
        for name, values in request.POST.lists():
            if has_control_characters(name, allow_line_breaks=False) or any(
                has_control_characters(v) for v in values
            ):
                return "form"
        # A user name longer than any account's (150) is not a login attempt: the lockout
        # records it in a 255-character column, which PostgreSQL would refuse with a 500.
        if any(len(v) > USERNAME_MAX_LENGTH for v in request.POST.getlist("username")):
            return "form"
    return ""


USERNAME_MAX_LENGTH = 150


class RefuseHostileInputMiddleware:
    """400 for a NUL byte or a control character anywhere a view could read it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = hostile_part(request)
        if part:
            if part == "cookie":
                # The session cannot be looked up with that cookie; show the page anonymously.
                request.user = AnonymousUser()
            raise BadRequest(f"control character in the request's {part}")
        return self.get_response(request)


def safe_next(request, *, fallback):
    """The ``next`` parameter when it points into this site (same host, same scheme), else
    ``fallback`` (a URL name or path): a link can never send the user to another site."""
    return safe_url(request, request.POST.get("next") or request.GET.get("next"), fallback=fallback)


def safe_url(request, target, *, fallback):
    """``target`` (a ``next`` parameter, a referer) when it points into this site (same host,
    same scheme), else ``fallback`` (a URL name or path)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def date_problem(value):
    """Why ``value`` (a date) is outside the sane range, or ''."""
    if value is not None and not (DATE_MIN <= value <= DATE_MAX):
        return _("Give a date between %(min)s and %(max)s.") % {
            "min": DATE_MIN.isoformat(),
            "max": DATE_MAX.isoformat(),
        }
    return ""


def validate_sane_date(value):
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="date_out_of_range")


class SaneDateField(forms.DateField):
    """A form's date, refused outside 1900–2100 (Python accepts 0001-01-01 to 9999-12-31, which
    the time-zone arithmetic and PostgreSQL do not)."""

    default_validators = [validate_sane_date]


def sane_formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` of a ModelForm: its date fields are ``SaneDateField``."""
    from django.db import models

    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", SaneDateField)
    return db_field.formfield(**kwargs)


def validate_sane_datetime(value):
    validate_sane_date(value.date() if value is not None else None)


def date_param(value):
    """A query-string date (YYYY-MM-DD) in the sane range; None when blank; else 400."""
    if not value:
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest("not a date") from exc
    if date_problem(date):
        raise BadRequest("date out of range")
    return date


def month_param(value, *, default):
    """A query-string month (YYYY-MM, ``core.calendar.Month``) in the sane range, or ``default``."""
    from core.calendar import Month

    try:
        month = Month.parse(value or "")
    except ValueError:
        return default
    return default if date_problem(month.first_day) else month


def year_param(value, *, default=None):
    """A query-string year in the sane range; ``default`` when blank or invalid."""
    if value and re.fullmatch(r"\d{4}", value) and DATE_MIN.year <= int(value) <= DATE_MAX.year:
        return int(value)
    return default


def id_param(value):
    """A query-string id (1 to the database's largest) or None."""
    if value and re.fullmatch(r"\d{1,19}", value) and 0 < int(value) <= ID_MAX:
        return int(value)
    return None


EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_ENCODINGS = ("utf-8", "cp932")


def export_format_param(query):
    """The download of a list export, from ``?format=csv|xlsx&encoding=utf-8|cp932`` (both
    optional: CSV in UTF-8 with BOM by default; the encoding matters only for CSV), as a key of
    ``core.tabular.downloads.CONTENT_TYPES``: "csv", "csv-cp932" or "xlsx". Else 400."""
    fmt = query.get("format") or "csv"
    encoding = (query.get("encoding") or "utf-8").lower()
    if fmt not in EXPORT_FORMATS or encoding not in EXPORT_ENCODINGS:
        raise BadRequest("unknown export format or encoding")
    if fmt == "csv" and encoding == "cp932":
        return "csv-cp932"
    return fmt


def export_filters(query):
    """The query string of an export without its format parameters: the page's filters, as the
    audit event records them."""
    filters = query.copy()
    for name in ("format", "encoding", "page"):
        filters.pop(name, None)
    return filters.urlencode()


class IdConverter:
    """``<id:name>``: a positive id the database can hold; anything else matches nothing (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if not 0 < number <= ID_MAX:
            raise ValueError("id out of range")
        return number

    def to_url(self, value):
        return str(value)


class YearConverter:
    """``<year:name>``: a four-digit year in the sane range."""

    regex = "[0-9]{4}"

    def to_python(self, value):
        number = int(value)
        if not DATE_MIN.year <= number <= DATE_MAX.year:
            raise ValueError("year out of range")
        return number

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthNumberConverter:
    """``<month:name>``: 1 to 12."""

    regex = "[0-9]{1,2}"

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= 12:
            raise ValueError("no such month")
        return number

    def to_url(self, value):
        return str(int(value))


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
register_converter(MonthNumberConverter, "month")
