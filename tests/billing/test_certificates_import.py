"""The certificates import (DESIGN 5.1): Japanese column names, all-or-nothing, idempotent,
scoped to the offices the user manages; a failing municipality check digit is a warning."""

from billing.models import DecisionPeriod, RecipientCertificate
from core import tabular
from tests import factories

HEADER = (
    "事業所番号,利用者コード,受給者証番号,市町村番号,"
    "支給決定開始日,支給決定終了日,利用者負担上限月額"
)


def _csv(office, *rows):
    lines = [HEADER, *(f"{office.office_number},{row}" for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_file_with_japanese_headers_imports_and_reimports_unchanged(cast):
    factories.ClientFactory(office=cast.office_a, client_code="P1")
    data = _csv(
        cast.office_a,
        "P1,0000123456,131016,2024-04-01,2025-03-31,9300",
        "P1,0000123456,131016,2025/4/1,2026/3/31,",
    )
    result = tabular.run_import("certificates", data, user=cast.bob)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert RecipientCertificate.objects.count() == 1
    caps = dict(DecisionPeriod.objects.values_list("start__year", "copay_cap"))
    assert caps == {2024: 9300, 2025: None}
    again = tabular.run_import("certificates", data, user=cast.bob)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_failing_check_digit_is_imported_with_a_warning(cast):
    # 212019 fails the check digit (212016 would pass); 英数 10 recipient numbers pass.
    factories.ClientFactory(office=cast.office_a, client_code="P1")
    data = _csv(
        cast.office_a,
        "P1,0000123456,131016,2024-04-01,2025-03-31,9300",
        "P1,00001234AB,212019,2024-04-01,2025-03-31,9300",
    )
    result = tabular.run_import("certificates", data, user=cast.bob)
    assert result.ok, result.errors
    assert [(w.row, w.column, w.value) for w in result.warnings] == [
        (3, "municipality_number", "212019")
    ]
    assert result.warnings[0].label == "市町村番号"
    assert result.as_dict()["warnings"][0]["row"] == 3
    numbers = set(RecipientCertificate.objects.values_list("recipient_number", flat=True))
    assert numbers == {"0000123456", "00001234AB"}


def test_a_municipality_number_of_five_digits_is_refused(cast):
    factories.ClientFactory(office=cast.office_a, client_code="P1")
    data = _csv(cast.office_a, "P1,0000123456,21201,2024-04-01,2025-03-31,")
    result = tabular.run_import("certificates", data, user=cast.bob)
    assert [(e.row, e.column) for e in result.errors] == [(2, "municipality_number")]
    assert RecipientCertificate.objects.count() == 0


def test_an_end_before_the_start_and_a_short_recipient_number_are_refused(cast):
    factories.ClientFactory(office=cast.office_a, client_code="P1")
    data = _csv(cast.office_a, "P1,123,131016,2024-04-01,2024-03-31,")
    result = tabular.run_import("certificates", data, user=cast.bob)
    assert sorted(e.column for e in result.errors) == ["decision_end", "recipient_number"]


def test_charlie_cannot_import_into_office_a(cast):
    factories.ClientFactory(office=cast.office_a, client_code="P1")
    data = _csv(cast.office_a, "P1,0000123456,131016,2024-04-01,2025-03-31,")
    result = tabular.run_import("certificates", data, user=cast.charlie)
    assert [e.column for e in result.errors] == ["office_number"]
    assert RecipientCertificate.objects.count() == 0


def test_the_upload_page_lists_the_warnings_of_an_imported_file(
    cast, client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    factories.ClientFactory(office=cast.office_a, client_code="P1")
    data = _csv(cast.office_a, "P1,0000123456,212019,2024-04-01,2025-03-31,9300")
    client.force_login(cast.bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("import_upload"),
            {"kind": "certificates", "file": SimpleUploadedFile("c.csv", data)},
        )
    page = client.get(response.url).content.decode()
    assert RecipientCertificate.objects.get().municipality_number == "212019"
    assert 'id="import-warnings"' in page
    assert "1件の値は受け付けましたが、確認をおすすめします" in page
    assert "212019" in page and "検査数字と一致しません" in page
