"""Client.search_key: the names and readings folded for person search (core.names.search_key_for).

The key is filled for every stored client, and indexed for substring search: on PostgreSQL a
pg_trgm GIN index (``LIKE '%…%'`` uses it), elsewhere a plain index. Search also matches a part
of the client code (``UPPER(client_code) LIKE …``, Django's ``icontains``): on PostgreSQL a
trigram index on that expression lets the planner combine both (a bitmap OR) instead of reading
every row. Reversing drops the indexes and the column; the pg_trgm extension is left installed (other database objects may use it, and
it holds no data).
"""

from django.db import migrations, models

from core.names import search_key_for

BATCH = 2000
NAMES = ("family_name", "given_name", "family_name_kana", "given_name_kana")
TRIGRAM_INDEX = "clients_client_search_key_trgm"
CODE_TRIGRAM_INDEX = "clients_client_code_upper_trgm"
PLAIN_INDEX = "clients_client_search_key"


def fill_search_keys(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    clients = Client.objects.using(schema_editor.connection.alias)
    # Batches by primary key, each read with .iterator(): memory stays flat however many
    # clients there are, and no read cursor stays open across the batch's writes (SQLite does
    # not isolate a reading cursor from writes on the same connection).
    last_pk = 0
    while True:
        batch = list(
            clients.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", *NAMES)[:BATCH]
            .iterator(chunk_size=BATCH)
        )
        if not batch:
            return
        for client in batch:
            client.search_key = search_key_for(*(getattr(client, name) for name in NAMES))
        clients.bulk_update(batch, ["search_key"])
        last_pk = batch[-1].pk


def add_search_index(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("clients", "Client")._meta.db_table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX {TRIGRAM_INDEX} ON {table} USING gin (search_key gin_trgm_ops)"
        )
        schema_editor.execute(
            f"CREATE INDEX {CODE_TRIGRAM_INDEX} ON {table} "
            "USING gin ((UPPER(client_code::text)) gin_trgm_ops)"
        )
    else:
        schema_editor.execute(f"CREATE INDEX {PLAIN_INDEX} ON {table} (search_key)")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        names = (TRIGRAM_INDEX, CODE_TRIGRAM_INDEX)
    else:
        names = (PLAIN_INDEX,)
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_employercontact"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="search_key",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search key"
            ),
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
