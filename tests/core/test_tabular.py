import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from core import tabular
from core.numbers import percent, round_half_up


class TestDecoding:
    def test_utf8_with_bom_is_read(self):
        assert tabular.decode("\ufeffa,b\n髙橋,山﨑\n".encode()) == "a,b\n髙橋,山﨑\n"

    def test_utf8_without_bom_is_read(self):
        assert tabular.decode("名前\n山田\n".encode()) == "名前\n山田\n"

    def test_cp932_from_japanese_excel_is_read_including_ibm_extensions(self):
        # 髙 and 﨑 are IBM extension characters: Shift_JIS proper lacks them, CP932 has them.
        data = "名前\n髙橋\n山﨑\n".encode("cp932")
        assert tabular.decode(data) == "名前\n髙橋\n山﨑\n"

    def test_binary_content_is_refused(self):
        with pytest.raises(tabular.FileRefused, match="CSV テキストファイルではありません"):
            tabular.decode(b"PK\x03\x04\x00\x00binary")

    def test_bytes_in_no_supported_encoding_are_refused(self):
        with pytest.raises(tabular.FileRefused):
            tabular.decode(b"\x81\x20\xff\xfe")


def test_row_numbers_are_those_a_spreadsheet_shows():
    table = tabular.read_csv(b"a,b\n1,2\n\n3,4\n")
    assert [number for number, _ in table.rows] == [2, 4]


def test_a_quoted_cell_with_a_line_break_keeps_the_next_row_number_true():
    table = tabular.read_csv(b'a,b\n"x\ny",2\n3,4\n')
    assert [number for number, _ in table.rows] == [3, 4]
    assert table.rows[0][1]["a"] == "x\ny"


class TestParsers:
    def test_dates_are_iso_or_as_excel_writes_them(self):
        assert tabular.parse_date("2024-02-29") == dt.date(2024, 2, 29)
        assert tabular.parse_date("2024/02/29") == dt.date(2024, 2, 29)
        assert tabular.parse_date("1995/7/9") == dt.date(1995, 7, 9)
        with pytest.raises(ValueError):
            tabular.parse_date("2023-02-29")
        with pytest.raises(ValueError):
            tabular.parse_date("2024/02-29")

    def test_datetimes_without_offset_are_japan_time(self):
        value = tabular.parse_datetime("2024-03-31T23:30")
        assert value.utcoffset() == dt.timedelta(hours=9)
        assert tabular.parse_datetime("2024-03-31T14:30:00+00:00").utcoffset() == dt.timedelta(0)

    @pytest.mark.parametrize("text", ["true", "1", "yes", "TRUE", "Yes"])
    def test_true_booleans(self, text):
        assert tabular.parse_bool(text) is True

    @pytest.mark.parametrize("text", ["false", "0", "no", "False"])
    def test_false_booleans(self, text):
        assert tabular.parse_bool(text) is False

    def test_other_booleans_are_refused(self):
        with pytest.raises(ValueError):
            tabular.parse_bool("たぶん")


class TestExport:
    @pytest.mark.parametrize(
        "dangerous", ["=1+1", "+81", "-2", "@SUM(A1)", "＝1", "＋1", "－1", "＠x", "\tx", "\rx"]
    )
    def test_formula_cells_are_neutralised(self, dangerous):
        assert tabular.neutralise(dangerous) == "'" + dangerous

    def test_ordinary_cells_are_kept(self):
        assert tabular.neutralise("山田 太郎") == "山田 太郎"
        assert tabular.neutralise(42) == 42
        # A Decimal (a rate, a percentage) stays a number, a negative one too: no apostrophe.
        assert tabular.neutralise(Decimal("-1.5")) == Decimal("-1.5")
        assert tabular.neutralise(None) == ""
        assert tabular.neutralise(dt.date(2024, 4, 1)) == "2024-04-01"

    def test_utf8_csv_starts_with_a_bom_and_neutralises(self):
        body = tabular.csv_bytes(["名前", "メモ"], [["髙橋", "=HYPERLINK()"]])
        assert body.startswith(b"\xef\xbb\xbf")
        assert body.decode("utf-8-sig") == "名前,メモ\r\n髙橋,'=HYPERLINK()\r\n"

    def test_cp932_csv_holds_ibm_extension_characters(self):
        body = tabular.csv_bytes(["名前"], [["髙橋"], ["山﨑"]], encoding="cp932")
        assert body.decode("cp932") == "名前\r\n髙橋\r\n山﨑\r\n"

    def test_cp932_csv_reports_characters_it_cannot_hold_instead_of_replacing(self):
        with pytest.raises(tabular.ExportEncodingError) as caught:
            tabular.csv_bytes(["名前", "メモ"], [["山田", "ok"], ["𠮷野", "🙂"]], encoding="cp932")
        cells = caught.value.cells
        assert [(c.row, c.column, c.character) for c in cells] == [
            (3, "名前", "𠮷"),
            (3, "メモ", "🙂"),
        ]

    def test_xlsx_has_the_rows_and_neutralised_cells(self):
        body = tabular.xlsx_bytes([("一覧", ["名前", "メモ"], [["髙橋", "@cmd"]])])
        sheet = load_workbook(io.BytesIO(body)).active
        assert sheet.title == "一覧"
        assert [[c.value for c in row] for row in sheet.iter_rows()] == [
            ["名前", "メモ"],
            ["髙橋", "'@cmd"],
        ]


class TestRounding:
    def test_half_up_not_bankers(self):
        assert round_half_up("0.25") == round_half_up("0.3")
        assert str(round_half_up("31.35")) == "31.4"
        assert str(round_half_up("2.5", 0)) == "3"

    def test_percent_uses_exact_fractions(self):
        # 155 of 493 mentions is 31.440…% → 31.4; 1 of 8 is exactly 12.5%.
        assert str(percent(155, 493)) == "31.4"
        assert str(percent(1, 8)) == "12.5"
        assert str(percent(1, 16)) == "6.3"  # 6.25 rounds half up

    def test_percent_of_nothing_is_zero(self):
        assert str(percent(0, 0)) == "0.0"


@translation.override("en")
def test_check_header_reports_twice_unknown_and_missing_columns_with_a_custom_reason():
    errors = tabular.check_header(
        ["a", "a", "x"],
        known={"a", "b"},
        required=["a", "b"],
        unknown_reason=lambda name: f"no column {name}",
    )
    assert [(e.column, e.reason) for e in errors] == [
        ("a", "This column appears twice."),
        ("x", "no column x"),
        ("b", "Required column is missing."),
    ]


# ---------------------------------------------------------------------------------------------
# What every list export shares: the XLSX layout, the one-table CSV, the format parameter


def test_every_xlsx_sheet_has_a_frozen_bold_header_sized_columns_and_date_cells():
    body = tabular.xlsx_bytes(
        [
            ("一覧", ["氏名", "code"], [["山田 太郎", "=cmd"], ["x", dt.date(2024, 4, 1)]]),
            ("Second", ["a"], [["b" * 200]]),
        ]
    )
    book = load_workbook(io.BytesIO(body))
    first, second = book.worksheets
    assert first.freeze_panes == second.freeze_panes == "A2"
    assert first["A1"].font.bold
    # 山田 太郎: four full-width characters and a space are 9 columns, plus 2 of padding.
    assert first.column_dimensions["A"].width == 11
    assert first["B2"].value == "'=cmd"
    assert (
        first["B3"].value == dt.datetime(2024, 4, 1) and first["B3"].number_format == "yyyy-mm-dd"
    )
    assert second.column_dimensions["A"].width == 60  # capped


def test_display_width_counts_full_width_characters_twice():
    assert tabular.display_width("ABC") == 3
    assert tabular.display_width("利用者コード") == 12
    assert tabular.display_width("ｱｲｳ") == 3  # half-width katakana
    assert tabular.display_width("一行目\n二") == 6


def test_table_bytes_writes_the_first_sheet_as_csv_and_every_sheet_as_xlsx():
    sheets = [("表1", ["名前"], [["髙橋"]]), ("表2", ["x"], [[1]])]
    assert tabular.table_bytes(sheets, fmt="csv") == "\ufeff名前\r\n髙橋\r\n".encode()
    assert tabular.table_bytes(sheets, fmt="csv-cp932") == "名前\r\n髙橋\r\n".encode("cp932")
    book = load_workbook(io.BytesIO(tabular.table_bytes(sheets, fmt="xlsx")))
    assert book.sheetnames == ["表1", "表2"]
    with pytest.raises(tabular.ExportEncodingError) as refused:
        tabular.table_bytes([("t", ["名前"], [["𠮷田"]])], fmt="csv-cp932")
    [cell] = refused.value.cells
    assert (cell.row, cell.column, cell.character) == (2, "名前", "𠮷")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, "csv"),
        ({"format": "csv"}, "csv"),
        ({"encoding": "cp932"}, "csv-cp932"),
        ({"format": "csv", "encoding": "CP932"}, "csv-cp932"),
        ({"format": "xlsx"}, "xlsx"),
        ({"format": "xlsx", "encoding": "cp932"}, "xlsx"),  # an XLSX has no text encoding
    ],
)
def test_the_export_format_parameter(query, expected):
    from core.params import export_format_param

    assert export_format_param(query) == expected


@pytest.mark.parametrize(
    "query", [{"format": "pdf"}, {"format": "XLSX"}, {"encoding": "shift_jis"}, {"encoding": "x"}]
)
def test_an_unknown_export_format_or_encoding_is_a_bad_request(query):
    from django.core.exceptions import BadRequest

    from core.params import export_format_param

    with pytest.raises(BadRequest):
        export_format_param(query)
