"""Writing tables: CSV in UTF-8 with BOM or CP932 (unencodable characters reported, not
replaced), XLSX through openpyxl, every cell that a spreadsheet would run as a formula neutralised.

XLSX sheets have a bold, frozen header row, columns as wide as their contents (a full-width
character counts twice) and dates as date cells shown ``yyyy-mm-dd``; CSV writes dates ISO
(``YYYY-MM-DD``), which Excel reads as dates. ``table_bytes`` is the one entry point of the list
exports: the first sheet is the CSV, every sheet goes into the XLSX.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.calendar import JST
from core.tabular.reading import UTF8_BOM

_FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r")


def neutralise(value):
    """A cell as text that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value  # a number (a negative one too) is no formula; XLSX keeps it a number
    if isinstance(value, dt.datetime):
        return value.astimezone(JST).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text_value = str(value)
    if text_value.startswith(_FORMULA_STARTS):
        return "'" + text_value
    return text_value


def restore_neutralised(text):
    """The cell as it was before ``neutralise`` (for files this project exported itself)."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text


@dataclass(frozen=True)
class UnencodableCell:
    row: int
    column: str
    character: str

    def __str__(self):
        return _(
            "row %(row)s, column %(column)s: “%(char)s” (U+%(code)04X) cannot be written in CP932"
        ) % {
            "row": self.row,
            "column": self.column,
            "char": self.character,
            "code": ord(self.character),
        }


class ExportEncodingError(Exception):
    def __init__(self, cells):
        self.cells = cells
        super().__init__("; ".join(str(c) for c in cells))


ENCODINGS = ("utf-8", "cp932")


def csv_bytes(header, rows, *, encoding="utf-8"):
    """CSV bytes: UTF-8 with BOM, or CP932 with every unencodable cell reported, not replaced."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported encoding {encoding}")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    problems = []
    for index, row in enumerate(rows, start=2):
        cells = [neutralise(v) for v in row]
        if encoding == "cp932":
            for column, cell in zip(header, cells, strict=False):
                for char in str(cell):
                    try:
                        char.encode("cp932")
                    except UnicodeEncodeError:
                        problems.append(UnencodableCell(index, column, char))
        writer.writerow(cells)
    if problems:
        raise ExportEncodingError(problems)
    if encoding == "cp932":
        return buffer.getvalue().encode("cp932")
    return UTF8_BOM + buffer.getvalue().encode("utf-8")


XLSX_DATE_FORMAT = "yyyy-mm-dd"
COLUMN_WIDTH_MIN = 6
COLUMN_WIDTH_MAX = 60


def xlsx_bytes(sheets):
    """XLSX bytes from ``[(title, header, rows), ...]``; cells neutralised like CSV, dates as
    date cells; each sheet's header row bold and frozen, its columns sized to their contents."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        widths = [display_width(h) for h in header]
        sheet.append([neutralise(h) for h in header])
        for row in rows:
            cells = [_xlsx_cell(v) for v in row]
            sheet.append(cells)
            for index, value in enumerate(cells):
                width = 10 if isinstance(value, dt.date) else display_width(value)
                if index < len(widths):
                    widths[index] = max(widths[index], width)
                else:
                    widths.append(width)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = XLSX_DATE_FORMAT
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(width + 2, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX
            )
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(value):
    """A date stays a date (Excel shows and sorts it as one); anything else is neutralised."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return neutralise(value)


def display_width(value):
    """How many columns ``value`` takes in a spreadsheet: a full-width (East Asian wide)
    character counts as two; the longest line of a multi-line cell counts."""
    lines = str(value if value is not None else "").splitlines() or [""]
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines
    )


def table_bytes(sheets, *, fmt):
    """The bytes of a list's download in ``fmt`` (a key of ``downloads.CONTENT_TYPES``): every
    sheet of ``[(title, header, rows), ...]`` in XLSX, the first alone in CSV.

    Raises ExportEncodingError for ``csv-cp932`` when a character cannot be written."""
    if fmt == "xlsx":
        return xlsx_bytes(sheets)
    _title, header, rows = sheets[0]
    return csv_bytes(header, rows, encoding="cp932" if fmt == "csv-cp932" else "utf-8")


def _sheet_title(title):
    cleaned = re.sub(r"[\[\]\*\?/\\:]", "_", str(title))
    return cleaned[:31] or "Sheet"
