"""What the claim file reads besides the figures: the service codes (the ``service_codes`` import,
DESIGN 5.1) and the co-payment management (上限額管理) of a decision period (the certificates
import and the certificate page)."""

import datetime as dt

from django.urls import reverse

from billing.models import DecisionPeriod, ServiceCode
from core import tabular
from core.names import halfwidth_katakana
from tests import factories

CODES_HEADER = "サービスコード,算定項目,名称,適用開始日,単位数,照合済み"


def _codes(*rows):
    return ("\n".join([CODES_HEADER, *rows]) + "\n").encode("utf-8")


def test_service_codes_import_with_japanese_headers_and_reimport_unchanged(db):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    data = _codes(
        "471111,base_95,就定Ⅰ１,2024-04-01,3512,false",
        "471112,base_95+no_plan30,就定Ⅰ１・未計画,2024/4/1,,いいえ",
        "475001,special_area,就定特別地域加算,令和6年4月1日,240,",
    )
    result = tabular.run_import("service_codes", data, user=admin)
    assert result.ok, result.errors
    assert result.created == 3
    row = ServiceCode.objects.get(item="base_95+no_plan30")
    assert (row.service_code, row.effective_from, row.units, row.verified) == (
        "471112",
        dt.date(2024, 4, 1),
        None,
        False,
    )
    again = tabular.run_import("service_codes", data, user=admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_bad_code_or_an_unknown_item_refuses_the_whole_file(db):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    data = _codes(
        "471111,base_95,,2024-04-01,,",
        "571111,base_95,,2025-04-01,,",  # another service type
        "471113,base_96,,2024-04-01,,",  # no such band
        "471114,base_95+no_plan,,2024-04-01,,",  # a reduction without its percentage
    )
    result = tabular.run_import("service_codes", data, user=admin)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "service_code"),
        (4, "item"),
        (5, "item"),
    ]
    assert ServiceCode.objects.count() == 0


def test_a_master_with_the_design_columns_only_and_reductions_as_items_imports(db):
    """DESIGN 5.1's four columns, and DESIGN 5.5's item list (the reduction codes as items of
    their own) are accepted; units, verified and source are optional."""
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    data = (
        "service_code,item,name,effective_from\n"
        "471111,base_95,就定Ⅰ１,2024-04-01\n"
        "476001,no_plan,就定未計画減算,2024-04-01\n"
        "476002,no_handover_system,就定支援体制未構築減算,2024-04-01\n"
    ).encode()
    result = tabular.run_import("service_codes", data, user=admin)
    assert result.ok, result.errors
    assert set(ServiceCode.objects.values_list("item", flat=True)) == {
        "base_95",
        "no_plan",
        "no_handover_system",
    }
    assert ServiceCode.objects.get(item="no_plan").verified is False


def test_only_administrators_load_service_codes(cast):
    assert not tabular.get_kind("service_codes").allowed(cast.bob)


CERT_HEADER = (
    "事業所番号,利用者コード,受給者証番号,市町村番号,支給決定開始日,支給決定終了日,"
    "利用者負担上限月額,上限額管理事業所番号,管理結果,管理結果額"
)


def test_the_certificates_import_records_the_cap_management_all_or_nothing(cast):
    factories.ClientFactory(office=cast.office_a, client_code="P1")
    number = cast.office_a.office_number
    good = f"{number},P1,0000123456,131016,2024-04-01,2025-03-31,9300,1310000001,3,4000"
    partial = f"{number},P1,0000123457,131016,2024-04-01,2025-03-31,9300,1310000001,,"
    result = tabular.run_import(
        "certificates", f"{CERT_HEADER}\n{good}\n{partial}\n".encode(), user=cast.bob
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "cap_manager_office_number")]
    assert DecisionPeriod.objects.count() == 0
    result = tabular.run_import("certificates", f"{CERT_HEADER}\n{good}\n".encode(), user=cast.bob)
    assert result.ok, result.errors
    period = DecisionPeriod.objects.get()
    assert (
        period.cap_manager_office_number,
        period.cap_management_result,
        period.cap_management_amount,
    ) == ("1310000001", "3", 4000)


def test_the_certificate_page_records_the_cap_management(cast, client):
    person = factories.ClientFactory(office=cast.office_a, client_code="P1")
    client.force_login(cast.bob)
    url = reverse("certificate_edit", kwargs={"client_pk": person.pk})
    form = {
        "recipient_number": "0000123456",
        "municipality_number": "131016",
        "start": "2024-04-01",
        "end": "2025-03-31",
        "copay_cap": "9300",
        "cap_manager_office_number": "1310000001",
        "cap_management_result": "2",
        "cap_management_amount": "",
    }
    response = client.post(url, form)
    assert response.status_code == 200  # the amount is missing: the form is shown again
    assert not DecisionPeriod.objects.exists()
    response = client.post(url, {**form, "cap_management_amount": "0"})
    assert response.status_code == 302
    period = DecisionPeriod.objects.get()
    assert (period.cap_management_result, period.cap_management_amount) == ("2", 0)


def test_readings_become_half_width_kana():
    assert halfwidth_katakana("ヤマダ　タロウ") == "ﾔﾏﾀﾞ ﾀﾛｳ"
    assert halfwidth_katakana("がっこう") == "ｶﾞｯｺｳ"
    assert halfwidth_katakana("パーヴェル") == "ﾊﾟｰｳﾞｪﾙ"
    assert halfwidth_katakana("ヶ") == "ｹ"  # no half-width letter: the nearest one
