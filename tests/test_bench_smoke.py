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
    compared = [row for row in rows if run.TARGETS[row.operation].max_ratio is not None]
    assert len(compared) == 10
    for row in compared:
        assert row.same_result is True, row.operation
        assert row.ratio is not None, row.operation
