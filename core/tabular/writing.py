"""Writing tables: CSV in UTF-8 with BOM or CP932 (unencodable characters reported, not
replaced), XLSX through openpyxl, every cell that a spreadsheet would run as a formula neutralised.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

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
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
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


def xlsx_bytes(sheets):
    """XLSX bytes from ``[(title, header, rows), ...]``; cells neutralised like CSV."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(title))
        sheet.append([neutralise(h) for h in header])
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title):
    cleaned = re.sub(r"[\[\]\*\?/\\:]", "_", str(title))
    return cleaned[:31] or "Sheet"
