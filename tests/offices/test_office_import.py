from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import tabular
from core.models import AuditEvent, ImportJob
from offices.models import Corporation, Office
from tests import factories

HEADER = (
    "office_number,name,corporation_number,corporation_name,corporation_type,prefecture_code,"
    "municipality,service_types,uses_system"
)
GOOD_ROWS = [
    "1310100001,髙橋定着支援センター,1011101000001,社会福祉法人山﨑会,social_welfare,13,新宿区,"
    "retention_support;transition_support,true",
    "1310100002,山﨑就労移行支援,1011101000001,社会福祉法人山﨑会,social_welfare,13,新宿区,"
    "transition_support,false",
    "2710200004,みどり定着支援大阪,,株式会社みどり,for_profit,27,大阪市,retention_support,1",
]


def csv_text(*rows, header=HEADER):
    return "\r\n".join([header, *rows]) + "\r\n"


@pytest.mark.django_db
class TestOfficesImport:
    def test_a_file_saved_by_japanese_excel_in_cp932_imports(self):
        result = tabular.run_import("offices", csv_text(*GOOD_ROWS).encode("cp932"))
        assert result.ok, result.errors
        assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
        office = Office.objects.get(office_number="1310100001")
        assert office.name == "髙橋定着支援センター"
        assert office.corporation.name == "社会福祉法人山﨑会"
        assert office.service_types == ["retention_support", "transition_support"]
        assert office.uses_system is True
        assert Office.objects.get(office_number="1310100002").uses_system is False
        assert Corporation.objects.count() == 2
        assert Office.objects.get(office_number="2710200004").corporation.corporation_number == ""

    def test_utf8_with_bom_imports_the_same(self):
        result = tabular.run_import("offices", b"\xef\xbb\xbf" + csv_text(*GOOD_ROWS).encode())
        assert result.ok
        assert Office.objects.count() == 3

    def test_importing_the_same_file_again_changes_nothing(self):
        data = csv_text(*GOOD_ROWS).encode()
        tabular.run_import("offices", data)
        again = tabular.run_import("offices", data)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
        assert Office.objects.count() == 3
        assert Corporation.objects.count() == 2

    def test_a_changed_row_updates_by_office_number(self):
        tabular.run_import("offices", csv_text(*GOOD_ROWS).encode())
        changed = GOOD_ROWS[2].replace("大阪市", "堺市")
        result = tabular.run_import("offices", csv_text(changed).encode())
        assert (result.created, result.updated) == (0, 1)
        assert Office.objects.get(office_number="2710200004").municipality == "堺市"

    def test_a_file_with_bad_rows_is_refused_whole_with_every_bad_row_named(self):
        rows = [
            GOOD_ROWS[0],
            "131010000X,誤り事業所,,株式会社誤り,for_profit,13,港区,retention_support,true",
            "1310100009,県コード誤り,,株式会社誤り,charity,48,港区,retention_support,maybe",
            GOOD_ROWS[2],
        ]
        result = tabular.run_import("offices", csv_text(*rows).encode())
        assert not result.ok
        named = {(e.row, e.column, e.value) for e in result.errors}
        assert named == {
            (3, "office_number", "131010000X"),
            (4, "corporation_type", "charity"),
            (4, "prefecture_code", "48"),
            (4, "uses_system", "maybe"),
        }
        assert Office.objects.count() == 0
        assert Corporation.objects.count() == 0

    def test_a_duplicate_key_in_one_file_is_refused(self):
        result = tabular.run_import("offices", csv_text(GOOD_ROWS[0], GOOD_ROWS[0]).encode())
        assert [(e.row, e.column) for e in result.errors] == [(3, "office_number")]
        assert Office.objects.count() == 0

    def test_unknown_and_missing_columns_are_refused(self):
        header = HEADER.replace("uses_system", "uses_sistem")
        result = tabular.run_import("offices", csv_text(GOOD_ROWS[0], header=header).encode())
        assert {(e.row, e.column, e.reason) for e in result.errors} == {
            (
                1,
                "uses_sistem",
                "不明な列です。この種類の列は取り込みページの一覧にあり、テンプレートにもすべて入っています。",
            ),
            (1, "uses_system", "必須の列がありません。"),
        }

    def test_a_blank_required_cell_is_named(self):
        row = GOOD_ROWS[0].replace("髙橋定着支援センター", "")
        result = tabular.run_import("offices", csv_text(row).encode())
        assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "name", "")]

    def test_a_dry_run_reports_and_writes_nothing(self):
        result = tabular.run_import("offices", csv_text(*GOOD_ROWS).encode(), dry_run=True)
        assert result.ok
        assert result.created == 3
        assert Office.objects.count() == 0

    def test_an_empty_file_is_refused(self):
        result = tabular.run_import("offices", b"")
        assert not result.ok
        assert result.errors[0].row == 1


@pytest.mark.django_db
class TestImportCommand:
    def test_it_imports_and_reports_counts(self, tmp_path, capsys):
        path = tmp_path / "offices.csv"
        path.write_bytes(csv_text(*GOOD_ROWS).encode("cp932"))
        call_command("import_csv", "offices", str(path))
        assert "新規3件" in capsys.readouterr().out
        assert Office.objects.count() == 3

    def test_it_exits_non_zero_and_names_every_bad_row(self, tmp_path, capsys):
        path = tmp_path / "bad.csv"
        path.write_bytes(csv_text(GOOD_ROWS[0], "1,x,,y,for_profit,13,,,true").encode())
        with pytest.raises(CommandError, match="何も書き込んでいません"):
            call_command("import_csv", "offices", str(path))
        err = capsys.readouterr().err
        assert "3" in err and "office_number" in err
        assert Office.objects.count() == 0

    def test_dry_run_writes_nothing(self, tmp_path):
        path = Path(tmp_path / "offices.csv")
        path.write_bytes(csv_text(*GOOD_ROWS).encode())
        call_command("import_csv", "offices", str(path), "--dry-run")
        assert Office.objects.count() == 0

    def test_an_unknown_kind_is_refused(self, tmp_path):
        path = tmp_path / "x.csv"
        path.write_bytes(b"a\n1\n")
        with pytest.raises(CommandError):
            call_command("import_csv", "nonsense", str(path))


@pytest.mark.django_db
class TestUploadPage:
    @pytest.fixture
    def admin(self):
        return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)

    @pytest.fixture
    def upload(self, client, django_capture_on_commit_callbacks):
        from django.core.files.uploadedfile import SimpleUploadedFile

        def post(name, content, **extra):
            # The import task is sent on commit; run it as a real request would.
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    reverse("import_upload"),
                    {"kind": "offices", "file": SimpleUploadedFile(name, content), **extra},
                )
            return client.get(response.url) if response.status_code == 302 else response

        return post

    def test_an_administrator_imports_offices_through_the_page(self, client, upload, admin):
        client.force_login(admin)
        response = upload("offices.csv", csv_text(*GOOD_ROWS).encode("cp932"))
        assert response.status_code == 200
        assert Office.objects.count() == 3
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.DONE
        assert job.content == b""  # personal data is not kept once imported
        assert "3 件を新規登録" in response.content.decode()
        assert AuditEvent.objects.filter(action="import", user=admin).exists()

    def test_bad_rows_are_listed_in_japanese_and_nothing_is_written(self, client, upload, admin):
        client.force_login(admin)
        bad = csv_text(GOOD_ROWS[0], "131010000X,x,,y,for_profit,13,,,true")
        response = upload("offices.csv", bad.encode())
        page = response.content.decode()
        assert "取り込みませんでした" in page
        assert "131010000X" in page
        assert "ちょうど 10 桁の数字で入力してください。" in page
        assert Office.objects.count() == 0

    def test_a_file_over_the_size_limit_is_refused_clearly(self, client, upload, admin, settings):
        settings.IMPORT_MAX_UPLOAD_BYTES = 100
        client.force_login(admin)
        response = upload("offices.csv", csv_text(*GOOD_ROWS).encode())
        assert "上限" in response.content.decode()
        assert ImportJob.objects.count() == 0

    def test_non_csv_content_is_refused_clearly(self, client, upload, admin):
        client.force_login(admin)
        response = upload("offices.xlsx", b"PK\x03\x04\x00\x00")
        assert "CSV" in response.content.decode()
        assert ImportJob.objects.count() == 0
        response = upload("offices.csv", b"PK\x03\x04\x00\x00binary")
        assert "CSV テキストファイルではありません" in response.content.decode()

    def test_office_staff_cannot_import_offices(self, client, upload, cast):
        client.force_login(cast.bob)
        response = upload("offices.csv", csv_text(*GOOD_ROWS).encode())
        assert response.status_code == 200
        assert "kind" in response.context["form"].errors
        assert ImportJob.objects.count() == 0
        assert Office.objects.filter(office_number="1310100001").count() == 0

    def test_another_users_import_job_is_not_found(self, client, upload, admin, cast):
        client.force_login(admin)
        upload("offices.csv", csv_text(*GOOD_ROWS).encode())
        job = ImportJob.objects.get()
        client.force_login(cast.bob)
        assert client.get(reverse("import_job", kwargs={"job_pk": job.pk})).status_code == 404
