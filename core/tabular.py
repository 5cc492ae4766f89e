"""CSV and XLSX reading and writing: the one module every import and export goes through.

Import (DESIGN 5.1): the encoding is detected (UTF-8 with or without BOM, or CP932 as saved by
Excel on Japanese Windows), the header is checked, every bad row is reported with its spreadsheet
row number, column, value and reason, and a file is written whole or not at all, as an upsert by
its natural key so that importing it again changes nothing.

Export: CSV in UTF-8 with BOM (Excel opens it correctly) or CP932 on request, where a character
CP932 cannot hold is reported rather than replaced; XLSX through openpyxl. Every cell that a
spreadsheet would read as a formula is neutralised on every export path.
"""

import csv
import datetime as dt
import io
import re
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

UTF8_BOM = b"\xef\xbb\xbf"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


# ---------------------------------------------------------------------------------------------
# Reading


class FileRefused(Exception):
    """The file as a whole cannot be read (encoding, not a CSV, no header)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}

    def __str__(self):
        return _("row %(row)s, column %(column)s, value “%(value)s”: %(reason)s") % self.as_dict()


def decode(data):
    """Text of a CSV file in UTF-8 (with or without BOM) or CP932, detected, never asked."""
    if b"\x00" in data[:4096]:
        raise FileRefused(_("This is not a CSV text file."))
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileRefused(_("The file claims to be UTF-8 but is not.")) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("The file is neither UTF-8 nor Shift_JIS (CP932). Save it as CSV (UTF-8) and retry.")
        ) from exc


@dataclass
class Table:
    header: list
    rows: list  # (row_number, {column: value})


def read_csv(data):
    """Parse CSV bytes into a header and rows numbered as a spreadsheet shows them (header = 1)."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration as exc:
        raise FileRefused(_("The file is empty: a header row is required.")) from exc
    except csv.Error as exc:
        raise FileRefused(_("The file is not valid CSV: %(error)s") % {"error": exc}) from exc
    rows = []
    try:
        for cells in reader:
            row_number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
            }
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                values[None] = cells[len(header) :]
            rows.append((row_number, values))
    except csv.Error as exc:
        raise FileRefused(
            _("The file is not valid CSV near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    return Table(header=header, rows=rows)


# Cell parsers: each takes the stripped text of a non-blank cell and returns a value or raises
# ValueError with a reason for the user.


def parse_date(text):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(_("Write dates as YYYY-MM-DD."))
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(_("This date does not exist.")) from exc


def parse_datetime(text):
    """ISO 8601; a time without an offset is Japan time."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(
            _("Write times as ISO 8601, e.g. 2024-04-01T10:30 or 2024-04-01 10:30.")
        ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=TOKYO)
    return value


_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def parse_bool(text):
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(_("Write true or false (or 1/0, yes/no)."))


def parse_int(text):
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(_("Write a whole number."))
    return int(text)


def digits(length):
    def parse(text):
        if not re.fullmatch(rf"\d{{{length}}}", text):
            raise ValueError(_("Write exactly %(n)s digits.") % {"n": length})
        return text

    return parse


def code_of(choices):
    """A parser for one code of a TextChoices vocabulary."""

    def parse(text):
        if text not in choices.values:
            raise ValueError(
                _("Unknown code. Allowed: %(codes)s") % {"codes": ", ".join(choices.values)}
            )
        return text

    return parse


def codes_of(choices):
    """A parser for ``;``-separated codes of a vocabulary."""

    def parse(text):
        codes = [c.strip() for c in text.split(";") if c.strip()]
        unknown = [c for c in codes if c not in choices.values]
        if unknown:
            raise ValueError(
                _("Unknown code(s) %(unknown)s. Allowed: %(codes)s")
                % {"unknown": ", ".join(unknown), "codes": ", ".join(choices.values)}
            )
        return sorted(set(codes))

    return parse


def text(max_length=None):
    def parse(value):
        if max_length and len(value) > max_length:
            raise ValueError(_("At most %(n)s characters.") % {"n": max_length})
        return value

    return parse


@dataclass(frozen=True)
class Column:
    name: str
    parse: object = text()
    required: bool = True  # the column must be in the header
    blank: bool = False  # a cell may be empty (then the value is ``default``)
    default: object = None


class RowInvalid(Exception):
    """Raised by ImportKind.validate with (column, value, reason) triples."""

    def __init__(self, *problems):
        self.problems = problems
        super().__init__(problems)


@dataclass
class ImportResult:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def as_dict(self):
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
        }


class ImportKind:
    """One kind of CSV import. Subclasses give the columns and the rules; the runner does the rest.

    ``key`` names the natural-key columns. ``validate`` checks a parsed row against the database
    (raise RowInvalid); ``upsert`` writes it and returns "created", "updated" or "unchanged".
    ``context`` gives per-run state (lookups loaded once, the user's offices).
    """

    name = ""
    label = ""
    columns = ()
    key = ()

    def allowed(self, user):
        """Whether ``user`` may import this kind through the upload page."""
        return False

    def context(self, user):
        return {"user": user}

    def validate(self, values, ctx):
        return values

    def upsert(self, values, ctx):
        raise NotImplementedError


KINDS = {}


def register(kind_class):
    kind = kind_class()
    KINDS[kind.name] = kind
    return kind_class


def get_kind(name):
    try:
        return KINDS[name]
    except KeyError as exc:
        raise FileRefused(
            _("Unknown import kind “%(kind)s”. Known kinds: %(kinds)s")
            % {"kind": name, "kinds": ", ".join(sorted(KINDS))}
        ) from exc


def _check_header(kind, header):
    known = {c.name for c in kind.columns}
    errors = []
    seen = set()
    for name in header:
        if name in seen:
            errors.append(RowError(1, name, name, _("This column appears twice.")))
        seen.add(name)
        if name not in known:
            errors.append(RowError(1, name, name, _("Unknown column.")))
    for column in kind.columns:
        if column.required and column.name not in seen:
            errors.append(RowError(1, column.name, "", _("Required column is missing.")))
    return errors


def _parse_row(kind, row_number, raw):
    values, errors = {}, []
    if None in raw:
        errors.append(
            RowError(row_number, "", ";".join(raw[None]), _("More cells than header columns."))
        )
    for column in kind.columns:
        cell = raw.get(column.name, "")
        if cell == "":
            if not column.blank and column.name in raw:
                errors.append(RowError(row_number, column.name, "", _("A value is required.")))
            values[column.name] = column.default() if callable(column.default) else column.default
            continue
        try:
            values[column.name] = column.parse(cell)
        except ValueError as exc:
            errors.append(RowError(row_number, column.name, cell, str(exc)))
    return values, errors


def run_import(kind_name, data, *, user=None, dry_run=False, progress=None):
    """Import CSV bytes whole or not at all. ``user`` None means the command line (no scoping).

    ``progress(done, total)`` is called now and then while rows are written.
    """
    kind = get_kind(kind_name)
    result = ImportResult(kind=kind.name, dry_run=dry_run)
    try:
        table = read_csv(data)
    except FileRefused as exc:
        result.errors.append(RowError(1, "", "", str(exc)))
        return result
    result.rows = len(table.rows)
    result.errors.extend(_check_header(kind, table.header))
    if result.errors:
        return result
    if not table.rows:
        result.errors.append(RowError(2, "", "", _("The file has a header but no data rows.")))
        return result

    ctx = kind.context(user)
    cleaned, keys = [], {}
    for row_number, raw in table.rows:
        values, errors = _parse_row(kind, row_number, raw)
        if not errors:
            try:
                values = kind.validate(values, ctx)
            except RowInvalid as exc:
                errors = [RowError(row_number, c, str(v), str(r)) for c, v, r in exc.problems]
        if not errors and kind.key:
            key = tuple(values[k] for k in kind.key)
            if key in keys:
                errors.append(
                    RowError(
                        row_number,
                        kind.key[0],
                        " / ".join(str(k) for k in key),
                        _("Same key as row %(row)s.") % {"row": keys[key]},
                    )
                )
            keys[key] = row_number
        result.errors.extend(errors)
        cleaned.append((row_number, values))
    if result.errors:
        return result

    total = len(cleaned)
    with transaction.atomic():
        for done, (row_number, values) in enumerate(cleaned, start=1):
            try:
                outcome = kind.upsert(values, ctx)
            except RowInvalid as exc:
                result.errors.extend(
                    RowError(row_number, c, str(v), str(r)) for c, v, r in exc.problems
                )
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
            if progress and (done % 200 == 0 or done == total):
                progress(done, total)
        if dry_run or result.errors:
            transaction.set_rollback(True)
    if result.errors:
        result.created = result.updated = result.unchanged = 0
    return result


def update_fields(instance, values):
    """Set attributes that differ; returns whether anything changed (for idempotent upserts)."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


# ---------------------------------------------------------------------------------------------
# Writing

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
        return value.astimezone(TOKYO).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text_value = str(value)
    if text_value.startswith(_FORMULA_STARTS):
        return "'" + text_value
    return text_value


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
        extension = "xlsx"
    else:
        body = csv_bytes(header, rows, encoding="cp932" if fmt == "csv-cp932" else "utf-8")
        extension = "csv"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    from urllib.parse import quote

    filename = f"{filename_stem}.{extension}"
    response["Content-Disposition"] = (
        f'attachment; filename="{filename.encode("ascii", "replace").decode()}"; '
        f"filename*=UTF-8''{quote(filename)}"
    )
    return response
