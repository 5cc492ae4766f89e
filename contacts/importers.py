"""The ``contacts`` and ``support_reports`` CSV imports (DESIGN 5.1).

Key: office_number, client_code, contacted_at, method, counterpart. A row whose key matches a
contact already recorded (even one deleted since) adds nothing, so re-importing a file adds nothing.
A batch of rows is checked with at most two queries (the clients and staff it names that earlier
batches did not; a third for rows in a closed month, below) and written by
``contacts.services.contacts_import`` with a few statements: on PostgreSQL the rows are staged
with ``COPY`` and the new contacts and their events written by one
``INSERT … SELECT``; the changed ones are updated with their revisions and events.

A month closed for billing is locked (``offices.month_lock``): its closed months are loaded once per
file, and a row that would create or change a contact in one is refused before anything is
written, on both paths (the contacts of a batch's rows in closed months are loaded in one more
query, only when there are such rows). A row that changes nothing passes, so a file already
imported imports again as all unchanged.
"""

import datetime as dt

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from contacts import reports, validation
from contacts.face_to_face import default_face_to_face
from contacts.models import Contact, ReportRecipient, SupportReport
from contacts.services import ImportedContact, contacts_import
from contacts.validation import FUTURE_TOLERANCE, MAX_DURATION_MINUTES
from core import calendar, tabular
from core.calendar import Month
from core.names import display_name, staff_display_name
from core.tabular import Column, RowInvalid
from core.vocab import ContactMethod, Counterpart
from offices.month_lock import closed_months_of, import_refusal
from offices.scoping import is_member, offices_in_use, offices_visible_to, staff_named


def _cell(value):
    """A parsed value as the row's cell showed it, for the error report."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="minutes")
    return value


def _month_of(contacted_at):
    return Month.of(contacted_at.astimezone(calendar.JST).date())


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
        Column(
            "staff",
            tabular.staff_name(),
            required=False,
            blank=True,
            default="",
        ),
        Column(
            "summary",
            tabular.text(),
            required=False,
            blank=True,
            default="",
            example="職場で業務の様子を確認した",
        ),
    )

    # What the contact history's export writes beside these (``contacts.exports``): an exported
    # list imports again as it is.
    ignored_columns = ("client_name", "face_to_face", "next_follow_up", "deleted")

    def allowed(self, user):
        return is_member(user)

    def example_row(self, user):
        """The template's example names a person of an office the user works in, and the user
        (by name, family name first), so that it imports as it is; the printed example when the
        user's offices have nobody yet."""
        found = (
            Client.objects.filter(office__memberships__user=user)
            .order_by("office__office_number", "client_code")
            .values_list("office__office_number", "client_code")
            .first()
        )
        if found is None:
            return {}
        # Today at 10:30, or at the current minute before then: a contact may not lie in the future.
        now = calendar.now()
        at = min(
            now.replace(second=0, microsecond=0),
            now.replace(hour=10, minute=30, second=0, microsecond=0),
        )
        return {
            "office_number": found[0],
            "client_code": found[1],
            "staff": staff_display_name(user),
            "contacted_at": f"{at.year}/{at.month}/{at.day} {at.hour}:{at.minute:02d}",
        }

    # Clients and staff are remembered for the rest of the file once loaded (a file names the
    # same people on many rows), up to this many of each; beyond, a batch loads its own again.
    REMEMBERED = 50_000

    def context(self, user):
        reach = offices_in_use() if user is None else offices_visible_to(user)
        offices = list(reach)
        now = calendar.now()
        return {
            "user": user,
            "offices": {o.office_number: o for o in offices},
            "office_ids": {o.office_number: o.id for o in offices},
            "closed": closed_months_of(reach),  # (office id, Month) closed for billing
            "recorded_in_closed": {},  # the batch's contacts in closed months, by key
            "now": now,
            "latest": now + FUTURE_TOLERANCE,  # ``contacted_at_problems``' bound, for speed
            "clients": {},  # (office id, client code) → (client id, its name) or None
            "users": {},  # (office id, name or login) → account or None
            "face_to_face": {},  # (method, office id) → the default
        }

    def prepare(self, rows, ctx):
        """The clients and staff a batch names that earlier batches did not, each kind in one
        query: plain values, no model instance per person."""
        office_ids = ctx["office_ids"]
        named_clients, named_users = set(), set()
        for row in rows:
            office_id = office_ids.get(row["office_number"])
            if office_id is None:
                continue
            if row["client_code"]:
                named_clients.add((office_id, row["client_code"]))
            if row["staff"]:
                named_users.add((office_id, row["staff"]))
        clients = ctx["clients"]
        wanted_clients = self._to_load(clients, named_clients)
        if wanted_clients:
            for pk, office_id, code, family_name, given_name in Client.objects.filter(
                office_id__in={office_id for office_id, _code in wanted_clients},
                client_code__in={code for _office, code in wanted_clients},
            ).values_list("pk", "office_id", "client_code", "family_name", "given_name"):
                if (office_id, code) in wanted_clients:
                    # ``str`` of the person, as the contact's name in its event shows it
                    name = f"{display_name(family_name, given_name)} ({code})"
                    clients[(office_id, code)] = (pk, name)
        users = ctx["users"]
        wanted_users = self._to_load(users, named_users)
        if wanted_users:
            users.update(
                staff_named(
                    {office_id for office_id, _name in wanted_users},
                    {name for _office, name in wanted_users},
                )
            )
        ctx["recorded_in_closed"] = self._recorded_in_closed(rows, ctx)

    def _recorded_in_closed(self, rows, ctx):
        """The contacts recorded under the keys of the batch's rows that fall in a closed month
        (none to load in an open month), in one query: key → (live, duration, staff id,
        summary), a live contact before a deleted one as the write takes them."""
        closed, office_ids, clients = ctx["closed"], ctx["office_ids"], ctx["clients"]
        if not closed:
            return {}
        client_ids, times = set(), set()
        for row in rows:
            office_id, at = office_ids.get(row["office_number"]), row["contacted_at"]
            if office_id is None or at is None or (office_id, _month_of(at)) not in closed:
                continue
            client = clients.get((office_id, row["client_code"]))
            if client is not None:
                client_ids.add(client[0])
                times.add(at)
        if not client_ids:
            return {}
        recorded = {}
        for client_id, at, method, counterpart, *values in (
            Contact.objects.filter(client_id__in=client_ids, contacted_at__in=times)
            .order_by(F("deleted_at").asc(nulls_first=True), "pk")
            .values_list(
                "client_id",
                "contacted_at",
                "method",
                "counterpart",
                "deleted_at",
                "duration_minutes",
                "staff_id",
                "summary",
            )
        ):
            deleted_at, duration, staff_id, summary = values
            recorded.setdefault(
                (client_id, at, method, counterpart),
                (deleted_at is None, duration, staff_id, summary),
            )
        return recorded

    def _closed_month_problem(self, values, ctx, office, client, staff, *, may_change=True):
        """The row's problem when it would create a contact in a closed month, or change one
        (``may_change``: its other cells are valid, so what it would change is known)."""
        at = values["contacted_at"]
        if (
            not ctx["closed"]  # no month closed for billing: the common case, no work per row
            or client is None
            or at is None
            or not values.usable("method", "counterpart")
            or (office.id, _month_of(at)) not in ctx["closed"]
        ):
            return None
        key = (client[0], at, values["method"], values["counterpart"])
        recorded = ctx["recorded_in_closed"].get(key)
        if recorded is not None:
            live, duration, staff_id, summary = recorded
            if not (live and may_change):
                return None  # a deleted contact stays deleted: the row changes nothing
            if (duration, staff_id, summary) == (
                values["duration_minutes"],
                staff.pk if staff is not None else None,
                values["summary"],
            ):
                return None
        return ("contacted_at", _cell(at), import_refusal(_month_of(at)))

    def _to_load(self, remembered, named):
        """The keys of ``named`` that ``remembered`` lacks, marked as looked for (None until
        found); when it would grow past ``REMEMBERED`` it is emptied and the batch loads all."""
        wanted = named.difference(remembered)
        if len(remembered) + len(wanted) > self.REMEMBERED:
            remembered.clear()
            wanted = named
        remembered.update(dict.fromkeys(wanted))
        return wanted

    def validate(self, values, ctx):
        office = ctx["offices"].get(values["office_number"])
        contacted_at, duration = values["contacted_at"], values["duration_minutes"]
        client = staff = None
        if office is not None:
            if values.usable("client_code"):
                client = ctx["clients"].get((office.id, values["client_code"]))
            if values["staff"]:
                staff = ctx["users"].get((office.id, values["staff"]))
        if (
            client is None
            or (values["staff"] and staff is None)
            or (contacted_at is not None and contacted_at > ctx["latest"])
            or (duration is not None and not 0 <= duration <= MAX_DURATION_MINUTES)
        ):
            self._refuse(values, ctx, office, client, staff)
        closed = self._closed_month_problem(values, ctx, office, client, staff)
        if closed is not None:
            raise RowInvalid(closed)
        method = values["method"]
        face_to_face = ctx["face_to_face"].get((method, office.id))
        if face_to_face is None:
            face_to_face = ctx["face_to_face"][(method, office.id)] = default_face_to_face(
                method=method, office=office
            )
        return ImportedContact(
            client_id=client[0],
            client_name=client[1],
            office=office,
            contacted_at=contacted_at,
            method=method,
            counterpart=values["counterpart"],
            face_to_face=face_to_face,
            duration_minutes=duration,
            staff=staff,
            summary=values["summary"],
        )

    def _refuse(self, values, ctx, office, client, staff):
        """Raise the row's problems (``validate`` checks the rules' outcome quickly, this says
        which rule failed and why, through ``contacts.validation``)."""
        problems = []
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
        if office is not None and values.usable("client_code") and client is None:
            problems.append(
                ("client_code", values["client_code"], _("No such client in this office."))
            )
        if office is not None and values["staff"] and staff is None:
            problems.append(
                (
                    "staff",
                    values["staff"],
                    _("No staff member of this office has this name or login."),
                )
            )
        if office is not None:
            closed = self._closed_month_problem(
                values, ctx, office, client, staff, may_change=False
            )
            if closed is not None:
                problems.append(closed)
        raise RowInvalid(*problems)

    def write(self, rows, ctx):
        return contacts_import(
            rows=rows,
            actor=ctx["actor"],
            reason=_("Updated by a CSV import."),
        ), []


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
        return {
            "user": user,
            "offices": {o.office_number: o for o in offices},
            "closed": closed_months_of(offices),  # (office id, Month) closed for billing
            "reports_in_closed": {},
        }

    def prepare(self, rows, ctx):
        """The current reports of the batch's rows in closed months (none to load in an open
        month), in one query with their sharings: (office id, client code, month) → report."""
        wanted = set()
        for row in rows:
            office = ctx["offices"].get(row["office_number"])
            if (
                office is not None
                and row["month"] is not None
                and row["client_code"]
                and (office.id, row["month"]) in ctx["closed"]
            ):
                wanted.add((office.id, row["client_code"], row["month"].first_day))
        reports_in_closed = {}
        if wanted:
            for report in (
                SupportReport.objects.current()
                .filter(
                    client__office_id__in={key[0] for key in wanted},
                    client__client_code__in={key[1] for key in wanted},
                    month__in={key[2] for key in wanted},
                )
                .select_related("client")
                .prefetch_related("sharings")
            ):
                key = (report.client.office_id, report.client.client_code, report.month)
                reports_in_closed[key] = report
        ctx["reports_in_closed"] = reports_in_closed

    def _closed_month_problem(self, values, ctx, client):
        """The row's problem when its month is closed and it would create the month's report,
        change its summary or record a sharing date other than the one recorded."""
        month = values["month"]
        if (client.office_id, month) not in ctx["closed"]:
            return None
        key = (client.office_id, client.client_code, month.first_day)
        report = ctx["reports_in_closed"].get(key)
        changes = report is None or (values["summary"] and values["summary"] != report.summary)
        for column, recipient in self.SHARING_COLUMNS:
            if values.usable(column) and values[column] is not None:
                changes = changes or report._first_shared_on(recipient) != values[column]
        if not changes:
            return None
        return ("month", str(month), import_refusal(month))

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
        if client is not None and values.usable("month"):
            closed = self._closed_month_problem(values, ctx, client)
            if closed is not None:
                problems.append(closed)
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
                        % {"date": calendar.display_date(report.shared_with_client_on)},
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
                        % {"date": calendar.display_date(recorded)},
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
