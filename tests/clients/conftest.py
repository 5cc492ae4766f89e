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


@pytest.fixture
def office_a_second_edition(cast, fee_tiers):
    """Office A of retention_office_a.py (its comment tells who is retained and why)."""
    from tests.clients.retention_office_a import SERVICE_START, D, _db_client

    office = cast.office_a
    _db_client(office, "A01", SERVICE_START, (D(2020, 10, 1), None))
    _db_client(
        office, "A02", SERVICE_START, (D(2020, 10, 1), D(2024, 3, 15), True), staff=cast.alice
    )
    _db_client(office, "A03", D(2022, 4, 1), (D(2018, 4, 1), D(2019, 3, 31)))
    _db_client(
        office, "A04", SERVICE_START, (D(2015, 4, 1), D(2016, 3, 31)), (D(2020, 10, 1), None)
    )
    _db_client(cast.office_b, "B01", SERVICE_START, (D(2020, 10, 1), D(2022, 5, 31)))
    return office
