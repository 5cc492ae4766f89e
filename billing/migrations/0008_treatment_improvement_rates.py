"""Load the rates of 福祉・介護職員等処遇改善加算 from billing/fixtures/treatment_improvement_rates.json
(unverified: docs/domain.md 4.4; ``manage.py loaddata treatment_improvement_rates`` restores them
after edits in the admin). Rows already present are left as edited."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "treatment_improvement_rates.json"


def load(apps, schema_editor):
    Rate = apps.get_model("billing", "TreatmentImprovementRate")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = row["fields"]
        Rate.objects.get_or_create(
            category=fields["category"],
            effective_from=dt.date.fromisoformat(fields["effective_from"]),
            defaults={
                "percent": Decimal(fields["percent"]),
                "source": fields["source"],
                "verified": fields["verified"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("billing", "0007_special_area_units")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
