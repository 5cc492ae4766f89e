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
    return str(style or "") == "wareki"


@register.filter
def display_date(value, style=None):
    """``{{ day|display_date:date_style }}``: 2024年4月1日, or 令和6年4月1日 for a user who chose
    the era calendar (``core.models.UserPreference``). Blank for no date."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = value.astimezone(calendar.JST).date() if value.tzinfo else value.date()
    if _era(style):
        return wareki(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def weekday(value):
    """``{{ day|weekday }}`` → 月 … 日 (曜日); blank for no date."""
    return calendar.weekday_label(value) if value else ""


@register.filter
def month_label(month, style=None):
    """``{{ month|month_label:date_style }}`` for a ``core.calendar.Month``: 2024年4月 or
    令和6年4月."""
    return calendar.month_label(month.year, month.month, era=_era(style))


@register.filter
def age(birth_date):
    """Age in whole years today (Japan time); blank without a birth date."""
    if not birth_date:
        return ""
    return calendar.age_on(birth_date, calendar.today())
