"""The navigation bar: each app registers its entries once, and who sees them.

The day's pages stand in the bar by themselves; the others are grouped (``GROUPS``) into a few
menus, so that a manager's bar keeps one line on a desk (issue 22).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import pgettext_lazy

# The menus of the bar, in the order they appear after the entries of the same order.
GROUPS = {
    "records": pgettext_lazy("menu", "Records"),
    "figures": pgettext_lazy("menu", "Figures and billing"),
    "management": pgettext_lazy("menu", "Management"),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    visible: object  # callable(user) -> bool
    group: str = ""


_ITEMS = []


def register(label, url_name, *, order=50, visible=None, group=""):
    """An entry of the bar (``group``: one of ``GROUPS``, or none for an entry of its own)."""
    if group and group not in GROUPS:
        raise ValueError(f"unknown menu group {group!r}")
    _ITEMS.append(NavItem(label, url_name, order, visible or (lambda user: True), group))
    _ITEMS.sort(key=lambda item: item.order)


def items_for(user):
    """The bar's entries for ``user``: an entry is ``{"label", "url", "url_name"}``, or a menu
    ``{"label", "group", "children": [entries], "url_names": {…}}`` standing where its first
    entry would."""
    if not user.is_authenticated:
        return []
    entries = []
    menus = {}
    for item in _ITEMS:
        if not item.visible(user):
            continue
        entry = {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        if not item.group:
            entries.append(entry)
            continue
        menu = menus.get(item.group)
        if menu is None:
            menu = {"label": GROUPS[item.group], "group": item.group, "children": []}
            menus[item.group] = menu
            entries.append(menu)
        menu["children"].append(entry)
    for menu in menus.values():
        menu["url_names"] = {child["url_name"] for child in menu["children"]}
    return entries
