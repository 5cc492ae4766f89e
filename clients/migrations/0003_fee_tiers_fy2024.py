"""Load the FY2024 fee-tier table (DESIGN 4) from clients/fixtures/fee_tiers.json.

The fixture is the one source of the table: this migration reads it, and
``manage.py loaddata fee_tiers`` restores it after edits in the admin.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "fee_tiers.json"


def load(apps, schema_editor):
    FeeTier = apps.get_model("clients", "FeeTier")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = row["fields"]
        FeeTier.objects.update_or_create(
            effective_fiscal_year=fields["effective_fiscal_year"],
            min_percent=Decimal(fields["min_percent"]),
            defaults={"units": fields["units"]},
        )


def unload(apps, schema_editor):
    apps.get_model("clients", "FeeTier").objects.filter(effective_fiscal_year=2024).delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_fee_tiers_early_start")]

    operations = [migrations.RunPython(load, unload)]
