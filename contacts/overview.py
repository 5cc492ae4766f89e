"""Figures for the home pages: one office at a glance, and a corporation's offices side by side."""

from dataclasses import dataclass

from django.db.models import Count

from clients.models import Client
from clients.retention import offices_retention
from contacts import hooks, reports, stats
from contacts.models import Contact
from contacts.worklist import follow_ups_due
from core.calendar import Month, ending_soon_q, fiscal_year_of


@dataclass
class OfficeOverview:
    office: object
    month: Month
    compliance: stats.MonthCompliance
    method_rows: list
    contacts_this_month: int
    unshared_this_month: int
    unshared_last_month: int
    follow_ups_due: int
    service_ending: int
    retention: object  # clients.retention result for the current fiscal year
    extra_figures: list  # [(template, figure)] added by other apps (contacts.hooks)


def offices_overview(*, offices, today):
    """The overview of each office, in the given order, in a fixed number of queries however
    many offices a corporation runs (each figure grouped by office)."""
    offices = list(offices)
    month = Month.of(today)
    clients = Client.objects.filter(office__in=offices)
    compliance = stats.face_to_face_compliance_by_office(offices=offices, month=month)
    methods = stats.methods_by_office(offices=offices, date_from=month.first_day, date_to=today)
    # The people counts of each office in one query: reports not shared this month and last,
    # services ending soon.
    counted = (
        clients.order_by()
        .values("office")
        .annotate(
            unshared_this=Count("pk", filter=reports.unshared_q(month)),
            unshared_last=Count("pk", filter=reports.unshared_q(month.previous())),
            ending=Count("pk", filter=ending_soon_q(today=today)),
        )
        .values_list("office", "unshared_this", "unshared_last", "ending")
    )
    people = {office: counts for office, *counts in counted}
    # The offices' contacts reached from their clients (``stats.of_clients``): restricted by the
    # joined office alone, PostgreSQL read every open follow-up of the country (14,000 for one
    # office: 26 ms against 3).
    follow_ups = _count_by(
        follow_ups_due(
            Contact.objects.filter(stats.of_clients(offices), client__office__in=offices),
            today=today,
        ),
        "client__office",
    )
    retention = offices_retention(offices=offices, fiscal_year=fiscal_year_of(today), as_of=today)
    extra = hooks.office_figures(offices=offices, today=today)
    overviews = []
    for office, office_result in zip(offices, retention, strict=True):
        unshared_this, unshared_last, ending = people.get(office.pk, (0, 0, 0))
        overviews.append(
            OfficeOverview(
                office=office,
                month=month,
                compliance=compliance[office.pk],
                method_rows=stats.method_mix(methods[office.pk]),
                contacts_this_month=sum(share.count for share in methods[office.pk].values()),
                unshared_this_month=unshared_this,
                unshared_last_month=unshared_last,
                follow_ups_due=follow_ups.get(office.pk, 0),
                service_ending=ending,
                retention=office_result,
                extra_figures=[(template, figures.get(office.pk)) for template, figures in extra],
            )
        )
    return overviews


def _count_by(queryset, path):
    return dict(
        queryset.order_by().values_list(path).annotate(n=Count("pk")).values_list(path, "n")
    )
