"""survey_import / survey_export (DESIGN 5.2): all-or-nothing, every bad row named, round-trip."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from surveys.exchange import export_csv, import_responses
from surveys.models import Answer, Coding, Response
from tests.factories import challenge_survey, respond

pytestmark = pytest.mark.django_db

LIKERT = ",".join(f"C{i:02d}" for i in range(1, 13))
HEADER = (
    "response_id,submitted_at,affiliation,corporation_type,role,"
    + LIKERT
    + ",status_methods,other_org_has_challenges,other_org_challenges,"
    "other_org_challenges__categories,self_plan_differences,self_plan_differences__categories"
)


def _row(rid, *, likert="5,5,5,5,5,5,5,5,5,5,5,5", affiliation="retention_support",
         methods="phone;email", text="", cats="", role="support_staff"):  # fmt: skip
    return (
        f"{rid},2024-01-20 10:00,{affiliation},social_welfare,{role},{likert},"
        f"{methods},yes,{text},{cats},,"
    )


def _csv(*rows, header=HEADER, encoding="utf-8"):
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


@pytest.fixture
def survey():
    return challenge_survey()


def test_a_good_file_imports_every_answer(survey):
    data = _csv(
        _row("r1", text="情報が足りない", cats="lack_of_info;collaboration"),
        _row("r2", likert="1,2,3,4,5,6,7,,,,,", methods=""),
    )
    result = import_responses(survey, data)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    r1 = Response.objects.get(response_id="r1")
    assert r1.submitted_at == dt.datetime(2024, 1, 20, 1, 0, tzinfo=dt.UTC)  # 10:00 JST
    assert Answer.objects.get(response=r1, question__code="C01").likert == 5
    codes = set(Coding.objects.filter(answer__response=r1).values_list("category__code", flat=True))
    assert codes == {"lack_of_info", "collaboration"}
    r2 = Response.objects.get(response_id="r2")
    assert not Answer.objects.filter(response=r2, question__code="C08").exists()
    assert not Answer.objects.filter(response=r2, question__code="status_methods").exists()


def test_cp932_file_from_excel_imports(survey):
    data = _csv(_row("r1", text="職場訪問が難しい", cats="other"), encoding="cp932")
    result = import_responses(survey, data)
    assert result.ok, result.errors
    assert Answer.objects.get(question__code="other_org_challenges").text == "職場訪問が難しい"


def test_bad_rows_are_all_named_and_nothing_is_written(survey):
    data = _csv(
        _row("ok1"),
        _row("bad-scale", likert="5,5,8,5,5,5,5,5,5,5,5,5"),
        _row("ok2"),
        _row("bad-choice", affiliation="retention_support;zoo"),
        _row("bad-category", text="記述", cats="nonsense"),
        _row("ok1"),
        _row("bad-role", role="director"),
    )
    result = import_responses(survey, data)
    assert not result.ok
    found = {(e.row, e.column, e.value) for e in result.errors}
    assert found == {
        (3, "C03", "8"),
        (5, "affiliation", "retention_support;zoo"),
        (6, "other_org_challenges__categories", "nonsense"),
        (7, "response_id", "ok1"),
        (8, "role", "director"),
    }
    reasons = {e.column: e.reason for e in result.errors}
    assert "1 から 7" in reasons["C03"] or "1 to 7" in reasons["C03"]
    assert Response.objects.count() == 0


def test_an_unknown_column_refuses_the_whole_file(survey):
    data = _csv(_row("r1") + ",x", header=HEADER + ",favourite_colour")
    result = import_responses(survey, data)
    assert [(e.row, e.column) for e in result.errors] == [(1, "favourite_colour")]
    assert Response.objects.count() == 0


def test_a_missing_question_column_refuses_the_file(survey):
    header = HEADER.replace(",C12", "")
    row = _row("r1", likert="5,5,5,5,5,5,5,5,5,5,5")
    result = import_responses(survey, _csv(row, header=header))
    assert [(e.row, e.column) for e in result.errors] == [(1, "C12")]


def test_dry_run_checks_without_writing(survey):
    result = import_responses(survey, _csv(_row("r1")), dry_run=True)
    assert result.ok and result.created == 1
    assert Response.objects.count() == 0


def test_export_then_import_round_trips(survey, tmp_path):
    respond(
        survey,
        {"C01": 7, "C12": 1, "affiliation": ["continuous_b", "retention_support"],
         "role": "manager", "status_methods": ["phone", "line_sns"],
         "other_org_challenges": "-特になし, \"引用\"\n改行あり",
         "self_plan_differences": "=計画相談がない"},
        categories={"other_org_challenges": ["none", "other"]},
        response_id="a1",
    )  # fmt: skip
    respond(survey, {"C05": 4}, response_id="a2")
    first = export_csv(survey)
    path = tmp_path / "export.csv"
    call_command("survey_export", survey.slug, "--output", str(path), stderr=io.StringIO())
    assert path.read_bytes() == first

    # into a fresh copy of the survey: every answer arrives as it was
    copy = challenge_survey(slug="copy-2024")
    out = io.StringIO()
    call_command("survey_import", copy.slug, str(path), stdout=out)
    assert "2 created" in out.getvalue()
    second = export_csv(copy)
    assert second == first
    text = Answer.objects.get(response__survey=copy, question__code="other_org_challenges").text
    assert text == '-特になし, "引用"\n改行あり'

    # and importing the same file again changes nothing
    result = import_responses(survey, first)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_reimport_with_a_changed_answer_updates_it(survey):
    import_responses(survey, _csv(_row("r1")))
    result = import_responses(survey, _csv(_row("r1", likert="1,5,5,5,5,5,5,5,5,5,5,5")))
    assert (result.updated, result.unchanged) == (1, 0)
    assert Answer.objects.get(question__code="C01").likert == 1


def test_import_command_names_every_bad_row_and_exits_non_zero(survey, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv(_row("r1", likert="0,5,5,5,5,5,5,5,5,5,5,5"), _row("r2", methods="fax")))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("survey_import", survey.slug, str(path), stderr=err)
    assert "C01" in err.getvalue() and "status_methods" in err.getvalue()
    assert Response.objects.count() == 0


def test_report_command_prints_the_json_document_alone(survey):
    respond(survey, {"C01": 7})
    out, err = io.StringIO(), io.StringIO()
    call_command("survey_report", survey.slug, "--format", "json", stdout=out, stderr=err)
    document = json.loads(out.getvalue())
    assert document["survey"] == survey.slug
    assert document["respondents"] == 1
    assert document["questions"]["C01"]["top_box_percent"] == 100.0


def test_report_command_writes_xlsx(survey, tmp_path):
    from openpyxl import load_workbook

    respond(survey, {"C01": 7})
    path = tmp_path / "report.xlsx"
    call_command("survey_report", survey.slug, "--format", "xlsx", "--output", str(path),
                 stderr=io.StringIO())  # fmt: skip
    book = load_workbook(path)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert ("C01", "7") in {(r[0], r[4]) for r in rows}
