"""CSV and XLSX in and out: the one package every import and export goes through.

- ``reading``: encoding detection, the table, cell parsers (DESIGN 5.1);
- ``importing``: the import kinds and the whole-or-nothing runner;
- ``writing``: CSV (UTF-8 with BOM or CP932) and XLSX bytes, formula-safe cells;
- ``downloads``: the same as an HTTP download.

The names below are the package's public surface, re-exported so that callers write
``tabular.run_import(...)`` whatever module the rule lives in.
"""

from core.tabular.downloads import (
    CONTENT_TYPES,
    content_disposition,
    download_response,
    file_response,
)
from core.tabular.importing import (
    KINDS,
    Column,
    ImportKind,
    ImportResult,
    RowInvalid,
    check_header,
    get_kind,
    read_checked,
    register,
    run_import,
    update_fields,
    whole_or_nothing,
)
from core.tabular.reading import (
    UTF8_BOM,
    FileRefused,
    RowError,
    Table,
    code_of,
    codes_of,
    decode,
    digits,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_int,
    read_csv,
    text,
)
from core.tabular.writing import (
    ENCODINGS,
    ExportEncodingError,
    UnencodableCell,
    csv_bytes,
    neutralise,
    restore_neutralised,
    xlsx_bytes,
)

__all__ = [
    "CONTENT_TYPES",
    "ENCODINGS",
    "KINDS",
    "UTF8_BOM",
    "Column",
    "ExportEncodingError",
    "FileRefused",
    "ImportKind",
    "ImportResult",
    "RowError",
    "RowInvalid",
    "Table",
    "UnencodableCell",
    "check_header",
    "code_of",
    "codes_of",
    "content_disposition",
    "csv_bytes",
    "decode",
    "digits",
    "download_response",
    "file_response",
    "get_kind",
    "neutralise",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_int",
    "read_checked",
    "read_csv",
    "register",
    "restore_neutralised",
    "run_import",
    "text",
    "update_fields",
    "whole_or_nothing",
    "xlsx_bytes",
]
