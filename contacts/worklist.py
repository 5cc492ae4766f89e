"""The worklist: what a staff member should do about their people today.

Four kinds of item, all for the people the staff member is in charge of (plus follow-ups they set
themselves on anyone):
- no face-to-face contact with the person yet this month (the billing rule of DESIGN 5.4);
- follow-ups due today or overdue;
- service ending soon: within 90 days, by the recorded end or the 3-year limit (core.calendar);
- awaiting re-employment: retained only provisionally (clients.retention, DESIGN 4.2) until the
  month after a supported job change runs out; the new job must be recorded by then.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q

from clients.models import Client
from clients.retention import awaiting_reemployment
from contacts import hooks
from contacts.face_to_face import met_in_month
from contacts.models import Contact
from core import calendar
from core.calendar import Month
from core.lookups import InArray


@dataclass
class Worklist:
    today: dt.date
    no_face_to_face: list = field(default_factory=list)  # [Client]
    follow_ups: list = field(default_factory=list)  # [Contact]
    service_ending: list = field(default_factory=list)  # [Client] with .effective_end
    awaiting_reemployment: list = field(default_factory=list)  # [Client] with .month_runs_out
    sections: list = field(default_factory=list)  # [hooks.WorklistSection] of other apps

    @property
    def days_left_in_month(self):
        """Days left this month to meet the people not yet met, today included."""
        return (Month.of(self.today).last_day - self.today).days + 1

    @property
    def people(self):
        """Everyone the worklist names, in the order shown."""
        return [
            *self.no_face_to_face,
            *(contact.client for contact in self.follow_ups),
            *self.service_ending,
            *self.awaiting_reemployment,
            # A section's items need not be people (the certificates' are decision periods):
            # its rows name the person of each item.
            *(client for section in self.sections for client, _due, _note in section.rows),
        ]

    @property
    def count(self):
        return (
            len(self.no_face_to_face)
            + len(self.follow_ups)
            + len(self.service_ending)
            + len(self.awaiting_reemployment)
            + sum(len(section.items) for section in self.sections)
        )


def clients_without_face_to_face(clients, *, month):
    """People in service during ``month`` with no face-to-face contact with them in it."""
    return clients.in_service_between(month.first_day, month.last_day).exclude(met_in_month(month))


def follow_ups_due(contacts, *, today):
    return contacts.open_follow_ups().filter(next_follow_up__lte=today)


def clients_ending_service(clients, *, today):
    return clients.filter(calendar.ending_soon_q(today=today))


def by_effective_end(clients):
    """The clients, each with ``effective_end`` set, soonest end first."""
    clients = list(clients)
    for client in clients:
        client.effective_end = calendar.effective_end(client.service_start, client.service_end)
    return sorted(clients, key=lambda client: (client.effective_end, client.client_code))


def clients_awaiting_reemployment(clients, *, today):
    """The clients retained only provisionally, each with ``month_runs_out`` set, soonest first."""
    due = awaiting_reemployment(clients, as_of=today)
    found = list(Client.objects.filter(pk__in=due).select_related("office"))
    for client in found:
        client.month_runs_out = due[client.pk]
    return sorted(found, key=lambda client: (client.month_runs_out, client.client_code))


def my_follow_ups_due(*, user, today):
    """Follow-ups due for ``user``: on the people in their charge, and those they set themselves
    on anyone they may see. Both conditions are on the contacts' own columns (the person among
    those in their charge, ``core.lookups.InArray``; the staff member), so PostgreSQL serves
    them from the contacts' indexes (the people's open follow-ups, the staff member's contacts),
    and one query is built instead of a UNION of two: an ``OR`` across contacts and their
    clients' rows made it read every open follow-up of the country."""
    in_charge = InArray(
        "client_id", Client.objects.filter(staff_in_charge=user).order_by().values("pk")
    )
    return follow_ups_due(
        Contact.objects.visible_to(user).filter(in_charge | Q(staff=user)), today=today
    )


def worklist_for(*, user, today, clients=None, contacts=None):
    """The worklist of ``user``: by default the people they are in charge of.

    ``clients``/``contacts`` narrow or widen the set (e.g. a whole office for a manager); callers
    pass querysets already scoped to what the user may see.
    """
    if clients is None:
        clients = Client.objects.visible_to(user).filter(staff_in_charge=user)
    if contacts is None:
        follow_ups = my_follow_ups_due(user=user, today=today)
    else:
        follow_ups = follow_ups_due(contacts, today=today)
    month = Month.of(today)
    return Worklist(
        today=today,
        no_face_to_face=list(
            clients_without_face_to_face(clients, month=month)
            .annotate(
                last_contact_at=Max(
                    "contacts__contacted_at", filter=Q(contacts__deleted_at__isnull=True)
                )
            )
            .select_related("office")
            .order_by("service_start", "client_code")
        ),
        follow_ups=list(
            follow_ups.select_related("client", "client__office", "staff").order_by(
                "next_follow_up", "contacted_at"
            )
        ),
        service_ending=by_effective_end(
            clients_ending_service(clients, today=today).select_related("office")
        ),
        awaiting_reemployment=clients_awaiting_reemployment(clients, today=today),
        sections=hooks.worklist_sections(user=user, clients=clients, today=today),
    )
