"""HTTP downloads of a table (CSV or XLSX) and of any file; the bytes come from
core.tabular.writing (or the caller, for a PDF). Every download's ``Content-Disposition`` is
built by ``content_disposition``, so no file name (a client code, a survey slug) can break the
header."""

import re
from urllib.parse import quote

from django.http import HttpResponse

from core.tabular.writing import csv_bytes, xlsx_bytes

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


# Control characters (a CR/LF would end the header), quotes, backslashes and path separators.
_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/;]')


def content_disposition(filename, *, inline=False):
    """The header value naming ``filename``: unsafe characters become ``_``; an ASCII fallback
    for old browsers and the UTF-8 name (RFC 6266) for the rest."""
    safe = _UNSAFE_IN_FILENAME.sub("_", filename) or "download"
    fallback = safe.encode("ascii", "replace").decode().replace("?", "_")
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(safe)}"
