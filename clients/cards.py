"""The retention card, prepared once per office in Python: every string it shows (translated,
numbers formatted, links reversed), so that a page of a hundred offices renders plain text
instead of some forty template lookups, filters and translations per office.

The card's markup is ``clients/_retention_cards.html`` (one include per page, looping over the
cards). The wording is the catalogue's: the same message ids the templates used. The office
retention page's table of users is prepared the same way (``user_rows``).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import pgettext

from core import calendar

# Translations looked up once per language and message, not once per card (the catalogue's
# lookup is a few tens of microseconds; a page of a hundred offices asked it 2,500 times).
_translated = {}


def _(message):
    key = (translation.get_language(), message)
    if key not in _translated:
        _translated[key] = translation.gettext(message)
    return _translated[key]


def ngettext(singular, plural, number):
    key = (translation.get_language(), singular, plural, number)
    if key not in _translated:
        _translated[key] = translation.ngettext(singular, plural, number)
    return _translated[key]


def plain_number(number):
    """A number as the page shows it: no thousands separator, a Decimal in full."""
    return format(number, "f") if isinstance(number, Decimal) else str(number)


def grouped(number):
    """An integer with thousands separators (what ``intcomma`` gives in Japanese)."""
    return f"{number:,}"


def whole_percent(value):
    """A percentage bound rounded half up to a whole number (``floatformat:"0"``)."""
    return plain_number(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class RetentionCard:
    office_number: str
    title: str
    period: str
    users: int
    rate: str = ""  # "66.7"
    retained_line: str = ""
    provisional_note: str = ""
    problems_note: str = ""
    tier_line: str = ""  # safe HTML
    no_tier_line: str = ""
    history_note: str = ""
    details_url: str = ""
    outlook: dict = field(default_factory=dict)  # the fee outlook's lines, or {} without one


def retention_card(result, *, outlook=None, month=None, hide_link=False, hide_tier=False):
    """The card of one office's retention ``result`` (``clients.retention``), with its fee
    ``outlook`` in ``month`` (``clients.fees.FeeOutlook``) when given. ``hide_tier``: the page
    shows the tier beside the card already (the office's retention page, once)."""
    period = _("FY%(year)s rate (window %(start)s – %(end)s)") % {
        "year": result.fiscal_year,
        "start": calendar.display_date(result.window_start),
        "end": calendar.display_date(result.reference_date),
    }
    if result.as_of:
        period += " · " + _("as of %(as_of)s") % {"as_of": calendar.display_date(result.as_of)}
    card = RetentionCard(
        office_number=result.office_number,
        title=result.office.name if result.office else result.office_number,
        period=period,
        users=result.users,
    )
    if result.users:
        card.rate = str(result.rate_percent)
        card.retained_line = _("%(retained)s of %(users)s users retained") % {
            "retained": result.retained,
            "users": result.users,
        }
        provisional = len(result.provisional_clients)
        if provisional:
            card.provisional_note = ngettext(
                "%(count)s user is counted as retained provisionally, until the month after a "
                "supported job change runs out.",
                "%(count)s users are counted as retained provisionally, until the month after "
                "a supported job change runs out.",
                provisional,
            ) % {"count": provisional}
        problems = len(result.data_problems)
        if problems:
            card.problems_note = ngettext(
                "%(count)s user has no employment in effect on the service start (a data problem).",
                "%(count)s users have no employment in effect on the service start (a data "
                "problem).",
                problems,
            ) % {"count": problems}
    if result.tier and not hide_tier:
        card.tier_line = format_html(
            _("Fee tier: %(min)s%% or more, <strong>%(units)s units</strong>")
            % {"min": "{}", "units": "{}"},
            whole_percent(result.tier.min_percent),
            grouped(result.tier.units),
        )
    elif result.users and not hide_tier:
        card.no_tier_line = _("No fee-tier table is in force for this fiscal year.")
    if result.short_history:
        card.history_note = ngettext(
            "Caveat: the office has only %(years)s fiscal year of history in the window, so "
            "the rate rests on few users.",
            "Caveat: the office has only %(years)s fiscal years of history in the window, so "
            "the rate rests on few users.",
            result.history_fiscal_years,
        ) % {"years": result.history_fiscal_years}
    if result.office and not hide_link:
        url = reverse("retention_office", kwargs={"office_number": result.office_number})
        card.details_url = f"{url}?fiscal_year={result.fiscal_year}" + (
            f"&month={month}" if month else ""
        )
    if outlook is not None:
        card.outlook = _outlook_lines(outlook)
    return card


def _outlook_lines(outlook):
    """The fee outlook of the card (``billing/_fee_outlook.html`` without the office's
    billable person-months, which the corporation page does not show)."""
    fee, distance = outlook.fee, outlook.distance
    # Every key present: a missing one costs the template a slow failed lookup.
    lines = dict.fromkeys(("no_table", "fee", "table", "price", "unverified", "up", "down"), "")
    month = {"month": calendar.month_label(fee.month.year, fee.month.month)}
    if not fee.table:
        lines["no_table"] = _("No fee table is in force in %(month)s.") % month
    elif fee.tier:
        text = format_html(
            _("%(month)s: %(min)s%% or more, <strong>%(units)s units</strong> per person-month")
            % {**month, "min": "{}", "units": "{}"},
            whole_percent(fee.tier.min_percent),
            grouped(fee.tier.units),
        )
        if fee.yen is not None:
            text += format_html(
                ' = <strong class="fee-yen">{}</strong>', _("¥%(yen)s") % {"yen": grouped(fee.yen)}
            )
        lines["fee"] = text
        lines["table"] = _("Fee table in force from %(date)s.") % {
            "date": calendar.display_date(fee.table.effective_from)
        }
        if fee.unit_price:
            lines["price"] = _(
                "Regional grade %(grade)s: ¥%(price)s per unit, rounded down to whole yen."
            ) % {
                "grade": outlook.retention.office.get_regional_grade_display(),
                "price": plain_number(fee.unit_price.yen_per_unit),
            }
        else:
            lines["price"] = _("No unit price is recorded for the office's regional grade.")
        lines["unverified"] = "" if fee.verified else _("Not yet checked against the notice.")
    if distance.up:
        step = distance.up
        text = ngettext(
            "%(people)s more retained: %(min)s%% or more",
            "%(people)s more retained: %(min)s%% or more",
            step.people,
        ) % {"people": step.people, "min": whole_percent(step.tier.min_percent)}
        text += " (" + _("+%(units)s units") % {"units": grouped(step.units_size)}
        if step.yen_size is not None:
            text += ", " + _("+¥%(yen)s per person-month") % {"yen": grouped(step.yen_size)}
        lines["up"] = (text + ")", step.people == 1)
    if distance.down:
        step = distance.down
        text = ngettext(
            "%(people)s separation: below %(min)s%%",
            "%(people)s separations: below %(min)s%%",
            step.people,
        ) % {"people": step.people, "min": whole_percent(step.bound_percent)}
        text += " (" + _("−%(units)s units") % {"units": grouped(step.units_size)}
        if step.yen_size is not None:
            text += ", " + _("−¥%(yen)s per person-month") % {"yen": grouped(step.yen_size)}
        lines["down"] = (text + ")", step.people == 1)
    return lines


def url_maker(name, key):
    """``reverse(name, kwargs={key: value})`` for many values at the cost of one ``reverse``: the
    URL reversed once with a placeholder, the value put in per row."""
    placeholder = 987654321987654321  # an id no row has, reversed by the ``id`` converter
    prefix, suffix = reverse(name, kwargs={key: placeholder}).split(str(placeholder))
    return lambda value: f"{prefix}{value}{suffix}"


@dataclass(frozen=True)
class UserRow:
    """One row of the office retention page's table of users, as the page shows it."""

    url: str
    name: str
    code: str
    badge_class: str
    badge: str
    reason: str
    period: str  # "2024年4月1日 – 2025年3月31日" (an open end shows nothing after the dash)
    limit_shown: bool  # whether the phone shows the 3-year limit under the name
    limit: str  # clients/_service_limit.html for the row, safe HTML


def _day(value):
    """A date as the page shows it, in the request's date style; nothing for none."""
    return calendar.display_date(value) if value else ""


def user_rows(result, *, today):
    """The table of the users in the window of one office's retention ``result``: links
    reversed once, words translated once per page, dates in the user's style, each row's
    3-year limit (``clients/_service_limit.html``) rendered once for its two places."""
    from django.template.loader import get_template

    from clients.retention import Reason

    client_url = url_maker("client_detail", "client_pk")
    limit_template = get_template("clients/_service_limit.html")
    badges = {
        "provisional": ("text-bg-warning", _("retained (provisional)")),
        "retained": ("text-bg-success", _("retained")),
        "not_retained": ("text-bg-danger", _("not retained")),
    }
    reasons = {}
    rows = []
    for row in result.clients:
        if row.reason not in reasons:
            reasons[row.reason] = str(Reason(row.reason).label)
        badge_class, badge = badges[
            "provisional" if row.provisional else "retained" if row.retained else "not_retained"
        ]
        limit = (
            calendar.service_limit(row.service_start, row.service_end, today=today)
            if row.service_start
            else None
        )
        rows.append(
            UserRow(
                url=client_url(row.client_pk),
                name=row.full_name,
                code=row.client_code,
                badge_class=badge_class,
                badge=badge,
                reason=reasons[row.reason],
                period=f"{_day(row.service_start)} – {_day(row.service_end)}",
                limit_shown=bool(limit and limit.shown),
                # No date style given: the filters use the request's (core.date_style).
                limit=limit_template.render({"limit": limit, "date_style": ""}),
            )
        )
    return rows


def labels():
    """The words every card shares, translated once per page."""
    return {
        "provisional": pgettext("retention", "provisional"),
        "projection": _("projection"),
        "no_users": _("No users in the window."),
        "details": _("Details"),
        "rate": _("Retention rate"),
        "limit": _("3-year limit"),
    }
