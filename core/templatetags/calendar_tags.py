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
