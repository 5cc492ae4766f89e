"""An independent reader of the 国保連 claim file, written from the spec's layout text
(``docs/reference/kokuhoren-r7-10-layout.txt``, parsed here) and DESIGN 5.5, not from the
writer's code: it reads a file back record by record and field by field and refuses whatever
breaks the layout (attribute, length in CP932 bytes, field count, quoting, envelope)."""

import re
from dataclasses import dataclass
from pathlib import Path

REFERENCE = (
    Path(__file__).resolve().parents[2] / "docs" / "reference" / "kokuhoren-r7-10-layout.txt"
)


def reference_layouts():
    """{"J121:01": [(position, name, attribute, max_bytes)], "control": …} from the text."""
    layouts, current = {}, None
    for text in REFERENCE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## (?:provider:|common:outer:)(\S+)", text)
        if heading:
            current = heading.group(1)
            layouts[current] = []
            continue
        row = re.match(r"\s*(\d+) \| ([^|]*) \| ([^|]*) \| (\d+) \|", text)
        if row and current:
            layouts[current].append(
                (int(row.group(1)), row.group(2).strip(), row.group(3).strip(), int(row.group(4)))
            )
    return layouts


class Rejected(AssertionError):
    pass


def _tokens(raw):
    """Split one line into (value, quoted) pairs by the CSV rules (quotes doubled inside)."""
    tokens, i = [], 0
    while True:
        if i < len(raw) and raw[i] == '"':
            j, value = i + 1, []
            while True:
                if j >= len(raw):
                    raise Rejected(f"unterminated quote: {raw!r}")
                if raw[j] == '"':
                    if j + 1 < len(raw) and raw[j + 1] == '"':
                        value.append('"')
                        j += 2
                        continue
                    break
                value.append(raw[j])
                j += 1
            tokens.append(("".join(value), True))
            i = j + 1
            if i < len(raw) and raw[i] != ",":
                raise Rejected(f"text after a closing quote: {raw!r}")
        else:
            j = raw.find(",", i)
            j = len(raw) if j < 0 else j
            value = raw[i:j]
            if '"' in value:
                raise Rejected(f"a bare quote: {raw!r}")
            tokens.append((value, False))
            i = j
        if i >= len(raw):
            return tokens
        i += 1  # the comma
        if i == len(raw):
            tokens.append(("", False))
            return tokens


def _bytes(text):
    return len(text.encode("cp932"))


def check_field(record, layout_row, value, quoted):
    position, name, attribute, max_bytes = layout_row
    where = f"{record} field {position} ({name})"
    if _bytes(value) > max_bytes:
        raise Rejected(f"{where}: {_bytes(value)} bytes, at most {max_bytes}: {value!r}")
    if value and attribute in ("数値", "コード値") and not re.fullmatch(r"[0-9]+", value):
        raise Rejected(f"{where}: {attribute} must be ASCII digits: {value!r}")
    if attribute == "英数" and any(_bytes(ch) != 1 for ch in value):
        raise Rejected(f"{where}: 英数 must be half-width: {value!r}")
    if attribute == "漢字" and any(_bytes(ch) != 2 for ch in value):
        raise Rejected(f"{where}: 漢字 must be full-width: {value!r}")
    needs_quotes = any(ch in ', "' or _bytes(ch) == 2 for ch in value)
    if needs_quotes and not quoted:
        raise Rejected(f"{where}: must be quoted: {value!r}")


@dataclass
class Record:
    number: int
    kind: str  # "J121:01"
    fields: list  # field 1 first

    def __getitem__(self, position):
        return self.fields[position - 1]

    def int(self, position):
        value = self[position]
        return int(value) if value else 0


@dataclass
class ClaimFile:
    control: list
    records: list
    end: list

    def of(self, kind):
        return [r for r in self.records if r.kind == kind]


def read(body):
    """Read ``body`` (bytes) or refuse it (``Rejected``)."""
    layouts = reference_layouts()
    text = body.decode("cp932")
    if not text.endswith("\r\n") or "\n" in text.replace("\r\n", ""):
        raise Rejected("lines must end CRLF")
    lines = text[:-2].split("\r\n")
    control = [v for v, _ in _tokens(lines[0])]
    if len(control) > len(layouts["control"]):
        raise Rejected(f"control record: {len(control)} fields")
    for row, (value, quoted) in zip(layouts["control"], _tokens(lines[0]), strict=False):
        check_field("control", row, value, quoted)
    if control[0] != "1" or control[1] != "1" or control[8] != "1":
        raise Rejected(f"control record: {control}")
    end = [v for v, _ in _tokens(lines[-1])]
    if end[0] != "3":
        raise Rejected(f"end record: {end}")
    records = []
    for expected_number, raw in enumerate(lines[1:-1], start=2):
        head = re.match(r"2,([0-9]+),", raw)
        if not head:
            raise Rejected(f"data record: {raw[:40]!r}")
        if int(head.group(1)) != expected_number:
            raise Rejected(f"record number {head.group(1)}, expected {expected_number}")
        data = raw[head.end() :]
        if _bytes(data) > 822:
            raise Rejected(f"record {expected_number}: {_bytes(data)} bytes of data")
        tokens = _tokens(data)
        kind = f"{tokens[0][0]}:{tokens[1][0]}"
        layout = layouts.get(kind)
        if layout is None:
            raise Rejected(f"record {expected_number}: unknown record {kind}")
        if len(tokens) != len(layout):
            raise Rejected(f"{kind}: {len(tokens)} fields, the layout has {len(layout)}")
        for row, (value, quoted) in zip(layout, tokens, strict=True):
            check_field(kind, row, value, quoted)
        records.append(Record(expected_number, kind, [v for v, _ in tokens]))
    if int(control[3]) != len(records):
        raise Rejected(f"control says {control[3]} data records, the file has {len(records)}")
    if int(end[1]) != len(records) + 2:
        raise Rejected(f"end record number {end[1]}, expected {len(records) + 2}")
    return ClaimFile(control=control, records=records, end=end)
