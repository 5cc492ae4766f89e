"""The ``certificates`` import (DESIGN 5.1): recipient certificates and their decision periods,
one row each, refused for a row that would change a closed month (``offices.month_lock``)."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing import rules
from billing.certificates import number_warnings, period_problems
from billing.models import CapManagementResult, RecipientCertificate
from billing.services import certificate_save, service_code_save
from core import calendar, tabular
from core.tabular import Column, RowInvalid
from offices.month_lock import closed_months_of, import_refusal


@tabular.described(lambda: _("10 half-width letters or digits"), cacheable=True)
def recipient_number(text):
    """英数 10 (``billing.rules.recipient_number_valid``), full-width input folded."""
    text = tabular.fold(text)
    if not rules.recipient_number_valid(text):
        raise ValueError(_("Write the 10 half-width letters or digits printed on the certificate."))
    return text


@tabular.register
class CertificateImport(tabular.ImportKind):
    """office_number, client_code, recipient_number, municipality_number, decision_start,
    decision_end, copay_cap (optional). Key: the person, the recipient number and the decision
    period's start. A user of the upload page imports only into offices they manage.

    A month closed for billing is locked: a row that would create or change a certificate or a
    decision period whose period (before or after the change; every period of the certificate
    when its municipality number changes) covers a closed month of the office within the
    person's service is refused, naming the months. Unlike the certificate page, which compares
    the closed months' figures, the import refuses any such change (the co-payment cap
    included): the closed months of the file's offices are loaded once, the certificates of a
    batch's rows once per batch when their office has a closed month. A row that changes nothing
    passes."""

    name = "certificates"
    label = gettext_lazy("Recipient certificates")
    key = ("office_number", "client_code", "recipient_number", "decision_start")
    columns = (
        Column("office_number", tabular.digits(10), example="1312345678"),
        Column("client_code", tabular.text(32), example="C001"),
        Column("recipient_number", recipient_number, example="0000123456"),
        Column("municipality_number", tabular.digits(6), example="131016"),
        Column("decision_start", tabular.parse_date, example="2024-04-01"),
        Column("decision_end", tabular.parse_date, example="2025-03-31"),
        Column("copay_cap", tabular.parse_int, required=False, blank=True, example="9300"),
        Column(
            "cap_manager_office_number",
            tabular.text(10),
            required=False,
            blank=True,
            example="",
        ),
        Column("cap_management_result", tabular.text(1), required=False, blank=True, example=""),
        Column("cap_management_amount", tabular.parse_int, required=False, blank=True, example=""),
    )

    # The cells a row's change is made of: the closed-month check needs them all read.
    CHANGED = (
        "recipient_number",
        "municipality_number",
        "decision_start",
        "decision_end",
        "copay_cap",
    )

    def allowed(self, user):
        from offices.scoping import is_manager

        return is_manager(user)

    def context(self, user):
        from offices.scoping import offices_in_use, offices_managed_by

        offices = offices_in_use() if user is None else offices_managed_by(user)
        closed = {}  # office id → its closed months
        for office_id, month in closed_months_of(offices):
            closed.setdefault(office_id, set()).add(month)
        return {
            "user": user,
            "offices": {o.office_number: o for o in offices},
            "clients": {},
            "closed": closed,
            "recorded_in_closed": {},
        }

    def prepare(self, rows, ctx):
        """The certificates, with their periods, of the batch's rows whose office has a closed
        month, in two queries: (office id, client code, recipient number) → (municipality
        number, {start: (end, copay cap)})."""
        wanted = set()
        for row in rows:
            office = ctx["offices"].get(row["office_number"])
            if (
                office is not None
                and office.pk in ctx["closed"]
                and row["client_code"]
                and row["recipient_number"]
            ):
                wanted.add((office.pk, row["client_code"], row["recipient_number"]))
        recorded = {}
        if wanted:
            for certificate in (
                RecipientCertificate.objects.filter(
                    client__office_id__in={key[0] for key in wanted},
                    client__client_code__in={key[1] for key in wanted},
                    recipient_number__in={key[2] for key in wanted},
                )
                .select_related("client")
                .prefetch_related("periods")
            ):
                client = certificate.client
                recorded[(client.office_id, client.client_code, certificate.recipient_number)] = (
                    certificate.municipality_number,
                    {p.start: (p.end, p.copay_cap) for p in certificate.periods.all()},
                )
        ctx["recorded_in_closed"] = recorded

    def _closed_month_problem(self, values, client, ctx):
        """The row's problem when what it would create or change covers a closed month of the
        office within the person's service; None when it changes nothing or no closed month."""
        closed = ctx["closed"].get(client.office_id)
        if not closed:
            return None
        start, end = values["decision_start"], values["decision_end"]
        municipality, periods = ctx["recorded_in_closed"].get(
            (client.office_id, client.client_code, values["recipient_number"]), (None, {})
        )
        recorded = periods.get(start)
        if municipality is None or recorded is None:
            column, spans = "decision_start", [(start, end)]
        elif municipality != values["municipality_number"]:
            column = "municipality_number"
            spans = [(start, end), *((s, e) for s, (e, _cap) in periods.items())]
        elif recorded != (end, values["copay_cap"]):
            column = "decision_end" if recorded[0] != end else "copay_cap"
            spans = [(start, end), (start, recorded[0])]
        else:
            return None
        service_start = client.service_start
        service_end = calendar.effective_end(service_start, client.service_end)
        months = {
            month
            for month in closed
            for first, last in spans
            if max(first, service_start) <= month.last_day
            and month.first_day <= min(last, service_end)
        }
        if not months:
            return None
        return (column, str(values[column] or ""), import_refusal(*months))

    def _client(self, values, ctx):
        from clients.models import Client

        office = ctx["offices"].get(values["office_number"])
        if office is None:
            raise RowInvalid(
                (
                    "office_number",
                    values["office_number"],
                    _("No office with this number that you may import into."),
                )
            )
        key = (office.pk, values["client_code"])
        if key not in ctx["clients"]:
            ctx["clients"][key] = Client.objects.filter(
                office=office, client_code=values["client_code"]
            ).first()
        client = ctx["clients"][key]
        if client is None:
            raise RowInvalid(
                ("client_code", values["client_code"], _("No such client in this office."))
            )
        return client

    def validate(self, values, ctx):
        problems = []
        client = None
        if values.usable("office_number", "client_code"):
            try:
                client = self._client(values, ctx)
            except RowInvalid as exc:
                problems.extend(exc.problems)
        if values.usable("decision_start", "decision_end"):
            problems.extend(
                ("decision_end", str(values["decision_end"]), message)
                for _, message in period_problems(
                    start=values["decision_start"], end=values["decision_end"]
                )
            )
        if values["copay_cap"] is not None and values["copay_cap"] < 0:
            problems.append(("copay_cap", str(values["copay_cap"]), _("Must not be negative.")))
        problems.extend(self._cap_management_problems(values))
        if client is not None and values.usable(*self.CHANGED):
            closed = self._closed_month_problem(values, client, ctx)
            if closed is not None:
                problems.append(closed)
        if problems:
            raise RowInvalid(*problems)
        return {**values, "client": client}

    def _cap_management_problems(self, values):
        """上限額管理: the managing office (10 half-width letters or digits), the result (1, 2
        or 3) and its amount come together or not at all."""
        office = values.get("cap_manager_office_number") or ""
        result = values.get("cap_management_result") or ""
        amount = values.get("cap_management_amount")
        problems = []
        if office and not (len(office) == 10 and office.isascii() and office.isalnum()):
            problems.append(
                ("cap_manager_office_number", office, _("Must be 10 half-width letters or digits."))
            )
        if result and result not in CapManagementResult.values:
            problems.append(("cap_management_result", result, _("Must be 1, 2 or 3.")))
        if amount is not None and amount < 0:
            problems.append(("cap_management_amount", str(amount), _("Must not be negative.")))
        given = [bool(office), bool(result), amount is not None]
        if any(given) and not all(given):
            problems.append(
                (
                    "cap_manager_office_number",
                    office,
                    _("Give the managing office, its result and the result amount together."),
                )
            )
        return problems

    def warn(self, values, ctx):
        if not values.usable("recipient_number", "municipality_number"):
            return ()
        return [
            (field, values[field], message)
            for field, message in number_warnings(
                recipient_number=values["recipient_number"],
                municipality_number=values["municipality_number"],
            )
        ]

    def upsert(self, values, ctx):
        return certificate_save(
            client=values["client"],
            actor=ctx["actor"],
            recipient_number=values["recipient_number"],
            municipality_number=values["municipality_number"],
            start=values["decision_start"],
            end=values["decision_end"],
            copay_cap=values["copay_cap"],
            cap_manager_office_number=values.get("cap_manager_office_number") or "",
            cap_management_result=values.get("cap_management_result") or "",
            cap_management_amount=values.get("cap_management_amount"),
        )[1]


@tabular.register
class ServiceCodeImport(tabular.ImportKind):
    """service_code (6: type 47 + 4 characters), item, name, effective_from, units (optional),
    verified (optional), source (optional). Key: the item and the date it takes effect. The
    master is national: administrators load it (no office column)."""

    name = "service_codes"
    label = gettext_lazy("Service codes")
    key = ("item", "effective_from")
    columns = (
        Column("service_code", tabular.text(6), example="471111"),
        Column("item", tabular.text(64), example="base_95"),
        Column("name", tabular.text(100), blank=True, default="", example="", japanese="名称"),
        Column("effective_from", tabular.parse_date, example="2024-04-01"),
        Column("units", tabular.parse_int, required=False, blank=True, example="3512"),
        Column("verified", tabular.parse_bool, required=False, blank=True, default=False),
        Column("source", tabular.text(), required=False, blank=True, default=""),
    )

    def allowed(self, user):
        return user.is_active and user.is_superuser

    def validate(self, values, ctx):
        from billing.claim.items import item_is_known

        problems = []
        code = values["service_code"]
        if values.usable("service_code") and not re.fullmatch(r"47[0-9A-Za-z]{4}", code or ""):
            problems.append(
                (
                    "service_code",
                    code,
                    _("Write 6 half-width characters: the service type 47 and 4 more."),
                )
            )
        if values.usable("item") and not item_is_known(values["item"]):
            problems.append(
                (
                    "item",
                    values["item"],
                    _(
                        "Not an item the claim bills (a base band, an addition, or a base band "
                        "with reductions)."
                    ),
                )
            )
        if values["units"] is not None and values["units"] < 0:
            problems.append(("units", str(values["units"]), _("Must not be negative.")))
        if problems:
            raise RowInvalid(*problems)
        return values

    def upsert(self, values, ctx):
        return service_code_save(
            actor=ctx["actor"],
            item=values["item"],
            service_code=values["service_code"],
            effective_from=values["effective_from"],
            name=values["name"] or "",
            units=values["units"],
            verified=bool(values["verified"]),
            source=values["source"] or "",
        )
