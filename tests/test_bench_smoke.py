"""The benchmark keeps working: its data generator and every timed operation run at a tiny size.

No timing is asserted here; speed targets live in ``bench/run.py``.
"""

import pytest

from bench import run
from bench.generate import generate
from clients.models import Client
from contacts.models import Contact
from offices.models import Office


@pytest.mark.django_db
def test_benchmark_generates_a_small_world_and_reports_every_operation():
    world = generate(offices=3, quick=True)

    assert Office.objects.filter(uses_system=True).count() == 3
    # 10.6 users per office, as nationally in 2022.
    assert Client.objects.count() == world.clients == round(3 * 15691 / 1678)
    assert Contact.objects.count() == world.contacts > 0
    assert world.survey.responses.count() == world.responses

    rows = run.run_operations(world, runs=1, http=False)

    assert [row.operation for row in rows] == [
        name for name in run.TARGETS if not name.startswith("http ")
    ]
    for row in rows:
        assert row.runs >= 1
        assert row.queries >= 1, row.operation
    # Every statistic has its hand-written SQL, and it returns the project's result.
    compared = [
        row
        for row in rows
        if run.TARGETS[row.operation].max_ratio is not None or run.TARGETS[row.operation].compared
    ]
    assert len(compared) == 10
    for row in compared:
        assert row.same_result is True, row.operation
        assert row.ratio is not None, row.operation
        # Both times inside the database were measured for every compared row.
        assert row.database_ms is not None and row.sql_database_ms is not None, row.operation
        assert row.sql_slowest_query_ms <= row.sql_database_ms, row.operation


def _compared_row(*, ratio, sql_query_ms, database_ms):
    """A row of "f2f compliance per office" (p95 < 20 ms, ≤2 queries, ≤1.5× SQL): the project
    at 4 ms a call, the SQL at 4/ratio ms in one query of ``sql_query_ms``."""
    sql_ms = 4 / ratio
    return run._row(
        "f2f compliance per office",
        [0.004] * 5,
        1,
        sql_times=[sql_ms / 1000] * 5,
        same_result=True,
        database=[[database_ms]] * 5,
        sql_database=[[sql_query_ms]] * 5,
    )


def test_a_row_within_the_ratio_passes_without_the_allowance():
    row = _compared_row(ratio=1.4, sql_query_ms=2.5, database_ms=2.5)
    assert row.passed and not row.fixed_cost_allowance


def test_the_fixed_cost_allowance_passes_small_queries_that_cost_what_the_sql_costs():
    row = _compared_row(ratio=3.0, sql_query_ms=1.0, database_ms=1.2)
    assert row.passed and row.fixed_cost_allowance


def test_the_allowance_does_not_cover_a_query_of_two_milliseconds_or_more():
    row = _compared_row(ratio=3.0, sql_query_ms=2.0, database_ms=2.0)
    assert not row.passed and not row.fixed_cost_allowance


def test_the_allowance_does_not_cover_a_query_slower_in_the_database():
    row = _compared_row(ratio=3.0, sql_query_ms=1.0, database_ms=1.6)
    assert not row.passed and not row.fixed_cost_allowance
