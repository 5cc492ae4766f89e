"""The ``clients`` and ``employments`` CSV imports (DESIGN 5.1).

A user of the upload page may import only into offices they manage; a row naming any other
office is refused with the same message as an unknown office, so a file cannot probe which
offices exist. The command line (``user is None``) reaches every office that uses the system.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients import services, validation
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


def _audit(ctx, outcome, client, detail):
    if outcome == "unchanged":
        return
    audit.record(
        actor=ctx["actor"],
        action=AuditAction.CREATE if outcome == "created" else AuditAction.UPDATE,
        obj=client,
        detail=detail,
    )


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
        Column("office_number", tabular.digits(10)),
        Column("client_code", tabular.text(32)),
        Column("family_name", tabular.text(50)),
        Column("given_name", tabular.text(50)),
        Column("family_name_kana", tabular.text(50), blank=True, default=""),
        Column("given_name_kana", tabular.text(50), blank=True, default=""),
        Column("birth_date", tabular.parse_date, blank=True),
        Column("disability_types", tabular.codes_of(DisabilityType), blank=True, default=list),
        Column("referral_office_number", tabular.digits(10), blank=True, default=""),
        Column("plan_type", tabular.code_of(PlanType), blank=True, default=""),
        Column("consultation_office_number", tabular.digits(10), blank=True, default=""),
        Column("service_start", tabular.parse_date),
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

    def _existing(self, values):
        office = values.get("office")
        if office is None:
            return None
        return Client.objects.filter(office=office, client_code=values["client_code"]).first()

    def _rule_problems(self, values, ctx):
        start = values["service_start"]
        client = self._existing(values)
        return [
            *validation.client_code_problems(client_code=values["client_code"]),
            *validation.kana_problems(
                family_name_kana=values["family_name_kana"],
                given_name_kana=values["given_name_kana"],
            ),
            *validation.birth_date_problems(birth_date=values["birth_date"], today=ctx["today"]),
            *validation.service_period_problems(
                service_start=start,
                service_end=values["service_end"],
                service_end_reason=values["service_end_reason"],
            ),
            *validation.plan_problems(
                plan_type=values["plan_type"],
                consultation_office=values["consultation_office_number"],
            ),
            # Only a manager imports clients, into offices they manage (or the command line):
            # a reason in the row is the manager's confirmation.
            *validation.early_start_problems(
                service_start=start,
                hire_date=services.hire_date_of(client) if client is not None else None,
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
            ),
        ]

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

    def upsert(self, values, ctx):
        fields = {
            "family_name": values["family_name"],
            "given_name": values["given_name"],
            "family_name_kana": values["family_name_kana"],
            "given_name_kana": values["given_name_kana"],
            "birth_date": values["birth_date"],
            "disability_types": values["disability_types"],
            "referral_office_id": ctx["all_offices"].get(values["referral_office_number"]),
            "plan_type": values["plan_type"],
            "consultation_office_id": ctx["all_offices"].get(values["consultation_office_number"]),
            "service_start": values["service_start"],
            "service_end": values["service_end"],
            "service_end_reason": values["service_end_reason"],
        }
        office = values["office"]
        reason = values["early_start_reason"]
        client = Client.objects.filter(office=office, client_code=values["client_code"]).first()
        if client is None:
            client = Client(office=office, client_code=values["client_code"], **fields)
            if reason:
                services.confirm_early_start(client=client, user=ctx["user"], reason=reason)
            client.save()
            outcome = "created"
        else:
            changed = tabular.update_fields(client, fields)
            # A blank cell keeps the confirmation on record; a new reason is a new confirmation.
            if reason and reason != client.early_start_reason:
                services.confirm_early_start(client=client, user=ctx["user"], reason=reason)
                changed = True
            if changed:
                client.save()
                outcome = "updated"
            else:
                outcome = "unchanged"
        _audit(ctx, outcome, client, "clients CSV import")
        return outcome


@tabular.register
class EmploymentImport(_ScopedImport):
    name = "employments"
    label = gettext_lazy("Employments")
    key = ("office_number", "client_code", "start_date")
    columns = (
        Column("office_number", tabular.digits(10)),
        Column("client_code", tabular.text(32)),
        Column("start_date", tabular.parse_date),
        Column("employer_name", tabular.text(200)),
        Column("end_date", tabular.parse_date, blank=True),
        Column("separation_reason", tabular.code_of(SeparationReason), blank=True, default=""),
        Column("supported_job_change", tabular.parse_bool, blank=True, default=False),
    )

    def context(self, user):
        ctx = super().context(user)
        ctx["clients"] = {
            (number, code): pk
            for number, code, pk in Client.objects.filter(
                office__in=list(ctx["offices"].values())
            ).values_list("office__office_number", "client_code", "pk")
        }
        ctx["employers"] = {}
        return ctx

    def validate(self, values, ctx):
        office = _office(values, ctx)
        problems = []
        client_pk = ctx["clients"].get((values["office_number"], values["client_code"]))
        if client_pk is None:
            problems.append(
                (
                    "client_code",
                    values["client_code"],
                    _("No client with this code in the office; import the clients first."),
                )
            )
        problems.extend(
            _row_problems(
                validation.employment_period_problems(
                    start_date=values["start_date"],
                    end_date=values["end_date"],
                    separation_reason=values["separation_reason"],
                    supported_job_change=values["supported_job_change"],
                ),
                values,
            )
        )
        if problems:
            raise RowInvalid(*problems)
        values["office"] = office
        values["client_id"] = client_pk
        return values

    def _employer(self, office, name, ctx):
        key = (office.pk, name)
        if key not in ctx["employers"]:
            ctx["employers"][key], _created = Employer.objects.get_or_create(
                office=office, name=name
            )
        return ctx["employers"][key]

    def upsert(self, values, ctx):
        employer = self._employer(values["office"], values["employer_name"], ctx)
        fields = {
            "employer": employer,
            "end_date": values["end_date"],
            "separation_reason": values["separation_reason"],
            "supported_job_change": values["supported_job_change"],
        }
        employment = (
            Employment.objects.select_related("client")
            .filter(client_id=values["client_id"], start_date=values["start_date"])
            .first()
        )
        if employment is None:
            employment = Employment.objects.create(
                client_id=values["client_id"], start_date=values["start_date"], **fields
            )
            outcome = "created"
        elif tabular.update_fields(employment, fields):
            employment.save()
            outcome = "updated"
        else:
            outcome = "unchanged"
        _audit(ctx, outcome, employment.client, f"employments CSV import {values['start_date']}")
        return outcome
