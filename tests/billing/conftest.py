import pytest
from django.core.management import call_command

from billing.models import Adjustment
from clients.models import FeeTable


@pytest.fixture
def fee_tables(db):
    """The FY2024 fee table and unit prices. The data migration loads them, but a transactional
    test's flush empties them for the tests that follow, so load the fixture again when missing."""
    if not FeeTable.objects.exists():
        call_command("loaddata", "fee_tables", verbosity=0)
    return FeeTable.objects.all()


@pytest.fixture
def reference_values(fee_tables):
    """The fee tables with the FY2024 additions and reductions (loaded again after a flush)."""
    if not Adjustment.objects.exists():
        call_command("loaddata", "adjustments", verbosity=0)
