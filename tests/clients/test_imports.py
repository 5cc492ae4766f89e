"""clients and employments CSV imports (DESIGN 5.1) through core.tabular and the upload page."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import Client, Employer, Employment
from core import importing, tabular
from core.models import AuditEvent, ImportJob
from tests import factories

D = dt.date
CLIENT_HEADER = (
    "office_number,client_code,family_name,given_name,family_name_kana,given_name_kana,"
    "birth_date,disability_types,referral_office_number,plan_type,consultation_office_number,"
    "service_start,service_end,service_end_reason"
)
EMPLOYMENT_HEADER = (
    "office_number,client_code,start_date,employer_name,end_date,separation_reason,"
    "supported_job_change"
)


def as_excel_cp932(text):
    """CP932 as Excel on Japanese Windows writes it: 髙 and 﨑 as IBM extensions (0xFBFC,
    0xFAB1), not the NEC-selected codes Python's encoder picks."""
    data = text.replace("\n", "\r\n").encode("cp932")
    return data.replace("髙".encode("cp932"), b"\xfb\xfc").replace(
        "﨑".encode("cp932"), b"\xfa\xb1"
    )


@pytest.fixture
def referral(cast):
    return factories.OfficeFactory(
        office_number="1399999991", corporation=cast.corporation_b, uses_system=False
    )


@pytest.fixture
def consultation(cast):
    return factories.OfficeFactory(office_number="1399999992", uses_system=False)


def clients_csv(cast, *rows):
    return CLIENT_HEADER + "\n" + "\n".join(rows) + "\n"


def test_cp932_file_from_excel_with_ibm_extension_kanji_imports(cast, referral, consultation):
    a = cast.office_a.office_number
    text = clients_csv(
        cast,
        f"{a},K001,髙橋,花子,タカハシ,ハナコ,1990-04-01,mental;developmental,1399999991,"
        "consultation_plan,1399999992,2024-04-01,,",
        f"{a},K002,山﨑,太郎,ヤマザキ,タロウ,,intellectual,,self_plan,,2023-10-01,2024-09-30,就職先の退職",
    )
    data = as_excel_cp932(text)
    assert b"\xfb\xfc" in data and b"\xfa\xb1" in data
    result = tabular.run_import("clients", data)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    takahashi = Client.objects.get(client_code="K001")
    assert takahashi.family_name == "髙橋"
    assert Client.objects.get(client_code="K002").family_name == "山﨑"
    assert takahashi.referral_office == referral
    assert takahashi.disability_types == ["developmental", "mental"]
    assert Client.objects.with_origin().get(client_code="K001").origin == "other_org"
    # Importing the same file again changes nothing.
    again = tabular.run_import("clients", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_bad_rows_are_refused_whole_and_named(cast):
    a = cast.office_a.office_number
    text = clients_csv(
        cast,
        f"{a},K001,佐藤,一郎,サトウ,イチロウ,,,,self_plan,,2024-04-01,,",
        f"{a},K002,鈴木,二郎,スズキ,ジロウ,,,,self_plan,,2021-04-01,2024-04-01,期間満了",
        f"{a},K003,田中,三郎,タナカ,サブロウ,1990-02-30,,,,,2024-04-01,,",
    )
    result = tabular.run_import("clients", text.encode("utf-8"))
    assert not result.ok
    problems = {(e.row, e.column) for e in result.errors}
    # Row 3: from 2021-04-01 the service must end by 2024-03-31. Row 4: no 30 February.
    assert problems == {(3, "service_end"), (4, "birth_date")}
    assert not Client.objects.exists()


def test_service_longer_than_three_years_names_the_limit(cast):
    a = cast.office_a.office_number
    text = clients_csv(cast, f"{a},K002,鈴木,二郎,スズキ,ジロウ,,,,,,2021-04-01,2024-04-01,満了")
    result = tabular.run_import("clients", text.encode("utf-8"))
    # The edit form's message, with the limit written as the interface writes dates.
    assert "2024年3月31日" in result.errors[0].reason


def test_upload_page_refuses_another_offices_number(
    client, cast, django_capture_on_commit_callbacks
):
    b = cast.office_b.office_number
    a = cast.office_a.office_number
    text = clients_csv(
        cast,
        f"{a},K001,佐藤,一郎,サトウ,イチロウ,,,,,,2024-04-01,,",
        f"{b},K002,侵入,二郎,シンニュウ,ジロウ,,,,,,2024-04-01,,",
    )
    client.force_login(cast.bob)
    # The page queues the job after commit; run it here through the same runner the Celery task
    # calls (sending it through Celery's eager path here leaves a closed producer pool behind
    # for the real-worker test).
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("import_upload"),
            {"kind": "clients", "file": SimpleUploadedFile("c.csv", text.encode("utf-8"))},
        )
    job = importing.run_job(ImportJob.objects.get(user=cast.bob).pk)
    assert response.status_code == 302
    assert job.status == ImportJob.Status.REFUSED
    assert job.result["errors"][0]["row"] == 3
    assert job.result["errors"][0]["column"] == "office_number"
    assert not Client.objects.exists()


def test_support_staff_and_other_office_staff_may_not_import_clients(cast):
    kind = tabular.get_kind("clients")
    assert kind.allowed(cast.bob)
    assert not kind.allowed(cast.alice)
    # Charlie has no managed office: the kind is not even offered.
    assert not kind.allowed(cast.charlie)


def test_a_manager_of_office_b_cannot_import_into_office_a(cast):
    manager_b = factories.UserFactory(username="manager-b")
    factories.MembershipFactory(user=manager_b, office=cast.office_b, role="office_manager")
    a = cast.office_a.office_number
    text = clients_csv(cast, f"{a},K001,佐藤,一郎,サトウ,イチロウ,,,,,,2024-04-01,,")
    result = tabular.run_import("clients", text.encode("utf-8"), user=manager_b)
    assert [(e.row, e.column) for e in result.errors] == [(2, "office_number")]
    assert not Client.objects.exists()


def test_employments_import_upserts_by_office_client_and_start(cast):
    c = factories.ClientFactory(office=cast.office_a, client_code="K001")
    a = cast.office_a.office_number
    text = (
        EMPLOYMENT_HEADER + "\n"
        f"{a},K001,2023-10-01,株式会社髙島屋商事,2024-05-31,job_change,true\n"
        f"{a},K001,2024-06-20,株式会社つぎ,,,\n"
    )
    result = tabular.run_import("employments", as_excel_cp932(text), user=cast.bob)
    assert result.ok, result.errors
    spans = list(Employment.objects.filter(client=c).order_by("start_date"))
    assert [s.employer.name for s in spans] == ["株式会社髙島屋商事", "株式会社つぎ"]
    assert spans[0].supported_job_change and spans[0].end_date == D(2024, 5, 31)
    assert Employer.objects.filter(office=cast.office_a).count() == 2
    # Same key, new end date: an update, not a second row.
    changed = text.replace(
        "2024-06-20,株式会社つぎ,,,", "2024-06-20,株式会社つぎ,2025-01-31,personal,false"
    )
    again = tabular.run_import("employments", changed.encode("utf-8"), user=cast.bob)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert AuditEvent.objects.filter(object_id=str(c.pk), action="update").exists()


def test_employments_import_refuses_unknown_clients_and_other_offices(cast):
    factories.ClientFactory(office=cast.office_b, client_code="B001")
    b = cast.office_b.office_number
    a = cast.office_a.office_number
    text = (
        EMPLOYMENT_HEADER + "\n"
        f"{a},NOPE,2023-10-01,株式会社A,,,\n"
        f"{b},B001,2023-10-01,株式会社B,,,\n"
        f"{a},NOPE,2023-10-01,株式会社C,2023-09-01,personal,\n"
    )
    result = tabular.run_import("employments", text.encode("utf-8"), user=cast.bob)
    problems = {(e.row, e.column) for e in result.errors}
    assert (2, "client_code") in problems
    assert (3, "office_number") in problems
    assert (4, "end_date") in problems
    assert not Employment.objects.exists()
