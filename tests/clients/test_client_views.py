import datetime as dt

import pytest
from django.urls import reverse

from clients.models import Client, Employment
from core.models import AuditEvent
from tests import factories

D = dt.date


@pytest.fixture
def clients_of_a(cast):
    own = factories.OfficeFactory(corporation=cast.corporation_a, uses_system=False)
    other = factories.OfficeFactory(corporation=cast.corporation_b, uses_system=False)
    hanako = factories.ClientFactory(
        office=cast.office_a, client_code="A-001", family_name="髙橋", given_name="花子",
        family_name_kana="タカハシ", given_name_kana="ハナコ", referral_office=own,
        plan_type="self_plan", staff_in_charge=cast.alice, service_start=D(2024, 4, 1),
    )  # fmt: skip
    jiro = factories.ClientFactory(
        office=cast.office_a, client_code="A-002", family_name="山﨑", given_name="次郎",
        family_name_kana="ヤマザキ", given_name_kana="ジロウ", referral_office=other,
        plan_type="consultation_plan", service_start=D(2021, 1, 15),
    )  # fmt: skip
    factories.EmploymentFactory(client=hanako, start_date=D(2023, 10, 1))
    stranger = factories.ClientFactory(
        office=cast.office_b, client_code="B-001", family_name="部外者", given_name="三郎"
    )
    return hanako, jiro, stranger


def test_client_list_shows_only_own_office_clients(client, cast, clients_of_a):
    client.force_login(cast.alice)
    response = client.get(reverse("client_list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "髙橋" in text and "山﨑" in text
    assert "部外者" not in text


def test_client_list_searches_name_kana_and_code(client, cast, clients_of_a):
    client.force_login(cast.alice)
    for query in ("髙橋", "タカハシ", "A-001", "髙橋 花子"):
        text = client.get(reverse("client_list"), {"q": query}).content.decode()
        assert "髙橋" in text and "山﨑" not in text, query


def test_client_list_filters_by_origin_plan_and_staff(client, cast, clients_of_a):
    client.force_login(cast.alice)
    url = reverse("client_list")
    assert "山﨑" in client.get(url, {"origin": "other_org"}).content.decode()
    assert "髙橋" not in client.get(url, {"origin": "other_org"}).content.decode()
    assert "髙橋" in client.get(url, {"origin": "own_org"}).content.decode()
    assert "山﨑" in client.get(url, {"plan_type": "consultation_plan"}).content.decode()
    assert "山﨑" not in client.get(url, {"staff": "me"}).content.decode()
    assert "髙橋" in client.get(url, {"staff": "me"}).content.decode()


def test_client_list_filters_services_ending_within_90_days(client, cast, clients_of_a, settings):
    import time_machine

    # 山﨑's 3-year limit ends 2024-01-14; on 2023-11-01 that is within 90 days. 髙橋 starts later.
    with time_machine.travel(dt.datetime(2023, 11, 1, 12, tzinfo=dt.UTC)):
        client.force_login(cast.alice)
        text = client.get(reverse("client_list"), {"ending": "90"}).content.decode()
    assert "山﨑" in text and "髙橋" not in text


def test_client_list_paginates(client, cast):
    for i in range(30):
        factories.ClientFactory(office=cast.office_a, family_name_kana=f"ア{i:02d}")
    client.force_login(cast.alice)
    first = client.get(reverse("client_list")).content.decode()
    second = client.get(reverse("client_list"), {"page": 2}).content.decode()
    assert first.count('href="/clients/') - second.count('href="/clients/') > 0
    assert "page=2" in first


def test_client_page_shows_timeline_and_is_audited(client, cast, clients_of_a):
    hanako = clients_of_a[0]
    client.force_login(cast.alice)
    response = client.get(reverse("client_detail", kwargs={"client_pk": hanako.pk}))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="client-timeline"' in text
    assert "2023年10月1日" in text and "2024年4月1日" in text
    # The 3-year limit from 1 April 2024 ends on 31 March 2027.
    assert "2027年3月31日" in text
    assert AuditEvent.objects.filter(
        action="view", object_type="clients.client", object_id=str(hanako.pk), user=cast.alice
    ).exists()


def test_staff_of_another_office_gets_404_for_a_client(client, cast, clients_of_a):
    client.force_login(cast.charlie)
    hanako = clients_of_a[0]
    for name in ("client_detail", "client_update", "employment_create"):
        assert client.get(reverse(name, kwargs={"client_pk": hanako.pk})).status_code == 404


def _form_data(cast, **overrides):
    data = {
        "office": cast.office_a.pk,
        "client_code": "A-100",
        "family_name": "佐藤",
        "given_name": "一郎",
        "family_name_kana": "サトウ",
        "given_name_kana": "イチロウ",
        "birth_date": "1990-05-01",
        "disability_types": ["mental"],
        "plan_type": "self_plan",
        "service_start": "2024-04-01",
        "first_employer_name": "株式会社テスト商事",
        "hire_date": "2023-10-01",
        "first_job_title": "事務補助",
    }
    data.update(overrides)
    return data


def test_creating_a_client_records_the_hire_and_an_audit_event(client, cast):
    client.force_login(cast.alice)
    response = client.post(reverse("client_create"), _form_data(cast))
    created = Client.objects.get(client_code="A-100")
    assert response.status_code == 302
    assert Employment.objects.get(client=created).start_date == D(2023, 10, 1)
    assert AuditEvent.objects.filter(action="create", object_id=str(created.pk)).exists()


def test_service_longer_than_three_years_is_refused_in_japanese(client, cast):
    client.force_login(cast.alice)
    response = client.post(
        reverse("client_create"), _form_data(cast, service_end="2027-04-01", service_end_reason="x")
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert not Client.objects.filter(client_code="A-100").exists()
    # From 2024-04-01 the service must end by 2027-03-31.
    assert "サービス終了日" in text and "3年" in text and "2027年3月31日" in text


def test_errors_name_the_field_in_japanese(client, cast):
    client.force_login(cast.alice)
    response = client.post(
        reverse("client_create"), _form_data(cast, family_name="", family_name_kana="sato")
    )
    text = response.content.decode()
    assert "姓: このフィールドは必須です。" in text
    assert "カタカナ" in text


def test_support_staff_cannot_save_a_start_earlier_than_six_months_after_hire(client, cast):
    client.force_login(cast.alice)
    # Hired 2023-10-01: the service may start from 2024-04-01; 2024-03-31 is one day early.
    response = client.post(reverse("client_create"), _form_data(cast, service_start="2024-03-31"))
    text = response.content.decode()
    assert not Client.objects.filter(client_code="A-100").exists()
    assert 'id="early-start-warning"' in text
    assert "管理者" in text


def test_manager_confirms_an_early_start_with_a_reason(client, cast):
    client.force_login(cast.bob)
    url = reverse("client_create")
    without_reason = client.post(url, _form_data(cast, service_start="2024-03-31"))
    assert without_reason.status_code == 200
    assert not Client.objects.filter(client_code="A-100").exists()
    response = client.post(
        url,
        _form_data(
            cast,
            service_start="2024-03-31",
            early_start_confirmed="on",
            early_start_reason="休職からの復職",
        ),
    )
    created = Client.objects.get(client_code="A-100")
    assert response.status_code == 302
    assert created.early_start_confirmed_by == cast.bob
    assert created.early_start_reason == "休職からの復職"


def test_duplicate_client_code_is_refused_naming_the_field(client, cast, clients_of_a):
    client.force_login(cast.alice)
    response = client.post(reverse("client_create"), _form_data(cast, client_code="A-001"))
    assert "利用者コード" in response.content.decode()
    assert Client.objects.filter(client_code="A-001").count() == 1


def test_charlie_cannot_create_a_client_in_office_a(client, cast):
    client.force_login(cast.charlie)
    response = client.post(reverse("client_create"), _form_data(cast))
    assert response.status_code == 200  # the form refuses office A as a choice
    assert not Client.objects.filter(client_code="A-100").exists()


def test_editing_a_client_is_audited_with_changed_fields(client, cast, clients_of_a):
    hanako = clients_of_a[0]
    client.force_login(cast.alice)
    data = _form_data(cast, client_code="A-001", family_name="髙橋", given_name="花子改")
    for name in ("first_employer_name", "hire_date", "first_job_title", "office"):
        data.pop(name)
    response = client.post(reverse("client_update", kwargs={"client_pk": hanako.pk}), data)
    assert response.status_code == 302
    hanako.refresh_from_db()
    assert hanako.given_name == "花子改"
    event = AuditEvent.objects.filter(action="update", object_id=str(hanako.pk)).get()
    assert "given_name" in event.detail


def test_adding_a_supported_job_change_needs_the_last_working_day(client, cast, clients_of_a):
    hanako = clients_of_a[0]
    client.force_login(cast.alice)
    response = client.post(
        reverse("employment_create", kwargs={"client_pk": hanako.pk}),
        {
            "new_employer_name": "株式会社つぎ",
            "start_date": "2024-06-01",
            "supported_job_change": "on",
        },
    )
    assert response.status_code == 200
    assert "最終出勤日" in response.content.decode()
    assert hanako.employments.count() == 1


def test_adding_an_employment_with_a_new_employer(client, cast, clients_of_a):
    hanako = clients_of_a[0]
    first = hanako.employments.get()
    client.force_login(cast.alice)
    client.post(
        reverse("employment_update", kwargs={"employment_pk": first.pk}),
        {
            "employer": first.employer_id, "start_date": "2023-10-01", "end_date": "2024-05-31",
            "separation_reason": "job_change", "supported_job_change": "on",
        },
    )  # fmt: skip
    response = client.post(
        reverse("employment_create", kwargs={"client_pk": hanako.pk}),
        {"new_employer_name": "株式会社つぎ", "start_date": "2024-06-20", "weekly_hours": "30"},
    )
    assert response.status_code == 302
    assert [e.employer.name for e in hanako.employments.order_by("start_date")][
        -1
    ] == "株式会社つぎ"
    assert hanako.employments.get(start_date=D(2023, 10, 1)).supported_job_change


def test_charlie_cannot_edit_or_delete_an_employment_of_office_a(client, cast, clients_of_a):
    employment = clients_of_a[0].employments.get()
    client.force_login(cast.charlie)
    url = reverse("employment_delete", kwargs={"employment_pk": employment.pk})
    assert client.post(url).status_code == 404
    assert Employment.objects.filter(pk=employment.pk).exists()


def test_employers_are_listed_created_and_edited_within_the_office(client, cast):
    factories.EmployerFactory(office=cast.office_b, name="他社の取引先")
    client.force_login(cast.alice)
    url = reverse("employer_create", kwargs={"office_number": cast.office_a.office_number})
    assert client.post(url, {"name": "株式会社あさひ", "industry": "製造"}).status_code == 302
    duplicate = client.post(url, {"name": "株式会社あさひ"})
    assert "すでに登録されています" in duplicate.content.decode()
    text = client.get(reverse("employer_list")).content.decode()
    assert "株式会社あさひ" in text and "他社の取引先" not in text
    employer = cast.office_a.employers.get(name="株式会社あさひ")
    edit = reverse("employer_update", kwargs={"employer_pk": employer.pk})
    assert client.post(edit, {"name": "株式会社あさひ製作所"}).status_code == 302
    employer.refresh_from_db()
    assert employer.name == "株式会社あさひ製作所"


def test_retention_index_sends_a_single_office_manager_to_the_dashboard(client, cast):
    client.force_login(cast.bob)
    response = client.get(reverse("retention_index"))
    assert response.status_code == 302
    assert cast.office_a.office_number in response["Location"]
    client.force_login(cast.diana)
    text = client.get(reverse("retention_index")).content.decode()
    assert cast.corporation_a.name in text and cast.office_a2.name in text
