"""A manager's billing settings, in the app as well as in the admin: the office's regional grade
(地域区分, which sets the yen per unit) and its standing additions (retention record system, job
coach), and a person's initial addition override and special area.

Every change is audited, and refused (``offices.month_lock.MonthClosed``, nothing kept) when it
would change the figures of a month that is closed for billing: the settings are not dated, so a
change
reaches every month, closed ones included. The figures of each closed month the change reaches
(every closed month of the office; for a person, the closed months of their service) are
computed before and after the change, inside the change's transaction, with
``billing.month.month_figures``; a difference in what is billed (who is billable, under which
recipient number, units, additions, reductions, yen; not the problem codes) rolls the change
back. A manager reopens the month first, with a reason. The certificate page goes through the same
check (``certificate_save_checked``); the certificates import, set-based, refuses any change
whose decision period covers a closed month (``billing.certificates.CertificateImport``).
"""

from dataclasses import asdict, dataclass

from django.db import transaction

from billing.models import ClientBillingSettings, OfficeBillingSettings
from core import audit, calendar
from core.calendar import Month
from core.models import AuditAction
from offices.models import MonthClose
from offices.month_lock import MonthClosed


@dataclass(frozen=True)
class OfficeSettings:
    regional_grade: str
    retention_record: bool
    job_coach: bool


@dataclass(frozen=True)
class ClientSettings:
    initial_addition: str
    special_area: bool


def office_settings_of(office):
    row = OfficeBillingSettings.objects.filter(office=office).first()
    return OfficeSettings(
        regional_grade=office.regional_grade,
        retention_record=bool(row and row.retention_record),
        job_coach=bool(row and row.job_coach),
    )


def client_settings_of(client):
    row = ClientBillingSettings.objects.filter(client=client).first()
    if row is None:
        return ClientSettings(initial_addition="", special_area=False)
    return ClientSettings(initial_addition=row.initial_addition, special_area=row.special_area)


def closed_months(office, *, client=None):
    """The months closed for ``office``, oldest first; with ``client``, only those of the
    person's service (the recorded end or the 3-year limit, whichever is earlier)."""
    rows = MonthClose.objects.filter(office=office, is_closed=True)
    if client is not None:
        end = calendar.effective_end(client.service_start, client.service_end)
        rows = rows.filter(month__gte=Month.of(client.service_start).first_day, month__lte=end)
    return [Month.of(day) for day in rows.order_by("month").values_list("month", flat=True)]


def _billed(row):
    """A person's row as billed. The problems bill nothing of themselves, and a row that is not
    billable bills nothing at all: a person first given a certificate after an unbilled closed
    month changes that month's problem and shown number, not its billing."""
    if not row["billable"]:
        return {"billable": False}
    return {key: value for key, value in row.items() if key != "problems"}


def _person_row(figures, client_code):
    return next(
        (_billed(p.as_dict()) for p in figures.people if p.client_code == client_code), None
    )


def _office_document(figures):
    document = figures.as_document()
    return {**document, "people": [_billed(row) for row in document["people"]]}


def _refuse_changes_to_closed_months(office, months, snapshot, change):
    """Run ``change()``; raise ``MonthClosed`` naming the first of ``months`` whose
    ``snapshot(figures)`` it alters. The caller's transaction rolls the change back."""
    from billing.month import month_figures

    before = {month: snapshot(month_figures(office, month)) for month in months}
    change()
    for month in months:
        if snapshot(month_figures(office, month)) != before[month]:
            raise MonthClosed(office, month)


def _changes(before, after):
    old, new = asdict(before), asdict(after)
    return ", ".join(f"{key} {old[key]!r}→{new[key]!r}" for key in old if old[key] != new[key])


@transaction.atomic
def office_settings_save(*, office, actor, regional_grade, retention_record, job_coach):
    """Save the office's billing settings (``office`` already scoped to a manager). Returns False
    when nothing changed. Raises ``MonthClosed`` when a closed month's figures would change."""
    before = office_settings_of(office)
    after = OfficeSettings(regional_grade, bool(retention_record), bool(job_coach))
    if after == before:
        return False

    def change():
        if office.regional_grade != regional_grade:
            office.regional_grade = regional_grade
            office.save(update_fields=["regional_grade"])
        OfficeBillingSettings.objects.update_or_create(
            office=office,
            defaults={"retention_record": after.retention_record, "job_coach": after.job_coach},
        )

    _refuse_changes_to_closed_months(office, closed_months(office), _office_document, change)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        office=office,
        obj=office,
        detail=f"billing settings: {_changes(before, after)}",
    )
    return True


@transaction.atomic
def client_settings_save(*, client, actor, initial_addition, special_area):
    """Save a person's billing settings (``client`` already scoped). Returns False when nothing
    changed. Raises ``MonthClosed`` when a closed month's figures of the person would change."""
    before = client_settings_of(client)
    after = ClientSettings(initial_addition or "", bool(special_area))
    if after == before:
        return False

    def change():
        ClientBillingSettings.objects.update_or_create(client=client, defaults=asdict(after))

    _refuse_changes_to_closed_months(
        client.office,
        closed_months(client.office, client=client),
        lambda figures: _person_row(figures, client.client_code),
        change,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=client,
        detail=f"billing settings: {_changes(before, after)}",
    )
    return True


@transaction.atomic
def certificate_save_checked(*, client, actor, **period):
    """``billing.certificates.certificate_save`` from the certificate page, refused (nothing
    kept) when it would change the person's figures in a closed month: a new or shortened
    decision period may make a closed month billable or not. (The co-payment cap alone changes
    no figure.) Returns what ``certificate_save`` returns."""
    from billing.certificates import certificate_save

    saved = []
    _refuse_changes_to_closed_months(
        client.office,
        closed_months(client.office, client=client),
        lambda figures: _person_row(figures, client.client_code),
        lambda: saved.append(certificate_save(client=client, actor=actor, **period)),
    )
    return saved[0]


def client_settings_read(*, actor, client):
    """Record that the person's billing settings were shown."""
    audit.record(actor=actor, action=AuditAction.VIEW, obj=client, detail="billing settings")
