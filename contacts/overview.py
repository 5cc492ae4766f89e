"""Figures for the home pages: one office at a glance, and a corporation's offices side by side."""

from dataclasses import dataclass

from clients.models import Client
from clients.retention import fiscal_year_of, office_retention
from contacts import reports, stats
from contacts.models import Contact
from contacts.periods import Month
from contacts.worklist import clients_ending_service, follow_ups_due


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


def office_overview(*, office, today):
    month = Month.of(today)
    month_stats = stats.contact_stats(offices=[office], date_from=month.first_day, date_to=today)
    clients = Client.objects.filter(office=office)
    return OfficeOverview(
        office=office,
        month=month,
        compliance=stats.face_to_face_compliance(offices=[office], month=month),
        method_rows=stats.method_mix(month_stats.by_method),
        contacts_this_month=month_stats.contacts,
        unshared_this_month=reports.unshared_count(clients=clients, month=month),
        unshared_last_month=reports.unshared_count(clients=clients, month=month.previous()),
        follow_ups_due=follow_ups_due(
            Contact.objects.filter(client__office=office), today=today
        ).count(),
        service_ending=clients_ending_service(clients, today=today).count(),
        retention=office_retention(office=office, fiscal_year=fiscal_year_of(today)),
    )
