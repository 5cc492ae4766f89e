"""Load the FY2024 additions and reductions from billing/fixtures/adjustments.json (the one source
of the reference values; ``manage.py loaddata adjustments`` restores them after edits in the
admin). Rows already present are left as edited."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "adjustments.json"


def _decimal(value):
    return None if value is None else Decimal(value)


def load(apps, schema_editor):
    Adjustment = apps.get_model("billing", "Adjustment")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = row["fields"]
        Adjustment.objects.get_or_create(
            code=fields["code"],
            effective_from=dt.date.fromisoformat(fields["effective_from"]),
            defaults={
                "units": fields["units"],
                "percent": _decimal(fields["percent"]),
                "later_percent": _decimal(fields["later_percent"]),
                "later_from_month": fields["later_from_month"],
                "source": fields["source"],
                "verified": fields["verified"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_certificates_adjustments_close")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
