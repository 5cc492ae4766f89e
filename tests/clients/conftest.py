import pytest
from django.core.management import call_command

from clients.models import FeeTable


@pytest.fixture
def fee_tiers(db):
    """The FY2024 fee table and unit prices. The data migration loads them, but a transactional
    test's flush empties them for the tests that follow, so load the fixture again when missing."""
    if not FeeTable.objects.exists():
        call_command("loaddata", "fee_tables", verbosity=0)
    return FeeTable.objects.all()
