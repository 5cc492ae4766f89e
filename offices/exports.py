"""The download of the office list (the scheme of ``clients/exports.py``): the offices the user
may see that its search finds, bytes first (``core.tabular.table_bytes``), then one ``export``
event per office in the file (``audit.record_offices_exported``): the list names no people."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, tabular

OFFICE_LIST_HEADER = (
    gettext_lazy("Office number"),
    gettext_lazy("Office name"),
    gettext_lazy("Corporation"),
    gettext_lazy("Location"),
    gettext_lazy("Number of staff"),
)


def office_rows(offices):
    for office in offices:
        yield (
            office.office_number,
            office.name,
            office.corporation.name,
            f"{office.prefecture_name}{office.municipality}",
            office.staff_count,
        )


def office_list_export(*, actor, offices, fmt, detail=""):
    """The office list (``offices``: the page's search, every page, each with ``staff_count``)
    as ``fmt`` bytes, recorded as an export of each office in it."""
    offices = list(offices)
    header = [str(h) for h in OFFICE_LIST_HEADER]
    body = tabular.table_bytes([(_("Offices"), header, office_rows(offices))], fmt=fmt)
    with transaction.atomic():
        audit.record_offices_exported(
            actor=actor, export=f"office list {fmt}", offices=offices, detail=detail
        )
    return body
