"""clients/fees.py: tables by effective date, "以上" tiers, unit prices, yen and the distance to
the neighbouring tiers. Every expectation is worked out by hand in the comments."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from clients.fees import (
    FeeTableRows,
    Tier,
    fee_table_on,
    tier_distance,
    tier_for,
    unit_price_on,
    unit_prices_on,
    yen,
)
from clients.models import FeeTable, RegionalUnitPrice

D = dt.date
FY2024 = FeeTableRows(
    effective_from=D(2024, 4, 1),
    tiers=(
        Tier(Decimal(95), 3512),
        Tier(Decimal(90), 3348),
        Tier(Decimal(80), 2768),
        Tier(Decimal(70), 2234),
        Tier(Decimal(50), 1690),
        Tier(Decimal(30), 1433),
        Tier(Decimal(0), 1074),
    ),
)


# ---------------------------------------------------------------------------------------------
# Tiers: "以上" includes the bound, compared exactly


def test_exactly_70_percent_reaches_the_70_percent_tier():
    assert tier_for(Fraction(7, 10), FY2024).units == 2234
    assert tier_for(Fraction(14, 20), FY2024).units == 2234


def test_just_below_70_percent_stays_in_the_50_percent_tier():
    assert tier_for(Fraction(69999, 100000), FY2024).units == 1690
    # 2/3 = 66.66…%: below 70.
    assert tier_for(Fraction(2, 3), FY2024).units == 1690


def test_no_rate_or_no_table_has_no_tier():
    assert tier_for(None, FY2024) is None
    assert tier_for(Fraction(1, 2), None) is None


def test_a_bound_with_decimals_is_compared_exactly():
    table = [Tier(Decimal("66.67"), 2), Tier(Decimal(0), 1)]
    # 2/3 = 66.666…% < 66.67%.
    assert tier_for(Fraction(2, 3), table).units == 1
    assert tier_for(Fraction(6667, 10000), table).units == 2


# ---------------------------------------------------------------------------------------------
# Yen: units × unit price, rounded down to whole yen


def test_yen_rounds_down_below_one_yen():
    assert yen(2234, Decimal("11.20")) == 25020  # 25,020.80
    assert yen(1074, Decimal("10.96")) == 11771  # 11,771.04
    assert yen(3512, Decimal("10.18")) == 35752  # 35,752.16
    assert yen(2768, Decimal("10.00")) == 27680  # exact


def test_yen_never_rounds_up_even_at_99_sen():
    assert yen(99, Decimal("10.01")) == 990  # 990.99


# ---------------------------------------------------------------------------------------------
# Distance to the neighbouring tiers


def test_seven_of_ten_is_one_separation_from_below_70_and_one_person_from_80():
    distance = tier_distance(retained=7, users=10, table=FY2024, unit_price=Decimal("11.20"))
    assert distance.current.units == 2234
    # Up: 8/10 = 80% → 2,768 units, +534; yen 31,001 (31,001.60) − 25,020 (25,020.80) = +5,981.
    assert (distance.up.people, distance.up.tier.units) == (1, 2768)
    assert (distance.up.units_difference, distance.up.yen_difference) == (534, 5981)
    # Down: 6/10 = 60% < 70% → the 50% tier, 1,690 units, −544; yen 18,928 − 25,020 = −6,092.
    assert (distance.down.people, distance.down.bound_percent) == (1, 70)
    assert (distance.down.tier.units, distance.down.units_difference) == (1690, -544)
    assert distance.down.yen_difference == -6092


def test_fifteen_of_twenty_is_two_separations_from_below_70():
    distance = tier_distance(retained=15, users=20, table=FY2024)
    # 15/20 = 75%: 14/20 = 70% still reaches 70; 13/20 = 65% does not.
    assert distance.down.people == 2
    assert distance.down.tier.units == 1690
    # Up: 16/20 = 80%.
    assert distance.up.people == 1
    assert distance.up.yen_difference is None  # no unit price given


def test_seven_of_nine_needs_one_more_for_80():
    # 7/9 = 77.8%; 8/9 = 88.9% ≥ 80 (⌈80 × 9 / 100⌉ = ⌈7.2⌉ = 8); 6/9 = 66.7% < 70.
    distance = tier_distance(retained=7, users=9, table=FY2024)
    assert (distance.up.people, distance.up.tier.min_percent) == (1, 80)
    assert (distance.down.people, distance.down.tier.min_percent) == (1, 50)


def test_the_top_tier_has_nowhere_up():
    # 19/20 = 95%; 18/20 = 90%.
    distance = tier_distance(retained=19, users=20, table=FY2024)
    assert distance.up is None
    assert (distance.down.people, distance.down.tier.units) == (1, 3348)


def test_the_lowest_tier_has_nowhere_down():
    # 1/10 = 10%: ⌈30 × 10 / 100⌉ = 3 retained reach 30%, two more people.
    distance = tier_distance(retained=1, users=10, table=FY2024)
    assert distance.down is None
    assert (distance.up.people, distance.up.tier.units) == (2, 1433)


def test_a_small_office_can_skip_tiers_in_one_step():
    # 3/3 = 100%; one separation: 2/3 = 66.7%, below 95 and straight into the 50% tier.
    distance = tier_distance(retained=3, users=3, table=FY2024)
    assert (distance.down.people, distance.down.bound_percent) == (1, 95)
    assert distance.down.tier.units == 1690


def test_no_users_no_distance():
    distance = tier_distance(retained=0, users=0, table=FY2024)
    assert (distance.current, distance.up, distance.down) == (None, None, None)


# ---------------------------------------------------------------------------------------------
# Tables and unit prices by effective date (database)


def test_the_migration_loads_the_fy2024_table_and_unit_prices(fee_tables):
    table = fee_table_on(D(2024, 4, 1))
    assert [(t.min_percent, t.units) for t in table] == [
        (95, 3512), (90, 3348), (80, 2768), (70, 2234), (50, 1690), (30, 1433), (0, 1074),
    ]  # fmt: skip
    assert RegionalUnitPrice.objects.filter(effective_from=D(2024, 4, 1)).count() == 8


def test_the_table_in_force_changes_on_its_effective_date(fee_tables, django_assert_num_queries):
    FeeTable.objects.create(effective_from=D(2026, 6, 1)).tiers.create(min_percent=0, units=1)
    assert fee_table_on(D(2024, 3, 31)) is None  # the day before the first table
    assert fee_table_on(D(2024, 4, 1)).effective_from == D(2024, 4, 1)
    assert fee_table_on(D(2026, 5, 31)).effective_from == D(2024, 4, 1)  # the day before
    with django_assert_num_queries(1):
        table = fee_table_on(D(2026, 6, 1))  # the day itself
    assert table.effective_from == D(2026, 6, 1)
    assert [t.units for t in table] == [1]


def test_the_unit_price_in_force_changes_on_its_effective_date(fee_tables):
    RegionalUnitPrice.objects.create(grade="1", effective_from=D(2027, 4, 1), yen_per_unit="11.50")
    assert unit_price_on("1", D(2024, 3, 31)) is None
    assert unit_price_on("1", D(2027, 3, 31)).yen_per_unit == Decimal("11.20")
    assert unit_price_on("1", D(2027, 4, 1)).yen_per_unit == Decimal("11.50")
    prices = unit_prices_on(D(2027, 4, 1))
    assert prices["1"].yen_per_unit == Decimal("11.50")
    assert prices["other"].yen_per_unit == Decimal("10.00")


def test_the_unverified_values_say_so(fee_tables):
    assert fee_table_on(D(2024, 4, 1)).verified is False
    assert unit_price_on("1", D(2024, 4, 1)).verified is False
