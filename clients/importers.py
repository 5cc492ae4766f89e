"""The ``clients`` and ``employments`` CSV imports (DESIGN 5.1).

A user of the upload page may import only into offices they manage; a row naming any other
office is refused with the same message as an unknown office, so a file cannot probe which
offices exist. The command line (``user is None``) reaches every office that uses the system.

Each batch of rows is checked with a few queries (the clients it names, their employments) and
written set-based: new rows in one statement, changed ones in another, and their audit events.
"""

from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients import selectors, services, validation
from clients.models import Client, Employer, Employment
from core import audit, tabular
from core.models import AuditAction
from core.tabular import Column, RowInvalid
from core.vocab import DisabilityType, PlanType, SeparationReason
from offices.models import Office
from offices.scoping import is_manager, offices_in_use, offices_managed_by


def _importable_offices(user):
    if user is None:
        return offices_in_use()
    return offices_managed_by(user)


def _office_context(user):
    return {
        "user": user,
        "offices": {o.office_number: o for o in _importable_offices(user)},
        "all_offices": dict(Office.objects.values_list("office_number", "pk")),
    }


def _office(values, ctx):
    office = ctx["offices"].get(values["office_number"])
    if office is None:
        raise RowInvalid(
            (
                "office_number",
                values["office_number"],
                _("No office with this number that you may import into."),
            )
        )
    return office


def _cell(value):
    """A parsed value as the row's cell showed it, for the error report."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(value)
    return value


def _row_problems(problems, values, columns=None):
    """The rules' (field, message) problems as (column, value, reason), naming the column."""
    columns = columns or {}
    named = []
    for field, message in problems:
        column = columns.get(field, field)
        named.append((column, _cell(values.get(column)), message))
    return named


def _audit(ctx, created, updated, detail=""):
    """The events of a batch's created and updated rows (clients, or (client, detail) pairs)."""
    for action, objects in ((AuditAction.CREATE, created), (AuditAction.UPDATE, updated)):
        if objects:
            audit.record_many(
                actor=ctx["actor"],
                action=action,
                objects=objects,
                office_of=lambda client: client.office,
                detail=detail,
            )


def _offices_of_batch(rows, ctx):
    return {
        ctx["offices"][row["office_number"]].pk
        for row in rows
        if row["office_number"] in ctx["offices"]
    }


def _clients_of_batch(rows, ctx):
    """{(office id, client code): client} of the clients a batch names, with their offices."""
    return {
        (client.office_id, client.client_code): client
        for client in Client.objects.select_related("office").filter(
            office_id__in=_offices_of_batch(rows, ctx),
            client_code__in={row["client_code"] for row in rows if row["client_code"]},
        )
    }


class _ScopedImport(tabular.ImportKind):
    def allowed(self, user):
        return is_manager(user)

    def context(self, user):
        return _office_context(user)


@tabular.register
class ClientImport(_ScopedImport):
    name = "clients"
    label = gettext_lazy("Clients")
    key = ("office_number", "client_code")
    columns = (
        Column("office_number", tabular.digits(10), example="1310000001"),
        Column("client_code", tabular.text(32), example="C001"),
        Column("family_name", tabular.text(50), example="山田"),
        Column("given_name", tabular.text(50), example="太郎"),
        Column("family_name_kana", tabular.kana(50), blank=True, default="", example="ヤマダ"),
        Column("given_name_kana", tabular.kana(50), blank=True, default="", example="タロウ"),
        Column("birth_date", tabular.parse_date, blank=True, example="1995/7/9"),
        Column(
            "disability_types",
            tabular.codes_of(DisabilityType),
            blank=True,
            default=list,
            example="知的、精神",
        ),
        Column("referral_office_number", tabular.digits(10), blank=True, default=""),
        Column(
            "plan_type", tabular.code_of(PlanType), blank=True, default="", example="セルフプラン"
        ),
        Column("consultation_office_number", tabular.digits(10), blank=True, default=""),
        Column("service_start", tabular.parse_date, example="2024/4/1"),
        Column("service_end", tabular.parse_date, blank=True),
        Column("service_end_reason", tabular.text(200), blank=True, default=""),
        # Required only when the service starts earlier than 6 months after the hire: the
        # reason a manager confirms the early start with (the importer's user confirms it).
        Column("early_start_reason", tabular.text(), required=False, blank=True, default=""),
    )
    # The model's field names (the rules' problems) that are not the column names.
    COLUMN_OF = {"consultation_office": "consultation_office_number"}

    def context(self, user):
        ctx = super().context(user)
        ctx["today"] = timezone.localdate()
        return ctx

    def prepare(self, rows, ctx):
        ctx["existing"] = _clients_of_batch(rows, ctx)
        ctx["spans"] = selectors.employment_spans_by_client(
            [client.pk for client in ctx["existing"].values()]
        )

    def _existing(self, values, ctx):
        office = values.get("office")
        if office is None:
            return None
        return ctx["existing"].get((office.pk, values["client_code"]))

    def _rule_problems(self, values, ctx):
        """The rules of ``clients.validation``, each when the cells it reads could be read."""
        problems = [
            *(
                validation.client_code_problems(client_code=values["client_code"])
                if values.usable("client_code")
                else []
            ),
            *validation.kana_problems(
                family_name_kana=values["family_name_kana"],
                given_name_kana=values["given_name_kana"],
            ),
            *validation.birth_date_problems(birth_date=values["birth_date"], today=ctx["today"]),
        ]
        start = values["service_start"]
        if values.usable("service_start", "service_end", "service_end_reason"):
            problems += validation.service_period_problems(
                service_start=start,
                service_end=values["service_end"],
                service_end_reason=values["service_end_reason"],
            )
        if values.usable("plan_type", "consultation_office_number"):
            problems += validation.plan_problems(
                plan_type=values["plan_type"],
                consultation_office=values["consultation_office_number"],
            )
        if values.usable("service_start", "early_start_reason", "client_code"):
            client = self._existing(values, ctx)
            # Only a manager imports clients, into offices they manage (or the command line):
            # a reason in the row is the manager's confirmation.
            problems += validation.early_start_problems(
                service_start=start,
                employments=ctx["spans"].get(client.pk, []) if client is not None else [],
                already_confirmed=client is not None
                and validation.early_start_confirmation_stands(
                    stored_service_start=client.service_start,
                    stored_reason=client.early_start_reason,
                    confirmed_by_id=client.early_start_confirmed_by_id,
                    service_start=start,
                ),
                can_confirm=True,
                confirmed=True,
                reason=values["early_start_reason"],
            )
        return problems

    def validate(self, values, ctx):
        problems = []
        try:
            values["office"] = _office(values, ctx)
        except RowInvalid as exc:
            problems.extend(exc.problems)
        for column in ("referral_office_number", "consultation_office_number"):
            number = values[column]
            if number and number not in ctx["all_offices"]:
                problems.append(
                    (column, number, _("No office with this number; import it as an office first."))
                )
        problems.extend(_row_problems(self._rule_problems(values, ctx), values, self.COLUMN_OF))
        if problems:
            raise RowInvalid(*problems)
        return values

    FIELDS = (
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "birth_date",
        "disability_types",
        "referral_office",
        "plan_type",
        "consultation_office",
        "service_start",
        "service_end",
        "service_end_reason",
    )
    CONFIRMATION_FIELDS = (
        "early_start_reason",
        "early_start_confirmed_by",
        "early_start_confirmed_at",
    )

    def write(self, rows, ctx):
        new, changed = [], []
        for _row, values in rows:
            fields = {
                "family_name": values["family_name"],
                "given_name": values["given_name"],
                "family_name_kana": values["family_name_kana"],
                "given_name_kana": values["given_name_kana"],
                "birth_date": values["birth_date"],
                "disability_types": values["disability_types"],
                "referral_office_id": ctx["all_offices"].get(values["referral_office_number"]),
                "plan_type": values["plan_type"],
                "consultation_office_id": ctx["all_offices"].get(
                    values["consultation_office_number"]
                ),
                "service_start": values["service_start"],
                "service_end": values["service_end"],
                "service_end_reason": values["service_end_reason"],
            }
            reason = values["early_start_reason"]
            client = self._existing(values, ctx)
            if client is None:
                client = Client(
                    office=values["office"], client_code=values["client_code"], **fields
                )
                if reason:
                    services.confirm_early_start(client=client, user=ctx["user"], reason=reason)
                new.append(client)
                continue
            is_changed = tabular.update_fields(client, fields)
            # A blank cell keeps the confirmation on record; a new reason is a new confirmation.
            if reason and reason != client.early_start_reason:
                services.confirm_early_start(client=client, user=ctx["user"], reason=reason)
                is_changed = True
            if is_changed:
                changed.append(client)
        Client.objects.bulk_create(new)
        if changed:
            Client.objects.bulk_update(changed, [*self.FIELDS, *self.CONFIRMATION_FIELDS])
        _audit(ctx, new, changed, "clients CSV import")
        unchanged = len(rows) - len(new) - len(changed)
        return Counter(created=len(new), updated=len(changed), unchanged=unchanged), []


@tabular.register
class EmploymentImport(_ScopedImport):
    name = "employments"
    label = gettext_lazy("Employments")
    key = ("office_number", "client_code", "start_date")
    columns = (
        Column("office_number", tabular.digits(10), example="1310000001"),
        Column("client_code", tabular.text(32), example="C001"),
        Column("start_date", tabular.parse_date, example="2023/10/1"),
        Column("employer_name", tabular.text(200), example="株式会社さくら食品"),
        Column("end_date", tabular.parse_date, blank=True),
        Column("separation_reason", tabular.code_of(SeparationReason), blank=True, default=""),
        Column(
            "supported_job_change", tabular.parse_bool, blank=True, default=False, example="いいえ"
        ),
        # The return from leave (休職): the service may start 6 months after it (DESIGN 5.1).
        Column(
            "returned_from_leave_on", tabular.parse_date, required=False, blank=True, default=None
        ),
    )

    def prepare(self, rows, ctx):
        ctx["clients"] = _clients_of_batch(rows, ctx)

    def validate(self, values, ctx):
        problems = []
        office = client = None
        try:
            office = _office(values, ctx)
        except RowInvalid as exc:
            problems.extend(exc.problems)
        if office is not None and values.usable("client_code"):
            client = ctx["clients"].get((office.pk, values["client_code"]))
            if client is None:
                problems.append(
                    (
                        "client_code",
                        values["client_code"],
                        _("No client with this code in the office; import the clients first."),
                    )
                )
        period = (
            "start_date",
            "end_date",
            "separation_reason",
            "supported_job_change",
            "returned_from_leave_on",
        )
        if values.usable(*period):
            problems.extend(
                _row_problems(
                    validation.employment_period_problems(**{c: values[c] for c in period}),
                    values,
                )
            )
        if problems:
            raise RowInvalid(*problems)
        values["office"] = office
        values["client"] = client
        return values

    def _employers(self, rows):
        """{(office id, name): employer} of a batch's employers, the missing ones created (by
        name, per office), in two statements."""
        wanted = {(values["office"].pk, values["employer_name"]) for _row, values in rows}
        employers = {
            (e.office_id, e.name): e
            for e in Employer.objects.filter(
                office_id__in={office for office, _name in wanted},
                name__in={name for _office, name in wanted},
            )
        }
        missing = [
            Employer(office_id=office, name=name)
            for office, name in sorted(wanted)
            if (office, name) not in employers
        ]
        Employer.objects.bulk_create(missing)
        employers.update({(e.office_id, e.name): e for e in missing})
        return employers

    def _recorded(self, rows):
        """{(client id, start date): employment} of the batch's keys already recorded."""
        return {
            (e.client_id, e.start_date): e
            for e in Employment.objects.filter(
                client_id__in={values["client"].pk for _row, values in rows},
                start_date__in={values["start_date"] for _row, values in rows},
            )
        }

    FIELDS = (
        "employer",
        "end_date",
        "separation_reason",
        "supported_job_change",
        "returned_from_leave_on",
    )

    def write(self, rows, ctx):
        employers = self._employers(rows)
        recorded = self._recorded(rows)
        new, changed, created_events, updated_events = [], [], [], []
        for _row, values in rows:
            client = values["client"]
            fields = {
                "employer_id": employers[(values["office"].pk, values["employer_name"])].pk,
                "end_date": values["end_date"],
                "separation_reason": values["separation_reason"],
                "supported_job_change": values["supported_job_change"],
            }
            # A blank cell (or a file without the column) keeps a return date on record, as a
            # blank early_start_reason keeps a confirmation: files made before the column don't
            # erase it.
            if values["returned_from_leave_on"] is not None:
                fields["returned_from_leave_on"] = values["returned_from_leave_on"]
            employment = recorded.get((client.pk, values["start_date"]))
            detail = f"employments CSV import {values['start_date']}"
            if employment is None:
                new.append(Employment(client=client, start_date=values["start_date"], **fields))
                created_events.append((client, detail))
            elif tabular.update_fields(employment, fields):
                changed.append(employment)
                updated_events.append((client, detail))
        Employment.objects.bulk_create(new)
        if changed:
            Employment.objects.bulk_update(changed, self.FIELDS)
        _audit(ctx, created_events, updated_events)
        unchanged = len(rows) - len(new) - len(changed)
        return Counter(created=len(new), updated=len(changed), unchanged=unchanged), []
