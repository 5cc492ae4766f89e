"""An uploaded XLSX is a zip archive: one that would expand out of proportion is refused from its
directory, before anything is inflated (``core.tabular.xlsx_archive_problem``)."""

import io
import os
import time
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from core import tabular


def _workbook(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_extra_part(data, name, content):
    """The workbook with one more part in its archive (compressed), as a crafted file has."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def test_an_ordinary_workbook_is_read():
    data = _workbook([["回答日時", "Q1"], ["2024-06-01 10:00:00", "はい"]])
    assert tabular.xlsx_archive_problem(data) == ""
    assert tabular.xlsx_rows(data) == [["回答日時", "Q1"], ["2024-06-01 10:00:00", "はい"]]


def test_a_bomb_of_compressed_zeros_is_refused_before_it_is_inflated():
    # 200 MB of zeros compress to about 0.2 MB: the directory says so, nothing is inflated
    bomb = _with_extra_part(
        _workbook([["Q1"], ["1"]]), "xl/worksheets/sheet2.xml", bytes(200_000_000)
    )
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    with translation.override("ja"), pytest.raises(tabular.FileRefused) as refused:
        tabular.xlsx_rows(bomb)
    assert time.monotonic() - started < 1
    assert "200 MB" in str(refused.value) and "50 MB" in str(refused.value)


def test_a_part_compressed_more_than_100_to_1_is_refused_even_below_the_size_limit():
    bomb = _with_extra_part(_workbook([["Q1"], ["1"]]), "xl/sharedStrings2.xml", bytes(20_000_000))
    with translation.override("ja"):
        problem = tabular.xlsx_archive_problem(bomb)
    assert "1 と" not in problem and problem  # refused, in Japanese
    assert "圧縮" in problem


def test_the_size_limit_holds_for_parts_that_compress_normally(settings):
    settings.TEICHAKU_XLSX_MAX_UNCOMPRESSED_BYTES = 3_000_000
    noise = os.urandom(2_000_000).hex().encode()  # 4 MB of hex digits: compresses about 2 to 1
    data = _with_extra_part(_workbook([["Q1"], ["1"]]), "xl/media/notes.txt", noise)
    with translation.override("ja"):
        assert "MB" in tabular.xlsx_archive_problem(data)


def test_a_file_that_is_not_a_zip_archive_is_refused_in_japanese():
    with translation.override("ja"), pytest.raises(tabular.FileRefused) as refused:
        tabular.xlsx_rows(b"PK\x03\x04 not really")
    assert "Excelブック" in str(refused.value)
