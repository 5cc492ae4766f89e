"""Dates as pages show them, all through ``core.calendar``.

``date_style`` (from ``core.context_processors.date_style``) is the user's preference: the
Western calendar (2024年4月1日) or the era calendar (令和6年4月1日). Without it a filter uses the
request's active style (``core.calendar.activate_date_style``). Dates a machine reads stay ISO
(``<input type="date">`` values, URLs, data attributes): those keep ``|date:"Y-m-d"``.
"""

import datetime as dt

from django import template

from core import calendar

register = template.Library()


@register.filter
def wareki(value):
    """``{{ day|wareki }}`` → 令和6年4月1日; blank for no date, ISO for a day before 明治."""
    if not value:
        return ""
    try:
        return calendar.wareki(value)
    except ValueError:
        return value.isoformat()


@register.simple_tag
def ending_soon_days():
    """``{% ending_soon_days as days %}``: the days ahead that count as "ending soon"."""
    return calendar.ENDING_SOON_DAYS


def _era(style):
    """``date_style`` → the era calendar or not; no style: the request's active one."""
    return None if not style else str(style) == "wareki"


@register.filter
def display_date(value, style=None):
    """``{{ day|display_date:date_style }}``: 2024年4月1日, or 令和6年4月1日 for a user who chose
    the era calendar (``core.models.UserPreference``). A datetime is read in Japan time. Blank
    for no date."""
    if not value:
        return ""
    return calendar.display_date(value, era=_era(style))


@register.filter
def display_datetime(value, style=None):
    """``{{ instant|display_datetime:date_style }}``: 2024年4月1日 09:05 (or 令和6年4月1日 09:05)
    in Japan time; also for an instant kept as ISO text (a revision's snapshot). Blank for no
    time."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return calendar.display_datetime(value, era=_era(style))


@register.filter
def display_date_weekday(value, style=None):
    """``{{ day|display_date_weekday:date_style }}``: 2024年4月1日（月）. Blank for no date."""
    if not value:
        return ""
    return calendar.display_date(value, era=_era(style), weekday=True)


@register.filter
def display_datetime_weekday(value, style=None):
    """``{{ instant|display_datetime_weekday:date_style }}``: 2024年4月1日（月）09:05 in Japan
    time. Blank for no time."""
    if not value:
        return ""
    return calendar.display_datetime(value, era=_era(style), weekday=True)


@register.filter
def short_date(value):
    """``{{ day|short_date }}`` → 4月1日: a day whose year the page makes plain (a month's
    list, today's entries). Blank for no date."""
    return calendar.short_date(value) if value else ""


@register.filter
def short_datetime(value):
    """``{{ instant|short_datetime }}`` → 4月1日 09:05 in Japan time. Blank for no time."""
    return calendar.short_datetime(value) if value else ""


@register.filter
def weekday(value):
    """``{{ day|weekday }}`` → 月 … 日 (曜日); blank for no date."""
    return calendar.weekday_label(value) if value else ""


@register.filter
def month_label(month, style=None):
    """``{{ month|month_label:date_style }}`` for a ``core.calendar.Month`` (or a date in the
    month): 2024年4月 or 令和6年4月."""
    if not month:
        return ""
    return calendar.month_label(month.year, month.month, era=_era(style))


@register.simple_tag
def service_limit(service_start, service_end, today):
    """``{% service_limit start end today as limit %}``: the 3-year limit as a page shows it
    (``core.calendar.ServiceLimit``), or None without a service start."""
    if not service_start:
        return None
    return calendar.service_limit(service_start, service_end, today=today)


@register.filter
def age(birth_date):
    """Age in whole years today (Japan time); blank without a birth date."""
    if not birth_date:
        return ""
    return calendar.age_on(birth_date, calendar.today())
