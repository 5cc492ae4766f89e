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
