"""The contact statistics page's tables prepared once in Python, as ``clients.cards`` prepares the
retention cards: numbers formatted as the page shows them, links reversed once, so that the
template renders plain strings instead of looking up, localising and filtering each cell.

The markup stays in ``contacts/stats.html``; the figures are ``contacts.stats``'.
"""

from dataclasses import dataclass

from clients.cards import plain_number, url_maker, whole_percent
from core import calendar
from core.templatetags.core_tags import bar_width
from core.vocab import Counterpart


def _shown(value):
    """A figure as the page shows it: a Decimal in full, nothing as a dash."""
    return "—" if value is None else plain_number(value)


@dataclass(frozen=True)
class MixRow:
    label: str
    count: str
    percent: str
    national: str
    difference: str


def mix_rows(mix):
    """The table of methods beside the national mix (``contacts.stats.method_mix``)."""
    return [
        MixRow(
            label=str(row.label),
            count=str(row.count),
            percent=plain_number(row.percent),
            national=_shown(row.national_percent),
            difference=_shown(row.difference),
        )
        for row in mix
    ]


@dataclass(frozen=True)
class CounterpartRow:
    label: str
    count: str
    percent: str
    rounded: str  # the whole percent of the bar's aria-valuenow
    bar: str  # the bar's width class (``core_tags.bar_width``)


def counterpart_rows(result):
    return [
        CounterpartRow(
            label=str(label),
            count=str(share.count),
            percent=plain_number(share.percent),
            rounded=whole_percent(share.percent),
            bar=bar_width(share.percent),
        )
        for code, label in Counterpart.choices
        for share in (result.by_counterpart[code],)
    ]


@dataclass(frozen=True)
class MonthRow:
    label: str  # 2024年4月, or 令和6年4月 for a user who reads the era calendar
    active: str
    met: str
    percent: str
    missing: bool
    people: list  # [(link, name)] of the people not met face to face


def monthly_rows(result, not_met, *, date_style):
    """The monthly face-to-face compliance, with the people not met in each month
    (``contacts.stats.people_not_met``)."""
    era = str(date_style) == "wareki"
    client_url = url_maker("client_detail", "client_pk")
    rows = []
    for month in result.monthly_face_to_face:
        rows.append(
            MonthRow(
                label=calendar.month_label(month.month.year, month.month.month, era=era),
                active=str(month.active_clients),
                met=str(month.met),
                percent=plain_number(month.percent),
                missing=bool(month.missing),
                people=[
                    (client_url(client.pk), client.full_name)
                    for client in not_met.get(month.month, [])
                ],
            )
        )
    return rows


def group_rows(groups):
    """``[(name, people, contacts, [count per method])]`` of ``[(code, name, GroupStats)]``
    (the methods in the statistics' order, the vocabulary's: the table's header)."""
    return [
        (
            str(name),
            str(group.clients),
            str(group.contacts),
            [str(count) for count in group.by_method.values()],
        )
        for _code, name, group in groups
    ]
