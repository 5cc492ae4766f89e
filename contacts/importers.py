"""The ``contacts`` and ``support_reports`` CSV imports (DESIGN 5.1).

Key: office_number, client_code, contacted_at, method, counterpart. A row whose key matches a
contact already recorded (even one deleted since) adds nothing, so re-importing a file adds nothing.
A batch of rows is checked with two queries (its clients, its staff) and written with a few: the
contacts already recorded, the new ones in one statement, the changed ones with their revisions,
and the audit events of both.
"""

import datetime as dt
from collections import Counter

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from contacts import reports, validation
from contacts.face_to_face import default_face_to_face
from contacts.models import Contact, ReportRecipient, SupportReport
from contacts.services import contact_create_many, contact_update_many
from core import calendar, tabular
from core.tabular import Column, RowInvalid
from core.vocab import ContactMethod, Counterpart
from offices.scoping import is_member, offices_in_use, offices_visible_to, staff_named


def _cell(value):
    """A parsed value as the row's cell showed it, for the error report."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value


@tabular.register
class ContactImport(tabular.ImportKind):
    name = "contacts"
    label = gettext_lazy("Contacts")
    key = ("office_number", "client_code", "contacted_at", "method", "counterpart")
    columns = (
        Column("office_number", tabular.digits(10), example="1310000001"),
        Column("client_code", tabular.text(32), example="C001"),
        Column("contacted_at", tabular.parse_datetime, example="2024/4/15 10:30"),
        Column("method", tabular.code_of(ContactMethod), example="職場訪問"),
        Column("counterpart", tabular.code_of(Counterpart), example="本人"),
        Column("duration_minutes", tabular.parse_int, required=False, blank=True, example="30"),
        Column("staff", tabular.text(150), required=False, blank=True, default=""),
        Column(
            "summary",
            tabular.text(),
            required=False,
            blank=True,
            default="",
            example="職場で業務の様子を確認した",
        ),
    )

    def allowed(self, user):
        return is_member(user)

    def context(self, user):
        offices = offices_in_use() if user is None else offices_visible_to(user)
        return {
            "user": user,
            "offices": {o.office_number: o for o in offices},
            "now": calendar.now(),
        }

    def prepare(self, rows, ctx):
        """The clients and staff a batch names, each kind in one query."""
        offices = {
            ctx["offices"][row["office_number"]].pk
            for row in rows
            if row["office_number"] in ctx["offices"]
        }
        ctx["clients"] = {
            (client.office_id, client.client_code): client
            for client in Client.objects.select_related("office")
            .filter(
                office_id__in=offices,
                client_code__in={row["client_code"] for row in rows if row["client_code"]},
            )
            # what the contacts and their events need: the name, the office and its video rule
            .only(
                "office__office_number",
                "office__video_call_counts_as_face_to_face",
                "client_code",
                "family_name",
                "given_name",
            )
        }
        ctx["users"] = staff_named(offices, {row["staff"] for row in rows if row["staff"]})

    def validate(self, values, ctx):
        problems = []
        office = ctx["offices"].get(values["office_number"])
        if office is None:
            problems.append(
                ("office_number", values["office_number"], _("No such office among yours."))
            )
        problems += [
            (field, _cell(values[field]), message)
            for field, message in (
                *validation.contacted_at_problems(
                    contacted_at=values["contacted_at"], now=ctx["now"]
                ),
                *validation.duration_problems(duration_minutes=values["duration_minutes"]),
            )
        ]
        client = staff = None
        if office is not None and values.usable("client_code"):
            client = ctx["clients"].get((office.pk, values["client_code"]))
            if client is None:
                problems.append(
                    ("client_code", values["client_code"], _("No such client in this office."))
                )
        if office is not None and values["staff"]:
            staff = ctx["users"].get((office.pk, values["staff"]))
            if staff is None:
                problems.append(
                    ("staff", values["staff"], _("No staff member with this login in this office."))
                )
        if problems:
            raise RowInvalid(*problems)
        return {**values, "office": office, "client": client, "staff_user": staff}

    def _recorded(self, rows):
        """{natural key: contact} of the batch's keys already recorded, a live one before a
        deleted one, in one query."""
        recorded = {}
        contacts = (
            Contact.objects.filter(
                client_id__in={values["client"].pk for _row, values in rows},
                contacted_at__in={values["contacted_at"] for _row, values in rows},
            )
            .select_related("staff")
            .order_by(F("deleted_at").asc(nulls_first=True), "pk")
        )
        for contact in contacts:
            key = (contact.client_id, contact.contacted_at, contact.method, contact.counterpart)
            recorded.setdefault(key, contact)
        return recorded

    def write(self, rows, ctx):
        recorded = self._recorded(rows)
        outcomes = Counter()
        new, changes = [], []
        for _row, values in rows:
            client = values["client"]
            fields = {
                "duration_minutes": values["duration_minutes"],
                "staff": values["staff_user"],
                "summary": values["summary"],
            }
            key = (client.pk, values["contacted_at"], values["method"], values["counterpart"])
            contact = recorded.get(key)
            if contact is None:
                new.append(
                    Contact(
                        client=client,
                        contacted_at=values["contacted_at"],
                        method=values["method"],
                        counterpart=values["counterpart"],
                        face_to_face=default_face_to_face(
                            method=values["method"], office=client.office
                        ),
                        **fields,
                    )
                )
            elif contact.is_deleted:
                outcomes["unchanged"] += 1  # deleted on purpose: an import does not bring it back
            else:
                contact.client = client  # loaded with its office, for the audit event
                changes.append((contact, fields))
        contact_create_many(contacts=new, actor=ctx["actor"])
        updated = contact_update_many(
            changes=changes, actor=ctx["actor"], reason=_("Updated by a CSV import.")
        )
        outcomes["created"] += len(new)
        outcomes["updated"] += len(updated)
        outcomes["unchanged"] += len(changes) - len(updated)
        return outcomes, []


@tabular.register
class SupportReportImport(tabular.ImportKind):
    """The ``support_reports`` CSV import (DESIGN 5.1).

    Key: office_number, client_code, month. A row creates the month's report when there is none
    and records its sharing with the person and the employer. A report already shared with the
    person is frozen: a row that would change its summary, or give another sharing date than the
    one recorded, is refused with the reason. A blank cell changes nothing.
    """

    name = "support_reports"
    label = gettext_lazy("Support reports")
    key = ("office_number", "client_code", "month")
    columns = (
        Column("office_number", tabular.digits(10), example="1310000001"),
        Column("client_code", tabular.text(32), example="C001"),
        Column("month", tabular.parse_month, example="2024/4"),
        Column("shared_with_client_on", tabular.parse_date, blank=True, example="2024/5/10"),
        Column(
            "shared_with_employer_on",
            tabular.parse_date,
            required=False,
            blank=True,
            example="2024/5/10",
        ),
        Column(
            "summary",
            tabular.text(),
            required=False,
            blank=True,
            default="",
            example="4月の支援経過",
        ),
    )

    SHARING_COLUMNS = (
        ("shared_with_client_on", ReportRecipient.PERSON),
        ("shared_with_employer_on", ReportRecipient.EMPLOYER),
    )

    def allowed(self, user):
        return is_member(user)

    def context(self, user):
        offices = offices_in_use() if user is None else offices_visible_to(user)
        return {"user": user, "offices": {o.office_number: o for o in offices}}

    def validate(self, values, ctx):
        # Only the cells that could be read are checked; the runner reports the others.
        office = ctx["offices"].get(values["office_number"])
        if office is None:
            raise RowInvalid(
                ("office_number", values["office_number"], _("No such office among yours."))
            )
        problems = []
        client = None
        if values.usable("client_code"):
            client = (
                Client.objects.select_related("office")
                .filter(office=office, client_code=values["client_code"])
                .first()
            )
            if client is None:
                problems.append(
                    ("client_code", values["client_code"], _("No such client in this office."))
                )
        for column, _recipient in self.SHARING_COLUMNS:
            if values.usable("month", column) and values[column] is not None:
                problems.extend(
                    (column, values[column].isoformat(), message)
                    for _field, message in reports.sharing_date_problems(
                        month=values["month"], shared_on=values[column]
                    )
                )
        if problems:
            raise RowInvalid(*problems)
        return {**values, "client": client}

    def upsert(self, values, ctx):
        client, month, actor = values["client"], values["month"], ctx["actor"]
        report = (
            SupportReport.objects.current()
            .filter(client=client, month=month.first_day)
            .prefetch_related("sharings")
            .first()
        )
        outcome = "unchanged"
        if report is None:
            report, _created = reports.report_create(client=client, month=month, actor=actor)
            outcome = "created"
        problems = []
        if values["summary"] and values["summary"] != report.summary:
            if report.is_shared:
                problems.append(
                    (
                        "summary",
                        values["summary"][:40],
                        _(
                            "The report of this month was shared with the person on %(date)s, "
                            "so its content cannot change; correct it on its page as a new "
                            "version with the reason."
                        )
                        % {"date": report.shared_with_client_on},
                    )
                )
            else:
                reports.report_update(report=report, actor=actor, summary=values["summary"])
                outcome = outcome if outcome == "created" else "updated"
        for column, recipient in self.SHARING_COLUMNS:
            shared_on = values[column]
            if shared_on is None:
                continue
            recorded = report._first_shared_on(recipient)
            if recorded == shared_on:
                continue
            if recorded is not None:
                problems.append(
                    (
                        column,
                        shared_on.isoformat(),
                        _("This report is already recorded as shared on %(date)s.")
                        % {"date": recorded},
                    )
                )
                continue
            reports.report_share(
                report=report, actor=actor, recipient=recipient, shared_on=shared_on, method=""
            )
            outcome = outcome if outcome == "created" else "updated"
        if problems:
            raise RowInvalid(*problems)
        return outcome
