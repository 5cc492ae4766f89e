import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from surveys.models import Question, Survey
from tests.factories import challenge_survey

pytestmark = pytest.mark.django_db

TEMPLATE = Path(__file__).resolve().parents[2] / "surveys" / "data" / "retention-challenges.json"


def test_template_lists_the_twelve_challenges_of_section_2_3_in_order():
    data = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    likert = [q for q in data["questions"] if q["type"] == "likert"]
    assert [q["code"] for q in likert] == [f"C{i:02d}" for i in range(1, 13)]
    assert "利用者の確保" in likert[0]["text_ja"]
    assert "医療機関との連携" in likert[4]["text_ja"]
    assert "定着率のみを報酬の基準とする報酬体系へ変更" in likert[11]["text_ja"]
    assert all(q["text_en"] for q in data["questions"])


def test_survey_create_command_builds_a_draft_from_the_template():
    out = io.StringIO()
    call_command("survey_create", "national-2025", "--template", "retention-challenges",
                 "--year", "2025", stdout=out, stderr=io.StringIO())  # fmt: skip
    survey = Survey.objects.get(slug="national-2025")
    assert out.getvalue().strip() == "national-2025"
    assert survey.status == Survey.Status.DRAFT
    assert survey.template == "retention-challenges"
    assert survey.questions.count() == 3 + 12 + 4
    methods = survey.questions.get(code="status_methods")
    assert list(methods.choices.values_list("code", flat=True))[:3] == [
        "phone",
        "workplace_visit",
        "email",
    ]
    assert survey.questions.get(code="other_org_challenges").categories.count() == 7


def test_copying_last_years_survey_keeps_questions_and_codebooks_but_no_answers():
    from tests.factories import respond

    old = challenge_survey(slug="national-2024", year=2024, status="closed")
    old.questions.get(code="self_plan_differences").categories.create(
        code="added_in_2024", label_ja="2024年に追加"
    )
    respond(old, {"C01": 5})
    call_command("survey_create", "national-2025", "--copy-from", "national-2024",
                 "--year", "2025", stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    new = Survey.objects.get(slug="national-2025")
    assert new.copied_from == old
    assert new.title.endswith("2025")
    assert new.status == Survey.Status.DRAFT
    assert new.responses.count() == 0
    assert list(new.questions.values_list("code", "type")) == list(
        old.questions.values_list("code", "type")
    )
    codes = new.questions.get(code="self_plan_differences").categories.values_list(
        "code", flat=True
    )
    assert "added_in_2024" in codes


def test_survey_create_refuses_a_taken_slug():
    challenge_survey(slug="national-2024")
    with pytest.raises(CommandError, match="national-2024"):
        call_command("survey_create", "national-2024", "--template", "retention-challenges",
                     "--year", "2024", stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert Question.objects.filter(survey__slug="national-2024").count() == 19
