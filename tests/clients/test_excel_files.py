"""Files as Japanese offices have them (DESIGN 5.1), imported end to end: a clients file saved by
Excel on Japanese Windows, every problem in one pass, refused encodings, and the templates."""

import datetime as dt

import pytest
from django.urls import reverse

from clients.models import Client, Employment
from contacts.models import Contact
from core import tabular
from offices.models import Office

JAPANESE_HEADER = (
    "事業所番号,利用者コード,姓,名,姓(フリガナ),名（フリガナ）,生年月日,障害種別,"
    "送り出し元事業所番号,計画の種別,相談支援事業所番号,利用開始日,利用終了日,利用終了理由"
)


def excel_cp932(*lines):
    """Bytes as Excel on Japanese Windows saves “CSV (comma delimited)”: CP932 and CRLF."""
    return "".join(line + "\r\n" for line in lines).encode("cp932")


def test_a_clients_file_saved_by_japanese_excel_imports(cast):
    a = cast.office_a.office_number
    full_width_office = a.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    data = excel_cp932(
        JAPANESE_HEADER,
        f"{a},K001,山田,太郎,やまだ,たろう,1995/7/9,知的、精神,,セルフプラン,,令和6年4月1日,,",
        f"{full_width_office},K002,髙橋,花子,ﾀｶﾊｼ,ﾊﾅｺ,H7.7.9,身体,,,,R6.4.1,R7.3.31,就職先の退職",
    )
    assert b"\r\n" in data and data.decode("cp932").startswith("事業所番号")

    result = tabular.run_import("clients", data, user=cast.bob)

    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (2, 0)
    yamada = Client.objects.get(office=cast.office_a, client_code="K001")
    assert (yamada.family_name_kana, yamada.given_name_kana) == ("ヤマダ", "タロウ")
    assert yamada.birth_date == dt.date(1995, 7, 9)
    assert yamada.disability_types == ["intellectual", "mental"]
    assert yamada.plan_type == "self_plan"
    assert yamada.service_start == dt.date(2024, 4, 1)
    takahashi = Client.objects.get(office=cast.office_a, client_code="K002")
    assert (takahashi.family_name, takahashi.family_name_kana) == ("髙橋", "タカハシ")
    assert takahashi.given_name_kana == "ハナコ"
    assert takahashi.birth_date == dt.date(1995, 7, 9)
    assert takahashi.service_end == dt.date(2025, 3, 31)
    # The same file again changes nothing.
    again = tabular.run_import("clients", data, user=cast.bob)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_every_problem_of_the_file_is_listed_in_one_pass_by_japanese_column_name(cast):
    a = cast.office_a.office_number
    data = excel_cp932(
        JAPANESE_HEADER + ",備考",
        # Row 2: four problems in one row (a bad date, an unknown label, an unknown office, a
        # service that ends before it starts).
        "999,K001,山田,太郎,ヤマダ,タロウ,1995/13/9,知能,,セルフプラン,,2024/4/1,2024/3/1,転居",
        # Row 3: fine.
        f"{a},K002,佐藤,花子,サトウ,ハナコ,,,,,,2024/4/1,,",
        # Row 4: a reading that is not kana and a date not in its era.
        f"{a},K003,鈴木,一郎,Suzuki,イチロウ,,,,,,平成32年1月1日,,",
    )

    result = tabular.run_import("clients", data, user=cast.bob)

    assert not result.ok
    assert Client.objects.count() == 0
    found = {(e.row, e.column_name) for e in result.errors}
    assert found == {
        (1, "備考"),
        (2, "事業所番号 (office_number)"),
        (2, "生年月日 (birth_date)"),
        (2, "障害種別 (disability_types)"),
        (2, "利用終了日 (service_end)"),
        (4, "姓（フリガナ） (family_name_kana)"),
        (4, "利用開始日 (service_start)"),
    }
    by_place = {(e.row, e.column): e for e in result.errors}
    assert by_place[2, "birth_date"].value == "1995/13/9"
    assert by_place[2, "birth_date"].reason == "存在しない日付です。"
    assert "知的 (intellectual)" in by_place[2, "disability_types"].reason
    era_reason = by_place[4, "service_start"].reason
    assert era_reason.startswith("平成は平成元年1月8日から平成31年4月30日まで")
    assert str(by_place[2, "birth_date"]) == (
        "2 行目、列 生年月日 (birth_date)、値「1995/13/9」: 存在しない日付です。"
    )


def test_a_missing_column_is_reported_with_the_rows_problems(cast):
    data = excel_cp932(
        "事業所番号,利用者コード,姓,名,利用開始日",
        f"{cast.office_a.office_number},K001,山田,,2024/4/1",
    )
    result = tabular.run_import("clients", data, user=cast.bob)
    assert {(e.row, e.column_name, e.reason) for e in result.errors} >= {
        (1, "姓（フリガナ） (family_name_kana)", "必須の列がありません。"),
        (2, "名 (given_name)", "値を入力してください。"),
    }


def test_an_euc_jp_clients_file_is_refused_naming_the_first_bad_row(cast):
    data = (
        "office_number,client_code,family_name,given_name\n"
        f"{cast.office_a.office_number},K001,やまだ,たろう\n"
    ).encode("euc_jp")
    result = tabular.run_import("clients", data, user=cast.bob)
    assert len(result.errors) == 1
    reason = result.errors[0].reason
    assert reason.startswith("2 行目が UTF-8 でも Shift_JIS（CP932）でもありません")
    assert Client.objects.count() == 0


def test_a_file_mixing_utf8_and_cp932_rows_is_refused_naming_the_first_bad_row(cast):
    a = cast.office_a.office_number
    data = (
        excel_cp932(JAPANESE_HEADER, f"{a},K001,山田,太郎,ヤマダ,タロウ,,,,,,2024/4/1,,")
        + f"{a},K002,山田,花子,ヤマダ,ハナコ,,,,,,2024/4/1,,\r\n".encode()
    )
    result = tabular.run_import("clients", data, user=cast.bob)
    assert len(result.errors) == 1
    assert result.errors[0].reason.startswith("文字コードが混在しています: 3 行目")
    assert Client.objects.count() == 0


@pytest.mark.parametrize("encoding", ["cp932", "utf-8"])
def test_the_templates_import_as_downloaded_one_kind_after_another(client, cast, encoding):
    """Offices, clients, employments, contacts: each template's example row imports as it is, the
    later kinds into the office and client the earlier examples created."""
    client.force_login(cast.bob)
    cast.bob.is_superuser = True  # the offices kind is for administrators
    cast.bob.save()
    for kind in ("offices", "clients", "employments", "contacts"):
        response = client.get(reverse("import_template", args=[kind, encoding]))
        assert response.status_code == 200
        body = response.content
        if encoding == "utf-8":
            assert body.startswith(b"\xef\xbb\xbf")
        else:
            body.decode("cp932")  # CP932 throughout
        header = tabular.decode(body).splitlines()[0].split(",")
        assert header == [c.label for c in tabular.get_kind(kind).columns]

        result = tabular.run_import(kind, body)  # the command line's importer

        assert result.ok, (kind, [str(e) for e in result.errors])
        assert result.created == 1, kind
    office = Office.objects.get(office_number="1310000001")
    assert office.uses_system and office.prefecture_code == "13"
    assert office.service_types == ["retention_support", "transition_support"]
    client_row = Client.objects.get(office=office, client_code="C001")
    assert client_row.family_name_kana == "ヤマダ"
    assert client_row.disability_types == ["intellectual", "mental"]
    assert Employment.objects.get(client=client_row).start_date == dt.date(2023, 10, 1)
    contact = Contact.objects.get(client=client_row)
    assert (contact.method, contact.counterpart, contact.duration_minutes) == (
        "workplace_visit",
        "client",
        30,
    )


def test_a_template_of_a_kind_the_user_may_not_import_is_not_found(client, cast):
    client.force_login(cast.alice)  # support staff: contacts yes, clients no
    assert client.get(reverse("import_template", args=["contacts", "cp932"])).status_code == 200
    assert client.get(reverse("import_template", args=["clients", "cp932"])).status_code == 404
    assert client.get(reverse("import_template", args=["contacts", "latin-1"])).status_code == 404
    assert client.get(reverse("import_template", args=["nothing", "cp932"])).status_code == 404


def test_the_upload_page_lists_the_columns_of_each_kind_the_user_may_import(client, cast):
    client.force_login(cast.bob)
    page = client.get(reverse("import_upload")).content.decode()
    assert "生年月日" in page and "<code>birth_date</code>" in page
    assert "セルフプラン (self_plan)" in page
    assert reverse("import_template", args=["clients", "cp932"]) in page
    assert 'data-import-kind="offices"' not in page  # bob may not import offices
