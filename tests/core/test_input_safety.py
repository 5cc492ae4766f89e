"""Hostile input ends in a clear refusal, never a server error (issue 11, parts 1 to 4)."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as HttpClient
from django.urls import reverse

from clients import validation
from clients.models import Client
from core import params, tabular
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def http():
    return HttpClient(raise_request_exception=False)


class TestControlCharacters:
    def test_a_nul_byte_in_the_query_is_a_japanese_400(self, http, cast):
        http.force_login(cast.bob)
        page = http.get("/clients/?q=%00")
        assert page.status_code == 400
        assert "不正なリクエスト" in page.content.decode()

    def test_a_nul_byte_in_the_path_is_a_400(self, http, cast):
        http.force_login(cast.bob)
        assert http.get("/offices/%00/").status_code == 400

    def test_an_anonymous_visitor_with_a_nul_in_an_answer_link_gets_400(self, http):
        assert http.get("/answer/t/%00/").status_code == 400

    def test_a_nul_byte_in_a_form_field_is_a_400(self, http, cast):
        http.force_login(cast.bob)
        assert http.post("/clients/new/", {"family_name": "山\x00田"}).status_code == 400

    def test_line_breaks_in_a_textarea_are_accepted(self):
        assert not params.has_control_characters("一行目\r\n二行目\tタブ")
        assert params.has_control_characters("a\x00b")
        assert params.has_control_characters("a\nb", allow_line_breaks=False)


class TestRanges:
    def test_a_huge_id_in_the_path_is_a_404(self, http, cast):
        http.force_login(cast.bob)
        assert http.get(f"/contacts/reports/{2**64}/").status_code == 404
        assert http.get(f"/clients/{2**63}/").status_code == 404

    def test_a_period_from_year_1_to_9999_is_refused_in_the_form(self, http, cast):
        http.force_login(cast.bob)
        page = http.get("/contacts/stats/", {"date_from": "0001-01-01", "date_to": "9999-12-31"})
        assert page.status_code == 200
        assert "1900-01-01 から 2100-12-31 までの日付" in page.content.decode()
        page = http.get("/contacts/", {"date_from": "0001-01-01", "date_to": "9999-12-31"})
        assert page.status_code == 200

    def test_statistics_over_more_than_5_years_are_refused(self, http, cast):
        http.force_login(cast.bob)
        page = http.get("/contacts/stats/", {"date_from": "1900-01-01", "date_to": "2100-12-31"})
        assert page.status_code == 200
        assert "期間は5年以内" in page.content.decode()

    def test_a_month_outside_the_range_falls_back_to_this_month(self, http, cast):
        http.force_login(cast.bob)
        assert http.get("/contacts/reports/", {"month": "9999-12"}).status_code == 200

    def test_parameter_helpers(self):
        assert params.id_param(str(2**63)) is None and params.id_param("12") == 12
        assert params.year_param("2024") == 2024 and params.year_param("0001") is None
        assert params.date_param("2024-04-01") == dt.date(2024, 4, 1)
        with pytest.raises(params.BadRequest):
            params.date_param("9999-12-31")


class TestCodes:
    def test_a_client_code_with_a_line_break_is_refused(self):
        assert validation.client_code_problems(client_code="A-001\r\nX")
        assert validation.client_code_problems(client_code='A"1')
        assert validation.client_code_problems(client_code="A 1")
        assert not validation.client_code_problems(client_code="あおば-001_2.b")

    def test_the_client_import_refuses_such_a_code_naming_the_row(self, cast):
        from tests.clients.test_imports import CLIENT_HEADER

        data = (
            f"{CLIENT_HEADER}\n"
            f'{cast.office_a.office_number},"A\r\n1",山田,太郎,ヤマダ,タロウ,,,,self_plan,,'
            "2024-04-01,,\n"
        ).encode()
        result = tabular.run_import("clients", data, dry_run=True)
        assert [(e.row, e.column) for e in result.errors] == [(3, "client_code")]

    def test_the_pdf_download_header_survives_a_hostile_client_code(self, http, cast):
        # A code stored before the rule existed.
        client = factories.ClientFactory(office=cast.office_a, client_code="A\r\nSet-Cookie: x")
        report = factories.SupportReportFactory(client=client)
        http.force_login(cast.bob)
        response = http.get(reverse("report_pdf", args=[report.pk]))
        assert response.status_code == 200
        header = response["Content-Disposition"]
        assert header.startswith("inline; ") and "\r" not in header and "\n" not in header

    def test_content_disposition_keeps_japanese_names_and_drops_quotes(self):
        header = tabular.content_disposition('利用者"一覧.csv')
        assert header == (
            'attachment; filename="______.csv"; '
            "filename*=UTF-8''%E5%88%A9%E7%94%A8%E8%80%85_%E4%B8%80%E8%A6%A7.csv"
        )


class TestNulInImports:
    def _late_nul_file(self, cast):
        filler = "".join(
            f"{cast.office_a.office_number},C{i:04d},山田,太郎,2024-04-01\n" for i in range(200)
        )
        header = "office_number,client_code,family_name,given_name,service_start\n"
        return (
            header + filler + f"{cast.office_a.office_number},Z1,山\x00田,太郎,2024-04-01\n"
        ).encode()

    def test_a_nul_byte_after_the_first_4_kb_is_refused_naming_the_line(self, cast):
        data = self._late_nul_file(cast)
        assert len(data) > 4096
        before = Client.objects.count()
        result = tabular.run_import("clients", data)
        assert not result.ok
        assert "202 行目に NUL 文字" in str(result.errors[0])
        assert Client.objects.count() == before

    def test_the_command_line_refuses_it_without_a_traceback(self, cast, tmp_path):
        path = tmp_path / "clients.csv"
        path.write_bytes(self._late_nul_file(cast))
        stderr = io.StringIO()
        with pytest.raises(CommandError, match="何も書き込んでいません"):
            call_command("import_csv", "clients", str(path), stderr=stderr)
        assert "202 行目に NUL 文字" in stderr.getvalue()


class TestNext:
    def test_mark_as_read_never_redirects_to_another_site(self, http, cast):
        notification = factories.NotificationFactory(
            user=cast.alice, client=factories.ClientFactory(office=cast.office_a)
        )
        http.force_login(cast.alice)
        url = reverse("notification_read", args=[notification.pk])
        for hostile in ("https://evil.example/", "//evil.example/", "https:evil.example"):
            response = http.post(url, {"next": hostile})
            assert response["Location"] == reverse("notification_list")
        response = http.post(url, {"next": "/contacts/notifications/?page=2"})
        assert response["Location"] == "/contacts/notifications/?page=2"
