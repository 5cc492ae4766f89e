"""returned_from_leave_on (休職からの復職日): the early-start rule counts from it, its validation,
the employments import's optional column and the employment form."""

import pytest
from django.urls import reverse

from clients import validation
from clients.retention import (
    EmploymentSpan,
)
from core import tabular
from tests import factories
from tests.clients.retention_office_a import D


def test_the_early_start_rule_counts_from_the_return_from_leave():
    on_leave = [EmploymentSpan(D(2019, 4, 1), None, False, D(2021, 9, 1))]
    common = {"already_confirmed": False, "can_confirm": True, "confirmed": False, "reason": ""}
    early = validation.early_start_problems(
        service_start=D(2022, 2, 28), employments=on_leave, **common
    )
    on_time = validation.early_start_problems(
        service_start=D(2022, 3, 1), employments=on_leave, **common
    )
    assert {field for field, _message in early} == {"early_start_confirmed", "early_start_reason"}
    assert on_time == []


def test_a_return_from_leave_falls_after_the_start_and_by_the_last_working_day():
    def problems(returned, end=None):
        return validation.employment_period_problems(
            start_date=D(2020, 10, 1),
            end_date=end,
            separation_reason="personal" if end else "",
            supported_job_change=False,
            returned_from_leave_on=returned,
        )

    assert problems(D(2021, 9, 1)) == []
    assert problems(D(2021, 9, 1), end=D(2021, 9, 1)) == []
    assert [f for f, _m in problems(D(2020, 10, 1))] == ["returned_from_leave_on"]
    assert [f for f, _m in problems(D(2021, 9, 2), end=D(2021, 9, 1))] == ["returned_from_leave_on"]


@pytest.mark.django_db
def test_the_employments_import_takes_the_optional_return_from_leave(cast):
    c = factories.ClientFactory(office=cast.office_a, client_code="K001")
    a = cast.office_a.office_number
    header = (
        "office_number,client_code,start_date,employer_name,end_date,separation_reason,"
        "supported_job_change"
    )
    with_column = f"{header},returned_from_leave_on\n{a},K001,2020-10-01,株式会社A,,,,2021-09-01\n"
    result = tabular.run_import("employments", with_column.encode("utf-8"), user=cast.bob)
    assert result.ok, result.errors
    assert c.employments.get().returned_from_leave_on == D(2021, 9, 1)
    # A file without the column (made before it existed) keeps the date on record.
    without = f"{header}\n{a},K001,2020-10-01,株式会社A,,,\n"
    again = tabular.run_import("employments", without.encode("utf-8"), user=cast.bob)
    assert again.ok and again.unchanged == 1
    assert c.employments.get().returned_from_leave_on == D(2021, 9, 1)
    bad = f"{header},returned_from_leave_on\n{a},K001,2020-10-01,株式会社A,,,,2020-09-01\n"
    refused = tabular.run_import("employments", bad.encode("utf-8"), user=cast.bob)
    assert [(e.row, e.column) for e in refused.errors] == [(2, "returned_from_leave_on")]


@pytest.mark.django_db
def test_the_employment_form_saves_the_return_from_leave(client, cast):
    c = factories.ClientFactory(office=cast.office_a, service_start=D(2022, 3, 1))
    client.force_login(cast.alice)
    response = client.post(
        reverse("employment_create", kwargs={"client_pk": c.pk}),
        {"new_employer_name": "株式会社A", "start_date": "2019-04-01",
         "returned_from_leave_on": "2021-09-01"},
    )  # fmt: skip
    assert response.status_code == 302
    assert c.employments.get().returned_from_leave_on == D(2021, 9, 1)
