"""The support_plans and case_meetings imports (DESIGN 5.1): whole or nothing, idempotent,
scoped to the offices the importing user manages."""

import datetime as dt

import pytest

from core import tabular
from plans.models import CaseMeeting, SupportPlan

D = dt.date
pytestmark = pytest.mark.django_db


def _csv(office, rows, header):
    lines = [header] + [row.format(office=office.office_number) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


PLANS_HEADER = "office_number,client_code,plan_date,approved_on,consented_on,next_review_by"


def test_a_good_support_plans_file_imports_and_again_changes_nothing(cast, person):
    data = _csv(
        cast.office_a,
        ["{office},P001,2024-04-01,2024-04-03,2024-04-05,",
         "{office},P001,2024-09-30,2024-10-01,2024-10-02,2025-02-28"],
        PLANS_HEADER,
    )  # fmt: skip
    result = tabular.run_import("support_plans", data)
    assert result.ok and (result.created, result.updated) == (2, 0)
    plans = list(SupportPlan.objects.filter(client=person).order_by("plan_date"))
    assert [(p.version, p.next_review_by, p.consented_on) for p in plans] == [
        (1, D(2024, 10, 1), D(2024, 4, 5)),
        (2, D(2025, 2, 28), D(2024, 10, 2)),
    ]
    again = tabular.run_import("support_plans", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert SupportPlan.objects.count() == 2


def test_a_refused_support_plans_file_writes_nothing(cast, person):
    data = _csv(
        cast.office_a,
        ["{office},P001,2024-04-01,2024-04-03,2024-04-05,",
         "{office},P001,2024-09-30,2024-09-29,2024-10-02,",  # approved before the plan date
         "{office},NOBODY,2024-09-30,2024-10-01,2024-10-02,"],
        PLANS_HEADER,
    )  # fmt: skip
    result = tabular.run_import("support_plans", data)
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {(3, "approved_on"), (4, "client_code")}
    assert SupportPlan.objects.count() == 0


def test_the_upload_page_imports_only_into_offices_the_user_manages(cast, person):
    from core.audit import Actor

    data = _csv(cast.office_a, ["{office},P001,2024-04-01,2024-04-03,2024-04-05,"], PLANS_HEADER)
    refused = tabular.run_import("support_plans", data, user=cast.charlie)
    assert [e.column for e in refused.errors] == ["office_number"]
    staff = tabular.run_import("support_plans", data, user=cast.alice)  # staff, not a manager
    assert not staff.ok
    kept = tabular.run_import("support_plans", data, actor=Actor.command(cast.bob), user=cast.bob)
    assert kept.ok and SupportPlan.objects.count() == 1


MEETINGS_HEADER = "office_number,client_code,held_on,presenter,agencies,notes"


def test_a_good_case_meetings_file_imports_and_again_changes_nothing(cast, person):
    data = _csv(
        cast.office_a,
        ["{office},P001,2024-05-10,service_manager,相談支援事業所みらい;主治医,",
         "{office},P001,2024-05-28,other_staff,就業・生活支援センター,同月2回目"],
        MEETINGS_HEADER,
    )  # fmt: skip
    result = tabular.run_import("case_meetings", data)
    assert result.ok and result.created == 2
    first = CaseMeeting.objects.get(held_on=D(2024, 5, 10))
    assert first.agencies == ["相談支援事業所みらい", "主治医"]
    again = tabular.run_import("case_meetings", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_refused_case_meetings_file_writes_nothing(cast, person):
    data = _csv(
        cast.office_a,
        ["{office},P001,2024-05-10,service_manager,主治医,",
         "{office},P001,2024-06-10,director,主治医,"],
        MEETINGS_HEADER,
    )  # fmt: skip
    result = tabular.run_import("case_meetings", data)
    assert [(e.row, e.column) for e in result.errors] == [(3, "presenter")]
    assert CaseMeeting.objects.count() == 0


def test_a_case_meetings_file_from_excel_with_japanese_headers_and_labels_imports(cast, person):
    header = "事業所番号,利用者コード,開催日,説明者,出席した関係機関,備考"
    rows = ["{office},P001,令和6年5月10日,サービス管理責任者,主治医,",
            "{office},P001,2024/5/28,その他の職員,就業・生活支援センター,２回目"]  # fmt: skip
    lines = [header] + [row.format(office=cast.office_a.office_number) for row in rows]
    data = ("\r\n".join(lines) + "\r\n").encode("cp932")
    result = tabular.run_import("case_meetings", data)
    assert result.ok, result.errors
    meetings = CaseMeeting.objects.order_by("held_on")
    assert [(m.held_on, m.presenter) for m in meetings] == [
        (D(2024, 5, 10), "service_manager"),
        (D(2024, 5, 28), "other_staff"),
    ]


def test_a_support_plans_file_with_japanese_headers_names_its_problems_in_japanese(cast, person):
    header = "事業所番号,利用者コード,計画作成日,承認日,本人同意日,次回見直し期限"
    line = f"{cast.office_a.office_number},P001,2024/4/1,2024/3/31,2024/4/5,"
    result = tabular.run_import("support_plans", f"{header}\n{line}\n".encode())
    assert [(e.row, e.column, e.label) for e in result.errors] == [(2, "approved_on", "承認日")]


def test_a_case_meetings_file_without_the_agencies_column_is_refused_naming_the_header(
    cast, person
):
    header = "office_number,client_code,held_on,presenter,=agencies,notes"
    data = _csv(cast.office_a, ["{office},P001,2024-05-10,service_manager,主治医,"], header)
    result = tabular.run_import("case_meetings", data)  # must not raise
    assert {(e.row, e.column) for e in result.errors} == {(1, "=agencies"), (1, "agencies")}
    assert CaseMeeting.objects.count() == 0


def test_a_support_plan_with_an_unreadable_plan_date_is_refused_on_that_cell_only(cast, person):
    data = _csv(cast.office_a, ["{office},P001,2024-13-01,2024-04-03,2024-04-05,"], PLANS_HEADER)
    result = tabular.run_import("support_plans", data)  # must not raise
    assert [(e.row, e.column) for e in result.errors] == [(2, "plan_date")]
    assert SupportPlan.objects.count() == 0


def test_a_support_plan_not_yet_approved_or_agreed_imports_as_a_missing_plan(cast, person):
    from plans import rules

    data = _csv(
        cast.office_a,
        ["{office},P001,2024-04-01,,,",  # drafted only
         "{office},P001,2024-09-30,2024-10-01,,"],  # approved, not yet agreed
        PLANS_HEADER,
    )  # fmt: skip
    result = tabular.run_import("support_plans", data)
    assert result.ok, result.errors
    plans = list(SupportPlan.objects.filter(client=person).order_by("plan_date"))
    assert [(p.approved_on, p.consented_on) for p in plans] == [
        (None, None),
        (D(2024, 10, 1), None),
    ]
    assert rules.plan_status(person, on=D(2024, 10, 31)).status == rules.Status.MISSING
    # Without the two columns at all: the same.
    short = _csv(cast.office_a, ["{office},P001,2025-03-01"], "office_number,client_code,plan_date")
    assert tabular.run_import("support_plans", short).created == 1


def test_an_agreement_without_an_approval_is_still_refused(cast, person):
    data = _csv(cast.office_a, ["{office},P001,2024-04-01,,2024-04-05,"], PLANS_HEADER)
    result = tabular.run_import("support_plans", data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "consented_on")]


def test_case_meetings_carry_the_report_back_so_other_staffs_meeting_can_count(cast, person):
    header = MEETINGS_HEADER + ",reported_back_on"
    data = _csv(
        cast.office_a,
        ["{office},P001,2024-05-10,other_staff,主治医,,2024-05-13",
         "{office},P001,2024-06-10,other_staff,主治医,,",
         "{office},P001,2024-07-10,service_manager,主治医,,2024-07-11"],
        header,
    )  # fmt: skip
    result = tabular.run_import("case_meetings", data)
    assert result.ok, result.errors
    meetings = {m.held_on: m for m in CaseMeeting.objects.filter(client=person)}
    assert meetings[D(2024, 5, 10)].reported_back_on == D(2024, 5, 13)
    assert meetings[D(2024, 5, 10)].qualifies
    assert not meetings[D(2024, 6, 10)].qualifies  # other staff, not reported back
    assert meetings[D(2024, 7, 10)].reported_back_on is None  # the service manager presented
    # Reported back later: the same file with the date updates the meeting.
    later = _csv(cast.office_a, ["{office},P001,2024-06-10,other_staff,主治医,,2024-06-20"], header)
    assert tabular.run_import("case_meetings", later).updated == 1
    assert CaseMeeting.objects.get(held_on=D(2024, 6, 10)).qualifies


def test_a_report_back_before_the_meeting_is_refused(cast, person):
    header = "事業所番号,利用者コード,開催日,説明者,出席した関係機関,サービス管理責任者への報告日"
    data = _csv(cast.office_a, ["{office},P001,2024-05-10,other_staff,主治医,2024-05-09"], header)
    result = tabular.run_import("case_meetings", data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "reported_back_on")]
    assert CaseMeeting.objects.count() == 0
