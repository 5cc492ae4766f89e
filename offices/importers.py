"""The ``offices`` CSV import (DESIGN 5.1)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, tabular
from core.models import AuditAction
from core.tabular import Column, RowInvalid
from core.vocab import PREFECTURES, CorporationType, ServiceType
from offices.models import Corporation, Office

_PREFECTURE_BY_NAME = {
    **{name: code for code, name in PREFECTURES.items()},
    # 東京 for 東京都, 大阪 for 大阪府…, but 北海道 stays whole.
    **{name[:-1]: code for code, name in PREFECTURES.items() if name[-1] in "都府県"},
}


@tabular.described(lambda: _("JIS code 01–47 (13) or the prefecture's name (東京都)"))
def _prefecture(text):
    folded = tabular.fold(text)
    if folded.isdigit() and len(folded) == 1:  # Excel drops the leading zero of 01–09
        folded = "0" + folded
    code = folded if folded in PREFECTURES else _PREFECTURE_BY_NAME.get(folded)
    if code is None:
        raise ValueError(_("Write a JIS prefecture code from 01 to 47, or the prefecture's name."))
    return code


@tabular.register
class OfficeImport(tabular.ImportKind):
    name = "offices"
    label = gettext_lazy("Offices")
    key = ("office_number",)
    columns = (
        Column("office_number", tabular.digits(10), example="1310000001"),
        Column("name", tabular.text(200), example="あおば就労定着支援センター"),
        Column(
            "corporation_number",
            tabular.digits(13),
            required=False,
            blank=True,
            default="",
            example="1234567890123",
        ),
        Column("corporation_name", tabular.text(200), example="社会福祉法人あおば会"),
        Column("corporation_type", tabular.code_of(CorporationType), example="社会福祉法人"),
        Column("prefecture_code", _prefecture, example="13"),
        Column("municipality", tabular.text(100), blank=True, default="", example="新宿区"),
        Column(
            "service_types",
            tabular.codes_of(ServiceType),
            blank=True,
            default=list,
            example="就労定着支援、就労移行支援",
        ),
        Column("uses_system", tabular.parse_bool, example="はい"),
    )

    def allowed(self, user):
        return user.is_active and user.has_perm("offices.add_office")

    def context(self, user):
        return {
            "user": user,
            # Corporations met earlier in this file, so rows without a corporation number that
            # share a name land in one corporation.
            "corporations": {},
        }

    def _corporation(self, values, ctx):
        number, name, ctype = (
            values["corporation_number"],
            values["corporation_name"],
            values["corporation_type"],
        )
        cache_key = ("number", number) if number else ("name", name)
        if cache_key in ctx["corporations"]:
            corporation = ctx["corporations"][cache_key]
            if corporation.name != name or corporation.corporation_type != ctype:
                raise RowInvalid(
                    (
                        "corporation_name",
                        name,
                        _("An earlier row gives this corporation another name or type."),
                    )
                )
            return corporation
        if number:
            corporation = Corporation.objects.filter(corporation_number=number).first()
        else:
            corporation = Corporation.objects.filter(corporation_number="", name=name).first()
        if corporation is None:
            corporation = Corporation.objects.create(
                corporation_number=number, name=name, corporation_type=ctype
            )
        elif tabular.update_fields(corporation, {"name": name, "corporation_type": ctype}):
            corporation.save()
        ctx["corporations"][cache_key] = corporation
        return corporation

    def upsert(self, values, ctx):
        corporation = self._corporation(values, ctx)
        fields = {
            "name": values["name"],
            "corporation": corporation,
            "prefecture_code": values["prefecture_code"],
            "municipality": values["municipality"],
            "service_types": values["service_types"],
            "uses_system": values["uses_system"],
        }
        office = Office.objects.filter(office_number=values["office_number"]).first()
        if office is None:
            office = Office.objects.create(office_number=values["office_number"], **fields)
            outcome, action = "created", AuditAction.CREATE
        elif tabular.update_fields(office, fields):
            office.save()
            outcome, action = "updated", AuditAction.UPDATE
        else:
            return "unchanged"
        audit.record(
            actor=ctx["actor"],
            action=action,
            obj=office,
            office=office,
            detail="offices CSV import",
        )
        return outcome
