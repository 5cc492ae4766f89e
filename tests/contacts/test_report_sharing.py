"""Support reports to the billing standard: sharing rows, frozen content, versions, the person's
confirmation, the month's 共有日 (report_shared_on), the plan-goals hook and employer people."""

import datetime as dt

import pytest
from django.urls import reverse

from contacts import reports
from contacts.models import Contact, ReportSharing, SupportReport
from core.audit import Actor
from core.calendar import Month
from tests import factories

APRIL = Month(2024, 4)


@pytest.fixture
def person(cast):
    return factories.ClientFactory(
        office=cast.office_a, service_start=dt.date(2024, 1, 1), staff_in_charge=cast.alice
    )


@pytest.fixture
def report(person):
    return factories.SupportReportFactory(client=person, month=APRIL.first_day, summary="初版")


def _actor(user):
    return Actor.command(user)


def _share_with_person(report, user, day=dt.date(2024, 5, 7)):
    return reports.report_share(
        report=report,
        actor=_actor(user),
        recipient="person",
        shared_on=day,
        method="explained_in_meeting",
    )


@pytest.mark.django_db
def test_sharing_rows_keep_recipient_date_and_method(cast, report):
    boss = factories.EmployerContactFactory(
        employer=factories.EmployerFactory(office=cast.office_a), family_name="山田"
    )
    _share_with_person(report, cast.alice)
    reports.report_share(
        report=report,
        actor=_actor(cast.alice),
        recipient="employer",
        shared_on=dt.date(2024, 5, 9),
        method="post",
        employer_contact=boss,
    )
    reports.report_share(
        report=report,
        actor=_actor(cast.alice),
        recipient="doctor",
        shared_on=dt.date(2024, 5, 10),
        method="email",
        recipient_name="主治医 佐藤",
    )
    rows = list(report.sharings.order_by("shared_on"))
    assert [(r.recipient, r.method) for r in rows] == [
        ("person", "explained_in_meeting"),
        ("employer", "post"),
        ("doctor", "email"),
    ]
    assert rows[1].employer_contact == boss and "山田" in rows[1].recipient_label
    assert report.shared_with_client_on == dt.date(2024, 5, 7)
    assert report.shared_with_employer_on == dt.date(2024, 5, 9)


@pytest.mark.django_db
def test_a_sharing_before_the_month_begins_or_in_the_future_is_refused(cast, report):
    for day in (dt.date(2024, 3, 31), dt.date(2999, 1, 1)):
        with pytest.raises(reports.ReportRefused):
            _share_with_person(report, cast.alice, day)
    assert not report.sharings.exists()


@pytest.mark.django_db
def test_the_content_is_frozen_once_shared_with_the_person(cast, report):
    # Shared with the employer only: still editable.
    reports.report_share(
        report=report,
        actor=_actor(cast.alice),
        recipient="employer",
        shared_on=dt.date(2024, 5, 2),
        method="email",
    )
    reports.report_update(report=report, actor=_actor(cast.alice), summary="直した")
    _share_with_person(report, cast.alice)
    with pytest.raises(reports.ReportRefused, match="変更できません"):
        reports.report_update(report=report, actor=_actor(cast.alice), summary="後から変更")
    with pytest.raises(reports.ReportRefused):
        reports.refill(report=report, actor=_actor(cast.alice))
    report.refresh_from_db()
    assert report.summary == "直した"


@pytest.mark.django_db
def test_editing_a_shared_report_on_its_page_is_refused_with_a_message(cast, client, report):
    _share_with_person(report, cast.alice)
    client.force_login(cast.alice)
    response = client.post(
        reverse("report_detail", kwargs={"report_pk": report.pk}),
        {"summary": "書き換え", "work_side": "", "life_side": "", "next_goals": ""},
    )
    assert response.status_code == 400
    assert "訂正版" in response.content.decode()
    report.refresh_from_db()
    assert report.summary == "初版"


@pytest.mark.django_db
def test_a_correction_is_version_2_with_its_reason_and_version_1_is_kept(cast, client, report):
    _share_with_person(report, cast.alice)
    client.force_login(cast.alice)
    response = client.post(
        reverse("report_correct", kwargs={"report_pk": report.pk}), {"reason": "日付の誤記"}
    )
    second = SupportReport.objects.get(client=report.client, month=report.month, version=2)
    assert response.status_code == 302 and response.url.endswith(f"/reports/{second.pk}/")
    first = SupportReport.objects.get(pk=report.pk)
    assert (first.is_current, first.summary, first.is_shared) == (False, "初版", True)
    assert (second.is_current, second.correction_reason) == (True, "日付の誤記")
    assert second.summary == "初版"
    # The new version is editable until it is shared with the person in turn.
    reports.report_update(report=second, actor=_actor(cast.alice), summary="訂正版")
    page = client.get(reverse("report_detail", kwargs={"report_pk": second.pk})).content.decode()
    assert "日付の誤記" in page and f"/contacts/reports/{first.pk}/" in page
    # The earlier version can no longer change or be shared.
    with pytest.raises(reports.ReportRefused):
        _share_with_person(first, cast.alice)


@pytest.mark.django_db
def test_a_draft_cannot_be_corrected_and_a_correction_needs_a_reason(cast, report):
    with pytest.raises(reports.ReportRefused):
        reports.report_correct(report=report, actor=_actor(cast.alice), reason="誤記")
    _share_with_person(report, cast.alice)
    with pytest.raises(reports.ReportRefused):
        reports.report_correct(report=report, actor=_actor(cast.alice), reason="  ")


@pytest.mark.django_db
def test_report_shared_on_is_the_persons_sharing_date_of_the_current_version(cast, person, report):
    assert reports.report_shared_on(person, APRIL) is None
    reports.report_share(
        report=report,
        actor=_actor(cast.alice),
        recipient="employer",
        shared_on=dt.date(2024, 5, 3),
        method="email",
    )
    assert reports.report_shared_on(person, APRIL) is None  # the employer is not the person
    _share_with_person(report, cast.alice, dt.date(2024, 5, 7))
    _share_with_person(report, cast.alice, dt.date(2024, 5, 20))  # explained again later
    assert reports.report_shared_on(person, APRIL) == dt.date(2024, 5, 7)
    second = reports.report_correct(report=report, actor=_actor(cast.alice), reason="誤記")
    assert reports.report_shared_on(person, APRIL) is None  # the correction is not shared yet
    _share_with_person(second, cast.alice, dt.date(2024, 6, 4))
    assert reports.report_shared_on(person, APRIL) == dt.date(2024, 6, 4)
    assert reports.report_shared_on(person, Month(2024, 5)) is None
    # The list and the timeline read the same date.
    (status,) = reports.report_statuses(
        clients=type(person).objects.filter(pk=person.pk), month=APRIL
    )
    assert (status.report.pk, status.shared_on) == (second.pk, dt.date(2024, 6, 4))
    assert not status.flagged


@pytest.mark.django_db
def test_the_persons_confirmation_is_recorded_after_sharing(cast, report):
    with pytest.raises(reports.ReportRefused):
        reports.report_confirm(
            report=report, actor=_actor(cast.alice), confirmed_on=dt.date(2024, 5, 7), method="seal"
        )
    _share_with_person(report, cast.alice, dt.date(2024, 5, 7))
    reports.report_confirm(
        report=report, actor=_actor(cast.alice), confirmed_on=dt.date(2024, 5, 8), method="seal"
    )
    report.refresh_from_db()
    assert (report.confirmed_on, report.confirmation_method) == (dt.date(2024, 5, 8), "seal")


_GOALS_FOR = set()  # the client pks the test provider knows goals of


def _goals(*, client, month):
    return f"{month}: 週5日の勤務を続ける" if client.pk in _GOALS_FOR else ""


@pytest.mark.django_db
def test_the_plan_goals_come_from_the_listed_provider(person, settings):
    """``SUPPORT_REPORT_GOALS`` (the extension point) names the provider."""
    settings.SUPPORT_REPORT_GOALS = []
    assert reports.prefill(client=person, month=APRIL)["plan_goals"] == ""

    settings.SUPPORT_REPORT_GOALS = [f"{__name__}._goals"]
    _GOALS_FOR.add(person.pk)
    report, _created = reports.report_create(client=person, month=APRIL, actor=Actor.command())
    assert report.plan_goals == "2024-04: 週5日の勤務を続ける"
    assert report.staff == person.staff_in_charge


@pytest.mark.django_db
def test_the_sharing_pages_of_another_office_are_refused(cast, client, report):
    client.force_login(cast.charlie)
    for name in ("report_share", "report_confirm", "report_correct"):
        response = client.post(
            reverse(name, kwargs={"report_pk": report.pk}),
            {"recipient": "person", "shared_on": "2024-05-07", "method": "post", "reason": "x"},
        )
        assert response.status_code == 404
    assert not ReportSharing.objects.exists()
    assert SupportReport.objects.count() == 1


# --- people at the employer -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_contact_can_name_the_person_at_the_employer(cast, client, person):
    employer = factories.EmployerFactory(office=cast.office_a)
    factories.EmploymentFactory(client=person, employer=employer, start_date=dt.date(2023, 6, 1))
    boss = factories.EmployerContactFactory(employer=employer, family_name="山田", role="hr")
    client.force_login(cast.alice)
    url = reverse("contact_quick_entry", kwargs={"client_pk": person.pk})
    assert "山田" in client.get(url).content.decode()
    base = {"method": "phone", "contacted_at": "2024-04-10T10:00", "summary": ""}
    refused = client.post(url, {**base, "counterpart": "client", "employer_contact": boss.pk})
    assert refused.status_code == 200 and not Contact.objects.exists()
    client.post(url, {**base, "counterpart": "employer", "employer_contact": boss.pk})
    contact = Contact.objects.get()
    assert contact.employer_contact == boss
    page = client.get(reverse("contact_detail", kwargs={"contact_pk": contact.pk}))
    assert "山田" in page.content.decode()


@pytest.mark.django_db
def test_people_are_added_on_the_employer_page_within_the_office(cast, client):
    employer = factories.EmployerFactory(office=cast.office_a)
    url = reverse("employer_contact_create", kwargs={"employer_pk": employer.pk})
    data = {"family_name": "人事", "given_name": "花子", "role": "hr"}
    client.force_login(cast.charlie)
    assert client.post(url, data).status_code == 404
    client.force_login(cast.alice)
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("employer_update", kwargs={"employer_pk": employer.pk}))
    assert "人事 花子" in page.content.decode()
    assert employer.people.get().get_role_display() == "人事"
