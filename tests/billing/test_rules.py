"""billing/rules.py on plain rows: the billable person-month, base units, additions and
reductions, problems and the certificate's numbers. Every figure is worked out by hand in the
comments."""

import datetime as dt
from decimal import Decimal

from billing import rules
from billing.rules import AdjustmentValue, OfficeMonth, PersonFacts, person_month
from core.calendar import Month

D = dt.date
APRIL = Month(2024, 4)
FROM = D(2024, 4, 1)
ADJUSTMENTS = {
    "initial": AdjustmentValue("initial", FROM, units=900),
    "regional_meeting_1": AdjustmentValue("regional_meeting_1", FROM, units=579),
    "regional_meeting_2": AdjustmentValue("regional_meeting_2", FROM, units=405),
    "retention_record": AdjustmentValue("retention_record", FROM, units=300),
    "job_coach": AdjustmentValue("job_coach", FROM, units=120),
    "special_area": AdjustmentValue("special_area", FROM, units=240),
    "no_plan": AdjustmentValue(
        "no_plan", FROM, percent=Decimal(-30), later_percent=Decimal(-50), later_from_month=3
    ),
    "no_handover_system": AdjustmentValue("no_handover_system", FROM, percent=Decimal(-10)),
}


def office(month=APRIL, **overrides):
    # 70% tier of the FY2024 table: 2,234 units.
    values = {"month": month, "base_units": 2234, "adjustments": ADJUSTMENTS}
    return OfficeMonth(**{**values, **overrides})


def facts(**overrides):
    """A person in service since October 2023 with everything in order in April 2024."""
    values = {
        "client_code": "C1",
        "service_start": D(2023, 10, 1),
        "recipient_number": "0000123456",
        "has_certificate": True,
        "decision_periods": ((D(2024, 4, 1), D(2025, 3, 31)),),
        "report_shared_on": D(2024, 5, 2),
        "met_face_to_face": True,
        "plan_status": "ok",
        "origin": "own_org",
    }
    return PersonFacts(**{**values, **overrides})


# ---------------------------------------------------------------------------------------------
# Billable or not


def test_a_person_month_with_everything_in_order_earns_the_base_units():
    result = person_month(facts(), office())
    assert result.billable
    assert (result.base_units, result.additions, result.reductions) == (2234, {}, {})
    assert result.total_units == 2234
    assert result.problems == ()


def test_without_a_certificate_the_month_earns_nothing():
    result = person_month(facts(has_certificate=False, decision_periods=()), office())
    assert not result.billable
    assert result.total_units == 0
    assert result.problems == ("no_certificate",)


def test_a_decision_period_ended_before_the_month_is_an_expired_certificate():
    # The period ended on 31 March 2024; April's service days are not covered.
    result = person_month(facts(decision_periods=((D(2023, 4, 1), D(2024, 3, 31)),)), office())
    assert not result.billable
    assert result.problems == ("certificate_expired",)


def test_a_period_overlapping_only_part_of_the_month_is_enough():
    # Decision period from 20 April: it overlaps the service days 1–30 April.
    result = person_month(facts(decision_periods=((D(2024, 4, 20), D(2025, 4, 19)),)), office())
    assert result.billable


def test_a_period_overlapping_the_month_but_not_the_service_days_does_not_count():
    # Service ended on 10 April; the period starts on 15 April.
    result = person_month(
        facts(service_end=D(2024, 4, 10), decision_periods=((D(2024, 4, 15), D(2025, 4, 14)),)),
        office(),
    )
    assert not result.billable
    assert "certificate_expired" in result.problems


def test_a_report_not_shared_makes_the_month_not_billable():
    result = person_month(facts(report_shared_on=None), office())
    assert not result.billable
    assert result.total_units == 0
    assert result.problems == ("report_not_shared",)


def test_a_report_shared_any_day_counts():
    # Shared months later: the 共有日 is recorded, whatever its date.
    assert person_month(facts(report_shared_on=D(2024, 9, 30)), office()).billable


def test_a_service_not_active_in_the_month_is_not_billable():
    result = person_month(facts(service_start=D(2024, 5, 1)), office())
    assert not result.billable
    assert result.service_days is None


def test_is_billable_decides_as_the_person_month_does():
    """``is_billable`` reads only the service dates, the certificate and the report; every other
    problem (not met, no plan, a hand-over due) leaves a month billable."""
    cases = {
        "in order": (facts(), True),
        "no certificate": (facts(has_certificate=False, decision_periods=()), False),
        "expired": (facts(decision_periods=((D(2023, 4, 1), D(2024, 3, 31)),)), False),
        "not shared": (facts(report_shared_on=None), False),
        "not in service": (facts(service_start=D(2024, 5, 1)), False),
        "ended mid-month": (facts(service_end=D(2024, 4, 10)), True),
        "not met, no plan": (facts(met_face_to_face=False, plan_status="missing"), True),
        "ending soon": (facts(service_start=D(2021, 5, 20)), True),
    }
    for name, (person, expected) in cases.items():
        assert person_month(person, office()).billable is expected, name
        assert rules.is_billable(person, APRIL) is expected, name


def test_a_not_billable_month_earns_no_additions_either():
    # Start month of an other-org person (would earn 900) with a counted meeting (579), but the
    # report is not shared: zero.
    result = person_month(
        facts(
            service_start=D(2024, 4, 1),
            origin="other_org",
            meetings=((dt.date(2024, 4, 10), "service_manager"),),
            report_shared_on=None,
        ),
        office(retention_record=True),
    )
    assert (result.total_units, result.additions, result.reductions) == (0, {}, {})


# ---------------------------------------------------------------------------------------------
# Additions


def test_the_initial_addition_is_earned_in_the_month_the_service_starts():
    start = facts(service_start=D(2024, 4, 1), origin="other_org")
    assert person_month(start, office()).additions == {"initial": 900}
    assert person_month(start, office()).total_units == 2234 + 900  # 3,134
    # The month after: no initial addition.
    assert person_month(start, office(Month(2024, 5))).additions == {}


def test_an_own_org_person_earns_no_initial_addition_unless_a_manager_says_so():
    own = facts(service_start=D(2024, 4, 1), origin="own_org")
    assert person_month(own, office()).additions == {}
    overridden = facts(service_start=D(2024, 4, 1), origin="own_org", initial_addition="earns")
    assert person_month(overridden, office()).additions == {"initial": 900}
    refused = facts(
        service_start=D(2024, 4, 1), origin="other_org", initial_addition="does_not_earn"
    )
    assert person_month(refused, office()).additions == {}


def test_counted_meetings_add_their_units_by_presenter():
    result = person_month(facts(meetings=((dt.date(2024, 4, 10), "service_manager"),)), office())
    assert result.additions == {"regional_meeting_1": 579}
    result = person_month(facts(meetings=((dt.date(2024, 4, 10), "other_staff"),)), office())
    assert result.additions == {"regional_meeting_2": 405}
    assert result.total_units == 2234 + 405  # 2,639


def test_office_settings_add_per_person_month():
    result = person_month(facts(), office(retention_record=True, job_coach=True))
    assert result.additions == {"retention_record": 300, "job_coach": 120}
    assert result.total_units == 2234 + 300 + 120  # 2,654


def test_the_special_area_adds_240_units_per_day_of_support_not_a_percentage():
    # Three days of support in April: 3 × 240 = 720 (the old rule: 2,234 × 15% → +335).
    days = (D(2024, 4, 3), D(2024, 4, 9), D(2024, 4, 17))
    result = person_month(facts(special_area=True, support_days=days), office())
    assert result.additions == {"special_area": 720}
    assert result.special_area_days == 3
    assert result.total_units == 2234 + 720  # 2,954
    # No day of support: nothing, whatever the base.
    assert person_month(facts(special_area=True), office()).additions == {}


# ---------------------------------------------------------------------------------------------
# Reductions


def test_no_plan_takes_30_percent_in_the_first_two_months_of_the_lapse():
    # April is month 2 of the lapse. 2,234 × 0.70 = 1,563.8 → 1,564: −670.
    result = person_month(facts(plan_status="missing", plan_lapse_month=2), office())
    assert result.reductions == {"no_plan": -670}
    assert result.total_units == 1564
    assert "plan_missing" in result.problems


def test_no_plan_takes_50_percent_from_the_third_month_of_the_lapse():
    # April is month 3 of the lapse. 2,234 × 0.50 = 1,117: −1,117.
    result = person_month(facts(plan_status="missing", plan_lapse_month=3), office())
    assert result.reductions == {"no_plan": -1117}
    assert result.total_units == 1117


def test_no_plan_counts_from_the_lapse_not_from_the_service_start():
    # In service since October 2023 (April 2024 is month 7 of the service), the plan lapsed in
    # March: April is month 2 of the lapse, −30% (the old rule took −50%: 1,117).
    lapsed = facts(plan_status="review_overdue", plan_lapse_month=2)
    result = person_month(lapsed, office())
    assert result.reductions == {"no_plan": -670}
    assert result.problems == ("plan_review_overdue",)


def test_no_handover_system_takes_10_percent_when_the_office_condition_is_false():
    # 2,234 × 0.90 = 2,010.6 → 2,011: −223.
    result = person_month(facts(), office(handover_system_in_place=False))
    assert result.reductions == {"no_handover_system": -223}
    assert result.total_units == 2011
    assert person_month(facts(), office(handover_system_in_place=True)).reductions == {}


def test_percentages_apply_one_after_the_other_rounding_each_step():
    # no_plan first: 2,234 × 0.70 = 1,563.8 → 1,564 (−670); then 1,564 × 0.90 = 1,407.6 →
    # 1,408 (−156). Not 2,234 × 0.63 = 1,407.42 → 1,407.
    result = person_month(
        facts(plan_status="missing", plan_lapse_month=1),
        office(handover_system_in_place=False),
    )
    assert result.reductions == {"no_plan": -670, "no_handover_system": -156}
    assert result.total_units == 1408


def test_additions_and_reductions_take_effect_by_date_in_the_rows():
    # A row without a value for a code (nothing in force) adds nothing.
    result = person_month(
        facts(special_area=True, support_days=(D(2024, 4, 3),)), office(adjustments={})
    )
    assert result.additions == {}
    assert result.total_units == 2234


# ---------------------------------------------------------------------------------------------
# Problems


def test_problems_list_every_code_in_order():
    result = person_month(
        facts(
            has_certificate=False,
            decision_periods=(),
            report_shared_on=None,
            met_face_to_face=False,
            plan_status="missing",
            # The 3-year limit ends on 30 September 2026 for a start on 1 October 2023; recorded
            # end 15 June 2024: within 90 days of 30 April.
            service_end=D(2024, 6, 15),
        ),
        office(),
    )
    assert result.problems == (
        "no_certificate",
        "report_not_shared",
        "no_face_to_face",
        "plan_missing",
        "handover_due",
    )


def test_no_face_to_face_and_an_overdue_review_are_problems_but_still_billable():
    # An overdue review is a lapsed plan (no agreed current plan): billable, reduced from the
    # month it lapsed. Month 1 of the lapse: 2,234 × 0.70 = 1,563.8 → 1,564.
    result = person_month(
        facts(met_face_to_face=False, plan_status="review_overdue", plan_lapse_month=1), office()
    )
    assert result.billable
    assert result.problems == ("no_face_to_face", "plan_review_overdue")
    assert result.total_units == 1564
    assert person_month(facts(met_face_to_face=False), office()).total_units == 2234


def test_a_hand_over_is_due_only_within_three_months_of_the_end():
    # Last day of April + 90 days = 29 July 2024.
    assert "handover_due" in person_month(facts(service_end=D(2024, 7, 29)), office()).problems
    assert "handover_due" not in person_month(facts(service_end=D(2024, 7, 30)), office()).problems
    # Recorded hand-over: no problem.
    recorded = facts(service_end=D(2024, 7, 29), handover_recorded=True)
    assert "handover_due" not in person_month(recorded, office()).problems


# ---------------------------------------------------------------------------------------------
# Meetings (plans.rules caps)


def test_only_the_first_meeting_of_a_month_counts():
    meetings = [
        (1, D(2024, 4, 5), "service_manager", True),
        (2, D(2024, 4, 20), "other_staff", True),
    ]
    assert rules.counted_meeting_presenters(meetings, APRIL) == ("service_manager",)


def test_a_fifth_meeting_in_a_fiscal_year_does_not_count():
    meetings = [
        (1, D(2024, 4, 5), "service_manager", True),
        (2, D(2024, 5, 5), "service_manager", True),
        (3, D(2024, 6, 5), "service_manager", True),
        (4, D(2024, 7, 5), "service_manager", True),
        (5, D(2024, 8, 5), "service_manager", True),
    ]
    assert rules.counted_meeting_presenters(meetings, Month(2024, 7)) == ("service_manager",)
    assert rules.counted_meeting_presenters(meetings, Month(2024, 8)) == ()


def test_a_meeting_not_yet_reported_back_does_not_count_nor_take_the_slot():
    meetings = [
        (1, D(2024, 4, 5), "other_staff", False),
        (2, D(2024, 4, 20), "service_manager", True),
    ]
    assert rules.counted_meeting_presenters(meetings, APRIL) == ("service_manager",)


# ---------------------------------------------------------------------------------------------
# The certificate's numbers


def test_municipality_check_digits_of_real_codes():
    # 千代田区 13101: 6+15+4+0+2 = 27, remainder 5, 11−5 = 6 → 131016.
    assert rules.municipality_number_valid("131016")
    # 札幌市 01100: 0+5+4+0+0 = 9, remainder 9, 11−9 = 2 → 011002.
    assert rules.municipality_number_valid("011002")
    # 新宿区 13104: 6+15+4+0+8 = 33, remainder 0, 11−0 = 11 → last digit 1 → 131041.
    assert rules.municipality_number_valid("131041")
    # 札幌市西区 01107: 0+5+4+0+14 = 23, remainder 1, 11−1 = 10 → last digit 0 → 011070.
    assert rules.municipality_number_valid("011070")


def test_a_wrong_check_digit_or_length_is_refused():
    assert not rules.municipality_number_valid("131017")
    assert not rules.municipality_number_valid("131040")  # remainder 0 gives 1, not 0
    assert not rules.municipality_number_valid("13101")
    assert not rules.municipality_number_valid("13101６")


def test_a_recipient_number_is_ten_half_width_letters_or_digits():
    assert rules.recipient_number_valid("0000123456")
    assert rules.recipient_number_valid("000012345a")  # 英数 10 (refused by the old rule)
    assert rules.recipient_number_valid("AB12345678")
    assert not rules.recipient_number_valid("123456789")
    assert not rules.recipient_number_valid("００００１２３４５６")  # full-width
    assert not rules.recipient_number_valid("0000-12345")


def test_a_failing_check_digit_is_a_warning_and_a_malformed_number_a_refusal():
    # 岐阜市 21201: 12+5+8+0+2 = 27, remainder 5, 11−5 = 6 → 212016; certificates carry 212019.
    assert rules.certificate_number_findings(
        recipient_number="0000123456", municipality_number="212019"
    ) == ((), (("municipality_number", rules.MUNICIPALITY_CHECK_DIGIT),))
    assert rules.certificate_number_findings(
        recipient_number="0000123456", municipality_number="212016"
    ) == ((), ())
    assert rules.certificate_number_findings(
        recipient_number="123", municipality_number="21201"
    ) == (
        (
            ("recipient_number", rules.RECIPIENT_NUMBER_FORM),
            ("municipality_number", rules.MUNICIPALITY_NUMBER_FORM),
        ),
        (),
    )


# ---------------------------------------------------------------------------------------------
# What the claim file reads besides the DESIGN 5.4 figures


def test_support_days_are_the_contact_days_inside_the_service_days():
    # Service ends on 10 April: the contact of the 20th is outside it; 3 April twice is one day.
    person = facts(
        service_end=D(2024, 4, 10),
        support_days=(D(2024, 4, 3), D(2024, 4, 3), D(2024, 4, 20), D(2024, 4, 1)),
        meetings=((D(2024, 4, 5), "service_manager"),),
    )
    result = person_month(person, office())
    assert result.support_days == (D(2024, 4, 1), D(2024, 4, 3))
    assert result.meetings == ((D(2024, 4, 5), "service_manager"),)
    assert result.service_start == D(2023, 10, 1)
    assert result.special_area_days == 0
    assert "support_days" not in result.as_dict()


def test_special_area_days_count_support_days_of_a_billable_month_only():
    days = (D(2024, 4, 3), D(2024, 4, 9), D(2024, 4, 17))
    assert (
        person_month(facts(special_area=True, support_days=days), office()).special_area_days == 3
    )
    unbillable = facts(special_area=True, support_days=days, report_shared_on=None)
    result = person_month(unbillable, office())
    assert (result.billable, result.special_area_days, result.support_days) == (False, 0, days)


# ---------------------------------------------------------------------------------------------
# Treatment improvement (福祉・介護職員等処遇改善加算)


def test_treatment_improvement_is_its_rate_of_the_base_with_every_other_change():
    # Base 2,234, job coach +120, meeting (Ⅰ) +579, no hand-over system: 2,234 × 0.90 = 2,010.6
    # → 2,011 (−223). Everything else: 2,234 + 120 + 579 − 223 = 2,710; at 10.3%: 279.13 → 279.
    person = facts(meetings=((D(2024, 4, 10), "service_manager"),))
    result = person_month(
        person,
        office(
            job_coach=True,
            handover_system_in_place=False,
            treatment_improvement_percent=Decimal("10.3"),
        ),
    )
    assert result.additions == {
        "regional_meeting_1": 579,
        "job_coach": 120,
        "treatment_improvement": 279,
    }
    assert result.reductions == {"no_handover_system": -223}
    assert result.total_units == 2710 + 279  # 2,989


def test_treatment_improvement_rounds_half_up_to_whole_units():
    # 2,234 × 6.9% = 154.146 → 154; 2,234 + 900 (initial) = 3,134 × 8.6% = 269.524 → 270;
    # 50 × 10.3% = 5.15 → 5, and 2,235 × 10% = 223.5 → 224 (half goes up).
    assert rules.treatment_improvement_units(2234, Decimal("6.9")) == 154
    assert rules.treatment_improvement_units(3134, Decimal("8.6")) == 270
    assert rules.treatment_improvement_units(50, Decimal("10.3")) == 5
    assert rules.treatment_improvement_units(2235, Decimal("10")) == 224
    new = facts(service_start=D(2024, 4, 1), origin="other_org")
    result = person_month(new, office(treatment_improvement_percent=Decimal("8.6")))
    assert result.additions == {"initial": 900, "treatment_improvement": 270}


def test_no_treatment_improvement_without_a_category_or_when_not_billable():
    assert "treatment_improvement" not in person_month(facts(), office()).additions
    unbillable = facts(report_shared_on=None)
    result = person_month(unbillable, office(treatment_improvement_percent=Decimal("10.3")))
    assert (result.additions, result.total_units) == ({}, 0)
