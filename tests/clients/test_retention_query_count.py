"""Loading an office's retention takes the same number of queries however many clients it has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.retention import (
    office_retention,
)
from tests.clients.retention_office_a import AS_OF, SERVICE_START, D, _db_client


@pytest.mark.django_db
def test_loading_takes_the_same_number_of_queries_however_many_clients(cast, fee_tiers):
    _db_client(cast.office_a, "A01", SERVICE_START, (D(2020, 10, 1), None))
    with CaptureQueriesContext(connection) as few:
        office_retention(office=cast.office_a, fiscal_year=2024, as_of=AS_OF)
    for i in range(6):
        _db_client(cast.office_a, f"M{i}", SERVICE_START, (D(2020, 10, 1), None))
    with CaptureQueriesContext(connection) as many:
        result = office_retention(office=cast.office_a, fiscal_year=2024, as_of=AS_OF)
    assert result.users == 7
    assert len(many.captured_queries) == len(few.captured_queries)
