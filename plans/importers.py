"""The ``support_plans`` and ``case_meetings`` CSV imports (DESIGN 5.1).

Like the clients import, a user of the upload page imports only into offices they manage; a row
naming any other office is refused with the same message as an unknown office. The command line
(``user is None``) reaches every office that uses the system.

support_plans key: office_number, client_code, plan_date (one version per plan date).
case_meetings key: office_number, client_code, held_on (one meeting per person and day).
A month closed for billing is locked (``offices.month_lock``): a case_meetings row that would create
or change a meeting held in a closed month of its office is refused before anything is written
(the closed months are loaded once per file, the meetings of a batch's rows in closed months in
one query); a row that changes nothing passes.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from core import audit, tabular
from core.calendar import Month
from core.models import AuditAction
from core.tabular import Column, RowInvalid
from offices.month_lock import closed_months_of, import_refusal
from offices.scoping import is_manager, offices_in_use, offices_managed_by
from plans import rules, services
from plans.models import CaseMeeting, Presenter, SupportPlan


def _agencies(text):
    names = [name.strip() for name in text.replace("、", ";").split(";") if name.strip()]
    return list(dict.fromkeys(names))


class _PlanImportBase(tabular.ImportKind):
    def allowed(self, user):
        return is_manager(user)

    def reach(self, user):
        """The offices ``user`` may import into (the command line: every office in use)."""
        return offices_in_use() if user is None else offices_managed_by(user)

    def context(self, user):
        offices = self.reach(user)
        return {"user": user, "offices": {o.office_number: o for o in offices}, "clients": {}}

    def _client(self, values, ctx):
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
            ctx["clients"][key] = (
                Client.objects.select_related("office")
                .filter(office=office, client_code=values["client_code"])
                .first()
            )
        client = ctx["clients"][key]
        if client is None:
            raise RowInvalid(
                ("client_code", values["client_code"], _("No such client in this office."))
            )
        return client

    def _audit(self, ctx, outcome, obj):
        if outcome != "unchanged":
            audit.record(
                actor=ctx["actor"],
                action=AuditAction.CREATE if outcome == "created" else AuditAction.UPDATE,
                obj=obj,
                detail=f"{self.name} import",
            )


@tabular.register
class SupportPlanImport(_PlanImportBase):
    name = "support_plans"
    label = gettext_lazy("Support plans")
    key = ("office_number", "client_code", "plan_date")
    columns = (
        Column("office_number", tabular.digits(10), example="1310000001"),
        Column("client_code", tabular.text(32), example="C001"),
        Column("plan_date", tabular.parse_date, example="2024/4/1"),
        Column("approved_on", tabular.parse_date, example="2024/4/3"),
        Column("consented_on", tabular.parse_date, example="2024/4/5"),
        Column(
            "next_review_by", tabular.parse_date, required=False, blank=True, example="2024/9/30"
        ),
    )

    def validate(self, values, ctx):
        client = self._client(values, ctx)
        dates = ("plan_date", "approved_on", "consented_on", "next_review_by")
        if not values.usable(*dates):  # an unreadable or missing date is reported already
            return {**values, "client": client}
        problems = rules.date_problems(
            plan_date=values["plan_date"],
            approved_on=values["approved_on"],
            consented_on=values["consented_on"],
            next_review_by=values["next_review_by"],
        )
        if problems:
            raise RowInvalid(*((f, str(values.get(f) or ""), m) for f, m in problems))
        return {**values, "client": client}

    def upsert(self, values, ctx):
        client = values["client"]
        review_by = rules.next_review_by(
            values["plan_date"],
            interval_months=rules.review_interval_months(client.office),
            given=values["next_review_by"],
        )
        plan = SupportPlan.objects.filter(client=client, plan_date=values["plan_date"]).first()
        if plan is None:
            plan = services.plan_create(
                client=client,
                actor=ctx["actor"],
                plan_date=values["plan_date"],
                next_review_by=review_by,
            )
            plan.approved_on = values["approved_on"]
            plan.consented_on = values["consented_on"]
            plan.save(update_fields=["approved_on", "consented_on"])
            return "created"
        changed = tabular.update_fields(
            plan,
            {
                "approved_on": values["approved_on"],
                "consented_on": values["consented_on"],
                "next_review_by": review_by,
            },
        )
        if not changed:
            return "unchanged"
        plan.save(update_fields=["approved_on", "consented_on", "next_review_by"])
        self._audit(ctx, "updated", plan)
        return "updated"


@tabular.register
class CaseMeetingImport(_PlanImportBase):
    name = "case_meetings"
    label = gettext_lazy("Case meetings")
    key = ("office_number", "client_code", "held_on")
    columns = (
        Column("office_number", tabular.digits(10), example="1310000001"),
        Column("client_code", tabular.text(32), example="C001"),
        Column("held_on", tabular.parse_date, example="2024/5/20"),
        Column("presenter", tabular.code_of(Presenter), example="サービス管理責任者"),
        Column("agencies", tabular.text(), example="ハローワーク新宿;新宿区障害者福祉課"),
        Column(
            "notes",
            tabular.text(),
            required=False,
            blank=True,
            default="",
            example="職場定着の状況を共有",
        ),
    )

    FIELDS = ("presenter", "agencies", "notes")

    def context(self, user):
        ctx = super().context(user)
        ctx["closed"] = closed_months_of(self.reach(user))
        ctx["meetings_in_closed"] = {}
        return ctx

    def prepare(self, rows, ctx):
        """The meetings recorded under the keys of the batch's rows in closed months (none to
        load in an open month), in one query: (office id, client code, held on) → fields."""
        wanted = set()
        for row in rows:
            office = ctx["offices"].get(row["office_number"])
            held_on = row["held_on"]
            if (
                office is not None
                and held_on is not None
                and row["client_code"]
                and (office.pk, Month.of(held_on)) in ctx["closed"]
            ):
                wanted.add((office.pk, row["client_code"], held_on))
        meetings = {}
        if wanted:
            for office_id, code, held_on, *fields in CaseMeeting.objects.filter(
                client__office_id__in={key[0] for key in wanted},
                client__client_code__in={key[1] for key in wanted},
                held_on__in={key[2] for key in wanted},
            ).values_list("client__office_id", "client__client_code", "held_on", *self.FIELDS):
                meetings[(office_id, code, held_on)] = tuple(fields)
        ctx["meetings_in_closed"] = meetings

    def _closed_month_problem(self, values, ctx, client, agencies):
        """The row's problem when it would create or change a meeting held in a closed month.
        With a cell it cannot read (``agencies`` None among them), only a creation is known."""
        held_on = values["held_on"]
        if held_on is None or (client.office_id, Month.of(held_on)) not in ctx["closed"]:
            return None
        recorded = ctx["meetings_in_closed"].get((client.office_id, client.client_code, held_on))
        if recorded is not None:
            if agencies is None or not values.usable(*self.FIELDS):
                return None  # refused for its cells anyway; what it would change is unknown
            if recorded == (values["presenter"], agencies, values["notes"]):
                return None
        return ("held_on", held_on.isoformat(), import_refusal(Month.of(held_on)))

    def validate(self, values, ctx):
        client = self._client(values, ctx)
        agencies = _agencies(values["agencies"]) if values.usable("agencies") else None
        closed = self._closed_month_problem(values, ctx, client, agencies or None)
        if agencies is None:  # the column is missing: reported with the header
            if closed is not None:
                raise RowInvalid(closed)
            return {**values, "client": client}
        problems = [closed] if closed is not None else []
        if not agencies:
            problems.insert(0, ("agencies", values["agencies"], _("Name at least one agency.")))
        if problems:
            raise RowInvalid(*problems)
        return {**values, "client": client, "agencies": agencies}

    def upsert(self, values, ctx):
        client = values["client"]
        meeting = CaseMeeting.objects.filter(client=client, held_on=values["held_on"]).first()
        fields = {
            "presenter": values["presenter"],
            "agencies": values["agencies"],
            "notes": values["notes"],
        }
        if meeting is None:
            services.meeting_create(
                client=client, actor=ctx["actor"], held_on=values["held_on"], **fields
            )
            return "created"
        if not tabular.update_fields(meeting, fields):
            return "unchanged"
        meeting.save(update_fields=list(fields))
        self._audit(ctx, "updated", meeting)
        return "updated"
