"""Load the FY2024 fee-tier table (DESIGN 4) into ``clients.FeeTier``.

The model is retired: ``billing`` migration 0002 carries these rows into ``billing.FeeTable``
and ``clients`` migration 0004 removes it. The values are written here, not read from the old
fixture, so that the migration history still runs from an empty database.
"""

from decimal import Decimal

from django.db import migrations

FY2024 = [(95, 3512), (90, 3348), (80, 2768), (70, 2234), (50, 1690), (30, 1433), (0, 1074)]


def load(apps, schema_editor):
    FeeTier = apps.get_model("clients", "FeeTier")
    for min_percent, units in FY2024:
        FeeTier.objects.update_or_create(
            effective_fiscal_year=2024,
            min_percent=Decimal(min_percent),
            defaults={"units": units},
        )


def unload(apps, schema_editor):
    apps.get_model("clients", "FeeTier").objects.filter(effective_fiscal_year=2024).delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_fee_tiers_early_start")]

    operations = [migrations.RunPython(load, unload)]
