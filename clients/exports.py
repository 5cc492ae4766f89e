"""The downloads of the client app's lists: the client roster (with the list's search and
filters) and the retention roster (each user of the window, counted or not, and why).

Each export builds its rows from the rows the page shows, writes the bytes
(``core.tabular.table_bytes``) and only then records one ``export`` event per office naming the
people by client code (``services.people_exported``): a refused CP932 file records nothing.
Headers are Japanese through the catalogue; vocabularies are written as labels; dates are ISO in
CSV and date cells in XLSX; names family name first (``core.names``).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients import retention, services
from clients.models import Client, Origin
from core import audit, calendar, tabular
from core.fields import choice_labels
from core.names import staff_display_name
from core.vocab import DisabilityType

ROSTER_HEADER = (
    gettext_lazy("Office number"),
    gettext_lazy("Office name"),
    gettext_lazy("Client code"),
    gettext_lazy("Name"),
    gettext_lazy("Name (kana)"),
    gettext_lazy("Birth date"),
    gettext_lazy("Disability types"),
    gettext_lazy("Origin"),
    gettext_lazy("Plan type"),
    gettext_lazy("Staff in charge"),
    gettext_lazy("Service start"),
    gettext_lazy("Service end"),
    gettext_lazy("3-year limit"),
    gettext_lazy("Service end reason"),
)


def roster_rows(clients):
    """One row per client, in the order given (the list's order)."""
    for client in clients:
        yield (
            client.office.office_number,
            client.office.name,
            client.client_code,
            client.full_name,
            client.full_name_kana,
            client.birth_date,
            "、".join(
                str(label) for label in choice_labels(DisabilityType, client.disability_types)
            ),
            Origin(client.origin).label if getattr(client, "origin", "") else "",
            client.get_plan_type_display() if client.plan_type else "",
            staff_display_name(client.staff_in_charge),
            client.service_start,
            client.service_end,
            calendar.service_limit_end(client.service_start),
            client.service_end_reason,
        )


def client_roster_export(*, actor, clients, fmt, office=None, detail=""):
    """The client list (``clients``: the page's filtered queryset, every page) as ``fmt`` bytes,
    recorded as an export naming the people."""
    people = list(
        clients.defer(None)
        .select_related("office", "staff_in_charge")
        .order_by("family_name_kana", "given_name_kana", "client_code")
    )
    header = [str(h) for h in ROSTER_HEADER]
    body = tabular.table_bytes([(_("Clients"), header, roster_rows(people))], fmt=fmt)
    with transaction.atomic():
        services.people_exported(
            actor=actor, export=f"client list {fmt}", clients=people, office=office, detail=detail
        )
    return body


RETENTION_HEADER = (
    gettext_lazy("Client code"),
    gettext_lazy("Name"),
    gettext_lazy("Counted as retained"),
    gettext_lazy("Reason"),
    gettext_lazy("Service start"),
    gettext_lazy("Service end"),
    gettext_lazy("3-year limit"),
)


def retention_label(row):
    if row.provisional:
        return _("retained (provisional)")
    return _("retained") if row.retained else _("not retained")


def retention_rows(result):
    for row in result.clients:
        yield (
            row.client_code,
            row.full_name,
            retention_label(row),
            row.reason_label,
            row.service_start,
            row.service_end,
            row.limit_end,
        )


def retention_summary_rows(result):
    return [
        (_("Office number"), result.office_number),
        (_("Fiscal year"), result.fiscal_year),
        (_("Window start"), result.window_start),
        (_("Reference date"), result.reference_date),
        (_("As of"), result.as_of),
        (_("Users"), result.users),
        (_("Retained"), result.retained),
        (_("Retention rate (%)"), result.rate_percent if result.rate_percent is not None else ""),
    ]


def retention_roster_export(*, actor, office, fiscal_year, as_of, fmt):
    """The retention page's roster (``retention.office_retention``) as ``fmt`` bytes: each user
    of the window counted or not and why; the XLSX adds the rate's summary sheet."""
    result = retention.office_retention(office=office, fiscal_year=fiscal_year, as_of=as_of)
    header = [str(h) for h in RETENTION_HEADER]
    body = tabular.table_bytes(
        [
            (_("Retention"), header, retention_rows(result)),
            (_("Overview"), [_("Item"), _("Value")], retention_summary_rows(result)),
        ],
        fmt=fmt,
    )
    codes = [row.client_code for row in result.clients]
    by_code = {
        c.client_code: c for c in Client.objects.filter(office=office, client_code__in=codes)
    }
    with transaction.atomic():
        services.people_exported(
            actor=actor,
            export=f"retention roster {fmt}",
            clients=[by_code[code] for code in codes if code in by_code],
            office=office,
            detail=f"FY{result.fiscal_year}",
        )
    return body


EMPLOYER_HEADER = (
    gettext_lazy("Office number"),
    gettext_lazy("Office name"),
    gettext_lazy("Employer name"),
    gettext_lazy("Industry"),
    gettext_lazy("Contact people"),
)


def employer_rows(employers):
    for employer in employers:
        yield (
            employer.office.office_number,
            employer.office.name,
            employer.name,
            employer.industry,
            employer.contact_people,
        )


def employer_list_export(*, actor, employers, fmt, detail=""):
    """The employer list (``employers``: the page's search, every page) as ``fmt`` bytes,
    recorded as one export per office whose employers are in it."""
    employers = list(employers.select_related("office").order_by("name", "office__office_number"))
    header = [str(h) for h in EMPLOYER_HEADER]
    body = tabular.table_bytes([(_("Employers"), header, employer_rows(employers))], fmt=fmt)
    offices = {employer.office_id: employer.office for employer in employers}
    with transaction.atomic():
        audit.record_offices_exported(
            actor=actor,
            export=f"employer list {fmt}",
            offices=sorted(offices.values(), key=lambda o: o.office_number),
            detail=detail,
        )
    return body


CORPORATION_RETENTION_HEADER = (
    gettext_lazy("Office number"),
    gettext_lazy("Office name"),
    gettext_lazy("Fiscal year"),
    gettext_lazy("Users"),
    gettext_lazy("Retained"),
    gettext_lazy("Provisionally retained"),
    gettext_lazy("Retention rate (%)"),
    gettext_lazy("Fee tier (% or more)"),
    gettext_lazy("Units"),
    gettext_lazy("Month"),
    gettext_lazy("Fee per person-month (yen)"),
    gettext_lazy("More retained for the next tier"),
    gettext_lazy("Separations to fall a tier"),
)


def corporation_retention_rows(outlooks):
    """One row per office (``clients.fees.FeeOutlook``), as the corporation page's cards."""
    for outlook in outlooks:
        result, fee, distance = outlook.retention, outlook.fee, outlook.distance
        yield (
            result.office_number,
            result.office.name if result.office else "",
            result.fiscal_year,
            result.users,
            result.retained,
            len(result.provisional_clients),
            result.rate_percent if result.rate_percent is not None else "",
            result.tier.min_percent if result.tier else "",
            result.tier.units if result.tier else "",
            str(fee.month),
            fee.yen if fee.yen is not None else "",
            distance.up.people if distance.up else "",
            distance.down.people if distance.down else "",
        )


def corporation_retention_export(*, actor, corporation, outlooks, fmt):
    """The corporation retention page (one row per office: rate, tier, counts and the chosen
    month's fee; no people) as ``fmt`` bytes, recorded as one export per office."""
    header = [str(h) for h in CORPORATION_RETENTION_HEADER]
    body = tabular.table_bytes(
        [(_("Retention rate"), header, corporation_retention_rows(outlooks))], fmt=fmt
    )
    with transaction.atomic():
        audit.record_offices_exported(
            actor=actor,
            export=f"corporation retention {fmt}",
            offices=[o.retention.office for o in outlooks if o.retention.office],
            detail=f"corporation {corporation.pk}"
            + (f" FY{outlooks[0].retention.fiscal_year}" if outlooks else ""),
        )
    return body
