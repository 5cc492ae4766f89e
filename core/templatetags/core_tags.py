from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from core.names import staff_display_name

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters across pages)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def person_name(user):
    """A staff member's name, family name first (``core.names``), or the login name."""
    return staff_display_name(user)


@register.filter
def bar_width(percent):
    """The class giving a progress bar ``percent`` % of its width (static/css/bars.css): whole
    percent, rounded half up, held within 0–100. A class, not an inline style, for the
    Content-Security-Policy."""
    try:
        value = Decimal(str(percent)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        value = Decimal(0)
    if not value.is_finite():
        value = Decimal(0)
    return f"bar-w-{min(max(int(value), 0), 100)}"
