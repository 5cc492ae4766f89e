"""Support reports: flagged months, the client-page partial, and Japan-time months."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string

from contacts.models import Notification
from contacts.reminders import send_daily_reminders
from contacts.reports import prefill, unshared_months
from core.calendar import Month
from tests import factories

JST = ZoneInfo("Asia/Tokyo")


@pytest.mark.django_db
def test_months_with_service_but_no_shared_report_are_flagged(cast):
    person = factories.ClientFactory(
        office=cast.office_a, service_start=dt.date(2024, 2, 10), service_end=dt.date(2024, 6, 5)
    )
    factories.SupportReportFactory(
        client=person, month=dt.date(2024, 2, 1), shared_with_client_on=dt.date(2024, 3, 5)
    )
    factories.SupportReportFactory(client=person, month=dt.date(2024, 3, 1))  # never shared
    # Service Feb–Jun: Feb shared; Mar drafted only; Apr, May, Jun nothing. July is after the end.
    flagged = unshared_months(client=person, until=Month(2024, 8))
    assert [str(m) for m in flagged] == ["2024-03", "2024-04", "2024-05", "2024-06"]


@pytest.mark.django_db
def test_a_contact_with_the_person_and_no_topic_goes_to_the_work_side(cast):
    person = factories.ClientFactory(office=cast.office_a)
    factories.ContactFactory(
        client=person, contacted_at=dt.datetime(2024, 4, 30, 23, 50, tzinfo=JST), summary="面談A"
    )
    factories.ContactFactory(
        client=person,
        contacted_at=dt.datetime(2024, 4, 2, 9, tzinfo=JST),
        summary="服薬の確認",
        life_topics=["health"],
    )
    factories.ContactFactory(
        client=person, contacted_at=dt.datetime(2024, 5, 1, 0, 5, tzinfo=JST), summary="五月分"
    )
    values = prefill(client=person, month=Month(2024, 4))
    assert "面談A" in values["work_side"] and "面談A" not in values["life_side"]
    assert "服薬の確認" in values["life_side"] and "服薬の確認" not in values["work_side"]
    assert "五月分" not in values["work_side"] + values["life_side"]


def _april_contact(person, summary, **fields):
    return factories.ContactFactory(
        client=person, contacted_at=dt.datetime(2024, 4, 10, 9, tzinfo=JST), summary=summary,
        **fields,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_contact_with_the_person_on_both_sides_is_written_once_on_the_work_side(cast):
    person = factories.ClientFactory(office=cast.office_a)
    _april_contact(
        person, "勤務と体調の面談", work_topics=["attendance"], life_topics=["health", "money"]
    )
    values = prefill(client=person, month=Month(2024, 4))
    assert values["work_side"].count("勤務と体調の面談") == 1
    assert values["life_side"] == ""
    # The life-side topics are named on the line, so nothing is lost.
    assert "勤務と体調の面談（日常生活面: 体調・服薬、金銭管理）" in values["work_side"]


@pytest.mark.django_db
def test_the_counterpart_decides_the_side_before_the_topics(cast):
    person = factories.ClientFactory(office=cast.office_a)
    factories.ContactFactory(
        client=person, contacted_at=dt.datetime(2024, 4, 3, 9, tzinfo=JST),
        counterpart="employer", summary="上司と睡眠の話", life_topics=["rhythm"],
    )  # fmt: skip
    factories.ContactFactory(
        client=person, contacted_at=dt.datetime(2024, 4, 4, 9, tzinfo=JST),
        counterpart="family", summary="母と勤務時間の話", work_topics=["attendance"],
    )  # fmt: skip
    factories.ContactFactory(
        client=person, contacted_at=dt.datetime(2024, 4, 5, 9, tzinfo=JST),
        counterpart="medical", summary="主治医へ報告",
    )  # fmt: skip
    values = prefill(client=person, month=Month(2024, 4))
    work, life = values["work_side"].splitlines(), values["life_side"].splitlines()
    assert len(work) == 1 and "上司と睡眠の話（日常生活面: 生活リズム・睡眠）" in work[0]
    assert len(life) == 2
    assert "母と勤務時間の話（職業生活面: 勤怠・勤務時間）" in life[0]
    assert life[1].endswith("主治医へ報告")


@pytest.mark.django_db
def test_a_contact_with_the_person_about_life_only_goes_to_the_life_side(cast):
    person = factories.ClientFactory(office=cast.office_a)
    _april_contact(person, "家計の相談", life_topics=["money"])
    values = prefill(client=person, month=Month(2024, 4))
    assert values["work_side"] == ""
    # Its own side's topics are not repeated on the line.
    assert values["life_side"].endswith("家計の相談")


@pytest.mark.django_db
def test_the_client_page_partial_shows_recent_contacts_and_the_quick_entry_link(cast):
    person = factories.ClientFactory(office=cast.office_a, service_start=dt.date(2020, 4, 1))
    factories.ContactFactory(client=person, summary="最近の電話")
    # Rendered inside the client page, whose context carries the user's date style.
    html = render_to_string(
        "contacts/_client_contacts.html", {"client": person, "date_style": "western"}
    )
    assert "最近の電話" in html
    assert f"/contacts/clients/{person.pk}/new/" in html
    # In service for years with no shared report: this month is among the flagged ones.
    month = Month.of(dt.datetime.now(tz=JST).date())
    assert f"/contacts/clients/{person.pk}/reports/{month.year}/{month.month}/" in html


@pytest.mark.django_db
def test_just_after_midnight_on_1_april_in_japan_a_march_visit_does_not_count(cast, settings):
    settings.TIME_ZONE = "UTC"
    person = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, service_start=dt.date(2024, 1, 1)
    )
    factories.ContactFactory(
        client=person,
        contacted_at=dt.datetime(2024, 3, 31, 23, 30, tzinfo=JST),
        method="workplace_visit",
        face_to_face=True,
    )
    # 15:30 UTC on 31 March is 00:30 on 1 April in Japan: April has begun, nobody met yet.
    with time_machine.travel(dt.datetime(2024, 3, 31, 15, 30, tzinfo=dt.UTC), tick=False):
        send_daily_reminders()
    notification = Notification.objects.get(user=cast.alice)
    assert (notification.day, notification.kind) == (dt.date(2024, 4, 1), "no_face_to_face")
