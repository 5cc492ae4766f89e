"""The ``support_plans`` and ``case_meetings`` CSV imports (DESIGN 5.1).

Like the clients import, a user of the upload page imports only into offices they manage; a row
naming any other office is refused with the same message as an unknown office. The command line
(``user is None``) reaches every office that uses the system.

support_plans key: office_number, client_code, plan_date (one version per plan date).
case_meetings key: office_number, client_code, held_on (one meeting per person and day).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from core import audit, tabular
from core.models import AuditAction
from core.tabular import Column, RowInvalid
from offices.scoping import is_manager, offices_in_use, offices_managed_by
from plans import rules, services
from plans.models import CaseMeeting, Presenter, SupportPlan


def _agencies(text):
    names = [name.strip() for name in text.replace("、", ";").split(";") if name.strip()]
    return list(dict.fromkeys(names))


class _PlanImportBase(tabular.ImportKind):
    def allowed(self, user):
        return is_manager(user)

    def context(self, user):
        offices = offices_in_use() if user is None else offices_managed_by(user)
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

    def validate(self, values, ctx):
        client = self._client(values, ctx)
        if not values.usable("agencies"):  # the column is missing: reported with the header
            return {**values, "client": client}
        agencies = _agencies(values["agencies"])
        if not agencies:
            raise RowInvalid(("agencies", values["agencies"], _("Name at least one agency.")))
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
