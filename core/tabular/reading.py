"""Reading CSV files as Japanese offices have them: encoding detection, the table, cell parsers.

DESIGN 5.1: UTF-8 with or without BOM, or CP932 as saved by Excel on Japanese Windows.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.calendar import JST

UTF8_BOM = b"\xef\xbb\xbf"


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
    sample = data[:4096]
    if sample.count(b"\x00") * 8 > len(sample):  # binary, or UTF-16: not text we read
        raise FileRefused(_("This is not a CSV text file."))
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
        try:
            return _without_nul(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise FileRefused(_("The file claims to be UTF-8 but is not.")) from exc
    try:
        return _without_nul(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("The file is neither UTF-8 nor Shift_JIS (CP932). Save it as CSV (UTF-8) and retry.")
        ) from exc
    return _without_nul(text)


def _without_nul(text):
    """A NUL byte anywhere (PostgreSQL cannot store one) refuses the file, naming its line."""
    position = text.find("\x00")
    if position >= 0:
        line = text.count("\n", 0, position) + 1
        raise FileRefused(
            _("Line %(line)s contains a NUL byte (a control character): the file is damaged or "
              "not a CSV text file. Remove it and retry.") % {"line": line}
        )  # fmt: skip
    return text


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
        value = value.replace(tzinfo=JST)
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
