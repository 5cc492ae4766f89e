"""The plan pages: list and filters, a person's plans, a new version with the second-view prompt,
approval, agreement, monitoring, case meetings with the cap warning; worklist and home."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEvent
from plans.models import CaseMeeting, SupportPlan
from tests import factories
from tests.plans.conftest import agreed_plan, full_role_map

D = dt.date
pytestmark = pytest.mark.django_db


def test_charlie_of_another_office_is_refused_office_a_plans(cast, client, person, today):
    plan = agreed_plan(person, D(2025, 1, 10))
    client.force_login(cast.charlie)
    for url in (
        reverse("client_plans", args=[person.pk]),
        reverse("plan_detail", args=[plan.pk]),
        reverse("plan_create", args=[person.pk]),
        reverse("meeting_create", args=[person.pk]),
    ):
        assert client.get(url).status_code == 404
    assert "梅沢" not in client.get(reverse("plan_list")).content.decode()


def test_the_plan_list_filters_missing_and_overdue_and_is_audited(cast, client, person, today):
    late = factories.ClientFactory(office=cast.office_a, client_code="LATE", family_name="遅延")
    agreed_plan(late, D(2024, 11, 1))  # review by 1 May 2025: overdue
    client.force_login(cast.alice)
    missing = client.get(reverse("plan_list"), {"status": "missing"}).content.decode()
    assert "梅沢" in missing and "遅延" not in missing
    overdue = client.get(reverse("plan_list"), {"status": "overdue"}).content.decode()
    assert "遅延" in overdue and "梅沢" not in overdue
    assert AuditEvent.objects.filter(user=cast.alice, detail__startswith="plan list").exists()


def test_drafting_a_new_version_keeps_the_previous_one(cast, client, person, today):
    first = agreed_plan(person, D(2024, 12, 20), goals="毎日出勤する")
    client.force_login(cast.alice)
    data = {"reason": "review", "plan_date": "2025-06-16", "short_term_goals": "残業を減らす"}
    data.update({f"roles_{code}": who for code, who in full_role_map().items()})
    response = client.post(reverse("plan_create", args=[person.pk]), data)
    second = SupportPlan.objects.get(client=person, version=2)
    assert response.status_code == 302
    assert second.next_review_by == D(2025, 12, 16)
    assert second.drafted_by == cast.alice and not second.is_approved
    first.refresh_from_db()
    assert first.goals == ["毎日出勤する"]
    # Until approved and agreed, the current plan is still the first version.
    page = client.get(reverse("client_plans", args=[person.pk])).content.decode()
    assert "v2" in page and "v1" in page


def test_a_self_plan_review_lists_the_domains_nobody_covers(cast, client, person, today):
    person.plan_type = "self_plan"
    person.save()
    agreed_plan(person, D(2025, 1, 5), role_map=full_role_map(money=[], commuting=[]))
    client.force_login(cast.alice)
    page = client.get(reverse("plan_create", args=[person.pk])).content.decode()
    assert 'id="second-view"' in page
    prompt = page.split('id="second-view"')[1].split("</div>")[0]
    assert "お金" in prompt and "通勤" in prompt and "住まい" not in prompt


def test_a_consultation_plan_review_has_no_second_view_prompt(cast, client, person, today):
    client.force_login(cast.alice)
    page = client.get(reverse("plan_create", args=[person.pk])).content.decode()
    assert 'id="second-view"' not in page


def test_only_a_manager_approves_then_staff_record_the_agreement(cast, client, person, today):
    from core.audit import Actor
    from plans import services

    plan = services.plan_create(client=person, actor=Actor.command(), plan_date=D(2025, 6, 10))
    client.force_login(cast.alice)
    assert client.post(reverse("plan_approve", args=[plan.pk]), {"approved_on": "2025-06-12"}
                       ).status_code == 403  # fmt: skip
    client.force_login(cast.bob)
    client.post(reverse("plan_approve", args=[plan.pk]), {"approved_on": "2025-06-12"})
    client.force_login(cast.alice)
    client.post(
        reverse("plan_consent", args=[plan.pk]),
        {"consented_on": "2025-06-13", "consent_method": "verbal"},
    )
    plan.refresh_from_db()
    assert (plan.approved_by, plan.approved_on) == (cast.bob, D(2025, 6, 12))
    assert (plan.consented_on, plan.consent_method) == (D(2025, 6, 13), "verbal")
    assert plan.is_agreed


def test_an_agreement_before_the_approval_is_refused(cast, client, person, today):
    from core.audit import Actor
    from plans import services

    plan = services.plan_create(client=person, actor=Actor.command(), plan_date=D(2025, 6, 10))
    services.plan_approve(plan=plan, actor=Actor.command(), approved_on=D(2025, 6, 12))
    client.force_login(cast.alice)
    client.post(
        reverse("plan_consent", args=[plan.pk]),
        {"consented_on": "2025-06-11", "consent_method": "signature"},
    )
    plan.refresh_from_db()
    assert plan.consented_on is None


def test_a_monitoring_note_is_kept_with_the_version(cast, client, person, today):
    plan = agreed_plan(person, D(2025, 1, 10))
    client.force_login(cast.alice)
    client.post(
        reverse("monitoring_create", args=[plan.pk]),
        {"noted_on": "2025-03-10", "note": "通勤は安定。睡眠は改善。"},
    )
    assert plan.monitoring_notes.get().author == cast.alice
    assert "睡眠は改善" in client.get(reverse("plan_detail", args=[plan.pk])).content.decode()


def _meeting(held_on, presenter="service_manager", **extra):
    agencies = "相談支援事業所\n主治医"
    return {"held_on": held_on, "presenter": presenter, "agencies": agencies, **extra}


def test_a_second_meeting_in_a_month_is_warned_before_it_is_recorded(cast, client, person, today):
    client.force_login(cast.bob)
    url = reverse("meeting_create", args=[person.pk])
    client.post(url, _meeting("2025-06-02"))
    warned = client.post(url, _meeting("2025-06-12"))
    assert warned.status_code == 200
    assert 'id="cap-warning"' in warned.content.decode()
    assert CaseMeeting.objects.filter(client=person).count() == 1
    saved = client.post(url, _meeting("2025-06-12", confirm_over_cap="on"))
    assert saved.status_code == 302
    assert CaseMeeting.objects.filter(client=person).count() == 2
    page = client.get(reverse("client_plans", args=[person.pk])).content.decode()
    assert 'data-count="month_cap"' in page
    assert CaseMeeting.objects.get(held_on=D(2025, 6, 2)).agencies == ["相談支援事業所", "主治医"]


def test_a_meeting_presented_by_other_staff_is_reported_back(cast, client, person, today):
    client.force_login(cast.alice)
    client.post(reverse("meeting_create", args=[person.pk]), _meeting("2025-06-02", "other_staff"))
    meeting = CaseMeeting.objects.get(client=person)
    assert not meeting.qualifies
    client.post(
        reverse("meeting_report_back", args=[meeting.pk]), {"reported_back_on": "2025-06-03"}
    )
    meeting.refresh_from_db()
    assert meeting.reported_back_on == D(2025, 6, 3) and meeting.qualifies


def test_the_client_page_card_shows_status_next_review_and_gaps(cast, client, person, today):
    agreed_plan(person, D(2025, 2, 1), role_map=full_role_map(housing=[]))
    client.force_login(cast.alice)
    page = client.get(reverse("client_detail", args=[person.pk])).content.decode()
    card = page.split('id="client-plan"')[1].split("</section>")[0]
    assert "2025年8月1日" in card and "住まい" in card
    assert reverse("client_plans", args=[person.pk]) in card


def test_the_worklist_flags_a_missing_plan_and_an_overdue_review(cast, client, person, today):
    late = factories.ClientFactory(
        office=cast.office_a, staff_in_charge=cast.alice, client_code="LATE"
    )
    agreed_plan(late, D(2024, 11, 1))
    client.force_login(cast.alice)
    page = client.get(reverse("worklist")).content.decode()
    section = page.split('id="worklist-plans"')[1]
    assert 'data-problem="missing"' in section and 'data-problem="review_overdue"' in section


def test_the_managers_home_counts_plan_risks(cast, client, person, today):
    late = factories.ClientFactory(office=cast.office_a, client_code="LATE")
    agreed_plan(late, D(2024, 11, 1))
    fine = factories.ClientFactory(office=cast.office_a, client_code="FINE")
    agreed_plan(fine, D(2025, 5, 1))
    client.force_login(cast.bob)
    page = client.get(reverse("home")).content.decode()
    card = page.split(f'id="plans-{cast.office_a.office_number}"')[1].split("</div></div>")[0]
    assert 'data-figure="missing">1<' in card
    assert 'data-figure="review_overdue">1<' in card
    assert 'data-figure="review_due">0<' in card


def test_the_reminders_notify_a_review_falling_due(cast, person):
    from contacts.models import Notification
    from contacts.reminders import send_daily_reminders

    agreed_plan(person, D(2025, 1, 5))  # review by 5 July 2025
    send_daily_reminders(day=D(2025, 6, 4))  # 31 days before: not yet
    assert not Notification.objects.filter(kind="plan_review_due").exists()
    send_daily_reminders(day=D(2025, 6, 5))
    send_daily_reminders(day=D(2025, 6, 5))  # twice: once
    notification = Notification.objects.get(kind="plan_review_due")
    assert (notification.user, notification.client, notification.due_date) == (
        cast.alice,
        person,
        D(2025, 7, 5),
    )


def test_the_quick_entry_page_shows_the_current_short_term_goals(cast, client, person, today):
    agreed_plan(person, D(2025, 2, 1), goals="朝7時に起きる\n困ったら相談する")
    client.force_login(cast.alice)
    page = client.get(reverse("contact_quick_entry", args=[person.pk])).content.decode()
    panel = page.split('id="plan-goals"')[1].split("</details>")[0]
    assert "朝7時に起きる" in panel and "困ったら相談する" in panel


def test_reading_a_plan_is_audited(cast, client, person, today):
    plan = agreed_plan(person, D(2025, 2, 1))
    client.force_login(cast.alice)
    client.get(reverse("plan_detail", args=[plan.pk]))
    event = AuditEvent.objects.filter(user=cast.alice, action="view").latest("pk")
    assert (event.object_id, event.office) == (str(plan.pk), cast.office_a)
