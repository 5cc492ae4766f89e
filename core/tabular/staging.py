"""Staging an import's batch on PostgreSQL: ``COPY`` its checked rows into a temporary table, so
that the kind writes them with a few ``INSERT … SELECT`` statements instead of a Python object
and a bound parameter per row and column (issue 12: 100,000 rows in seconds).

Only PostgreSQL has ``COPY FROM STDIN``; ``available()`` says whether the connection does, and
kinds keep their portable path (``bulk_create``) for SQLite, with the same rows and events.
"""

from django.db import connection


def available():
    """Whether the default connection can stage rows (PostgreSQL)."""
    return connection.vendor == "postgresql"


def stage(cursor, *, table, columns, rows):
    """Fill the temporary ``table`` (created on first use in the transaction, dropped at its
    end, emptied here) with ``rows``: tuples of Python values in the order of ``columns``,
    ``(name, SQL type)`` pairs. One ``CREATE``/``TRUNCATE`` and one ``COPY``."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name, _type in columns)
    definition = ", ".join(f"{quote(name)} {sql_type}" for name, sql_type in columns)
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {quote(table)} ({definition}) ON COMMIT DROP; "
        f"TRUNCATE {quote(table)}"
    )
    # Binary: each value is sent as its column's type, with no text to format and parse.
    with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types([sql_type for _name, sql_type in columns])
        write = copy.write_row
        for row in rows:
            write(row)
