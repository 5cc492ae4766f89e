"""Template helpers: a person's recent contacts, and charts drawn as inline SVG on the server."""

from django import template
from django.utils.translation import gettext

from contacts.models import Contact
from core.calendar import month_label
from core.names import staff_display_name

register = template.Library()


@register.simple_tag
def recent_contacts(client, limit=5):
    """The latest live contacts of ``client`` (the caller has already been allowed the client)."""
    return list(
        Contact.objects.live()
        .filter(client=client)
        .select_related("staff")
        .order_by("-contacted_at", "-pk")[:limit]
    )


@register.simple_tag
def unshared_report_months(client, months=12):
    """The last ``months`` months (up to this one) with service but no report shared with them."""
    from contacts.reports import unshared_months
    from core import calendar
    from core.calendar import Month

    until = Month.of(calendar.today())
    since = until
    for _i in range(months - 1):
        since = since.previous()
    return [m for m in unshared_months(client=client, until=until) if m >= since]


BAR_HEIGHT = 14
ROW_GAP = 10
LABEL_WIDTH = 280
CHART_WIDTH = 640


def _plain(number):
    """A Decimal as the chart writes it (in full, no localisation)."""
    return format(number, "f")


@register.inclusion_tag("contacts/_mix_chart.svg")
def method_mix_chart(rows, title=""):
    """Horizontal bars of each method's share; a thin grey bar under it for the national mix.
    Every value written here once (the template only places them)."""
    has_national = any(row.national_percent is not None for row in rows)
    row_height = BAR_HEIGHT * (2 if has_national else 1) + ROW_GAP
    scale = (CHART_WIDTH - LABEL_WIDTH - 60) / 100
    bars = []
    for index, row in enumerate(rows):
        y = index * row_height + 4
        bars.append(
            {
                "label": str(row.label),
                "percent": _plain(row.percent),
                "national": (
                    None if row.national_percent is None else _plain(row.national_percent)
                ),
                "y": y,
                "text_y": y + BAR_HEIGHT - 3,
                "width": round(float(row.percent) * scale, 1),
                "national_y": y + BAR_HEIGHT,
                "national_width": round(float(row.national_percent or 0) * scale, 1),
                "value_x": LABEL_WIDTH + round(float(row.percent) * scale, 1) + 4,
            }
        )
    return {
        "bars": bars,
        "title": title,
        "width": CHART_WIDTH,
        "height": len(rows) * row_height + 8,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 6,
        "bar_height": BAR_HEIGHT,
        "national_height": BAR_HEIGHT - 6,
        "national_label": gettext("National"),
    }


@register.inclusion_tag("contacts/_compliance_chart.svg")
def compliance_chart(months, date_style=None):
    """Vertical bars: the share of active people met face to face, month by month, labelled as
    the user reads months: 4月, with the year (2024年 or 令和6年) under the first bar and each
    January. Every value written here once (the template only places them)."""
    width_per_month = 46
    plot_height = 140
    era = str(date_style) == "wareki"
    bars = []
    for index, month in enumerate(months):
        height = round(float(month.percent) * plot_height / 100, 1)
        x = index * width_per_month + 40
        first = index == 0 or month.month.month == 1
        label = f"{month.month.month}月"
        year_label = (
            month_label(month.month.year, month.month.month, era=era).split("年")[0] + "年"
            if first
            else ""
        )
        bars.append(
            {
                "label": label,
                "year_label": year_label,
                "title": f"{year_label}{label}: {month.met}/{month.active_clients}",
                "fill": "#fd7e14" if month.missing else "#198754",
                "percent": _plain(month.percent),
                "x": x,
                "label_x": x + (width_per_month - 8) / 2,
                "y": 10 + plot_height - height,
                "height": height,
                "width": width_per_month - 8,
                "value_y": 10 + plot_height - height - 3,
            }
        )
    half = 10 + plot_height / 2
    return {
        "bars": bars,
        "width": max(len(months), 1) * width_per_month + 50,
        "height": plot_height + 54,
        "axis_y": 10 + plot_height,
        "label_y": plot_height + 26,
        "year_y": plot_height + 26 + 13,
        "top": 10,
        "top_text_y": 10 + 4,
        "half": half,
        "half_text_y": int(half) + 4,
    }


@register.filter
def staff_name(user):
    """A staff member's name family name first (``core.names``), a dash for nobody."""
    return staff_display_name(user) or "—"
