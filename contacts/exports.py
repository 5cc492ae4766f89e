"""The downloads of the contacts app's lists: contact history (with the page's filters), the
contact statistics' tables and the month's support-report list.

As in ``clients/exports.py``: rows from what the page shows, bytes first
(``core.tabular.table_bytes``), then one ``export`` event per office naming the people in the file
(``clients.services.people_exported``); a refused CP932 file records nothing. Japanese headers
through the catalogue, labels for vocabularies, family name first, dates ISO (CSV) or date cells
(XLSX).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from clients.services import people_exported
from contacts import hooks, reports, stats
from core import tabular
from core.calendar import JST
from core.names import staff_display_name
from core.vocab import ContactMethod, Counterpart, file_label

# The contact history's columns: those the contacts import reads, under the same Japanese names
# (``core.tabular.JAPANESE_NAMES``), and a few it ignores (``ContactImport.ignored_columns``), so
# that an exported list imports again as it is.
CONTACT_COLUMNS = (
    "contacted_at",
    "office_number",
    "client_code",
    "client_name",
    "method",
    "face_to_face",
    "counterpart",
    "duration_minutes",
    "staff",
    "summary",
    "next_follow_up",
    "deleted",
)
CONTACT_HEADER = tuple(tabular.JAPANESE_NAMES[name] for name in CONTACT_COLUMNS)


def contact_rows(contacts):
    for contact in contacts:
        yield (
            contact.contacted_at.astimezone(JST).strftime("%Y/%m/%d %H:%M"),
            contact.client.office.office_number,
            contact.client.client_code,
            contact.client.full_name,
            file_label(ContactMethod, contact.method),
            _("yes") if contact.face_to_face else _("no"),
            file_label(Counterpart, contact.counterpart),
            contact.duration_minutes,
            staff_display_name(contact.staff),
            contact.summary,
            contact.next_follow_up,
            _("yes") if contact.deleted_at else "",
        )


def contact_history_export(*, actor, contacts, fmt, detail=""):
    """Contact history (``contacts``: the page's filtered queryset, every page, newest first) as
    ``fmt`` bytes, recorded as an export naming the people."""
    rows = list(contacts.select_related("client__office", "staff").order_by("-contacted_at", "-pk"))
    header = [str(h) for h in CONTACT_HEADER]
    body = tabular.table_bytes([(_("Contact history"), header, contact_rows(rows))], fmt=fmt)
    with transaction.atomic():
        people_exported(
            actor=actor,
            export=f"contact history {fmt}",
            clients=[contact.client for contact in rows],
            detail=detail,
        )
    return body


STATS_HEADER = (
    gettext_lazy("Table"),
    gettext_lazy("Item"),
    gettext_lazy("People"),
    gettext_lazy("Count"),
    gettext_lazy("Percent"),
    gettext_lazy("National (%)"),
)

GROUPS = (
    ("own_org", gettext_lazy("Own organisation")),
    ("other_org", gettext_lazy("Other organisation")),
    ("unknown_origin", gettext_lazy("Unknown origin")),
    ("self_plan", gettext_lazy("Self plan")),
    ("consultation_plan", gettext_lazy("Consultation plan")),
)


def stats_sheets(result, *, national_mix=None, not_met=None):
    """The statistics page's tables as sheets: first one flat table (the CSV) of every figure,
    then one sheet per table, and the people not met face to face when there are any."""
    by_method, by_counterpart, monthly, by_group = (
        _("By method"), _("By counterpart"), _("Monthly face-to-face compliance"),
        _("By group of people"),
    )  # fmt: skip
    mix = stats.method_mix(result.by_method, national_mix=national_mix)
    method_rows = [
        (row.label, row.count, row.percent, row.national_percent if national_mix else "")
        for row in mix
    ]
    counterpart_rows = [
        (label, result.by_counterpart[code].count, result.by_counterpart[code].percent)
        for code, label in Counterpart.choices
    ]
    monthly_rows = [
        (str(m.month), m.active_clients, m.met, m.percent) for m in result.monthly_face_to_face
    ]
    group_rows = [
        (
            str(label),
            result.by_group[code].clients,
            result.by_group[code].contacts,
            *(result.by_group[code].by_method.get(method, 0) for method in ContactMethod.values),
        )
        for code, label in GROUPS
    ]
    flat = [(by_method, label, "", count, pct, nat) for label, count, pct, nat in method_rows]
    flat += [(by_counterpart, label, "", count, pct, "") for label, count, pct in counterpart_rows]
    flat += [(monthly, month, people, met, pct, "") for month, people, met, pct in monthly_rows]
    flat += [(by_group, row[0], row[1], row[2], "", "") for row in group_rows]
    sheets = [
        (_("Statistics"), [str(h) for h in STATS_HEADER], flat),
        (by_method, [_("Method"), _("Count"), _("Percent"), _("National (%)")], method_rows),
        (by_counterpart, [_("Counterpart"), _("Count"), _("Percent")], counterpart_rows),
        (monthly, [_("Month"), _("People in service"), _("Met"), _("Percent")], monthly_rows),
        (
            by_group,
            [
                _("Group of people"),
                _("People"),
                _("Contacts"),
                *(str(lb) for lb in ContactMethod.labels),
            ],
            group_rows,
        ),
    ]
    people = [
        (str(month), client.office.office_number, client.client_code, client.full_name)
        for month, clients in (not_met or {}).items()
        for client in clients
    ]
    if people:
        sheets.append(
            (
                _("Not met face to face"),
                [_("Month"), _("Office number"), _("Client code"), _("Name")],
                people,
            )
        )
    return sheets


def contact_stats_export(*, actor, offices, date_from, date_to, fmt, national_mix=None):
    """The statistics page's tables for ``offices`` and the period as ``fmt`` bytes. The XLSX
    names the people not met face to face (as the page does) and the export event names them;
    it adds the tables other apps put on the page (``contacts.hooks.stats_tables``)."""
    result = stats.contact_stats(offices=offices, date_from=date_from, date_to=date_to)
    not_met = {}
    if fmt == "xlsx":
        not_met = stats.people_not_met(
            offices=offices,
            months=[m.month for m in result.monthly_face_to_face if m.missing],
            counted=result.rows,
        )
    sheets = stats_sheets(result, national_mix=national_mix, not_met=not_met)
    if fmt == "xlsx":  # the other apps' tables (contacts.hooks), each a sheet of its own
        sheets += hooks.stats_tables(
            offices=offices, date_from=date_from, date_to=date_to, counted=result.rows
        )
    body = tabular.table_bytes(sheets, fmt=fmt)
    named = {client.pk: client for people in not_met.values() for client in people}
    offices = list(offices)
    with transaction.atomic():
        people_exported(
            actor=actor,
            export=f"contact statistics {fmt}",
            clients=list(named.values()),
            office=offices[0] if len(offices) == 1 else None,
            detail=f"{date_from.isoformat()}..{date_to.isoformat()}; offices: "
            + " ".join(o.office_number for o in offices),
        )
    return body


REPORT_HEADER = (
    gettext_lazy("Month"),
    gettext_lazy("Client code"),
    gettext_lazy("Name"),
    pgettext_lazy("support report export", "Report"),
    gettext_lazy("Shared with the person"),
    gettext_lazy("Shared with the employer"),
    gettext_lazy("Staff member"),
)


def report_state(status):
    if status.report is None:
        return _("Missing")
    return _("Not shared") if status.flagged else _("Shared")


def report_rows(statuses, month):
    for status in statuses:
        yield (
            str(month),
            status.client.client_code,
            status.client.full_name,
            report_state(status),
            status.shared_on,
            status.report.shared_with_employer_on if status.report else None,
            staff_display_name(status.report.staff) if status.report else "",
        )


def support_reports_export(*, actor, office, month, fmt):
    """The month's support-report list of ``office`` (everyone in service, their report's state
    and 共有日) as ``fmt`` bytes, recorded as an export naming the people."""
    from clients.models import Client

    statuses = reports.report_statuses(clients=Client.objects.filter(office=office), month=month)
    header = [str(h) for h in REPORT_HEADER]
    body = tabular.table_bytes(
        [(_("Support reports"), header, report_rows(statuses, month))], fmt=fmt
    )
    with transaction.atomic():
        people_exported(
            actor=actor,
            export=f"support reports {month} {fmt}",
            clients=[status.client for status in statuses],
            office=office,
        )
    return body


WORKLIST_HEADER = (
    gettext_lazy("Item"),
    gettext_lazy("Office number"),
    gettext_lazy("Client code"),
    gettext_lazy("Name"),
    gettext_lazy("Due"),
    gettext_lazy("Note"),
)


def worklist_rows(worklist):
    """The worklist's items as rows, section by section in the page's order: (section, client,
    due date, note); the other apps' sections give their own ``rows``."""
    from core.calendar import ENDING_SOON_DAYS, Month

    month_end = Month.of(worklist.today).last_day
    for client in worklist.no_face_to_face:
        last = getattr(client, "last_contact_at", None)
        note = (
            _("last contact %(day)s") % {"day": last.astimezone(JST).date().isoformat()}
            if last
            else _("no contact yet")
        )
        yield _("No face-to-face contact this month"), client, month_end, note
    for contact in worklist.follow_ups:
        note = f"{contact.get_method_display()} {contact.contacted_at.astimezone(JST):%Y-%m-%d}"
        yield _("Follow-ups due today or overdue"), contact.client, contact.next_follow_up, note
    ending = _("Service ending within %(days)s days") % {"days": ENDING_SOON_DAYS}
    for client in worklist.service_ending:
        yield ending, client, client.effective_end, ""
    awaiting = _("Awaiting re-employment (provisionally retained)")
    for client in worklist.awaiting_reemployment:
        yield awaiting, client, client.month_runs_out, ""
    for section in worklist.sections:
        for client, due, note in section.rows:
            yield section.title, client, due, note


def worklist_export(*, actor, worklist, fmt, scope):
    """The worklist (``contacts.worklist.worklist_for``) as ``fmt`` bytes, one row per item,
    recorded as an export naming the people."""
    rows = list(worklist_rows(worklist))
    header = [str(h) for h in WORKLIST_HEADER]
    body = tabular.table_bytes(
        [
            (
                _("Worklist"),
                header,
                (
                    (str(item), c.office.office_number, c.client_code, c.full_name, due, note)
                    for item, c, due, note in rows
                ),
            )
        ],
        fmt=fmt,
    )
    with transaction.atomic():
        people_exported(
            actor=actor,
            export=f"worklist ({scope}) {fmt}",
            clients=[client for _item, client, _due, _note in rows],
        )
    return body
