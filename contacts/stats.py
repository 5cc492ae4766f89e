"""Contact statistics (DESIGN 5.4): method and counterpart mix, client groups, and the monthly
face-to-face compliance that billing needs.

The contacts are counted in the database (per person, then added up by the persons' groups here;
the people in service and the people met per month are decided by the one rule of each:
``clients.models.in_service_during`` and ``contacts.face_to_face``); periods and months are
Japanese calendar days and months (a contact at 23:30 JST on 31 March belongs to March whatever
the server's time zone).
Percentages come from ``core.numbers.percent`` only.

The same functions feed the manager page, the home overview and ``manage.py contact_stats``.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth

from clients.models import Client, Origin, in_service_during, in_service_q
from contacts.face_to_face import meeting_q, met_in_month
from contacts.models import Contact
from core.calendar import JST, Month, day_range, months_between
from core.lookups import InArray
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
    # The rows the figures were counted from (``contact_stats``: its people and the people met
    # each month), for ``people_not_met`` on the same page to name the people not met without
    # reading them again. Not a figure: left out of comparisons and the JSON.
    rows: object = field(default=None, repr=False, compare=False)

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
    """Live contacts of the offices' clients between two JST dates, both included, for a query
    that joins them to their clients.

    Both tables are restricted to the offices: the clients by their office (the office index),
    the contacts from those clients (``of_clients``); a join that restricted only the contacts
    made PostgreSQL read every client in the country, and a plain join every contact of a
    smaller one."""
    return _contacts_of(offices, date_from, date_to).filter(client__office__in=offices)


def _contacts_of(offices, date_from, date_to):
    """Live contacts of the offices' clients between two JST dates, read from the contacts alone
    (``of_clients``)."""
    start, end = day_range(date_from, date_to)
    return Contact.objects.live().filter(
        of_clients(offices), contacted_at__gte=start, contacted_at__lt=end
    )


def of_clients(offices):
    """Contacts of the offices' clients, reached from the clients (their office index, then the
    contacts' ``(client, contacted_at)`` index: ``core.lookups.InArray``), however small or large
    the country's tables are."""
    return InArray("client_id", Client.objects.filter(office__in=offices).order_by().values("pk"))


def _as_date(value):
    """A truncated month as a date (PostgreSQL gives a datetime where the expression compares
    with a datetime)."""
    return value.date() if hasattr(value, "date") else value


def _shares(counts):
    total = sum(counts.values())
    return {code: Share(n, percent(n, total)) for code, n in counts.items()}


def _compliance_counts(*, offices, month, among=None):
    """Active and met clients of ``month`` (the billing rule), as a queryset to aggregate.
    ``among``: a condition restricting the meetings read (``met_in_month``)."""
    active = Client.objects.filter(office__in=offices).in_service_between(
        month.first_day, month.last_day
    )
    return active, {
        "active": Count("pk"),
        # The clients are read alone: each once.
        "met": Count("pk", filter=met_in_month(month, among=among)),
    }


def face_to_face_compliance(*, offices, month):
    """How many people in service during ``month`` met a staff member face to face in it.

    Active: the service period overlaps the month. Met: ``contacts.face_to_face.met_in_month``.
    """
    active, counts = _compliance_counts(offices=offices, month=month)
    counts = active.aggregate(**counts)
    return MonthCompliance(month=month, active_clients=counts["active"], met=counts["met"])


def face_to_face_compliance_by_office(*, offices, month):
    """``face_to_face_compliance`` of each office separately, in one query: {office pk: …}.

    The meetings are read only among the offices' own clients (``of_clients``): for a
    corporation's hundred offices PostgreSQL hashed the whole country's meetings of the month
    (24,000 contacts, 12.7 ms on the national set; 2.4 ms now). One office's count probes each
    person's meetings and needs no such restriction (it would cost it a subquery)."""
    active, counts = _compliance_counts(offices=offices, month=month, among=of_clients(offices))
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


def _people(offices):
    """Every person of the offices, as the statistics group them: {client id: (origin,
    plan_type, service_start, service_end)}, in one query of the offices' rows."""
    return {
        row[0]: row[1:]
        for row in Client.objects.filter(office__in=offices)
        .with_origin()
        .order_by()
        .values_list("pk", "origin", "plan_type", "service_start", "service_end")
    }


def _contacts_by_person(*, offices, date_from, date_to):
    """Each person's live contacts between two JST dates, counted by method, counterpart and
    face-to-face: [(client id, method, counterpart, face_to_face, n)], reading the contacts
    alone (no join: the persons' groups come from ``_people``)."""
    return (
        _contacts_of(offices, date_from, date_to)
        .order_by()
        .values_list("client_id", "method", "counterpart", "face_to_face")
        .annotate(n=Count("pk"))
    )


def _meetings_by_month(*, offices, months):
    """The people met face to face in each month: [(the month's first day, client id)], each
    pair once, reading the contacts alone. Each contact is placed in its Japanese month by one
    expression (``TruncMonth`` in Japan time, so the months are Japan's whatever the server's or
    the database's time zone): the query is the same whatever the number of months."""
    if not months:
        return []
    return (
        Contact.objects.live()
        .filter(
            meeting_q(),
            of_clients(offices),
            contacted_at__gte=months[0].bounds()[0],
            contacted_at__lt=months[-1].bounds()[1],
        )
        .annotate(month=TruncMonth("contacted_at", tzinfo=JST, output_field=DateField()))
        .order_by()
        .values_list("month", "client_id")
        .distinct()
    )


def contact_stats(*, offices, date_from, date_to):
    """Every figure of DESIGN 5.4 for an office (or all the offices of a corporation).

    Three queries whatever the length of the period, each reading only the offices' rows: their
    people, their contacts counted by person, and the people met each month. The contacts are
    read alone, from the people's ids (``of_clients``), so no plan joins them to the country's
    clients or offices; the persons' counts are added up by their groups in
    ``assemble_contact_stats``.
    """
    months = months_between(date_from, date_to)
    people = _people(offices)
    meetings = list(_meetings_by_month(offices=offices, months=months))
    contacts = list(_contacts_by_person(offices=offices, date_from=date_from, date_to=date_to))
    result = assemble_contact_stats(
        date_from=date_from,
        date_to=date_to,
        months=months,
        people=people,
        contacts=contacts,
        meetings=meetings,
    )
    result.rows = CountedRows(
        offices=offices,
        date_from=date_from,
        date_to=date_to,
        months=tuple(months),
        people=people,
        meetings=meetings,
        contacts=contacts,
    )
    return result


@dataclass(frozen=True)
class CountedRows:
    """What ``contact_stats`` read for ``offices`` (the object it was given, never evaluated
    again here) between ``date_from`` and ``date_to``: the offices' people ({client id:
    (origin, plan_type, service_start, service_end)}), the people met in each of ``months``
    ([(the month's first day, client id)]) and each person's contacts of the period counted
    ([(client id, method, counterpart, face_to_face, n)])."""

    offices: object
    date_from: object
    date_to: object
    months: tuple
    people: dict
    meetings: list
    contacts: list

    def covers(self, *, offices, date_from, date_to):
        """Whether these are the rows of the same offices object and period."""
        return self.offices is offices and (self.date_from, self.date_to) == (date_from, date_to)

    def covers_months(self, *, offices, months):
        """Whether these are the rows of the same offices object, read for (at least) ``months``."""
        return self.offices is offices and set(months) <= set(self.months)


def _contact_counts(contacts, people):
    """{(method, counterpart, face_to_face, origin, plan_type): n} from each person's counts."""
    counted = {}
    for client_id, method, counterpart, face_to_face, n in contacts:
        origin, plan_type = people[client_id][:2]
        key = (method, counterpart, face_to_face, origin, plan_type)
        counted[key] = counted.get(key, 0) + n
    return counted


def _client_counts(people, *, date_from, date_to, months):
    """People by origin and plan type: those in service during the period and those in service
    during each month (``in_service_during``). {(origin, plan_type): (period, [month, …])}."""
    found = {}
    spans = [(m.first_day, m.last_day) for m in months]
    for origin, plan_type, start, end in people.values():
        in_period = in_service_during(start, end, date_from, date_to)
        by_month = [in_service_during(start, end, first, last) for first, last in spans]
        if in_period or any(by_month):
            period, counts = found.setdefault((origin, plan_type), [0, [0] * len(months)])
            found[(origin, plan_type)][0] = period + in_period
            for index, counted in enumerate(by_month):
                counts[index] += counted
    return {key: (period, counts) for key, (period, counts) in found.items()}


def _met_by_month(meetings, people, months):
    """How many people in service during each month met a staff member face to face in it (the
    billing rule of ``face_to_face_compliance``): a meeting counts when its person's service
    overlaps its month. [met, …]."""
    spans = {m.first_day: (index, m.last_day) for index, m in enumerate(months)}
    met = [0] * len(months)
    for first_day, client_id in meetings:
        first_day = _as_date(first_day)
        index, last_day = spans[first_day]
        if in_service_during(*people[client_id][2:], first_day, last_day):
            met[index] += 1
    return met


def assemble_contact_stats(*, date_from, date_to, months, people, contacts, meetings):
    """ContactStats from plain data: ``people`` ({client id: (origin, plan_type, service_start,
    service_end)}), ``contacts`` ([(client id, method, counterpart, face_to_face, n)]) and
    ``meetings`` ([(the month's first day, client id)]), as ``contact_stats``' three queries
    give them (so can hand-written SQL)."""
    counted = _contact_counts(contacts, people)
    clients = _client_counts(people, date_from=date_from, date_to=date_to, months=months)
    met = _met_by_month(meetings, people, months)

    def contact_count(code_of, codes, group=None):
        found = {}
        for key, n in counted.items():
            if group is None or group in key[3:]:
                found[code_of(key)] = found.get(code_of(key), 0) + n
        return {code: found.get(code, 0) for code in codes}

    by_method = contact_count(lambda key: key[0], ContactMethod.values)
    return ContactStats(
        date_from=date_from,
        date_to=date_to,
        contacts=sum(by_method.values()),
        by_method=_shares(by_method),
        by_counterpart=_shares(contact_count(lambda key: key[1], Counterpart.values)),
        face_to_face=sum(n for key, n in counted.items() if key[2]),
        by_group={
            group: GroupStats(
                clients=sum(period for key, (period, _m) in clients.items() if group in key),
                contacts=sum(n for key, n in counted.items() if group in key[3:]),
                by_method=contact_count(lambda key: key[0], ContactMethod.values, group),
            )
            for group in GROUPS
        },
        monthly_face_to_face=[
            MonthCompliance(
                month=month,
                active_clients=sum(by_month[index] for _period, by_month in clients.values()),
                met=met[index],
            )
            for index, month in enumerate(months)
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


def people_not_met(*, offices, months, counted=None):
    """{month: [client]} of the people in service during each month who were not met face to
    face in it (the billing rule of ``face_to_face_compliance``), ordered by reading.

    Three queries whatever the number of months, read as ``contact_stats`` reads its figures:
    the offices' people, the people met each month (``_meetings_by_month``), then the people
    found not met, by name. ``counted``: the ``ContactStats.rows`` of a ``contact_stats`` given
    the same ``offices`` object and these months, whose people and meetings are used instead of
    reading them again (one query then).
    (One query with a boolean column per month built and compiled a subquery per month: most of
    the statistics page's cost for twelve months.)
    """
    months = list(months)
    missing = {month: [] for month in months}
    if not months:
        return missing
    ordered = sorted(set(months))
    if counted is not None and counted.covers_months(offices=offices, months=ordered):
        people = [(pk, start, end) for pk, (_o, _p, start, end) in counted.people.items()]
        meetings = counted.meetings
    else:
        people = (
            Client.objects.filter(office__in=offices)
            .filter(in_service_q(ordered[0].first_day, ordered[-1].last_day))
            .order_by()
            .values_list("pk", "service_start", "service_end")
        )
        meetings = _meetings_by_month(offices=offices, months=ordered)
    met = {(_as_date(first_day), client_id) for first_day, client_id in meetings}
    not_met = {}  # client id → the months asked for in which they were in service, not met
    for pk, start, end in people:
        for month in months:
            if (month.first_day, pk) not in met and in_service_during(
                start, end, month.first_day, month.last_day
            ):
                not_met.setdefault(pk, []).append(month)
    if not_met:
        for client in (
            Client.objects.filter(pk__in=list(not_met))
            .select_related("office")
            .order_by("family_name_kana", "given_name_kana", "pk")
        ):
            for month in not_met[client.pk]:
                missing[month].append(client)
    return missing
