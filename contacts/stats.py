"""Contact statistics (DESIGN 5.4): method and counterpart mix, client groups, and the monthly
face-to-face compliance that billing needs.

Every figure is counted in the database; periods and months are Japanese calendar days and months
(a contact at 23:30 JST on 31 March belongs to March whatever the server's time zone).
Percentages come from ``core.numbers.percent`` only.

The same functions feed the manager page, the home overview and ``manage.py contact_stats``.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef

from clients.models import Client, Origin
from contacts.models import Contact
from contacts.periods import Month, day_range, months_between
from core.numbers import as_json_number, percent
from core.vocab import ContactMethod, Counterpart, PlanType

GROUPS = (
    Origin.OWN_ORG.value,
    Origin.OTHER_ORG.value,
    Origin.UNKNOWN.value,
    PlanType.SELF_PLAN.value,
    PlanType.CONSULTATION_PLAN.value,
)


@dataclass(frozen=True)
class Share:
    count: int
    percent: Decimal

    def as_json(self):
        return {"count": self.count, "percent": as_json_number(self.percent)}


@dataclass(frozen=True)
class GroupStats:
    clients: int
    contacts: int
    by_method: dict  # code → count

    def as_json(self):
        return {"clients": self.clients, "contacts": self.contacts, "by_method": self.by_method}


@dataclass(frozen=True)
class MonthCompliance:
    month: Month
    active_clients: int
    met: int

    @property
    def percent(self):
        return percent(self.met, self.active_clients)

    @property
    def missing(self):
        return self.active_clients - self.met

    def as_json(self):
        return {
            "month": str(self.month),
            "active_clients": self.active_clients,
            "met": self.met,
            "percent": as_json_number(self.percent),
        }


@dataclass
class ContactStats:
    date_from: object
    date_to: object
    contacts: int
    by_method: dict  # code → Share, every method in vocabulary order
    by_counterpart: dict  # code → Share
    face_to_face: int
    by_group: dict = field(default_factory=dict)  # group → GroupStats
    monthly_face_to_face: list = field(default_factory=list)  # [MonthCompliance]

    def as_json(self, *, office_number):
        """The DESIGN 5.4 document of ``contact_stats --format json``."""
        return {
            "office_number": office_number,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "contacts": self.contacts,
            "by_method": {code: share.as_json() for code, share in self.by_method.items()},
            "by_counterpart": {
                code: share.as_json() for code, share in self.by_counterpart.items()
            },
            "face_to_face": self.face_to_face,
            "by_group": {group: stats.as_json() for group, stats in self.by_group.items()},
            "monthly_face_to_face": [m.as_json() for m in self.monthly_face_to_face],
        }


def contacts_in_period(*, offices, date_from, date_to):
    """Live contacts of the offices' clients between two JST dates, both included."""
    start, end = day_range(date_from, date_to)
    return Contact.objects.live().filter(
        client__office__in=offices, contacted_at__gte=start, contacted_at__lt=end
    )


def _counts(queryset, field_name, codes):
    found = dict(
        queryset.order_by()
        .values_list(field_name)
        .annotate(n=Count("pk"))
        .values_list(field_name, "n")
    )
    return {code: found.get(code, 0) for code in codes}


def _shares(counts):
    total = sum(counts.values())
    return {code: Share(n, percent(n, total)) for code, n in counts.items()}


def _clients_of_group(offices, group):
    clients = Client.objects.filter(office__in=offices)
    if group in Origin.values:
        return clients.with_origin().filter(origin=group)
    return clients.filter(plan_type=group)


def group_stats(*, offices, date_from, date_to, group, contacts=None):
    """One client group: its clients in service during the period, and their contacts in it."""
    if contacts is None:
        contacts = contacts_in_period(offices=offices, date_from=date_from, date_to=date_to)
    members = _clients_of_group(offices, group)
    group_contacts = contacts.filter(client__in=members.values("pk"))
    return GroupStats(
        clients=members.in_service_between(date_from, date_to).count(),
        contacts=group_contacts.count(),
        by_method=_counts(group_contacts, "method", ContactMethod.values),
    )


def _compliance_counts(*, offices, month):
    """Active and met clients of ``month`` (the billing rule), as a queryset to aggregate."""
    start, end = month.bounds()
    active = Client.objects.filter(office__in=offices).in_service_between(
        month.first_day, month.last_day
    )
    met_in_month = (
        Contact.objects.live()
        .meeting_the_person()
        .filter(client=OuterRef("pk"), contacted_at__gte=start, contacted_at__lt=end)
    )
    return active, {
        "active": Count("pk"),
        "met": Count("pk", filter=Exists(met_in_month), distinct=True),
    }


def face_to_face_compliance(*, offices, month):
    """How many people in service during ``month`` met a staff member face to face in it.

    Active: the service period overlaps the month. Met: at least one live face-to-face contact
    whose counterpart is the person, inside the month's JST bounds.
    """
    active, counts = _compliance_counts(offices=offices, month=month)
    counts = active.aggregate(**counts)
    return MonthCompliance(month=month, active_clients=counts["active"], met=counts["met"])


def face_to_face_compliance_by_office(*, offices, month):
    """``face_to_face_compliance`` of each office separately, in one query: {office pk: …}."""
    active, counts = _compliance_counts(offices=offices, month=month)
    found = {row["office"]: row for row in active.order_by().values("office").annotate(**counts)}
    return {
        office.pk: MonthCompliance(
            month=month,
            active_clients=found.get(office.pk, {}).get("active", 0),
            met=found.get(office.pk, {}).get("met", 0),
        )
        for office in offices
    }


def methods_by_office(*, offices, date_from, date_to):
    """Contacts by method of each office between two JST dates: {office pk: {code: Share}}."""
    contacts = contacts_in_period(offices=offices, date_from=date_from, date_to=date_to)
    found = {}
    for office_id, method, n in (
        contacts.order_by()
        .values_list("client__office", "method")
        .annotate(n=Count("pk"))
        .values_list("client__office", "method", "n")
    ):
        found.setdefault(office_id, {})[method] = n
    return {
        office.pk: _shares(
            {code: found.get(office.pk, {}).get(code, 0) for code in ContactMethod.values}
        )
        for office in offices
    }


def contact_stats(*, offices, date_from, date_to):
    """Every figure of DESIGN 5.4 for an office (or all the offices of a corporation)."""
    contacts = contacts_in_period(offices=offices, date_from=date_from, date_to=date_to)
    by_method = _counts(contacts, "method", ContactMethod.values)
    return ContactStats(
        date_from=date_from,
        date_to=date_to,
        contacts=sum(by_method.values()),
        by_method=_shares(by_method),
        by_counterpart=_shares(_counts(contacts, "counterpart", Counterpart.values)),
        face_to_face=contacts.filter(face_to_face=True).count(),
        by_group={
            group: group_stats(
                offices=offices,
                date_from=date_from,
                date_to=date_to,
                group=group,
                contacts=contacts,
            )
            for group in GROUPS
        },
        monthly_face_to_face=[
            face_to_face_compliance(offices=offices, month=month)
            for month in months_between(date_from, date_to)
        ],
    )


@dataclass(frozen=True)
class MixRow:
    code: str
    label: str
    count: int
    percent: Decimal
    national_percent: Decimal | None

    @property
    def difference(self):
        if self.national_percent is None:
            return None
        return self.percent - self.national_percent


def method_mix(by_method, *, national_mix=None):
    """Rows for the method-mix table and chart, with a national mix {code: percent} beside.

    ``national_mix`` comes from elsewhere (e.g. the latest closed challenge survey); codes it
    lacks show no comparison.
    """
    national_mix = national_mix or {}
    labels = dict(ContactMethod.choices)
    rows = []
    for code, share in by_method.items():
        national = national_mix.get(code)
        rows.append(
            MixRow(
                code=code,
                label=labels[code],
                count=share.count,
                percent=share.percent,
                national_percent=None if national is None else Decimal(str(national)),
            )
        )
    return rows
