"""Regional unit prices as copied from 告示第539号, never derived (docs/domain.md 4.3).

Migration billing 0002 shipped the grades 1–7 of 就労定着支援 computed by a formula (10 yen ×
(1 + the grade's rate × a 60% labour share)): the 告示 lists a ratio per service and grade, and
the 就労定着支援 row has not been copied here. Those rows are removed when they still carry the
formula's source (a row an administrator entered or edited from the 告示 stays); an office in
those grades is then asked for its value (the close page and every yen figure say what is
missing). その他 = 10.00 yen, the same for every service, stays and is marked verified.
"""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "fee_tables.json"
FORMULA_MARK = "人件費割合60%"


def apply(apps, schema_editor):
    RegionalUnitPrice = apps.get_model("clients", "RegionalUnitPrice")
    RegionalUnitPrice.objects.exclude(grade="other").filter(
        effective_from=dt.date(2024, 4, 1), source__contains=FORMULA_MARK
    ).delete()
    other = next(
        r["fields"]
        for r in json.loads(FIXTURE.read_text(encoding="utf-8"))
        if r["model"] == "clients.regionalunitprice" and r["fields"]["grade"] == "other"
    )
    RegionalUnitPrice.objects.filter(
        grade="other",
        effective_from=dt.date(2024, 4, 1),
        yen_per_unit=10,
        source__contains=FORMULA_MARK,
    ).update(source=other["source"], verified=True)


class Migration(migrations.Migration):
    dependencies = [("clients", "0008_fee_tables_from_billing"), ("billing", "0002_fee_tables_fy2024")]

    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
