"""survey_report (DESIGN 5.4) reproduces the paper's published tables from raw answers.

Expected percentages are copied from the paper (reference/000_652f561aee5101c9.txt): Table 13
(contact methods, share of all 493 mentions), Tables 14 and 15 (share of the 61 and 95 free-text
descriptions; a description may carry several categories), and section 3.1's profile of the 307
respondents. Likert figures are worked out by hand in each test.
"""

import pytest

from surveys.report import (
    choose_national_reference,
    compare_years,
    likert_summary,
    national_method_mix,
    national_reference_survey,
    reference_candidates,
    survey_report,
)
from tests.factories import challenge_survey, respond

pytestmark = pytest.mark.django_db

TABLE_13 = [
    # code, mentions, percent printed in Table 13
    ("phone", 155, 31.4),
    ("workplace_visit", 131, 26.6),
    ("email", 89, 18.1),
    ("home_visit", 44, 8.9),
    ("line_sns", 37, 7.5),
    ("office_interview", 23, 4.7),
    ("online_form", 5, 1.0),
    ("medical_accompaniment", 3, 0.6),
    ("agency_coordination", 3, 0.6),
    ("video_call", 2, 0.4),
    ("outside_meeting", 1, 0.2),
]

TABLE_14 = [
    ("collaboration", 19, 31.1),
    ("lack_of_info", 16, 26.2),
    ("trust_building", 10, 16.4),
    ("matching", 4, 6.6),
    ("no_precedent", 4, 6.6),
    ("other", 4, 6.6),
    ("none", 5, 8.2),
]

TABLE_15 = [
    ("multifaceted_quality", 35, 36.8),
    ("life_support_scope", 16, 16.8),
    ("collaboration", 12, 12.6),
    ("consultation_office_shortage", 5, 5.3),
    ("post_service_connection", 1, 1.1),  # named in the text of section 3.5
    ("no_difference", 11, 11.6),
    ("no_cases", 17, 17.9),
]


def _spread(table, people):
    """Person i carries item k when i < count of k: the counts hold exactly."""
    return [[code for code, count, _ in table if i < count] for i in range(people)]


def _descriptions(table, n):
    """``n`` descriptions with the table's category counts; the surplus goes to the first ones.

    Each category's descriptions are consecutive from a rotating start, so a description carries
    a category at most once and the total mentions (sum of counts) exceed ``n``.
    """
    assignments = [[] for _ in range(n)]
    start = 0
    for code, count, _ in table:
        for j in range(count):
            assignments[(start + j) % n].append(code)
        start = (start + count) % n
    return assignments


@pytest.fixture
def paper_survey():
    """307 respondents; the question blocks carry the paper's published counts."""
    survey = challenge_survey()
    from surveys.responses import load_questions

    questions = load_questions(survey)
    methods = _spread(TABLE_13, 155)
    others = _descriptions(TABLE_14, 61)
    selfplan = _descriptions(TABLE_15, 95)
    affiliation = _spread(
        [
            ("transition_support", 143, None),
            ("continuous_b", 106, None),
            ("retention_support", 97, None),
            ("continuous_a", 69, None),
            ("employment_life_center", 27, None),
            ("independence_training", 22, None),
        ],
        307,
    )
    corporation = ["for_profit"] * 156 + ["social_welfare"] * 91 + ["npo"] * 38 + ["other"] * 22
    for i in range(307):
        values = {"corporation_type": corporation[i]}
        categories = {}
        if affiliation[i]:
            values["affiliation"] = affiliation[i]
        else:
            values["affiliation"] = ["other"]
        if i < 155:
            values["status_methods"] = methods[i]
        if i < 61:
            values["other_org_challenges"] = f"他法人からの利用者の記述{i}"
            categories["other_org_challenges"] = others[i]
        if i < 95:
            values["self_plan_differences"] = f"セルフプランの記述{i}"
            categories["self_plan_differences"] = selfplan[i]
        respond(survey, values, categories=categories, questions=questions)
    return survey


def test_table_13_percentages_are_shares_of_all_493_mentions(paper_survey):
    block = survey_report(paper_survey)["questions"]["status_methods"]
    assert block["mentions"] == 493
    assert block["n"] == 155
    assert block["counts"] == {code: count for code, count, _ in TABLE_13}
    assert block["percent_of_mentions"] == {code: pct for code, _, pct in TABLE_13}
    # every one of the 155 answering respondents named the phone: 155 / 155
    assert block["percent_of_respondents"]["phone"] == 100.0
    # 131 / 155 = 84.516… → 84.5
    assert block["percent_of_respondents"]["workplace_visit"] == 84.5


def test_table_14_shares_are_of_the_61_descriptions_and_sum_past_100(paper_survey):
    block = survey_report(paper_survey)["questions"]["other_org_challenges"]
    assert block["n"] == 61
    assert block["coded"] == 61
    assert block["counts"] == {code: count for code, count, _ in TABLE_14}
    assert block["percent"] == {code: pct for code, _, pct in TABLE_14}
    assert sum(block["percent"].values()) > 100


def test_table_15_shares_are_of_the_95_descriptions(paper_survey):
    block = survey_report(paper_survey)["questions"]["self_plan_differences"]
    assert block["n"] == 95
    assert block["percent"] == {code: pct for code, _, pct in TABLE_15}


def test_profile_shares_are_of_the_307_respondents(paper_survey):
    report = survey_report(paper_survey)
    assert report["respondents"] == 307
    affiliation = report["questions"]["affiliation"]["percent_of_respondents"]
    # section 3.1: 97 (31.6%), 143 (46.6%), 69 (22.5%), 106 (34.5%), 22 (7.2%), 27 (8.8%)
    assert affiliation["retention_support"] == 31.6
    assert affiliation["transition_support"] == 46.6
    assert affiliation["continuous_a"] == 22.5
    assert affiliation["continuous_b"] == 34.5
    assert affiliation["independence_training"] == 7.2
    assert affiliation["employment_life_center"] == 8.8
    corporation = report["questions"]["corporation_type"]["percent"]
    # section 3.1: 民間企業 50.8%, 社会福祉法人 29.6%, NPO法人 12.4%
    assert (corporation["for_profit"], corporation["social_welfare"], corporation["npo"]) == (
        50.8,
        29.6,
        12.4,
    )


def test_unanswered_questions_report_zeros_for_every_choice_and_category(paper_survey):
    report = survey_report(paper_survey)["questions"]
    assert report["role"]["n"] == 0
    assert report["role"]["counts"] == {
        "support_staff": 0,
        "service_manager": 0,
        "manager": 0,
        "other": 0,
    }
    assert report["role"]["percent"]["manager"] == 0.0
    assert report["C01"] == {
        "type": "likert",
        "n": 0,
        "counts": {str(v): 0 for v in range(1, 8)},
        "percent": {str(v): 0.0 for v in range(1, 8)},
        "mode": [],
        "top_box_percent": 0.0,
        "mean": None,
    }


def test_likert_block_with_a_tied_mode():
    survey = challenge_survey()
    # ten answers: 1, 3, 3, 4, 4, 4, 5, 5, 5, 6 → counts 1:1 3:2 4:3 5:3 6:1
    for value in (1, 3, 3, 4, 4, 4, 5, 5, 5, 6):
        respond(survey, {"C03": value})
    respond(survey, {"C04": 7})  # answered another item only: not a valid answer to C03
    block = survey_report(survey)["questions"]["C03"]
    assert block["n"] == 10
    assert block["counts"] == {"1": 1, "2": 0, "3": 2, "4": 3, "5": 3, "6": 1, "7": 0}
    assert block["percent"] == {
        "1": 10.0, "2": 0.0, "3": 20.0, "4": 30.0, "5": 30.0, "6": 10.0, "7": 0.0,
    }  # fmt: skip
    assert block["mode"] == [4, 5]
    assert block["top_box_percent"] == 40.0  # 5, 5, 5, 6 of 10
    assert block["mean"] == 4.0  # (1 + 6 + 12 + 15 + 6) / 10


def test_likert_percent_and_mean_round_half_up():
    # 1:1, 2:5, 3:2 of 8 → 12.5%, 62.5%, 25.0%; mean 17 / 8 = 2.125 → 2.13 (half-up, not 2.12)
    block = likert_summary({1: 1, 2: 5, 3: 2})
    assert block["percent"]["1"] == 12.5
    assert block["mean"] == 2.13
    # 1 of 16 = 6.25% → 6.3 (half-up)
    assert likert_summary({7: 1, 4: 15})["percent"]["7"] == 6.3
    assert likert_summary({7: 1, 4: 15})["top_box_percent"] == 6.3


def test_single_choice_percent_is_of_valid_answers_not_respondents():
    survey = challenge_survey()
    for code in ["yes", "yes", "no", "unknown"]:
        respond(survey, {"other_org_has_challenges": code})
    respond(survey, {"C01": 5})
    block = survey_report(survey)["questions"]["other_org_has_challenges"]
    assert block["n"] == 4
    assert block["percent"] == {"yes": 50.0, "no": 25.0, "unknown": 25.0}


def test_blank_descriptions_do_not_count_and_uncoded_ones_do():
    survey = challenge_survey()
    respond(survey, {"other_org_challenges": "情報が少ない"}, categories={
        "other_org_challenges": ["lack_of_info"]})  # fmt: skip
    respond(survey, {"other_org_challenges": "まだ分類していない記述"})
    respond(survey, {"other_org_challenges": "   "})
    block = survey_report(survey)["questions"]["other_org_challenges"]
    assert block["n"] == 2
    assert block["coded"] == 1
    assert block["percent"]["lack_of_info"] == 50.0


def _published(slug, year, answers, **kwargs):
    survey = challenge_survey(slug=slug, year=year, status="closed", **kwargs)
    for methods in answers:
        respond(survey, {"status_methods": methods})
    survey.report_published = True
    survey.save()
    return survey


def test_no_national_reference_until_a_coordinator_chooses_one(cast):
    _published("national-2024", 2024, [["phone"]] * 30)
    assert national_reference_survey() is None


def test_the_national_mix_comes_from_the_chosen_survey_only(cast):
    chosen = _published("national-2024", 2024, [["phone", "email"]] * 10 + [["phone"]] * 20)
    choose_national_reference(survey=chosen, user=cast.alice)
    # A later survey closed and published does not move the reference.
    _published("national-2025", 2025, [["home_visit"]] * 40)
    assert national_reference_survey() == chosen
    mix = national_method_mix(chosen)
    # 40 mentions: phone 30, e-mail 10.
    assert mix["phone"] == 75.0
    assert mix["email"] == 25.0
    assert mix["home_visit"] == 0.0
    assert len(mix) == 11


def test_a_small_unpublished_or_corporate_survey_cannot_be_the_reference(cast):
    small = _published("national-2023", 2023, [["phone"]] * 29)
    corporate = _published("aoba-2026", 2026, [["phone"]] * 30, corporation=cast.corporation_a)
    unpublished = challenge_survey(slug="national-2022", year=2022, status="closed")
    for _i in range(30):
        respond(unpublished, {"status_methods": ["phone"]})
    assert not reference_candidates().exists()
    for survey in (small, corporate, unpublished):
        with pytest.raises(ValueError):
            choose_national_reference(survey=survey, user=cast.alice)
    assert national_reference_survey() is None


def test_compare_with_a_survey_nobody_answered_shows_no_change(cast):
    current = challenge_survey(slug="national-2025", year=2025)
    respond(current, {"role": "support_staff", "C01": 6})
    empty = challenge_survey(slug="national-2024", year=2024)
    rows = {row["question"].code: row for row in compare_years(current, empty)}
    role = {line["label"]: line for line in rows["role"]["lines"]}
    assert role["支援者"]["current"] == 100.0
    assert role["支援者"]["previous"] is None
    assert role["支援者"]["change"] is None
    top_box = rows["C01"]["lines"][0]
    assert top_box["previous"] is None and top_box["change"] is None
