"""HTTP downloads of a table (CSV or XLSX); the bytes come from core.tabular.writing."""

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
    from urllib.parse import quote

    filename = f"{filename_stem}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    response["Content-Disposition"] = (
        f'attachment; filename="{filename.encode("ascii", "replace").decode()}"; '
        f"filename*=UTF-8''{quote(filename)}"
    )
    return response
