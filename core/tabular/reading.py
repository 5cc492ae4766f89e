"""Reading CSV files as Japanese offices have them: encoding detection, the table, cell parsers.

DESIGN 5.1: UTF-8 with or without BOM, or CP932 as saved by Excel on Japanese Windows, detected
and held to throughout: a file in another encoding (EUC-JP) or mixing UTF-8 and CP932 rows is
refused with the first row that does not fit, never read as mojibake. Cells are read as offices
write them: full-width digits, ``YYYY/M/D`` and era dates, the Japanese label of a code, kana in
hiragana or half-width katakana.
"""

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core import calendar
from core.calendar import JST
from core.names import katakana
from core.params import date_problem
from core.vocab import code_for, file_labels_allowed

UTF8_BOM = b"\xef\xbb\xbf"


class FileRefused(Exception):
    """The file as a whole cannot be read (encoding, not a CSV, no header)."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column's code (or the header cell as written, for an unknown column)
    value: str
    reason: str
    label: str = ""  # the column's Japanese name, when it has one

    @property
    def column_name(self):
        """``生年月日 (birth_date)``: the column as the file's header may name it, and its code."""
        if self.label and self.column:
            return f"{self.label} ({self.column})"
        return self.column

    def as_dict(self):
        return {
            "row": self.row,
            "column": self.column,
            "label": self.label,
            "value": self.value,
            "reason": self.reason,
        }

    def __str__(self):
        return _("row %(row)s, column %(column)s, value “%(value)s”: %(reason)s") % {
            **self.as_dict(),
            "column": self.column_name,
        }


# ---------------------------------------------------------------------------------------------
# Encodings


def _is_japanese_letter(ch):
    return "\u3041" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"


def _reads_as_japanese_utf8(line):
    """A line that is UTF-8 carrying Japanese (not an accident of CP932 bytes)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(_is_japanese_letter(ch) or "\uff00" <= ch <= "\uffef" for ch in text)


def _reads_as_euc_jp(line):
    """A line that CP932 can decode but that is EUC-JP: as CP932 it has no kana, only half-width
    soup, while as EUC-JP it is Japanese with kana."""
    try:
        euc = line.decode("euc_jp")
        sjis = line.decode("cp932")
    except UnicodeDecodeError:
        return False
    kana = sum("\u3041" <= ch <= "\u30ff" for ch in euc)
    return kana > 0 and not any("\u3041" <= ch <= "\u30ff" for ch in sjis)


def _fits(line, encoding):
    if encoding == "utf-8":
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    try:
        line.decode("cp932")
    except UnicodeDecodeError:
        return False
    return not _reads_as_japanese_utf8(line)


def _not_utf8_or_cp932(row):
    return FileRefused(
        _(
            "Row %(row)s is in neither UTF-8 nor Shift_JIS (CP932), perhaps EUC-JP. Save the "
            "file from Excel as “CSV UTF-8” or “CSV (comma delimited)” and retry."
        )
        % {"row": row}
    )


def decode(data):
    """Text of a CSV file in UTF-8 (with or without BOM) or CP932, detected, never asked, and the
    same throughout: otherwise FileRefused naming the first row that does not fit."""
    if _mostly_nul(data[:4096]):
        raise FileRefused(_("This is not a CSV text file."))
    has_bom = data.startswith(UTF8_BOM)
    if has_bom:
        data = data[len(UTF8_BOM) :]
    try:
        return _without_nul(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _without_nul(data.decode(_encoding_of_lines(data.split(b"\n"), has_bom=has_bom)))


def _mostly_nul(sample):
    """Binary, or UTF-16: not text we read (a stray NUL is reported with its line instead)."""
    return sample.count(b"\x00") * 8 > len(sample)


def _nul_refused(line):
    return FileRefused(
        _("Line %(line)s contains a NUL byte (a control character): the file is damaged or "
          "not a CSV text file. Remove it and retry.") % {"line": line}
    )  # fmt: skip


def _without_nul(text):
    """A NUL byte anywhere (PostgreSQL cannot store one) refuses the file, naming its line."""
    position = text.find("\x00")
    if position >= 0:
        raise _nul_refused(text.count("\n", 0, position) + 1)
    return text


def _encoding_of_lines(lines, *, has_bom):
    """The encoding of a file that is not UTF-8 throughout: found from its first non-ASCII line,
    then held to; FileRefused names the first line that does not fit. Line numbers are physical
    lines (the header is row 1). A byte 0x0A is a line feed in UTF-8, CP932 and EUC-JP alike,
    never part of a character, so lines can be checked one at a time."""
    encoding = "utf-8" if has_bom else None
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        if encoding is None:
            if _reads_as_japanese_utf8(line):
                encoding = "utf-8"
            elif _fits(line, "cp932") and not _reads_as_euc_jp(line):
                encoding = "cp932"
            else:
                raise _not_utf8_or_cp932(number)
            continue
        if not _fits(line, encoding):
            if encoding == "utf-8" and not _fits(line, "cp932"):
                raise _not_utf8_or_cp932(number)
            raise FileRefused(
                _(
                    "The file mixes encodings: row %(row)s is not in %(encoding)s like the rows "
                    "before it. Save the whole file again from Excel as one CSV and retry."
                )
                % {
                    "row": number,
                    "encoding": "UTF-8" if encoding == "utf-8" else "Shift_JIS (CP932)",
                }
            )
    if encoding is None:  # not reached: a file that is not UTF-8 has a non-ASCII line
        raise _not_utf8_or_cp932(1)
    return encoding


# ---------------------------------------------------------------------------------------------
# The table


def header_key(name):
    """How a header cell is compared: NFKC, no spaces, case-folded (``姓(フリガナ)`` is
    ``姓（フリガナ）``, ``Office_Number`` is ``office_number``)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


@dataclass
class Table:
    header: list
    rows: list  # (row_number, {column: value})


@dataclass
class CsvStream:
    """A CSV file read as it goes: ``rows`` yields (row_number, {column: value}) one at a time,
    so memory does not grow with the file. ``lines`` counts the file's physical lines (a first
    pass over the bytes): the header and every data row, for progress."""

    header: list
    rows: object  # an iterator
    lines: int
    encoding: str


SPOOL_IN_MEMORY = 8 * 1024 * 1024  # a stream that cannot seek is copied; larger ones to disk


def _seekable(source):
    """A binary file object that can be read more than once: bytes are wrapped, a stream that
    cannot seek is copied into a temporary file."""
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(source)
    if source.seekable():
        return source
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    shutil.copyfileobj(source, spooled)
    return spooled


def detect_encoding(stream):
    """(encoding, physical lines) of a binary file, read line by line: the rules of ``decode``
    (UTF-8 throughout, else one encoding found from the first non-ASCII line and held to),
    without holding the file in memory. Raises FileRefused naming the first row that does not
    fit. The stream is left at an unknown position."""
    stream.seek(0)
    if _mostly_nul(stream.read(4096)):
        raise FileRefused(_("This is not a CSV text file."))
    stream.seek(0)
    has_bom = stream.read(len(UTF8_BOM)) == UTF8_BOM
    if not has_bom:
        stream.seek(0)
    lines, utf8 = 0, True
    for line in stream:
        lines += 1
        if b"\x00" in line:
            raise _nul_refused(lines)
        if utf8 and not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        return ("utf-8-sig" if has_bom else "utf-8"), lines
    stream.seek(len(UTF8_BOM) if has_bom else 0)
    encoding = _encoding_of_lines((line.rstrip(b"\n") for line in stream), has_bom=has_bom)
    return ("utf-8-sig" if has_bom else encoding), lines


def open_csv(source, *, aliases=None):
    """A ``CsvStream`` over CSV bytes or a binary file object, rows numbered as a spreadsheet
    shows them (header = 1). The encoding is checked over the whole file first (``decode``'s
    rules); rows are then read one at a time. FileRefused for a file that cannot be read: at
    once for its encoding or header, while iterating ``rows`` for a malformed line.

    ``aliases`` maps ``header_key(name)`` to a column code: such header cells are read as that
    code (a Japanese column name); others are kept as written.
    """
    stream = _seekable(source)
    encoding, lines = detect_encoding(stream)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.reader(text)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration as exc:
        text.detach()
        raise FileRefused(_("The file is empty: a header row is required.")) from exc
    except csv.Error as exc:
        text.detach()
        raise FileRefused(_("The file is not valid CSV: %(error)s") % {"error": exc}) from exc
    if aliases:
        header = [aliases.get(header_key(name), name) for name in header]
    return CsvStream(
        header=header, rows=_rows(reader, text, header), lines=lines, encoding=encoding
    )


def _rows(reader, text, header):
    width, strip = len(header), str.strip
    try:
        for cells in reader:
            if not "".join(cells).strip():  # a blank line, or only blank cells
                continue
            if len(cells) == width:  # the usual row, read without looking at each cell
                yield reader.line_num, dict(zip(header, map(strip, cells), strict=True))
                continue
            values = {
                name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
            }
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                values[None] = cells[width:]
            yield reader.line_num, values
    except csv.Error as exc:
        raise FileRefused(
            _("The file is not valid CSV near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    finally:
        text.detach()  # the caller's file stays open


def read_csv(data, *, aliases=None):
    """Parse CSV bytes into a header and rows numbered as a spreadsheet shows them (header = 1):
    ``open_csv`` with every row in memory (imports stream instead)."""
    stream = open_csv(data, aliases=aliases)
    return Table(header=stream.header, rows=list(stream.rows))


# ---------------------------------------------------------------------------------------------
# Cell parsers: each takes the stripped text of a non-blank cell and returns a value or raises
# ValueError with a reason for the user. ``parser.describe()`` says what the cell takes, for the
# column list of the import page.


# ---------------------------------------------------------------------------------------------
# XLSX: an XLSX file is a zip archive, and a small upload can expand to hundreds of megabytes
# (0.8 MB → 195 MB) when a reader inflates it. Its members' sizes are read from the archive's
# directory before anything is inflated (Python's zipfile never yields more than a member's
# declared size), and the file is refused when they are out of proportion.

XLSX_MAX_MEMBERS = 1000
XLSX_MAX_RATIO = 100  # a member this many times larger than its compressed size is refused
XLSX_RATIO_FROM_BYTES = 1024 * 1024  # … once it is at least this large (tiny parts compress well)


def xlsx_archive_problem(data, *, max_bytes=None):
    """Why the XLSX ``data`` must not be opened, or "". Checks the archive's directory only: the
    number of parts, their total size once inflated (``TEICHAKU_XLSX_MAX_UNCOMPRESSED_BYTES``,
    50 MB) and each part's compression ratio (at most 100 to 1)."""
    import zipfile

    from django.conf import settings

    limit = max_bytes or settings.TEICHAKU_XLSX_MAX_UNCOMPRESSED_BYTES
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return _("The file is neither CSV nor an Excel workbook (.xlsx).")
    if len(members) > XLSX_MAX_MEMBERS:
        return _("The workbook has too many parts to be a response sheet.")
    total = sum(member.file_size for member in members)
    if total > limit:
        return _(
            "The workbook expands to %(size)s MB when opened, more than the %(limit)s MB allowed. "
            "Keep only the response sheet, or save it as CSV."
        ) % {"size": f"{total / 1e6:,.0f}", "limit": f"{limit / 1e6:,.0f}"}
    for member in members:
        if member.file_size >= XLSX_RATIO_FROM_BYTES and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            return _(
                "The workbook is compressed far more than a spreadsheet is (%(ratio)s to 1) and "
                "is not opened. Save the responses again as XLSX or CSV."
            ) % {"ratio": f"{member.file_size // max(member.compress_size, 1):,}"}
    return ""


def xlsx_rows(data):
    """The first sheet of the XLSX ``data`` as rows of text (dates and times as
    ``YYYY-MM-DD HH:MM:SS``), once ``xlsx_archive_problem`` found nothing wrong. Raises
    ``FileRefused`` with the reason."""
    from openpyxl import load_workbook

    problem = xlsx_archive_problem(data)
    if problem:
        raise FileRefused(problem)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [
            ["" if value is None else _cell_text(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        workbook.close()
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused(_("The file is neither CSV nor an Excel workbook (.xlsx).")) from exc
    return rows


def _cell_text(value):
    if hasattr(value, "isoformat") and hasattr(value, "hour"):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def fold(text):
    """NFKC: full-width digits, letters and punctuation as plain ASCII (for numbers, codes and
    dates, never for names or free text). ASCII is its own NFKC form."""
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def described(describe, *, cacheable=False):
    """Give a cell parser its ``describe()``. ``cacheable``: the parser is a pure function of
    the cell returning an immutable value and its cells repeat (an office number, a method's
    label), so an import remembers its value per distinct cell."""

    def decorate(parse):
        parse.describe = describe
        parse.cacheable = cacheable
        return parse

    return decorate


_DATE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})")


@described(lambda: _("Date: 2024-04-01, 2024/4/1, 令和6年4月1日 or R6.4.1"), cacheable=True)
def parse_date(text):
    """A date as offices write it, within the sane range (``core.params.date_problem``)."""
    return _in_sane_range(_parse_any_date(text))


def _in_sane_range(day):
    problem = date_problem(day)
    if problem:
        raise ValueError(problem)
    return day


def _parse_any_date(text):
    text = fold(text)
    match = _DATE.fullmatch(text)
    if match is None:
        if calendar.looks_like_wareki(text):
            return calendar.parse_wareki(text)
        raise ValueError(_("Write dates as YYYY-MM-DD, YYYY/M/D or 令和6年4月1日 (R6.4.1)."))
    try:
        return dt.date(int(match[1]), int(match[3]), int(match[4]))
    except ValueError as exc:
        raise ValueError(_("This date does not exist.")) from exc


_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?")


@described(lambda: _("Month: 2024-04, 2024/4, 2024年4月 or 令和6年4月"))
def parse_month(text):
    """A month as offices write it: ``2024-04``, ``2024/4``, ``2024年4月``, an era month
    (令和6年4月, R6.4), or the first day of the month (Excel turns ``2024/4`` into 2024/4/1)."""
    text = fold(text)
    match = _MONTH.fullmatch(text)
    era_day = text + ("1日" if text.endswith("月") else ".1")
    if match is None and calendar.looks_like_wareki(era_day):
        first = calendar.parse_wareki(era_day)
        return calendar.Month(first.year, first.month)
    if match is None:
        try:
            day = parse_date(text)
        except ValueError:
            day = None
        if day is None or day.day != 1:
            raise ValueError(_("Write months as YYYY-MM, YYYY/M or 令和6年4月."))
        return calendar.Month(day.year, day.month)
    month = calendar.Month(int(match[1]), int(match[2]))
    try:
        month.first_day  # noqa: B018  (validates the month)
    except ValueError as exc:
        raise ValueError(_("This month does not exist.")) from exc
    return month


_TIME = re.compile(r"(?P<date>.+?)[\sT]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?")
# The way spreadsheets write a time, read without the general rules below: ``2024/4/1 10:30``.
_SLASHED_TIME = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2})")


@described(lambda: _("Date and time: 2024/4/1 10:30 or 2024-04-01T10:30 (Japan time)"))
def parse_datetime(text):
    """ISO 8601, or a date as ``parse_date`` takes it and ``H:MM``; without an offset, Japan
    time. Within the sane range of dates."""
    value = _parse_any_datetime(text)
    _in_sane_range(value.date())
    return value


def _parse_any_datetime(text):
    text = fold(text)
    match = _SLASHED_TIME.fullmatch(text)
    if match is not None:
        try:
            return dt.datetime(*map(int, match.groups()), tzinfo=JST)
        except ValueError:
            pass  # the general rules below say which part does not exist
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is None:
        match = _TIME.fullmatch(text)
        try:
            if match is None:
                raise ValueError
            day = parse_date(match["date"])
            value = dt.datetime.combine(
                day, dt.time(int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
            )
        except ValueError as exc:
            raise ValueError(
                _("Write times as 2024/4/1 10:30 or ISO 8601, e.g. 2024-04-01T10:30.")
            ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=JST)
    return value


_TRUE = {"true", "1", "yes", "はい", "○", "〇", "◯"}
_FALSE = {"false", "0", "no", "いいえ", "×"}


@described(lambda: _("はい/いいえ, ○/×, true/false or 1/0"), cacheable=True)
def parse_bool(text):
    lowered = fold(text).lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(_("Write はい or いいえ (also ○/×, true/false, 1/0)."))


@described(lambda: _("A whole number"), cacheable=True)
def parse_int(text):
    text = fold(text)
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(_("Write a whole number."))
    return int(text)


def digits(length):
    @described(lambda: _("%(n)s digits") % {"n": length}, cacheable=True)
    def parse(text):
        text = fold(text)
        if not re.fullmatch(rf"\d{{{length}}}", text):
            raise ValueError(_("Write exactly %(n)s digits.") % {"n": length})
        return text

    return parse


def _allowed(choices):
    return file_labels_allowed(choices)


def _one_code(choices, text):
    return code_for(choices, text, fold=header_key)


def code_of(choices):
    """A parser for one code of a TextChoices vocabulary, or its Japanese label."""

    @described(lambda: _allowed(choices), cacheable=True)
    def parse(text):
        code = _one_code(choices, text)
        if code is None:
            raise ValueError(_("Unknown value. Allowed: %(codes)s") % {"codes": _allowed(choices)})
        return code

    return parse


MULTI_SEPARATORS = re.compile(r"[;；、]")


def codes_of(choices):
    """A parser for codes (or Japanese labels) of a vocabulary separated by ``;`` or ``、``."""

    @described(lambda: _("Several separated by ; or 、: %(codes)s") % {"codes": _allowed(choices)})
    def parse(text):
        parts = [part.strip() for part in MULTI_SEPARATORS.split(text) if part.strip()]
        codes = [_one_code(choices, part) for part in parts]
        unknown = [part for part, code in zip(parts, codes, strict=True) if code is None]
        if unknown:
            raise ValueError(
                _("Unknown value(s) %(unknown)s. Allowed: %(codes)s")
                % {"unknown": "、".join(unknown), "codes": _allowed(choices)}
            )
        return sorted(set(codes))

    return parse


def text(max_length=None):
    @described(
        lambda: _("Text, at most %(n)s characters") % {"n": max_length} if max_length else _("Text")
    )
    def parse(value):
        if max_length and len(value) > max_length:
            raise ValueError(_("At most %(n)s characters.") % {"n": max_length})
        return value

    return parse


def staff_name(max_length=150):
    """A staff member of the row's office, by name (family name first, with or without a
    space) or login; the import looks the name up (``offices.scoping.staff_named``)."""

    @described(
        lambda: _(
            "The staff member's name, family name first (青木 愛 or 青木愛), or their login name"
        ),
        cacheable=True,
    )
    def parse(value):
        value = value.strip()
        if len(value) > max_length:
            raise ValueError(_("At most %(n)s characters.") % {"n": max_length})
        return value

    return parse


def kana(max_length=None):
    """A reading: hiragana and half-width katakana are stored as full-width katakana."""
    plain = text(max_length)

    @described(lambda: _("Katakana (hiragana and half-width katakana are converted)"))
    def parse(value):
        return plain(katakana(value))

    return parse
