"""HTTP downloads of a table (CSV or XLSX) and of any file; the bytes come from
core.tabular.writing (or the caller, for a PDF). Every download's ``Content-Disposition`` is
built by ``content_disposition``, so no file name (a client code, a survey slug) can break the
header.

The list exports (every list page a manager or survey coordinator uses: docs/data-contracts.md
"List exports") share one scheme: ``<list>/export/?format=csv|xlsx&encoding=utf-8|cp932`` plus
the page's own filters, read by ``core.params.export_format_param`` (400 for anything else).
A CP932 download that meets a character CP932 cannot write is refused, not mangled:
``unencodable_refusal`` sends the user back to the list with a Japanese message naming the
cells. ``list_download`` is a list export's answer, the file or that refusal, for every view."""

import re
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.tabular.writing import ExportEncodingError, csv_bytes, xlsx_bytes

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "csv-cp932": "text/csv; charset=shift_jis",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download_response(filename_stem, header, rows, *, fmt="csv"):
    """An HttpResponse with the table as csv (UTF-8 BOM), csv-cp932 or xlsx.

    Raises ExportEncodingError for csv-cp932 when a character cannot be written.
    """
    rows = list(rows)
    if fmt == "xlsx":
        body = xlsx_bytes([(filename_stem, header, rows)])
    else:
        body = csv_bytes(header, rows, encoding="cp932" if fmt == "csv-cp932" else "utf-8")
    return file_response(filename_stem, body, fmt=fmt)


def file_response(filename_stem, body, *, fmt="csv"):
    """An HttpResponse downloading ``body``, bytes already written in ``fmt``."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"{filename_stem}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    response["Content-Disposition"] = content_disposition(filename)
    return response


def list_download(request, fmt, build, *, back_url, filename_stem):
    """A list export's answer: the file ``build()`` writes in ``fmt`` (the caller's
    ``core.params.export_format_param``; ``build`` records the export once the bytes exist), or,
    when CP932 cannot write one of its characters, back to the list at ``back_url`` with the
    refusal (``unencodable_refusal``)."""
    try:
        body = build()
    except ExportEncodingError as error:
        return unencodable_refusal(request, error, back_url=back_url)
    return file_response(filename_stem, body, fmt=fmt)


UNENCODABLE_CELLS_SHOWN = 5


def unencodable_refusal(request, error, *, back_url):
    """The answer to a CP932 download refused for ``error`` (an ``ExportEncodingError``): back
    to ``back_url`` with a message naming the first cells, so the user can fix them or choose
    UTF-8. Nothing was exported (the caller records the export only once its bytes exist)."""
    cells = "; ".join(str(cell) for cell in error.cells[:UNENCODABLE_CELLS_SHOWN])
    more = len(error.cells) - UNENCODABLE_CELLS_SHOWN
    if more > 0:
        cells += " " + _("(and %(count)s more)") % {"count": more}
    messages.error(
        request,
        _(
            "The file was not created: some characters cannot be written in Shift_JIS (CP932). "
            "Download the UTF-8 CSV or Excel instead. %(cells)s"
        )
        % {"cells": cells},
    )
    return redirect(back_url)


# Control characters (a CR/LF would end the header), quotes, backslashes and path separators.
_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/;]')


def content_disposition(filename, *, inline=False):
    """The header value naming ``filename``: unsafe characters become ``_``; an ASCII fallback
    for old browsers and the UTF-8 name (RFC 6266) for the rest."""
    safe = _UNSAFE_IN_FILENAME.sub("_", filename) or "download"
    fallback = safe.encode("ascii", "replace").decode().replace("?", "_")
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(safe)}"
