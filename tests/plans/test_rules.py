"""The plan rules: review dates, a person's plan status, gaps in the role map, meeting caps."""

import datetime as dt

import pytest

from core.calendar import Month
from plans import rules
from plans.models import OfficePlanSettings
from tests import factories
from tests.plans.conftest import agreed_plan, full_role_map

D = dt.date


# Review dates -------------------------------------------------------------------------------


def test_a_review_falls_due_six_months_after_the_plan_date_by_default():
    assert rules.next_review_by(D(2025, 4, 10)) == D(2025, 10, 10)


def test_a_review_date_at_month_end_is_clamped_to_the_shorter_month():
    assert rules.next_review_by(D(2025, 8, 31)) == D(2026, 2, 28)
    assert rules.next_review_by(D(2023, 8, 31)) == D(2024, 2, 29)  # leap year


def test_a_review_date_given_explicitly_wins():
    assert rules.next_review_by(D(2025, 4, 10), given=D(2025, 7, 1)) == D(2025, 7, 1)


@pytest.mark.django_db
def test_the_office_interval_overrides_the_six_month_default(cast, person):
    OfficePlanSettings.objects.create(office=cast.office_a, review_interval_months=3)
    cast.office_a.refresh_from_db()
    plan = agreed_plan(person, D(2024, 11, 30))
    assert plan.next_review_by == D(2025, 2, 28)  # 30 Nov + 3 months, clamped


@pytest.mark.django_db
def test_an_office_without_settings_reviews_every_six_months(person):
    plan = agreed_plan(person, D(2024, 4, 1))
    assert plan.next_review_by == D(2024, 10, 1)


# Plan status --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_in_service_without_an_agreed_plan_is_a_billing_risk(person):
    status = rules.plan_status(person, on=D(2025, 6, 16))
    assert (status.status, status.problem) == ("missing", "plan_missing")


@pytest.mark.django_db
def test_a_draft_not_yet_agreed_leaves_the_plan_missing(person):
    from core.audit import Actor
    from plans import services

    services.plan_create(client=person, actor=Actor.command(), plan_date=D(2025, 6, 1))
    assert rules.plan_status(person, on=D(2025, 6, 16)).problem == "plan_missing"


@pytest.mark.django_db
def test_a_review_is_overdue_from_the_day_after_its_due_date(person):
    agreed_plan(person, D(2024, 12, 15))  # review by 15 June 2025
    assert rules.plan_status(person, on=D(2025, 6, 15)).status == "review_due"
    overdue = rules.plan_status(person, on=D(2025, 6, 16))
    assert (overdue.status, overdue.problem) == ("review_overdue", "plan_review_overdue")


@pytest.mark.django_db
def test_the_review_reminder_window_opens_thirty_days_before(person):
    agreed_plan(person, D(2025, 1, 16))  # review by 16 July 2025
    assert rules.plan_status(person, on=D(2025, 6, 15)).status == "ok"
    assert rules.plan_status(person, on=D(2025, 6, 16)).status == "review_due"


@pytest.mark.django_db
def test_every_version_is_kept_and_the_latest_agreed_is_current(person):
    from core.audit import Actor
    from plans import services

    first = agreed_plan(person, D(2024, 4, 1), goals="出勤を続ける")
    second = agreed_plan(person, D(2024, 9, 20), goals="残業を減らす")
    draft = services.plan_create(client=person, actor=Actor.command(), plan_date=D(2025, 3, 10))
    assert [p.version for p in person.support_plans.order_by("version")] == [1, 2, 3]
    first.refresh_from_db()
    assert first.goals == ["出勤を続ける"]  # the earlier version is untouched
    assert draft.next_review_by == D(2025, 9, 10)
    assert rules.current_plan(person, on=D(2025, 6, 16)) == second
    assert rules.current_plan(person, on=D(2024, 6, 1)) == first


@pytest.mark.django_db
def test_the_grouped_query_agrees_with_the_one_person_rule(cast):
    on = D(2025, 6, 16)
    people = {
        code: factories.ClientFactory(office=cast.office_a, client_code=code)
        for code in ("NONE", "LATE", "SOON", "FINE")
    }
    agreed_plan(people["LATE"], D(2024, 12, 1))
    agreed_plan(people["SOON"], D(2025, 1, 1))
    agreed_plan(people["FINE"], D(2025, 5, 1))
    from clients.models import Client

    flagged = {c.client_code: c.plan_status for c in rules.needing_attention(
        Client.objects.filter(office=cast.office_a), on=on)}  # fmt: skip
    assert flagged == {"NONE": "missing", "LATE": "review_overdue", "SOON": "review_due"}
    for code, client in people.items():
        assert rules.plan_status(client, on=on).status == flagged.get(code, "ok")
    assert rules.status_counts_by_office(Client.objects.all(), on=on) == {
        cast.office_a.pk: {"missing": 1, "review_overdue": 1, "review_due": 1}
    }


# The role map --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_self_plan_person_sees_the_domains_nobody_covers(person):
    plan = agreed_plan(person, D(2025, 1, 1), role_map=full_role_map(money=[], leisure=[]))
    assert plan.uncovered_domains == ["money", "leisure"]


def test_a_domain_missing_from_the_role_map_counts_as_uncovered():
    assert rules.uncovered_domains({"money": ["family"]}, ["money", "housing"]) == ["housing"]


# Case meeting caps ----------------------------------------------------------------------------


def _facts(*dates, unreported=()):
    return [
        rules.MeetingFact(key=i, held_on=d, qualifies=d not in unreported)
        for i, d in enumerate(dates)
    ]


def test_only_the_first_meeting_of_a_month_counts():
    outcomes = rules.count_meetings(_facts(D(2025, 5, 8), D(2025, 5, 20)))
    assert outcomes == {0: "counted", 1: "month_cap"}


def test_no_meeting_after_the_fourth_of_a_fiscal_year_counts():
    dates = [D(2025, 4, 10), D(2025, 6, 10), D(2025, 8, 10), D(2025, 10, 10), D(2026, 3, 31)]
    outcomes = rules.count_meetings(_facts(*dates))
    assert list(outcomes.values()) == ["counted"] * 4 + ["year_cap"]


def test_the_cap_starts_again_with_the_fiscal_year_in_april():
    dates = [D(2025, 4, 10), D(2025, 6, 10), D(2025, 8, 10), D(2025, 10, 10), D(2026, 4, 1)]
    outcomes = rules.count_meetings(_facts(*dates))
    assert outcomes[4] == "counted"


def test_meetings_count_in_date_order_not_recording_order():
    outcomes = rules.count_meetings(_facts(D(2025, 5, 20), D(2025, 5, 8)))
    assert outcomes == {0: "month_cap", 1: "counted"}


def test_a_meeting_awaiting_its_report_back_takes_no_slot():
    outcomes = rules.count_meetings(
        _facts(D(2025, 5, 8), D(2025, 5, 20), unreported=(D(2025, 5, 8),))
    )
    assert outcomes == {0: "awaiting_report", 1: "counted"}


@pytest.mark.django_db
def test_a_second_meeting_in_a_month_would_exceed_the_caps(person):
    from core.audit import Actor
    from plans import services

    services.meeting_create(
        client=person, actor=Actor.command(), held_on=D(2025, 5, 8),
        presenter="service_manager", agencies=["相談支援事業所"],
    )  # fmt: skip
    assert rules.meeting_exceeds_caps(person, D(2025, 5, 30)) == "month_cap"
    assert rules.meeting_exceeds_caps(person, D(2025, 6, 1)) is None


@pytest.mark.django_db
def test_a_fifth_meeting_in_a_fiscal_year_would_exceed_the_caps(person):
    from core.audit import Actor
    from plans import services

    for day in (D(2024, 4, 5), D(2024, 7, 5), D(2024, 10, 5), D(2025, 1, 5)):
        services.meeting_create(
            client=person, actor=Actor.command(), held_on=day,
            presenter="service_manager", agencies=["主治医"],
        )  # fmt: skip
    assert rules.meeting_exceeds_caps(person, D(2025, 3, 31)) == "year_cap"
    assert rules.meeting_exceeds_caps(person, D(2025, 4, 1)) is None  # FY2025
    counts = rules.meeting_counts(person, 2024)
    assert counts.counted == 4


@pytest.mark.django_db
def test_a_meeting_is_linked_to_the_plan_version_current_that_day(person):
    from core.audit import Actor
    from plans import services

    first = agreed_plan(person, D(2024, 4, 1))
    agreed_plan(person, D(2024, 10, 1))
    meeting = services.meeting_create(
        client=person, actor=Actor.command(), held_on=D(2024, 6, 1),
        presenter="other_staff", agencies=["勤務先"],
    )  # fmt: skip
    assert meeting.plan == first


def test_the_months_support_report_is_prefilled_with_the_current_plans_goals(person):
    from contacts import reports
    from core.calendar import Month

    agreed_plan(person, D(2024, 4, 1), goals="出勤を続ける\n睡眠を7時間とる")
    agreed_plan(person, D(2024, 9, 20), goals="残業を減らす")
    assert reports.prefill(client=person, month=Month(2024, 8))["plan_goals"] == (
        "出勤を続ける\n睡眠を7時間とる"
    )
    assert reports.prefill(client=person, month=Month(2024, 9))["plan_goals"] == "残業を減らす"
    assert reports.prefill(client=person, month=Month(2024, 3))["plan_goals"] == ""


# ---------------------------------------------------------------------------------------------
# The plan lapse (the unplanned reduction's months, docs/domain.md 4.5)


def test_the_lapse_counts_from_the_month_the_review_fell_overdue():
    # Agreed 1 October 2023, review by 31 January 2024, never reviewed: January is covered (the
    # review falls due on its last day), February is month 1, March 2, April 3. The service
    # started in April 2023: counting from the start would make April month 13.
    agreed = [(dt.date(2023, 10, 1), dt.date(2024, 1, 31))]
    start = dt.date(2023, 4, 1)

    def number(month):
        return rules.lapse_month_number(agreed, service_start=start, month=month, on=month.last_day)

    assert number(Month(2024, 1)) is None
    assert number(Month(2024, 2)) == 1
    assert number(Month(2024, 3)) == 2
    assert number(Month(2024, 4)) == 3
    # April 2023 to September 2023: no plan yet, a lapse since the service started.
    assert number(Month(2023, 4)) == 1 and number(Month(2023, 9)) == 6
    assert number(Month(2023, 10)) is None


def test_a_new_agreed_version_ends_the_lapse_and_a_later_one_starts_afresh():
    # Version 1 overdue from February 2024; version 2 agreed 10 March 2024, review by 31 May
    # 2024, overdue from June: June is month 1 again, not month 5.
    agreed = [
        (dt.date(2024, 3, 10), dt.date(2024, 5, 31)),
        (dt.date(2023, 10, 1), dt.date(2024, 1, 31)),
    ]  # current-version order: latest plan first
    start = dt.date(2023, 10, 1)
    june = Month(2024, 6)
    assert rules.lapse_month_number(agreed, service_start=start, month=june, on=june.last_day) == 1
    march = Month(2024, 3)
    assert (
        rules.lapse_month_number(agreed, service_start=start, month=march, on=march.last_day)
        is None
    )
