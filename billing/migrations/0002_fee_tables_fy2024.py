"""Load the FY2024 fee table and regional unit prices from clients/fixtures/fee_tables.json (the
models moved to ``clients`` in clients 0008, their tables kept; the fixture moved with them), and
carry over the tables of the retired ``clients.FeeTier`` (keyed by fiscal year F: they become
tables effective 1 April F, with the tiers as edited in the admin).

The fixture is the one source of the reference values: this migration reads it, and
``manage.py loaddata fee_tables`` restores them after edits in the admin.
"""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "clients" / "fixtures" / "fee_tables.json"


def load(apps, schema_editor):
    FeeTable = apps.get_model("billing", "FeeTable")
    FeeTier = apps.get_model("billing", "FeeTier")
    RegionalUnitPrice = apps.get_model("billing", "RegionalUnitPrice")
    OldFeeTier = apps.get_model("clients", "FeeTier")

    # The old rows first: a table edited in the admin keeps its edits.
    for old in OldFeeTier.objects.order_by("effective_fiscal_year", "min_percent"):
        table, _ = FeeTable.objects.get_or_create(
            effective_from=dt.date(old.effective_fiscal_year, 4, 1),
            defaults={"source": f"clients.FeeTier FY{old.effective_fiscal_year}"},
        )
        FeeTier.objects.update_or_create(
            table=table, min_percent=old.min_percent, defaults={"units": old.units}
        )

    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    tables = {}
    for row in rows:
        fields = row["fields"]
        model = row["model"].split(".")[1]  # "clients.feetable" since the move
        if model == "feetable":
            table, created = FeeTable.objects.get_or_create(
                effective_from=dt.date.fromisoformat(fields["effective_from"]),
                defaults={"source": fields["source"], "verified": fields["verified"]},
            )
            if not created and table.source.startswith("clients.FeeTier"):
                table.source, table.verified = fields["source"], fields["verified"]
                table.save(update_fields=["source", "verified"])
            tables[row["pk"]] = (table, created)
        elif model == "feetier":
            table, created = tables[fields["table"]]
            if created:  # a carried-over table keeps its own tiers
                FeeTier.objects.create(
                    table=table, min_percent=Decimal(fields["min_percent"]), units=fields["units"]
                )
        elif model == "regionalunitprice":
            RegionalUnitPrice.objects.get_or_create(
                grade=fields["grade"],
                effective_from=dt.date.fromisoformat(fields["effective_from"]),
                defaults={
                    "yen_per_unit": Decimal(fields["yen_per_unit"]),
                    "source": fields["source"],
                    "verified": fields["verified"],
                },
            )


def unload(apps, schema_editor):
    """Back to ``clients.FeeTier``: every table effective on a 1 April returns as its fiscal
    year's rows (a table taking effect mid-year has no place there and is dropped)."""
    FeeTable = apps.get_model("billing", "FeeTable")
    OldFeeTier = apps.get_model("clients", "FeeTier")
    for table in FeeTable.objects.all():
        if (table.effective_from.month, table.effective_from.day) != (4, 1):
            continue
        for tier in table.tiers.all():
            OldFeeTier.objects.update_or_create(
                effective_fiscal_year=table.effective_from.year,
                min_percent=tier.min_percent,
                defaults={"units": tier.units},
            )
    FeeTable.objects.all().delete()
    apps.get_model("billing", "RegionalUnitPrice").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("clients", "0003_fee_tiers_fy2024"),
    ]

    operations = [migrations.RunPython(load, unload)]
