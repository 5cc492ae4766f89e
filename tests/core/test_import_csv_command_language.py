"""``import_csv`` on the command line reads the file the upload page reads (Japanese headers and
labels, CP932) and answers in Japanese, with no language set in the shell."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from offices.models import Office
from tests.conftest import _database_url_of_test_database

ROOT = Path(__file__).resolve().parents[2]
HEADER = (
    "事業所番号,事業所名,法人番号,法人名,法人種別,都道府県コード,市区町村,サービス種別,"
    "システム利用\r\n"
)


def _import_csv(path):
    """Run ``manage.py import_csv offices PATH`` as a shell without LANG, LC_ALL or LANGUAGE."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        DATABASE_URL=_database_url_of_test_database(),
    )
    return subprocess.run(
        [sys.executable, "manage.py", "import_csv", "offices", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_cp932_offices_file_with_japanese_labels_imports_from_a_shell_without_a_language(
    tmp_path, cast
):
    path = tmp_path / "事業所.csv"
    path.write_bytes(
        (
            HEADER + "1310000001,あおば就労定着支援センター,1234567890123,社会福祉法人あおば会,"
            "社会福祉法人,13,新宿区,就労定着支援、就労移行支援,はい\r\n"
        ).encode("cp932")
    )
    done = _import_csv(path)
    assert done.returncode == 0, done.stderr.decode()
    assert "1行を取り込みました: 新規1件" in done.stdout.decode()
    office = Office.objects.get(office_number="1310000001")
    assert office.corporation.corporation_type == "social_welfare"
    assert sorted(office.service_types) == ["retention_support", "transition_support"]
    assert office.uses_system is True


@pytest.mark.django_db(transaction=True)
def test_a_bad_label_is_refused_in_japanese_from_a_shell_without_a_language(tmp_path, cast):
    path = tmp_path / "offices.csv"
    path.write_bytes(
        (
            HEADER + "1310000002,いずみ事業所,1234567890123,宗教法人いずみ,宗教法人,13,,"
            "就労定着支援,はい\r\n"
        ).encode("cp932")
    )
    done = _import_csv(path)
    assert done.returncode != 0
    errors = done.stderr.decode()
    assert "2 行目" in errors and "法人種別" in errors and "宗教法人" in errors
    assert "使えない値です" in errors
    assert "offices.csv を取り込みませんでした: 問題1件。何も書き込んでいません。" in errors
    assert "Refused" not in errors and "Unknown value" not in errors
    assert not Office.objects.filter(office_number="1310000002").exists()
