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

    rows = run.run_operations(world, runs=1)

    assert [row.operation for row in rows] == list(run.TARGETS)
    for row in rows:
        assert row.runs >= 1
        assert row.queries >= 1, row.operation
