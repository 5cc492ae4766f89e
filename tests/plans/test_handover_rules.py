"""The end-of-service hand-over: the three-month window (recorded end or 3-year limit), the flags
on the worklist, the home and the retention page, and the office-level conditions of the
``no_handover_system`` reduction."""

import datetime as dt

import pytest
from django.urls import reverse

from core import calendar
from core.audit import Actor
from plans import rules, services
from plans.models import OfficePlanSettings
from tests import factories
from tests.plans.conftest import TODAY

D = dt.date
pytestmark = pytest.mark.django_db
Status = rules.HandoverStatus


def ending(office, days_left, **fields):
    """A person whose recorded service end is ``days_left`` days after 16 June 2025."""
    return factories.ClientFactory(
        office=office,
        service_start=D(2024, 1, 1),
        service_end=TODAY + dt.timedelta(days=days_left),
        **fields,
    )


JUNE_1 = D(2025, 6, 1)


def hand_over(client, *, shared_on, consented_on=JUNE_1):
    return services.end_handover_create(
        actor=Actor.command(),
        client=client,
        successor="employment_life_center",
        successor_name="障害者就業・生活支援センターひだまり",
        shared_on=shared_on,
        shared_what="職場での配慮事項と通院先",
        consented_on=consented_on,
        consent_method="signature" if consented_on else "",
    )


@pytest.mark.parametrize(
    ("days_left", "status"), [(91, Status.NOT_DUE), (90, Status.DUE), (89, Status.DUE)]
)
def test_the_window_opens_90_days_before_a_recorded_end(cast, days_left, status):
    person = ending(cast.office_a, days_left)
    assert rules.handover_status(person, on=TODAY) == status
    flagged = rules.handovers_due(person.__class__.objects.filter(pk=person.pk), on=TODAY)
    assert [c.pk for c in flagged] == ([person.pk] if status == Status.DUE else [])


@pytest.mark.parametrize(
    ("service_start", "status"),
    # The 3-year limit of a start on 15 September 2022 ends on 14 September 2025: 90 days on.
    [(D(2022, 9, 16), Status.NOT_DUE), (D(2022, 9, 15), Status.DUE), (D(2022, 9, 14), Status.DUE)],
)
def test_without_a_recorded_end_the_3_year_limit_is_the_end(cast, service_start, status):
    person = factories.ClientFactory(office=cast.office_a, service_start=service_start)
    assert rules.handover_status(person, on=TODAY) == status


def test_the_limit_wins_over_a_later_recorded_end(cast):
    person = factories.ClientFactory(
        office=cast.office_a, service_start=D(2022, 9, 15), service_end=D(2026, 3, 31)
    )
    assert calendar.effective_end(person.service_start, person.service_end) == D(2025, 9, 14)
    assert rules.handover_status(person, on=TODAY) == Status.DUE


def test_a_consented_handover_clears_the_flag_and_one_without_consent_does_not(cast):
    person = ending(cast.office_a, 30)
    hand_over(person, shared_on=D(2025, 6, 10), consented_on=None)
    assert rules.handover_status(person, on=TODAY) == Status.DUE
    hand_over(person, shared_on=D(2025, 6, 12))
    assert rules.handover_status(person, on=TODAY) == Status.RECORDED
    assert rules.handovers_due(person.__class__.objects.all(), on=TODAY) == []


def test_an_ended_service_is_not_flagged(cast):
    person = ending(cast.office_a, -1)
    assert rules.handover_status(person, on=TODAY) == Status.NOT_IN_SERVICE


def test_the_worklist_the_home_and_the_retention_page_flag_people_without_a_handover(
    cast, client, today
):
    mine = {"staff_in_charge": cast.alice}
    flagged = ending(cast.office_a, 60, client_code="END60", family_name="終了間近", **mine)
    done = ending(cast.office_a, 60, client_code="END61", family_name="引継済", **mine)
    hand_over(done, shared_on=D(2025, 3, 1), consented_on=D(2025, 3, 1))
    ending(cast.office_a, 120, client_code="END120", family_name="まだ先", **mine)
    client.force_login(cast.alice)
    worklist = client.get(reverse("worklist")).content.decode()
    section = worklist.split('id="worklist-handovers"')[1].split("</ul>")[0]
    assert "終了間近" in section and "引継済" not in section and "まだ先" not in section
    client.force_login(cast.bob)
    home = client.get(reverse("home")).content.decode()
    assert f'id="handovers-{cast.office_a.office_number}"' in home
    assert 'data-figure="handover_due">1<' in home
    page = client.get(
        reverse("retention_office", kwargs={"office_number": cast.office_a.office_number})
    ).content.decode()
    panel = page.split('id="retention-handover-due"')[1].split("</div>")[0]
    assert "終了間近" in panel and "引継済" not in panel
    assert reverse("client_handovers", args=[flagged.pk]) in panel


def test_recording_a_handover_from_the_page(cast, client, today):
    person = ending(cast.office_a, 60)
    client.force_login(cast.alice)
    response = client.post(
        reverse("end_handover_create", args=[person.pk]),
        {
            "successor": "hello_work",
            "successor_name": "ハローワーク新宿",
            "shared_on": "2025-06-16",
            "shared_what": "求職時の配慮事項",
            "consented_on": "2025-06-10",
            "consent_method": "signature",
        },
    )
    assert response.status_code == 302
    assert rules.handover_status(person, on=TODAY) == Status.RECORDED
    client.force_login(cast.charlie)
    assert client.get(reverse("client_handovers", args=[person.pk])).status_code == 404


# --- no_handover_system -------------------------------------------------------------------------

JULY = calendar.Month(2025, 7)


def settle(office, *, policy="終了3か月前から本人の同意を得て引き継ぐ。", lead=True):
    OfficePlanSettings.objects.update_or_create(
        office=office,
        defaults={"handover_policy": policy, "handover_lead": lead or None},
    )


def ends_in_july(office, code):
    return factories.ClientFactory(
        office=office, client_code=code, service_start=D(2024, 1, 1), service_end=D(2025, 7, 31)
    )


def test_no_policy_and_no_person_in_charge_are_both_named(cast):
    result = rules.handover_system_in_place(cast.office_a, JULY)
    assert not result.in_place
    assert result.problems == ("no_policy", "no_person_in_charge")


def test_policy_person_and_timely_handovers_put_the_system_in_place(cast):
    settle(cast.office_a, lead=cast.bob)
    person = ends_in_july(cast.office_a, "J1")
    # 31 July − 90 days = 2 May: shared and consented on that day is in time.
    hand_over(person, shared_on=D(2025, 5, 2), consented_on=D(2025, 5, 2))
    result = rules.handover_system_in_place(cast.office_a, JULY)
    assert result.in_place and result.problems == ()


def test_a_handover_shared_89_days_before_the_end_is_late(cast):
    settle(cast.office_a, lead=cast.bob)
    person = ends_in_july(cast.office_a, "J1")
    hand_over(person, shared_on=D(2025, 5, 3), consented_on=D(2025, 5, 1))
    result = rules.handover_system_in_place(cast.office_a, JULY)
    assert result.problems == ("handover_late",) and result.late == ("J1",)


def test_a_person_ending_in_the_month_without_a_consented_handover_is_missing(cast):
    settle(cast.office_a, lead=cast.bob)
    ends_in_july(cast.office_a, "J1")
    unconsented = ends_in_july(cast.office_a, "J2")
    hand_over(unconsented, shared_on=D(2025, 4, 1), consented_on=None)
    ends_in_august = factories.ClientFactory(
        office=cast.office_a, service_start=D(2024, 1, 1), service_end=D(2025, 8, 1)
    )
    result = rules.handover_system_in_place(cast.office_a, JULY)
    assert result.problems == ("handover_missing",)
    assert result.missing == ("J1", "J2")
    assert ends_in_august.client_code not in result.missing


def test_the_3_year_limit_ending_in_the_month_counts(cast):
    settle(cast.office_a, lead=cast.bob)
    # Started 1 August 2022: the limit ends on 31 July 2025.
    factories.ClientFactory(office=cast.office_a, client_code="L1", service_start=D(2022, 8, 1))
    assert rules.handover_system_in_place(cast.office_a, JULY).missing == ("L1",)
