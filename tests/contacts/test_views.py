"""Contact pages: quick entry, edit and delete with reasons, lists, reports, home by role."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from contacts.models import Contact, ContactRevision, ReportBatchJob, SupportReport
from core import calendar
from core.models import AuditEvent
from tests import factories

JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def person(cast):
    return factories.ClientFactory(
        office=cast.office_a,
        staff_in_charge=cast.alice,
        family_name="定着",
        given_name="一郎",
        service_start=dt.date(2020, 4, 1),
    )


def _quick_entry(client, person, **overrides):
    data = {
        "method": "workplace_visit",
        "counterpart": "client",
        "contacted_at": "2024-06-03T10:30",
        "summary": "業務の様子を確認",
        **overrides,
    }
    return client.post(reverse("contact_quick_entry", kwargs={"client_pk": person.pk}), data)


@pytest.mark.django_db
def test_quick_entry_records_the_contact_in_japan_time_and_confirms(cast, client, person):
    client.force_login(cast.alice)
    response = _quick_entry(client, person)
    contact = Contact.objects.get(client=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("contact_detail", kwargs={"contact_pk": contact.pk})
    assert contact.contacted_at == dt.datetime(2024, 6, 3, 10, 30, tzinfo=JST)
    assert contact.staff == cast.alice
    assert contact.face_to_face is True  # a workplace visit is face-to-face by default
    page = client.get(response["Location"])
    assert "定着 一郎" in page.content.decode()
    assert [str(m) for m in page.context["messages"]]
    assert AuditEvent.objects.filter(action="create", object_id=str(contact.pk)).exists()


@pytest.mark.django_db
def test_quick_entry_reads_the_typed_time_as_japan_time_on_a_utc_server(
    cast, client, person, settings
):
    settings.TIME_ZONE = "UTC"
    client.force_login(cast.alice)
    _quick_entry(client, person, **{"contacted_at": "2024-03-31T23:30"})
    assert Contact.objects.get().contacted_at == dt.datetime(2024, 3, 31, 23, 30, tzinfo=JST)


@pytest.mark.django_db
def test_quick_entry_can_override_face_to_face(cast, client, person):
    client.force_login(cast.alice)
    _quick_entry(client, person, method="phone", face_to_face="yes")
    assert Contact.objects.get().face_to_face is True


@pytest.mark.django_db
def test_quick_entry_refuses_a_future_time_and_names_the_field(cast, client, person):
    client.force_login(cast.alice)
    response = _quick_entry(client, person, contacted_at="2099-01-01T10:00")
    assert response.status_code == 200
    assert not Contact.objects.exists()
    assert response.context["form"].errors["contacted_at"]


@pytest.mark.django_db
def test_a_double_tap_records_the_contact_once(cast, client, person):
    client.force_login(cast.alice)
    _quick_entry(client, person)
    response = _quick_entry(client, person)
    assert response.status_code == 200
    assert Contact.objects.count() == 1
    assert response.context["form"].non_field_errors()


@pytest.mark.django_db
def test_staff_of_another_office_gets_404_for_quick_entry(cast, client, person):
    client.force_login(cast.charlie)
    assert _quick_entry(client, person).status_code == 404
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_editing_keeps_the_previous_version_and_the_reason(cast, client, person):
    contact = factories.ContactFactory(client=person, staff=cast.alice, summary="最初の記録")
    client.force_login(cast.bob)
    response = client.post(
        reverse("contact_edit", kwargs={"contact_pk": contact.pk}),
        {
            "method": "phone",
            "counterpart": "employer",
            "contacted_at": "2024-04-01T10:00",
            "summary": "訂正後の記録",
            "face_to_face": "",
            "staff": cast.alice.pk,
            "reason": "相手を取り違えたため訂正",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.counterpart, contact.summary) == ("employer", "訂正後の記録")
    revision = ContactRevision.objects.get(contact=contact)
    assert revision.reason == "相手を取り違えたため訂正"
    assert revision.before["summary"] == "最初の記録"
    assert revision.changed_by == cast.bob


@pytest.mark.django_db
def test_an_edit_without_a_reason_is_refused(cast, client, person):
    contact = factories.ContactFactory(client=person)
    client.force_login(cast.alice)
    response = client.post(
        reverse("contact_edit", kwargs={"contact_pk": contact.pk}),
        {"method": "email", "counterpart": "client", "contacted_at": "2024-04-01T10:00"},
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    contact.refresh_from_db()
    assert contact.method == "phone"


@pytest.mark.django_db
def test_deleting_keeps_the_record_with_its_reason_and_drops_it_from_counts(cast, client, person):
    contact = factories.ContactFactory(client=person, summary="重複入力")
    client.force_login(cast.alice)
    response = client.post(
        reverse("contact_delete", kwargs={"contact_pk": contact.pk}), {"reason": "重複のため"}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.is_deleted and contact.delete_reason == "重複のため"
    assert ContactRevision.objects.get(contact=contact).action == "delete"
    assert not Contact.objects.live().exists()
    listing = client.get(reverse("contact_list")).content.decode()
    assert "重複入力" not in listing
    with_deleted = client.get(reverse("contact_list"), {"deleted": "on"}).content.decode()
    assert "重複入力" in with_deleted


@pytest.mark.django_db
def test_the_history_filters_by_method_counterpart_staff_and_period(cast, client, person):
    factories.ContactFactory(
        client=person,
        staff=cast.alice,
        method="phone",
        contacted_at=dt.datetime(2024, 4, 1, 9, tzinfo=JST),
        summary="四月の電話",
    )
    factories.ContactFactory(
        client=person,
        staff=cast.bob,
        method="email",
        counterpart="employer",
        contacted_at=dt.datetime(2024, 5, 1, 9, tzinfo=JST),
        summary="五月のメール",
    )
    client.force_login(cast.alice)

    def shown(**params):
        text = client.get(reverse("contact_list"), params).content.decode()
        return {s for s in ("四月の電話", "五月のメール") if s in text}

    assert shown() == {"四月の電話", "五月のメール"}
    assert shown(method="email") == {"五月のメール"}
    assert shown(counterpart="client") == {"四月の電話"}
    assert shown(staff=cast.alice.pk) == {"四月の電話"}
    assert shown(date_from="2024-04-01", date_to="2024-04-30") == {"四月の電話"}
    assert shown(q="定着") == {"四月の電話", "五月のメール"}


@pytest.mark.django_db
def test_the_history_never_shows_another_offices_contacts(cast, client, person):
    factories.ContactFactory(client=person, summary="Aの記録")
    other = factories.ClientFactory(office=cast.office_b)
    factories.ContactFactory(client=other, summary="Bの記録")
    client.force_login(cast.charlie)
    text = client.get(reverse("contact_list")).content.decode()
    assert "Bの記録" in text and "Aの記録" not in text


@pytest.mark.django_db
def test_support_staff_land_on_their_worklist(cast, client, person):
    client.force_login(cast.alice)
    response = client.get("/")
    assert response.templates[0].name == "contacts/home_staff.html"
    assert person in response.context["worklist"].no_face_to_face


@pytest.mark.django_db
def test_managers_land_on_the_office_overview(cast, client, person):
    client.force_login(cast.bob)
    response = client.get("/")
    assert response.templates[0].name == "contacts/home_manager.html"
    (overview,) = response.context["overviews"]
    assert overview.office == cast.office_a
    assert overview.compliance.active_clients == 1


@pytest.mark.django_db
def test_corporation_managers_see_their_offices_side_by_side(cast, client, person):
    client.force_login(cast.diana)
    response = client.get("/")
    assert response.templates[0].name == "contacts/home_corporation.html"
    assert {o.office for o in response.context["overviews"]} == {cast.office_a, cast.office_a2}


@pytest.mark.django_db
def test_support_staff_cannot_open_the_statistics_page(cast, client):
    client.force_login(cast.alice)
    assert client.get(reverse("contact_stats_page")).status_code == 404
    client.force_login(cast.bob)
    assert client.get(reverse("contact_stats_page")).status_code == 200


@pytest.mark.django_db
def test_a_manager_cannot_ask_for_another_offices_statistics(cast, client):
    client.force_login(cast.bob)
    url = reverse("contact_stats_page")
    assert client.get(url, {"scope": f"office:{cast.office_b.office_number}"}).status_code == 404
    assert client.get(url, {"scope": f"corporation:{cast.corporation_b.pk}"}).status_code == 404
    client.force_login(cast.diana)
    assert client.get(url, {"scope": f"corporation:{cast.corporation_a.pk}"}).status_code == 200


@pytest.mark.django_db
def test_the_statistics_scope_counts_the_chosen_office_or_every_office_of_the_corporation(
    cast, client
):
    """Corporation A runs offices A and A2; B is another corporation's. One contact in A, two
    in A2, four in B, all in May 2024."""
    for office, n in ((cast.office_a, 1), (cast.office_a2, 2), (cast.office_b, 4)):
        person = factories.ClientFactory(office=office, service_start=dt.date(2024, 4, 1))
        for day in range(1, n + 1):
            factories.ContactFactory(
                client=person, contacted_at=dt.datetime(2024, 5, day, 10, tzinfo=JST)
            )
    client.force_login(cast.diana)
    url = reverse("contact_stats_page")
    period = {"date_from": "2024-05-01", "date_to": "2024-05-31"}

    def contacts(scope):
        response = client.get(url, {"scope": scope, **period})
        assert response.status_code == 200
        return response.context["label"], response.context["result"].contacts

    assert contacts(f"corporation:{cast.corporation_a.pk}") == (cast.corporation_a.name, 3)
    assert contacts(f"office:{cast.office_a2.office_number}") == (cast.office_a2.name, 2)
    assert contacts(f"office:{cast.office_a.office_number}") == (cast.office_a.name, 1)
    response = client.get(url, {"scope": f"office:{cast.office_b.office_number}", **period})
    assert response.status_code == 404


def _cells(html, table_marker):
    """The rows of the table after ``table_marker`` as cell texts (tags stripped)."""
    import re
    from html import unescape

    body = html.split(table_marker, 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]
        for row in body.split("<tr")[1:]
        if (cells := re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S))
    ]


@pytest.mark.django_db
def test_the_statistics_page_shows_each_tables_figures(cast, client):
    """April 2024, office A: 相田 (あいだ) met at work on 5 April; 井上 (いのうえ) only
    phoned about by the family on 10 April. Both came from no known office."""
    aida = factories.ClientFactory(
        office=cast.office_a, family_name="相田", family_name_kana="あいだ",
        service_start=dt.date(2024, 1, 1),
    )  # fmt: skip
    inoue = factories.ClientFactory(
        office=cast.office_a, family_name="井上", family_name_kana="いのうえ",
        service_start=dt.date(2024, 1, 1),
    )  # fmt: skip
    factories.ContactFactory(
        client=aida, method="workplace_visit", contacted_at=dt.datetime(2024, 4, 5, 10, tzinfo=JST)
    )
    factories.ContactFactory(
        client=inoue, method="phone", counterpart="family",
        contacted_at=dt.datetime(2024, 4, 10, 10, tzinfo=JST),
    )  # fmt: skip
    client.force_login(cast.bob)
    html = client.get(
        reverse("contact_stats_page"), {"date_from": "2024-04-01", "date_to": "2024-04-30"}
    ).content.decode()

    counterparts = {row[0]: row[1:] for row in _cells(html, "相手別")}
    assert counterparts["本人"] == ["", "1", "50.0"]
    assert counterparts["家族"] == ["", "1", "50.0"]
    assert counterparts["企業"] == ["", "0", "0.0"]
    assert 'aria-label="本人" aria-valuenow="50"' in html and "bg-success bar-w-50" in html
    methods = {row[0]: row[1:] for row in _cells(html, "<caption")}
    assert methods["職場訪問"][:2] == ["1", "50.0"] and methods["電話連絡"][:2] == ["1", "50.0"]
    monthly = _cells(html, "月ごとの対面支援の実施状況</h2>")
    assert monthly == [
        ["2024年4月", "2", "1", "50.0"],
        [f"対面で会えていない方： {inoue.full_name}"],
    ]
    detail = reverse("client_detail", kwargs={"client_pk": inoue.pk})
    assert f'<a href="{detail}">{inoue.full_name}</a>' in html
    assert reverse("client_detail", kwargs={"client_pk": aida.pk}) not in html
    groups = {row[0]: row[1:] for row in _cells(html, 'id="stats-groups"')}
    # People, contacts, then each method in the header's order: phone calls, workplace visits, …
    assert groups["紹介元不明"][:5] == ["2", "2", "1", "1", "0"]


@pytest.mark.django_db
def test_the_corporation_home_shows_each_offices_contacts_by_method(cast, client):
    """Office A: one person, in service since the first of the month 13 months ago (a user of
    this fiscal year's rate, with no employment: 0 of 1), no report shared last month; this
    month three phone calls and a workplace visit with them (75.0% and 25.0%; met face to
    face). Office A2: nobody. Each office's row and card show those figures."""
    today = calendar.today()
    person = factories.ClientFactory(
        office=cast.office_a, service_start=calendar.add_months(today.replace(day=1), -13)
    )
    at = dt.datetime.combine(today.replace(day=1), dt.time(10), tzinfo=JST)
    for minutes, method in enumerate(["phone", "phone", "phone", "workplace_visit"]):
        factories.ContactFactory(
            client=person, method=method, contacted_at=at + dt.timedelta(minutes=minutes)
        )
    client.force_login(cast.diana)
    html = client.get(reverse("home")).content.decode()
    card_a = html.split(f'<h2 class="h6 card-title">{cast.office_a.name}</h2>', 1)[1]
    card_a = card_a.split("</table>", 1)[0]
    assert _cells(card_a, "<table") == [
        ["電話連絡", "", "3 (75.0%)"],
        ["職場訪問", "", "1 (25.0%)"],
    ]
    assert 'aria-label="電話連絡" aria-valuenow="75"' in card_a and "bar-w-75" in card_a
    assert 'aria-valuenow="25"' in card_a and "bar-w-25" in card_a
    card_a2 = html.split(f'<h2 class="h6 card-title">{cast.office_a2.name}</h2>', 1)[1]
    assert "<tr>" not in card_a2.split("</table>", 1)[0]
    # The table: office (and place), rate, tier, face to face, contacts, reports not shared
    # last month, follow-ups due, services ending soon.
    rows = {row[0].split()[0]: row[1:] for row in _cells(html, "<h1")}
    a, a2 = rows[cast.office_a.name], rows[cast.office_a2.name]
    assert a[0] == "0.0% (0/1)" and a[2:] == ["100.0% (1/1)", "4", "1", "0", "0"]
    assert a2 == ["—", "—", "0.0% (0/0)", "0", "0", "0", "0"]
    retention = reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    stats = reverse("contact_stats_page") + f"?scope=office:{cast.office_a.office_number}"
    assert f'<a href="{stats}">{cast.office_a.name}</a>' in html
    assert f'<a href="{retention}">0.0%</a>' in html
    assert '<td class="text-end text-danger fw-bold">1</td>' in html


@pytest.mark.django_db
def test_the_corporation_home_escapes_what_offices_are_called(cast, client):
    cast.office_a2.name = '<script>alert("あ")</script>第二'
    cast.office_a2.municipality = "<b>市</b>"
    cast.office_a2.save()
    client.force_login(cast.diana)
    html = client.get(reverse("home")).content.decode()
    assert "<script>alert" not in html and "<b>市</b>" not in html
    assert "&lt;script&gt;alert(&quot;あ&quot;)&lt;/script&gt;第二" in html
    assert "&lt;b&gt;市&lt;/b&gt;" in html


@pytest.mark.django_db
def test_every_contacts_page_opens_for_office_staff(cast, client, person):
    contact = factories.ContactFactory(client=person)
    report = factories.SupportReportFactory(client=person)
    notification = factories.NotificationFactory(user=cast.alice, client=person)
    job = ReportBatchJob.objects.create(office=cast.office_a, month=dt.date(2024, 4, 1))
    client.force_login(cast.alice)
    for name, kwargs in [
        ("contacts_today", {}),
        ("contact_list", {}),
        ("worklist", {}),
        ("notification_list", {}),
        ("report_index", {}),
        ("contact_quick_entry", {"client_pk": person.pk}),
        ("contact_detail", {"contact_pk": contact.pk}),
        ("contact_edit", {"contact_pk": contact.pk}),
        ("contact_delete", {"contact_pk": contact.pk}),
        ("report_detail", {"report_pk": report.pk}),
        ("report_print", {"report_pk": report.pk}),
        ("report_job", {"report_job_pk": job.pk}),
        ("report_for_month", {"client_pk": person.pk, "year": 2024, "month": 5}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
    client.force_login(cast.bob)
    assert client.get(reverse("contact_stats_page")).status_code == 200
    client.force_login(cast.diana)
    assert client.get("/").status_code == 200
    assert notification.read_at is None


@pytest.mark.django_db
def test_a_notification_can_be_marked_read_only_by_its_user(cast, client, person):
    notification = factories.NotificationFactory(user=cast.alice, client=person)
    url = reverse("notification_read", kwargs={"notification_pk": notification.pk})
    client.force_login(cast.bob)  # same office, but not his notification
    assert client.post(url).status_code == 404
    client.force_login(cast.alice)
    assert client.post(url).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_creating_a_months_report_prefills_it_and_flags_until_shared(cast, client, person):
    factories.ContactFactory(
        client=person,
        contacted_at=dt.datetime(2024, 5, 10, 10, tzinfo=JST),
        method="workplace_visit",
        counterpart="employer",
        summary="上司と面談",
    )
    factories.ContactFactory(
        client=person,
        contacted_at=dt.datetime(2024, 5, 20, 18, tzinfo=JST),
        method="phone",
        counterpart="family",
        summary="母と電話",
    )
    client.force_login(cast.alice)
    url = reverse("report_for_month", kwargs={"client_pk": person.pk, "year": 2024, "month": 5})
    client.post(url)
    report = SupportReport.objects.get(client=person, month=dt.date(2024, 5, 1))
    assert "上司と面談" in report.work_side and "母と電話" not in report.work_side
    assert "母と電話" in report.life_side
    index = client.get(reverse("report_index"), {"month": "2024-05"})
    assert index.context["flagged"] == 1
    client.post(
        reverse("report_detail", kwargs={"report_pk": report.pk}),
        {
            "summary": report.summary,
            "work_side": report.work_side,
            "life_side": report.life_side,
            "next_goals": "通院の継続",
        },
    )
    client.post(
        reverse("report_share", kwargs={"report_pk": report.pk}),
        {"recipient": "person", "shared_on": "2024-06-05", "method": "hand_delivered"},
    )
    report.refresh_from_db()
    assert report.shared_with_client_on == dt.date(2024, 6, 5)
    index = client.get(reverse("report_index"), {"month": "2024-05"})
    assert index.context["flagged"] == 0


@pytest.mark.django_db(transaction=True)
def test_generating_an_offices_reports_creates_one_per_person_in_service(cast, client):
    in_service = [
        factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 1, 1))
        for _ in range(3)
    ]
    factories.ClientFactory(office=cast.office_a, service_start=dt.date(2024, 9, 1))
    factories.SupportReportFactory(client=in_service[0], month=dt.date(2024, 5, 1), summary="既存")
    client.force_login(cast.bob)
    response = client.post(
        reverse("report_generate"), {"office": cast.office_a.office_number, "month": "2024-05"}
    )
    job = ReportBatchJob.objects.get()
    assert response["Location"] == reverse("report_job", kwargs={"report_job_pk": job.pk})
    assert (job.status, job.total, job.done, job.created) == ("done", 3, 3, 2)
    assert SupportReport.objects.filter(month=dt.date(2024, 5, 1)).count() == 3
    assert SupportReport.objects.get(client=in_service[0]).summary == "既存"
    progress = client.get(response["Location"], headers={"Accept": "application/json"}).json()
    assert progress == {"status": "done", "finished": True, "done": 3, "total": 3, "percent": 100}


@pytest.mark.django_db
def test_the_statistics_page_compares_with_the_chosen_national_survey_only(cast, client):
    from surveys.report import choose_national_reference
    from tests.factories import challenge_survey, respond

    client.force_login(cast.bob)
    survey = challenge_survey(slug="national-2024", year=2024, status="closed")
    for _i in range(20):
        respond(survey, {"status_methods": ["phone", "workplace_visit"]})
    for _i in range(20):
        respond(survey, {"status_methods": ["phone"]})
    survey.report_published = True
    survey.save()
    page = client.get(reverse("contact_stats_page")).content.decode()
    # Closed and published, but not chosen: no comparison, and a note saying so.
    assert "全国（%）" not in page
    assert "全国の参照となる調査が選ばれていない" in page
    choose_national_reference(survey=survey, user=cast.bob)
    # Closing another national survey does not move the reference.
    challenge_survey(slug="national-2025", year=2025, status="closed")
    response = client.get(reverse("contact_stats_page"))
    page = response.content.decode()
    assert '<th class="text-end">全国（%）</th>' in page
    assert "%(title)s" not in page
    assert survey.title in page
    national = {row.code: row.national_percent for row in response.context["mix"]}
    # 60 mentions: phone 40 (66.7%), a workplace visit 20 (33.3%).
    assert str(national["phone"]) == "66.7"
    assert str(national["workplace_visit"]) == "33.3"
    assert str(national["email"]) == "0.0"
    # The chart: each method's national share as a grey bar under the office's, with its title.
    assert "<title>全国 66.7%</title>" in page and "<title>全国 33.3%</title>" in page
    assert page.count('fill="#adb5bd"') == len(national)
    # The table: the office's share beside the national one and the difference (no contacts
    # yet: 0.0 against 66.7).
    methods = {row[0]: row[1:] for row in _cells(page, "<caption")}
    assert methods["電話連絡"] == ["0", "0.0", "66.7", "-66.7"]


@pytest.mark.django_db
def test_each_month_that_missed_face_to_face_names_who(cast, client):
    import datetime as dt

    from core.calendar import Month

    client.force_login(cast.bob)
    month = Month(2024, 4)
    met = factories.ClientFactory(
        office=cast.office_a, family_name="会田", given_name="一郎",
        service_start=dt.date(2024, 1, 1),
    )  # fmt: skip
    missed = factories.ClientFactory(
        office=cast.office_a, family_name="未田", given_name="花子",
        service_start=dt.date(2024, 1, 1),
    )  # fmt: skip
    factories.ContactFactory(
        client=met, staff=cast.alice, method="workplace_visit", counterpart="client",
        contacted_at=dt.datetime(2024, 4, 10, 10, 0, tzinfo=JST),
    )  # fmt: skip
    page = client.get(
        reverse("contact_stats_page"), {"date_from": "2024-04-01", "date_to": "2024-04-30"}
    ).content.decode()
    assert "2024年4月" in page
    assert ">M4<" not in page
    assert f'href="{reverse("client_detail", args=[missed.pk])}">未田 花子</a>' in page
    assert "会田 一郎</a>" not in page
    assert month.first_day.month == 4
    assert AuditEvent.objects.filter(detail__contains=missed.client_code).exists()


@pytest.mark.django_db
def test_the_managers_home_shows_the_offices_retention_rate_and_tier(cast, client):
    import datetime as dt

    from clients.models import FeeTier
    from core import calendar

    today = calendar.today()
    fiscal_year = today.year if today.month >= 4 else today.year - 1
    window_start = dt.date(fiscal_year - 3, 4, 1)
    # Two users in the window: one still employed, one who left for good. 1 of 2 = 50.0%.
    kept = factories.ClientFactory(office=cast.office_a, service_start=window_start)
    factories.EmploymentFactory(client=kept, start_date=window_start - dt.timedelta(days=200))
    left = factories.ClientFactory(office=cast.office_a, service_start=window_start)
    factories.EmploymentFactory(
        client=left,
        start_date=window_start - dt.timedelta(days=200),
        end_date=window_start + dt.timedelta(days=30),
    )
    assert FeeTier.objects.filter(min_percent=50, units=1690).exists()
    client.force_login(cast.bob)
    page = client.get("/").content.decode()
    assert "50.0%" in page
    assert "1,690" in page
    client.force_login(cast.diana)
    page = client.get("/").content.decode()
    assert "50.0%" in page and "1,690" in page


@pytest.mark.django_db
def test_the_client_page_shows_recent_contacts_and_the_quick_entry_link(cast, client, person):
    factories.ContactFactory(
        client=person, summary="職場で上司と三者面談", method="workplace_visit"
    )
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", kwargs={"client_pk": person.pk})).content.decode()
    assert "職場で上司と三者面談" in page
    assert reverse("contact_quick_entry", kwargs={"client_pk": person.pk}) in page


@pytest.mark.django_db
def test_the_client_timeline_has_a_row_per_japanese_month_of_contacts(cast, client, person):
    jst = dt.timezone(dt.timedelta(hours=9))
    # 23:30 JST on 31 March is March; 00:10 JST on 1 April is April (15:10 UTC on 31 March).
    factories.ContactFactory(
        client=person,
        contacted_at=dt.datetime(2024, 3, 31, 23, 30, tzinfo=jst),
        method="workplace_visit",
        counterpart="client",
    )
    factories.ContactFactory(
        client=person,
        contacted_at=dt.datetime(2024, 4, 1, 0, 10, tzinfo=jst),
        method="phone",
        counterpart="client",
    )
    factories.ContactFactory(
        client=person,
        contacted_at=dt.datetime(2024, 4, 10, 10, 0, tzinfo=jst),
        method="workplace_visit",
        counterpart="employer",
    )
    factories.SupportReportFactory(
        client=person, month=dt.date(2024, 3, 1), shared_with_client_on=dt.date(2024, 4, 5)
    )
    client.force_login(cast.alice)
    response = client.get(reverse("client_detail", kwargs={"client_pk": person.pk}))
    contact_rows = [e for e in response.context["events"] if e["kind"] == "contacts"]
    assert [(e["date"], e["title"]) for e in contact_rows] == [
        (dt.date(2024, 3, 1), "2024年3月: 1 件の連絡、うち本人と対面 1 件"),
        (dt.date(2024, 4, 1), "2024年4月: 2 件の連絡、うち本人と対面 0 件"),
    ]
    assert contact_rows[0]["detail"] == "2024年4月5日に支援レポートを本人と共有"
    assert contact_rows[1]["detail"] == "支援レポートはまだ共有されていません"
