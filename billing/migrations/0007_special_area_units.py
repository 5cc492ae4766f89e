"""特別地域加算 becomes a fixed number of units per day of support (240, unverified: docs/domain.md
4.4), not +15% of the units. The FY2024 row shipped by 0004 is changed when it still holds the
shipped percentage; a row edited in the admin is left as it is."""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "adjustments.json"


def _fixture_row(code):
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return next(r["fields"] for r in rows if r["fields"]["code"] == code)


def to_units(apps, schema_editor):
    Adjustment = apps.get_model("billing", "Adjustment")
    fields = _fixture_row("special_area")
    Adjustment.objects.filter(
        code="special_area", effective_from=dt.date(2024, 4, 1), percent=15, units__isnull=True
    ).update(units=fields["units"], percent=None, source=fields["source"], verified=False)
    no_plan = _fixture_row("no_plan")
    Adjustment.objects.filter(
        code="no_plan", effective_from=dt.date(2024, 4, 1), verified=False
    ).update(source=no_plan["source"])


def to_percent(apps, schema_editor):
    Adjustment = apps.get_model("billing", "Adjustment")
    Adjustment.objects.filter(
        code="special_area", effective_from=dt.date(2024, 4, 1), units=240, percent__isnull=True
    ).update(units=None, percent=15)


class Migration(migrations.Migration):
    dependencies = [("billing", "0006_treatment_improvement")]

    operations = [migrations.RunPython(to_units, to_percent)]
