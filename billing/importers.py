"""The ``certificates`` import (DESIGN 5.1): recipient certificates and their decision periods,
one row each, refused for a row that would change a closed month (``offices.month_lock``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing import rules
from billing.certificates import period_problems
from billing.models import RecipientCertificate
from billing.services import certificate_save
from core import calendar, tabular
from core.tabular import Column, RowInvalid
from offices.month_lock import closed_months_of, import_refusal


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
        Column("recipient_number", tabular.digits(10), example="0000123456"),
        Column("municipality_number", tabular.digits(6), example="131016"),
        Column("decision_start", tabular.parse_date, example="2024-04-01"),
        Column("decision_end", tabular.parse_date, example="2025-03-31"),
        Column("copay_cap", tabular.parse_int, required=False, blank=True, example="9300"),
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
        if values.usable("municipality_number") and not rules.municipality_number_valid(
            values["municipality_number"]
        ):
            problems.append(
                (
                    "municipality_number",
                    values["municipality_number"],
                    _("The check digit (the 6th digit) does not match the first five digits."),
                )
            )
        if values.usable("decision_start", "decision_end"):
            problems.extend(
                ("decision_end", str(values["decision_end"]), message)
                for _, message in period_problems(
                    start=values["decision_start"], end=values["decision_end"]
                )
            )
        if values["copay_cap"] is not None and values["copay_cap"] < 0:
            problems.append(("copay_cap", str(values["copay_cap"]), _("Must not be negative.")))
        if client is not None and values.usable(*self.CHANGED):
            closed = self._closed_month_problem(values, client, ctx)
            if closed is not None:
                problems.append(closed)
        if problems:
            raise RowInvalid(*problems)
        return {**values, "client": client}

    def upsert(self, values, ctx):
        return certificate_save(
            client=values["client"],
            actor=ctx["actor"],
            recipient_number=values["recipient_number"],
            municipality_number=values["municipality_number"],
            start=values["decision_start"],
            end=values["decision_end"],
            copay_cap=values["copay_cap"],
        )[1]
