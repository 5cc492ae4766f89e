"""What the contact pages and their exports read (the views parse the request and render)."""

import datetime as dt

from clients.models import person_search_q
from contacts.models import Contact, Notification
from core.calendar import JST
from offices.scoping import scoped


def contacts_found(*, user, filters=None):
    """The contacts ``user`` may see, filtered by the history's filters (``ContactFilterForm``'s
    cleaned data; None: live contacts only), with client, office and staff loaded."""
    contacts = scoped(Contact, user).select_related("client", "client__office", "staff")
    if filters is None:
        return contacts.live()
    if not filters["deleted"]:
        contacts = contacts.live()
    if filters["q"]:
        contacts = contacts.filter(person_search_q(filters["q"], prefix="client__"))
    if filters["method"]:
        contacts = contacts.filter(method=filters["method"])
    if filters["counterpart"]:
        contacts = contacts.filter(counterpart=filters["counterpart"])
    if filters["staff"]:
        contacts = contacts.filter(staff=filters["staff"])
    if filters["date_from"]:
        contacts = contacts.filter(
            contacted_at__gte=dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=JST)
        )
    if filters["date_to"]:
        contacts = contacts.filter(
            contacted_at__lt=dt.datetime.combine(
                filters["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=JST
            )
        )
    return contacts


def notifications_of(user):
    """The user's own notifications, within the offices the user may see."""
    return scoped(Notification.objects.filter(user=user), user)
