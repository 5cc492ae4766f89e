"""The navigation bar: each app registers its entries once, and who sees them."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    visible: object  # callable(user) -> bool


_ITEMS = []


def register(label, url_name, *, order=50, visible=None):
    _ITEMS.append(NavItem(label, url_name, order, visible or (lambda user: True)))
    _ITEMS.sort(key=lambda item: item.order)


def items_for(user):
    if not user.is_authenticated:
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in _ITEMS
        if item.visible(user)
    ]
