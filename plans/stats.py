"""The comparison the paper asks for (Tables 14 and 15): other-org people with and without a
hand-over from the referring office, and self-plan against consultation-plan people, on contacts
per month, life-side contacts and retention.

Driven from the clients of the given offices (the caller scopes them), in three queries whatever
their number: the people, their contacts, and their employments (``employment_spans``); two on
the statistics page, which hands over the people and contacts its ``contact_stats`` read.
Shown on the contact statistics page and printed by ``contact_stats`` under
``"handover_comparison"`` (listed in the setting ``CONTACT_STATS_SECTIONS``).
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, F, OuterRef

from clients import retention
from clients.models import Client, Origin, in_service_during, in_service_q
from contacts.stats import contacts_in_period
from core.calendar import months_between
from core.numbers import as_json_number, percent, round_half_up
from core.vocab import Counterpart, PlanType

WITH_HANDOVER = "other_org_with_handover"
WITHOUT_HANDOVER = "other_org_without_handover"
GROUPS = (
    WITH_HANDOVER,
    WITHOUT_HANDOVER,
    PlanType.SELF_PLAN.value,
    PlanType.CONSULTATION_PLAN.value,
)
# The life side of support: family, doctors and the consultation-support office (DESIGN 1).
LIFE_COUNTERPARTS = (Counterpart.FAMILY, Counterpart.MEDICAL, Counterpart.CONSULTATION)


@dataclass(frozen=True)
class GroupComparison:
    clients: int = 0  # in service during the period
    client_months: int = 0  # months of the period each was in service, summed
    contacts: int = 0
    life_contacts: int = 0
    retained: int = 0  # continuity (DESIGN 4) through the period's last day

    @property
    def contacts_per_month(self):
        """Contacts per person-month in service, two decimals (None without any)."""
        if not self.client_months:
            return None
        return round_half_up(Fraction(self.contacts, self.client_months), 2)

    @property
    def life_percent(self):
        return percent(self.life_contacts, self.contacts)

    @property
    def retention_percent(self):
        return percent(self.retained, self.clients)

    def as_json(self):
        per_month = self.contacts_per_month
        return {
            "clients": self.clients,
            "client_months": self.client_months,
            "contacts": self.contacts,
            "contacts_per_month": None if per_month is None else as_json_number(per_month),
            "life_side_contacts": self.life_contacts,
            "life_side_percent": as_json_number(self.life_percent),
            "retained": self.retained,
            "retention_percent": as_json_number(self.retention_percent),
        }


@dataclass(frozen=True)
class HandoverComparison:
    date_from: object
    date_to: object
    groups: dict  # group code → GroupComparison, in GROUPS order

    def as_json(self):
        return {group: stats.as_json() for group, stats in self.groups.items()}

    def tables(self):
        """The page's table as ``[(title, header, rows)]`` for the statistics download."""
        from django.utils.translation import gettext as _

        labels = {
            WITH_HANDOVER: _("Other organisation, with hand-over"),
            WITHOUT_HANDOVER: _("Other organisation, without hand-over"),
            PlanType.SELF_PLAN.value: _("Self plan"),
            PlanType.CONSULTATION_PLAN.value: _("Consultation plan"),
        }
        header = [
            _("Group"), _("People"), _("Contacts per month"), _("Life-side contacts"),
            _("Share on the life side"), _("Retained"), _("Share retained"),
        ]  # fmt: skip
        rows = [
            (
                labels[code],
                group.clients,
                group.contacts_per_month,
                group.life_contacts,
                group.life_percent,
                group.retained,
                group.retention_percent,
            )
            for code, group in self.groups.items()
        ]
        return [(_("Hand-overs, plan types and outcomes"), header, rows)]


def groups_of(*, origin, plan_type, has_handover):
    """The comparison groups a person belongs to (none, one or two)."""
    groups = []
    if origin == Origin.OTHER_ORG:
        groups.append(WITH_HANDOVER if has_handover else WITHOUT_HANDOVER)
    if plan_type in (PlanType.SELF_PLAN, PlanType.CONSULTATION_PLAN):
        groups.append(str(plan_type))
    return groups


def handover_comparison(*, offices, date_from, date_to, counted=None):
    """The comparison for the offices' clients in service between two dates (both included).

    "With a hand-over": a hand-over from the referring office linked to the person whose consent
    stands. Contacts are the live contacts of the period; life-side ones have a family, medical
    or consultation counterpart. Retained: employment continuous from the qualifying employment
    through ``date_to`` (``clients.retention``, as of ``date_to``).

    ``counted``: the rows the statistics page's ``contact_stats`` read
    (``contacts.stats.CountedRows``); when they cover these offices and dates, the people and
    their contacts are taken from them and only the hand-overs and the employments are read (two
    queries instead of three)."""
    if counted is not None and counted.covers(
        offices=offices, date_from=date_from, date_to=date_to
    ):
        people, contacts, spans = _counted_rows(counted, date_from=date_from, date_to=date_to)
    else:
        people, contacts, spans = _read_rows(offices, date_from=date_from, date_to=date_to)
    months = [(m.first_day, m.last_day) for m in months_between(date_from, date_to)]
    by_person = {}
    for client_id, counterpart, n in contacts:
        total, life = by_person.get(client_id, (0, 0))
        by_person[client_id] = (total + n, life + (n if counterpart in LIFE_COUNTERPARTS else 0))
    totals = {group: [0, 0, 0, 0, 0] for group in GROUPS}
    for pk, origin, plan_type, has_handover, start, end in people:
        groups = groups_of(origin=origin, plan_type=plan_type, has_handover=has_handover)
        active = sum(1 for first, last in months if start <= last and (end is None or end >= first))
        total, life = by_person.get(pk, (0, 0))
        period = retention.ServicePeriod(
            client_code="",
            service_start=start,
            service_end=end,
            employments=tuple(spans.get(pk, ())),
        )
        kept = retention.period_continuity(period, date_to, as_of=date_to).retained
        for group in groups:
            row = totals[group]
            row[0] += 1
            row[1] += active
            row[2] += total
            row[3] += life
            row[4] += 1 if kept else 0
    return HandoverComparison(
        date_from=date_from,
        date_to=date_to,
        groups={group: GroupComparison(*totals[group]) for group in GROUPS},
    )


def _read_rows(offices, *, date_from, date_to):
    """The people in service in the period ([(pk, origin, plan_type, has_handover, start,
    end)]), their contacts of the period counted by counterpart ([(client id, counterpart,
    n)]) and their employments ({client id: [EmploymentSpan]}), in three queries."""
    from plans.models import ReferralHandover

    in_service = Client.objects.filter(office__in=offices).filter(in_service_q(date_from, date_to))
    people = list(
        in_service.with_origin()
        .annotate(
            has_handover=Exists(
                ReferralHandover.objects.shared().filter(
                    client=OuterRef("pk"), receiving_office=OuterRef("office")
                )
            )
        )
        .order_by()
        .values_list("pk", "origin", "plan_type", "has_handover", "service_start", "service_end")
    )
    # The offices' contacts of the period, counted per person: only the people above are read
    # from it (no subquery of them in the query).
    contacts = (
        contacts_in_period(offices=offices, date_from=date_from, date_to=date_to)
        .order_by()
        .values_list("client", "counterpart")
        .annotate(n=Count("pk"))
    )
    return people, contacts, retention.employment_spans(in_service)


def _counted_rows(counted, *, date_from, date_to):
    """``_read_rows`` from the rows ``contact_stats`` read: the people in service in the period
    (``in_service_during``, the Python form of ``in_service_q``) and their contacts come from
    them; the hand-overs and the employments are read (two queries)."""
    from clients.selectors import employment_spans_by_client
    from plans.models import ReferralHandover

    in_service = {
        pk: (origin, plan_type, start, end)
        for pk, (origin, plan_type, start, end) in counted.people.items()
        if in_service_during(start, end, date_from, date_to)
    }
    handed_over = set(
        ReferralHandover.objects.shared()
        .filter(client_id__in=list(in_service), receiving_office=F("client__office"))
        .values_list("client_id", flat=True)
    )
    people = [
        (pk, origin, plan_type, pk in handed_over, start, end)
        for pk, (origin, plan_type, start, end) in in_service.items()
    ]
    contacts = [
        (client_id, counterpart, n)
        for client_id, _method, counterpart, _face_to_face, n in counted.contacts
    ]
    return people, contacts, employment_spans_by_client(list(in_service))


def handover_comparison_section(*, offices, date_from, date_to, counted=None):
    """The contact statistics page's and ``contact_stats``' section (``contacts.hooks``)."""
    return handover_comparison(
        offices=offices, date_from=date_from, date_to=date_to, counted=counted
    )


handover_comparison_section.key = "handover_comparison"
handover_comparison_section.template = "plans/_stats_handover_comparison.html"
