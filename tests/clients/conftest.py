import pytest
from django.core.management import call_command

from clients.models import FeeTier


@pytest.fixture
def fee_tiers(db):
    """The FY2024 table. The data migration loads it, but a transactional test's flush empties
    it for the tests that follow, so load the fixture again when it is missing."""
    if not FeeTier.objects.exists():
        call_command("loaddata", "fee_tiers", verbosity=0)
    return FeeTier.objects.all()
