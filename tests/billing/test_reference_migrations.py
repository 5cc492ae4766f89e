"""The issue 19 data migrations on a database that still holds the old reference values:
clients 0009 removes the regional unit prices derived by a formula (an administrator's row stays)
and marks その他 verified; billing 0007 turns the special area's +15% into 240 units."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.migration_steps import latest, migrate

BEFORE = [("clients", "0008_fee_tables_from_billing"), ("billing", "0006_treatment_improvement")]
FORMULA = "…10円 ×（1 + 地域区分の上乗せ割合 × 人件費割合60%）として記録…"
D = dt.date(2024, 4, 1)


@pytest.mark.django_db(transaction=True)
def test_formula_prices_go_an_administrators_price_stays_and_special_area_becomes_units():
    try:
        executor = migrate(BEFORE)
        apps = executor.loader.project_state(BEFORE).apps
        Price = apps.get_model("clients", "RegionalUnitPrice")
        Adjustment = apps.get_model("billing", "Adjustment")
        Price.objects.all().delete()
        Price.objects.create(grade="3", effective_from=D, yen_per_unit="10.90", source=FORMULA)
        Price.objects.create(
            grade="4", effective_from=D, yen_per_unit="10.70", source="告示第539号から転記"
        )
        Price.objects.create(grade="other", effective_from=D, yen_per_unit="10.00", source=FORMULA)
        Adjustment.objects.filter(code="special_area").delete()
        Adjustment.objects.create(code="special_area", effective_from=D, percent=15)
        migrate(latest())
        from billing.models import Adjustment as Current
        from clients.models import RegionalUnitPrice

        prices = {p.grade: p for p in RegionalUnitPrice.objects.all()}
        assert set(prices) == {"4", "other"}
        assert prices["4"].yen_per_unit == Decimal("10.70") and not prices["4"].verified
        assert prices["other"].verified and "その他" in prices["other"].source
        special = Current.objects.get(code="special_area", effective_from=D)
        assert (special.units, special.percent, special.verified) == (240, None, False)
    finally:
        migrate(latest())
