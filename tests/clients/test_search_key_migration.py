"""clients 0007: the search key of clients stored before it is filled in, it is indexed for
substring search (pg_trgm on PostgreSQL), and the migration reverses cleanly."""

import pytest
from django.db import connection

from tests import factories
from tests.migration_steps import latest, migrate

BEFORE = [("clients", "0006_employercontact")]
AFTER = [("clients", "0007_client_search_key")]


def search_indexes():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'clients_client' "
                "AND indexname LIKE '%%trgm'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'clients_client' AND name LIKE '%search_key%'"
            )
        return {row[0] for row in cursor.fetchall()}


def client_columns():
    with connection.cursor() as cursor:
        return {
            column.name
            for column in connection.introspection.get_table_description(cursor, "clients_client")
        }


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_keys_indexes_them_and_reverses(cast):
    factories.ClientFactory(
        office=cast.office_a, client_code="M-1", family_name="齋藤", given_name="恵",
        family_name_kana="サイトウ", given_name_kana="メグミ",
    )  # fmt: skip
    factories.ClientFactory(
        office=cast.office_a, client_code="M-2", family_name="山﨑", given_name="花子",
        family_name_kana="", given_name_kana="",
    )  # fmt: skip
    try:
        migrate(BEFORE)
        assert "search_key" not in client_columns()
        assert search_indexes() == set()

        migrate(AFTER)
        with connection.cursor() as cursor:
            cursor.execute("SELECT client_code, search_key FROM clients_client ORDER BY 1")
            assert cursor.fetchall() == [("M-1", "斎藤恵サイトウメグミ"), ("M-2", "山崎花子")]
        if connection.vendor == "postgresql":
            expected = {"clients_client_search_key_trgm", "clients_client_code_upper_trgm"}
        else:
            expected = {"clients_client_search_key"}
        assert search_indexes() == expected

        migrate(BEFORE)
        assert "search_key" not in client_columns()
        assert search_indexes() == set()
    finally:
        migrate(latest())
