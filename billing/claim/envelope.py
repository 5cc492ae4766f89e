"""The claim file's envelope (DESIGN 5.5, the interface spec's 共通編): CP932, comma separated,
CRLF; a control record, the data records numbered from 2, an end record. Each inner record is
written from its layout (``billing.claim.layouts``): every field is checked against its attribute
and its maximum length in CP932 bytes before anything is written.

- 英数: half-width characters only (ASCII and half-width katakana: one CP932 byte each);
- 数値 and コード値: ASCII digits only;
- 漢字: full-width characters only (two CP932 bytes each);
- a field holding a comma, a double quote, a space or a full-width character is quoted, inner
  quotes doubled.
"""

from billing.claim.layouts import LAYOUTS

ENCODING = "cp932"
NEWLINE = "\r\n"
MAX_DATA_BYTES = 822


class LayoutError(ValueError):
    """A value that does not fit its field: a bug or a value the caller must refuse first."""


def byte_length(text):
    return len(text.encode(ENCODING))


def check(record, position, value):
    """Refuse ``value`` for field ``position`` of ``record`` unless it fits its attribute and
    length."""
    _pos, name, attribute, max_bytes = LAYOUTS[record][position - 1]
    if value == "":
        return
    try:
        size = byte_length(value)
    except UnicodeEncodeError as exc:
        raise LayoutError(f"{record} {position} {name}: not CP932: {value!r}") from exc
    if size > max_bytes:
        raise LayoutError(f"{record} {position} {name}: {size} bytes > {max_bytes}: {value!r}")
    if attribute in ("数値", "コード値"):
        ok = value.isascii() and value.isdigit()
    elif attribute == "英数":
        ok = all(byte_length(ch) == 1 for ch in value)
    elif attribute == "漢字":
        ok = all(byte_length(ch) == 2 for ch in value)
    else:
        ok = True
    if not ok:
        raise LayoutError(f"{record} {position} {name}: not {attribute}: {value!r}")


def inner_record(record, values):
    """The fields of ``record`` (e.g. ``"J121:01"``) as a list, from ``{position: value}``: the
    record's identifier (field 1) and kind (field 2) are set from its name; positions not given
    are empty. Every value is checked (``check``)."""
    layout = LAYOUTS[record]
    exchange, kind = record.split(":")
    fields = {1: exchange, 2: kind, **{p: "" if v is None else str(v) for p, v in values.items()}}
    unknown = set(fields) - set(range(1, len(layout) + 1))
    if unknown:
        raise LayoutError(f"{record}: no field {sorted(unknown)}")
    row = [fields.get(p, "") for p in range(1, len(layout) + 1)]
    for position, value in enumerate(row, start=1):
        check(record, position, value)
    return row


def _needs_quotes(value):
    return any(ch in ', "' or byte_length(ch) == 2 for ch in value)


def quote(value):
    if _needs_quotes(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def line(fields):
    return ",".join(quote(f) for f in fields)


def file_bytes(records, *, data_kind, office_number, processing_month):
    """The whole file: the control record, each inner record as a data record numbered from 2,
    the end record; CP932 with CRLF line ends. ``records`` are field lists (``inner_record``)."""
    lines = [
        line(
            [
                "1",
                "1",
                "0",
                str(len(records)),
                data_kind,
                "0",
                office_number,
                "0",
                "1",
                processing_month,
                "",
            ]
        )
    ]
    for number, fields in enumerate(records, start=2):
        data = line(fields)
        if byte_length(data) > MAX_DATA_BYTES:
            raise LayoutError(f"{fields[0]}:{fields[1]}: {byte_length(data)} bytes of data")
        lines.append(f"2,{number},{data}")
    lines.append(f"3,{len(records) + 2}")
    return (NEWLINE.join(lines) + NEWLINE).encode(ENCODING)
