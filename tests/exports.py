"""Reading a list export's download in the tests, as Excel would."""

import csv
import io

from openpyxl import load_workbook

BOM = b"\xef\xbb\xbf"


def csv_rows(response):
    """The rows of a UTF-8 CSV download; it must start with the BOM Excel needs."""
    assert response.status_code == 200, response.status_code
    body = response.content
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM) :].decode("utf-8"), newline="")))


def cp932_rows(response):
    """The rows of a Shift_JIS (CP932) CSV download: no BOM, decodable as CP932."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=shift_jis"
    body = response.content
    assert not body.startswith(BOM)
    return list(csv.reader(io.StringIO(body.decode("cp932"), newline="")))


def xlsx_book(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def assert_excel_ready(sheet):
    """A frozen header row and every header column sized."""
    assert sheet.freeze_panes == "A2"
    for cell in sheet[1]:
        width = sheet.column_dimensions[cell.column_letter].width
        assert width and width >= 6, (cell.value, width)
