"""The ``contacts`` CSV import (DESIGN 5.1).

Key: office_number, client_code, contacted_at, method, counterpart. A row whose key matches a
contact already recorded (even one deleted since) adds nothing, so re-importing a file adds nothing.
"""

import datetime as dt

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from contacts import validation
from contacts.models import Contact
from contacts.services import contact_create, contact_update
from core import calendar, tabular
from core.tabular import Column, RowInvalid
from core.vocab import ContactMethod, Counterpart
from offices.scoping import is_member, offices_in_use, offices_visible_to, staff_of


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
            "clients": {},
            "users": {},
            "now": calendar.now(),
        }

    def _client(self, office, code, ctx):
        key = (office.pk, code)
        if key not in ctx["clients"]:
            ctx["clients"][key] = (
                Client.objects.select_related("office")
                .filter(office=office, client_code=code)
                .first()
            )
        return ctx["clients"][key]

    def _staff(self, office, username, ctx):
        key = (office.pk, username)
        if key not in ctx["users"]:
            ctx["users"][key] = (
                staff_of([office], including_inactive=True).filter(username=username).first()
            )
        return ctx["users"][key]

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
            client = self._client(office, values["client_code"], ctx)
            if client is None:
                problems.append(
                    ("client_code", values["client_code"], _("No such client in this office."))
                )
        if office is not None and values["staff"]:
            staff = self._staff(office, values["staff"], ctx)
            if staff is None:
                problems.append(
                    ("staff", values["staff"], _("No staff member with this login in this office."))
                )
        if problems:
            raise RowInvalid(*problems)
        return {**values, "office": office, "client": client, "staff_user": staff}

    def upsert(self, values, ctx):
        client = values["client"]
        fields = {
            "duration_minutes": values["duration_minutes"],
            "staff": values["staff_user"],
            "summary": values["summary"],
        }
        contact = (
            Contact.objects.filter(
                client=client,
                contacted_at=values["contacted_at"],
                method=values["method"],
                counterpart=values["counterpart"],
            )
            .order_by(F("deleted_at").asc(nulls_first=True), "pk")  # a live one first
            .first()
        )
        if contact is not None:
            if contact.is_deleted:
                return "unchanged"  # deleted on purpose: an import does not bring it back
            updated = contact_update(
                contact=contact, actor=ctx["actor"], reason=_("Updated by a CSV import."), **fields
            )
            return "unchanged" if updated is None else "updated"
        contact_create(
            client=client,
            contacted_at=values["contacted_at"],
            method=values["method"],
            counterpart=values["counterpart"],
            actor=ctx["actor"],
            **fields,
        )
        return "created"
