"""clients.validation: the edit forms and the CSV imports refuse the same clients and employments
with the same message, so a row the importer accepts can later be saved through the form."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from clients.forms import ClientForm, EmploymentForm
from clients.models import Client, Employment
from core import tabular
from offices.models import Office
from tests import factories

D = dt.date
TODAY = D(2024, 10, 1)

CLIENT_COLUMNS = (
    "office_number", "client_code", "family_name", "given_name", "family_name_kana",
    "given_name_kana", "birth_date", "disability_types", "referral_office_number", "plan_type",
    "consultation_office_number", "service_start", "service_end", "service_end_reason",
    "early_start_reason",
)  # fmt: skip
EMPLOYMENT_COLUMNS = (
    "office_number", "client_code", "start_date", "employer_name", "end_date",
    "separation_reason", "supported_job_change",
)  # fmt: skip


@pytest.fixture
def consultation(cast):
    return factories.OfficeFactory(office_number="1399999992", uses_system=False)


def client_row(cast, **overrides):
    row = {
        "office_number": cast.office_a.office_number,
        "client_code": "K100",
        "family_name": "佐藤",
        "given_name": "一郎",
        "family_name_kana": "サトウ",
        "given_name_kana": "イチロウ",
        "birth_date": "1990-05-01",
        "disability_types": "mental",
        "referral_office_number": "",
        "plan_type": "self_plan",
        "consultation_office_number": "",
        "service_start": "2024-04-01",
        "service_end": "",
        "service_end_reason": "",
        "early_start_reason": "",
    }
    row.update(overrides)
    return row


def csv_bytes(columns, *rows):
    lines = [",".join(columns)] + [",".join(row[c] for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_errors(kind, columns, row, *, user):
    """{(row, column): reason} of importing ``row`` as the first data row (spreadsheet row 2)."""
    result = tabular.run_import(kind, csv_bytes(columns, row), user=user)
    return {(e.row, e.column): e.reason for e in result.errors}


def client_form(cast, row, *, instance=None, can_confirm=True):
    """The client edit form filled with the same values as an import row."""
    number_to_pk = dict(Office.objects.values_list("office_number", "pk"))
    data = {
        name: row[name]
        for name in (
            "client_code", "family_name", "given_name", "family_name_kana", "given_name_kana",
            "birth_date", "plan_type", "service_start", "service_end", "service_end_reason",
            "early_start_reason",
        )
    }  # fmt: skip
    data["office"] = number_to_pk[row["office_number"]]
    data["disability_types"] = row["disability_types"].split(";")
    data["consultation_office"] = number_to_pk.get(row["consultation_office_number"], "")
    data["referral_office"] = number_to_pk.get(row["referral_office_number"], "")
    if can_confirm:
        data["early_start_confirmed"] = "on"
    offices = Office.objects.filter(pk=cast.office_a.pk)
    return ClientForm(
        data,
        instance=instance,
        offices=offices,
        staff=get_user_model().objects.none(),
        can_confirm=can_confirm,
        today=TODAY,
    )


CLIENT_RULES = [
    pytest.param(
        {"plan_type": "consultation_plan"},
        "consultation_office", "consultation_office_number",
        "計画相談の場合は、計画を作成した相談支援事業所を選んでください。",
        id="a_consultation_plan_needs_its_consultation_office",
    ),
    pytest.param(
        {"plan_type": "self_plan", "consultation_office_number": "1399999992"},
        "plan_type", "plan_type",
        "相談支援事業所を入力する場合は、プランの種類で「計画相談」を選んでください。",
        id="a_consultation_office_needs_a_consultation_plan",
    ),
    pytest.param(
        {"service_end": "2025-03-31"},
        "service_end_reason", "service_end_reason",
        "サービス終了の理由を入力してください（例：3年経過）。",
        id="a_service_end_needs_its_reason",
    ),
    pytest.param(
        {"service_end_reason": "転居"},
        "service_end", "service_end",
        "終了理由を入力する場合は、サービス終了日も入力してください。",
        id="an_end_reason_needs_the_service_end",
    ),
    pytest.param(
        {"service_end": "2024-03-31", "service_end_reason": "転居"},
        "service_end", "service_end",
        "サービス終了日はサービス開始日以降の日付にしてください。",
        id="the_service_cannot_end_before_it_starts",
    ),
    pytest.param(
        {"service_start": "2021-04-01", "service_end": "2024-04-01", "service_end_reason": "満了"},
        "service_end", "service_end",
        "サービスの利用は最長3年です。終了日は2024年3月31日までにしてください。",
        id="the_service_lasts_at_most_three_years",
    ),
    pytest.param(
        {"family_name_kana": "sato"},
        "family_name_kana", "family_name_kana",
        "フリガナはカタカナで入力してください（例：ヤマダ）。",
        id="the_reading_is_written_in_katakana",
    ),
    pytest.param(
        {"birth_date": "2099-01-01"},
        "birth_date", "birth_date",
        "生年月日は今日より前の日付にしてください。",
        id="the_birth_date_is_in_the_past",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("overrides", "field", "column", "message"), CLIENT_RULES)
def test_form_and_import_refuse_a_client_with_the_same_message(
    cast, consultation, overrides, field, column, message
):
    row = client_row(cast, **overrides)

    form = client_form(cast, row)
    assert not form.is_valid()
    assert form.errors[field] == [message]

    errors = import_errors("clients", CLIENT_COLUMNS, row, user=cast.bob)
    assert errors == {(2, column): message}
    assert not Client.objects.exists()


# ---------------------------------------------------------------------------------------------
# The early start (DESIGN 4 and 5.1: early_start_reason)


@pytest.fixture
def hired_in_october(cast):
    """Hired 2023-10-01: the service may start from 2024-04-01."""
    person = factories.ClientFactory(
        office=cast.office_a, client_code="K100", family_name="佐藤", given_name="一郎",
        family_name_kana="サトウ", given_name_kana="イチロウ", birth_date=D(1990, 5, 1),
        service_start=D(2024, 4, 1),
    )  # fmt: skip
    factories.EmploymentFactory(client=person, start_date=D(2023, 10, 1))
    return person


def test_form_and_import_refuse_an_early_start_without_its_reason(cast, hired_in_october):
    row = client_row(cast, service_start="2024-03-31")  # one day early
    message = "早期開始の理由を入力してください。"

    form = client_form(cast, row, instance=hired_in_october)
    assert not form.is_valid()
    assert form.errors["early_start_reason"] == [message]

    errors = import_errors("clients", CLIENT_COLUMNS, row, user=cast.bob)
    assert errors == {(2, "early_start_reason"): message}
    hired_in_october.refresh_from_db()
    assert hired_in_october.service_start == D(2024, 4, 1)


def test_a_file_without_the_early_start_column_names_it_when_the_start_is_early(
    cast, hired_in_october
):
    columns = tuple(c for c in CLIENT_COLUMNS if c != "early_start_reason")
    row = client_row(cast, service_start="2024-03-31")
    errors = import_errors("clients", columns, row, user=cast.bob)
    assert list(errors) == [(2, "early_start_reason")]


def test_a_file_without_the_early_start_column_imports_as_before_when_the_start_is_on_time(
    cast, hired_in_october
):
    columns = tuple(c for c in CLIENT_COLUMNS if c != "early_start_reason")
    row = client_row(cast, given_name="一朗")
    result = tabular.run_import("clients", csv_bytes(columns, row), user=cast.bob)
    assert result.ok, result.errors
    assert result.updated == 1
    hired_in_october.refresh_from_db()
    assert hired_in_october.given_name == "一朗"
    assert hired_in_october.early_start_reason == ""


def test_a_manager_imports_an_early_start_with_its_reason(cast, hired_in_october):
    row = client_row(cast, service_start="2024-03-31", early_start_reason="休職からの復職")
    data = csv_bytes(CLIENT_COLUMNS, row)
    result = tabular.run_import("clients", data, user=cast.bob)
    assert result.ok, result.errors
    hired_in_october.refresh_from_db()
    assert hired_in_october.service_start == D(2024, 3, 31)
    assert hired_in_october.early_start_reason == "休職からの復職"
    assert hired_in_october.early_start_confirmed_by == cast.bob
    assert hired_in_october.early_start_confirmed_at is not None
    # Importing the same file again changes nothing, the confirmation included.
    again = tabular.run_import("clients", data, user=cast.bob)
    assert (again.updated, again.unchanged) == (0, 1)


def test_an_imported_early_start_saves_through_the_edit_form_without_a_new_confirmation(
    cast, hired_in_october
):
    # From the command line, so no user confirmed it: the reason on record stands.
    row = client_row(cast, service_start="2024-03-31", early_start_reason="休職からの復職")
    assert tabular.run_import("clients", csv_bytes(CLIENT_COLUMNS, row)).ok
    hired_in_october.refresh_from_db()
    assert hired_in_october.early_start_confirmed_by is None

    # Support staff, who may not confirm, edit the name and keep the start.
    form = client_form(
        cast, client_row(cast, service_start="2024-03-31", given_name="一朗"),
        instance=hired_in_october, can_confirm=False,
    )  # fmt: skip
    assert form.is_valid(), form.errors


def test_a_moved_early_start_needs_a_new_confirmation_on_both_paths(cast, hired_in_october):
    hired_in_october.service_start = D(2024, 3, 31)
    hired_in_october.early_start_reason = "休職からの復職"
    hired_in_october.early_start_confirmed_by = cast.bob
    hired_in_october.save()
    row = client_row(cast, service_start="2024-03-01")
    message = (
        "就職から6か月経過前の開始です。サービス管理責任者または管理者が理由を記入して"
        "確認する必要があります。"
    )

    form = client_form(cast, row, instance=hired_in_october, can_confirm=False)
    assert not form.is_valid()
    assert form.errors["service_start"] == [message]

    errors = import_errors("clients", CLIENT_COLUMNS, row, user=cast.bob)
    assert list(errors) == [(2, "early_start_reason")]


# ---------------------------------------------------------------------------------------------
# Employments


def employment_row(cast, **overrides):
    row = {
        "office_number": cast.office_a.office_number,
        "client_code": "K100",
        "start_date": "2024-06-01",
        "employer_name": "株式会社つぎ",
        "end_date": "",
        "separation_reason": "",
        "supported_job_change": "",
    }
    row.update(overrides)
    return row


def employment_form(person, row):
    data = {
        "new_employer_name": row["employer_name"],
        "start_date": row["start_date"],
        "end_date": row["end_date"],
        "separation_reason": row["separation_reason"],
    }
    if row["supported_job_change"] == "true":
        data["supported_job_change"] = "on"
    return EmploymentForm(data, client=person)


EMPLOYMENT_RULES = [
    pytest.param(
        {"end_date": "2024-09-30"},
        "separation_reason",
        "離職理由を選んでください。",
        id="an_employment_end_needs_a_separation_reason",
    ),
    pytest.param(
        {"separation_reason": "personal"},
        "end_date",
        "離職理由を入力する場合は、最終出勤日も入力してください。",
        id="a_separation_reason_needs_the_last_working_day",
    ),
    pytest.param(
        {"supported_job_change": "true"},
        "supported_job_change",
        "支援付き転職にする場合は、この仕事の最終出勤日を入力してください。",
        id="a_supported_job_change_needs_the_last_working_day",
    ),
    pytest.param(
        {"end_date": "2024-05-31", "separation_reason": "personal"},
        "end_date",
        "最終出勤日は入社日以降の日付にしてください。",
        id="the_last_working_day_is_not_before_the_hire",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message"), EMPLOYMENT_RULES)
def test_form_and_import_refuse_an_employment_with_the_same_message(
    cast, hired_in_october, overrides, field, message
):
    row = employment_row(cast, **overrides)

    form = employment_form(hired_in_october, row)
    assert not form.is_valid()
    assert form.errors[field] == [message]

    errors = import_errors("employments", EMPLOYMENT_COLUMNS, row, user=cast.bob)
    assert errors == {(2, field): message}
    assert Employment.objects.filter(client=hired_in_october).count() == 1
