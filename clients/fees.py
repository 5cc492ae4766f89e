"""Fee tables, tiers, regional unit prices and yen: the one home of the fee rules (docs/domain.md
4.3).

- A fee table is in force from its ``effective_from`` until a later one takes effect
  (``fee_table_on``). The retention rate of fiscal year F takes its tier from the table in force
  on 1 April F; a month is billed by the table in force on its first day (``monthly_fee``).
- The tier is the highest whose bound the rate reaches, "以上" including the bound, compared as
  exact fractions (``tier_for``).
- Units become yen by the unit price of the office's regional grade (地域区分) in force on the
  day (``unit_price_on``), rounded down to whole yen (``yen``).
- ``tier_distance`` says how many people stand between an office and its neighbouring tiers.

The rules take plain values; only the ``*_on`` loaders and ``fee_outlooks`` touch the database,
each in one query per kind of row.
"""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from core.calendar import Month, display_date, fiscal_year_of
from core.numbers import as_json_number

# ---------------------------------------------------------------------------------------------
# Plain values


@dataclass(frozen=True)
class Tier:
    min_percent: Decimal
    units: int

    def as_dict(self):
        return {"min_percent": as_json_number(self.min_percent), "units": self.units}


@dataclass(frozen=True)
class FeeTableRows:
    """One fee table as the rules see it; iterating it yields its tiers."""

    effective_from: dt.date
    tiers: tuple = ()
    verified: bool = False

    def __iter__(self):
        return iter(self.tiers)


@dataclass(frozen=True)
class UnitPrice:
    grade: str
    effective_from: dt.date
    yen_per_unit: Decimal
    verified: bool = False


# ---------------------------------------------------------------------------------------------
# The rules


def tier_for(rate, table):
    """The tier whose lower bound the rate reaches ("以上": the bound itself is included).

    ``rate`` is an exact Fraction (retained / users) or None; ``table`` is a FeeTableRows or any
    iterable of Tier rows, or None. Compared as exact fractions, so 7/10 is 70% and reaches the
    70% tier, never 69.999…%.
    """
    if rate is None or table is None:
        return None
    rate = Fraction(rate)
    # rate ≥ bound / 100, cross-multiplied in integers (no Fraction built per tier).
    scaled, denominator = rate.numerator * 100, rate.denominator
    reached = [t for t in table if _reaches(scaled, denominator, t.min_percent)]
    return max(reached, key=lambda t: t.min_percent, default=None)


def _reaches(scaled_numerator, denominator, bound):
    top, bottom = _ratio(bound)
    return scaled_numerator * bottom >= top * denominator


def _ratio(bound):
    """A tier's lower bound (Decimal from the database; int, str or float from tests) as an
    exact integer ratio."""
    if isinstance(bound, (Decimal, int)):
        return bound.as_integer_ratio()
    exact = Fraction(bound)
    return exact.numerator, exact.denominator


def yen(units, unit_price):
    """Units × yen per unit, rounded down to whole yen.

    The 報酬告示 (平成18年厚生労働省告示第523号) 二: an amount below one yen that results from
    multiplying the units by the unit price is cut off (1円未満の端数は切り捨て).
    """
    amount = Decimal(units) * Decimal(unit_price)
    return int(amount.to_integral_value(rounding=ROUND_FLOOR))


@dataclass(frozen=True)
class TierStep:
    """``people`` more retained (up) or separated (down) reach ``tier``, whose bound is
    ``bound_percent`` (reached upwards, fallen below downwards)."""

    people: int
    bound_percent: Decimal
    tier: Tier
    units_difference: int
    yen_difference: int | None

    @property
    def units_size(self):
        """The size of the change, for display with its own sign (+ up, − down)."""
        return abs(self.units_difference)

    @property
    def yen_size(self):
        return None if self.yen_difference is None else abs(self.yen_difference)


@dataclass(frozen=True)
class TierDistance:
    current: Tier | None
    up: TierStep | None
    down: TierStep | None


def _step(*, people, bound, current, reached, unit_price):
    units = reached.units - current.units
    yen_difference = None
    if unit_price is not None:
        yen_difference = yen(reached.units, unit_price) - yen(current.units, unit_price)
    return TierStep(people, bound, reached, units, yen_difference)


def tier_distance(*, retained, users, table, unit_price=None):
    """How far the office is from its neighbouring tiers, counted in people, among the users
    already counted (the denominator stays ``users``):

    - up: the smallest k ≥ 1 with (retained + k) / users reaching the next tier's bound, that is
      k = ⌈bound × users / 100⌉ − retained; none when it would take more people than are not
      retained, or the office is in the top tier;
    - down: the smallest j ≥ 1 with (retained − j) / users below the current tier's bound, that
      is j = retained − ⌈bound × users / 100⌉ + 1; none in the lowest tier (bound 0).

    7 of 10 retained (70%, the 70% tier): one separation gives 6/10 = 60%, below 70%; one more
    retained gives 8/10 = 80%, the 80% tier. ``unit_price`` (yen per unit) adds the yen
    difference per person-month.
    """
    if not users or table is None:
        return TierDistance(None, None, None)
    current = tier_for(Fraction(retained, users), table)
    if current is None:
        return TierDistance(None, None, None)
    up = down = None
    higher = [t.min_percent for t in table if t.min_percent > current.min_percent]
    if higher:
        bound = min(higher)
        people = math.ceil(Fraction(bound) * users / 100) - retained
        if retained + people <= users:
            reached = tier_for(Fraction(retained + people, users), table)
            up = _step(
                people=people, bound=bound, current=current, reached=reached, unit_price=unit_price
            )
    if current.min_percent > 0:
        bound = current.min_percent
        people = retained - math.ceil(Fraction(bound) * users / 100) + 1
        reached = tier_for(Fraction(retained - people, users), table)
        if reached is not None:
            down = _step(
                people=people, bound=bound, current=current, reached=reached, unit_price=unit_price
            )
    return TierDistance(current, up, down)


def office_month_difference(step, billable_person_months):
    """The change in the office's yen for the month when ``step`` (a TierStep) happens: the
    per-person-month difference × the month's billable person-months (``billing.month``). None
    without a unit price."""
    if step is None or step.yen_difference is None or billable_person_months is None:
        return None
    return step.yen_difference * billable_person_months


# ---------------------------------------------------------------------------------------------
# Loading from the database


def fee_table_on(day):
    """The fee table in force on ``day``: the latest one taking effect on or before it, with its
    tiers, in one query. None when no table (or one without tiers) is in force."""
    return fee_tables_on([day])[day]


def fee_tables_on(days):
    """{day: ``fee_table_on(day)``} for several days in one query (the retention page needs the
    table of its fiscal year's first day and that of its month): the tables taking effect on or
    before the last day, each with its tiers (a handful of rows)."""
    from clients.models import FeeTable

    days = list(days)
    if not days:
        return {}
    rows = (
        FeeTable.objects.filter(effective_from__lte=max(days))
        .order_by("-effective_from", "-tiers__min_percent")
        .values_list("effective_from", "verified", "tiers__min_percent", "tiers__units")
    )
    tables = {}  # effective_from: (verified, [Tier] highest first)
    for effective_from, verified, min_percent, units in rows:
        _verified, tiers = tables.setdefault(effective_from, (verified, []))
        if min_percent is not None:  # a table without tiers: one row of NULLs
            tiers.append(Tier(min_percent=min_percent, units=units))
    found = {}
    for day in days:
        effective_from = max((d for d in tables if d <= day), default=None)
        if effective_from is None or not tables[effective_from][1]:
            found[day] = None
            continue
        verified, tiers = tables[effective_from]
        found[day] = FeeTableRows(
            effective_from=effective_from, tiers=tuple(tiers), verified=verified
        )
    return found


def unit_prices_on(day):
    """{grade: UnitPrice} for every regional grade with a price in force on ``day``, in one
    query (the latest price of each grade taking effect on or before it)."""
    from clients.models import RegionalUnitPrice

    prices = {}
    rows = (
        RegionalUnitPrice.objects.filter(effective_from__lte=day)
        .order_by("grade", "-effective_from")
        .values_list("grade", "effective_from", "yen_per_unit", "verified")
    )
    for grade, effective_from, yen_per_unit, verified in rows:
        prices.setdefault(grade, UnitPrice(grade, effective_from, yen_per_unit, verified))
    return prices


@dataclass(frozen=True)
class FeeReference:
    """The fee table and the unit prices in force on a day, read once for a page that needs
    them twice (the retention page's outlook and its what-if in money)."""

    table: object
    unit_prices: dict


def fee_reference_on(day, *, fee_tables=None):
    """``FeeReference`` of ``day``: ``fee_table_on`` and ``unit_prices_on``, two queries (one
    when ``fee_tables``, ``fee_tables_on`` already read, has the day)."""
    known = fee_tables is not None and day in fee_tables
    table = fee_tables[day] if known else fee_table_on(day)
    return FeeReference(table=table, unit_prices=unit_prices_on(day))


def unit_price_on(grade, day):
    """The unit price of a regional grade in force on ``day``, or None."""
    from clients.models import RegionalUnitPrice

    row = (
        RegionalUnitPrice.objects.filter(grade=grade, effective_from__lte=day)
        .order_by("-effective_from")
        .values_list("effective_from", "yen_per_unit", "verified")
        .first()
    )
    return None if row is None else UnitPrice(grade, *row)


# ---------------------------------------------------------------------------------------------
# One office in one month


@dataclass(frozen=True)
class MonthlyFee:
    """The basic fee of one person-month in ``month``: the tier of the office's rate for the
    fiscal year the month belongs to, from the table in force on the month's first day."""

    month: Month
    fiscal_year: int
    table: FeeTableRows | None
    tier: Tier | None
    unit_price: UnitPrice | None

    @property
    def yen(self):
        if self.tier is None or self.unit_price is None:
            return None
        return yen(self.tier.units, self.unit_price.yen_per_unit)

    @property
    def verified(self):
        return bool(
            self.table and self.table.verified and self.unit_price and self.unit_price.verified
        )

    @property
    def unverified(self):
        """The values in use that are not verified, named (``unverified_names``)."""
        return unverified_names(table=self.table, unit_price=self.unit_price)


def grade_label(grade):
    """The regional grade's label (1級地 … その他)."""
    from offices.models import RegionalGrade

    return dict(RegionalGrade.choices).get(grade, grade)


def missing_unit_price_message(grade):
    """What every yen figure says instead of an amount when the office's grade has no unit
    price: what is missing and who enters it."""
    from django.utils.translation import gettext as _

    return _(
        "No yen: the unit price of %(grade)s for this service is not on record. An administrator "
        "enters it from 告示第539号 (admin: regional unit prices)."
    ) % {"grade": grade_label(grade)}


def unverified_names(*, table, unit_price):
    """Each of the fee table and the unit price in use that has not been checked against its
    source, named for the page ("the fee table in force from 2024-04-01")."""
    from django.utils.translation import gettext as _

    names = []
    if table is not None and not table.verified:
        names.append(
            _("the fee table in force from %(date)s") % {"date": display_date(table.effective_from)}
        )
    if unit_price is not None and not unit_price.verified:
        names.append(_("the unit price of %(grade)s") % {"grade": grade_label(unit_price.grade)})
    return names


def monthly_fee(*, rate, month, table, unit_price):
    """The fee of one person-month in ``month`` from plain values (``rate`` is the office's
    rate for the fiscal year of ``month``; ``table`` the table in force on its first day)."""
    return MonthlyFee(
        month=month,
        fiscal_year=fiscal_year_of(month.first_day),
        table=table,
        tier=tier_for(rate, table),
        unit_price=unit_price,
    )


@dataclass(frozen=True)
class FeeOutlook:
    """What an office's rate means in money in one month, and how far it is from the
    neighbouring tiers: the what-if a manager can act on."""

    retention: object  # clients.retention.RetentionResult
    fee: MonthlyFee
    distance: TierDistance


def fee_outlooks(results, *, month, reference=None):
    """One FeeOutlook per retention result (each result's rate must be that of the fiscal year
    ``month`` belongs to), in two queries whatever the number of offices (none when given the
    month's ``fee_reference_on``)."""
    reference = reference or fee_reference_on(month.first_day)
    table, prices = reference.table, reference.unit_prices
    outlooks = []
    for result in results:
        if result.fiscal_year != fiscal_year_of(month.first_day):
            raise ValueError(f"{month} does not belong to fiscal year {result.fiscal_year}")
        price = prices.get(result.office.regional_grade) if result.office else None
        fee = monthly_fee(rate=result.rate, month=month, table=table, unit_price=price)
        distance = tier_distance(
            retained=result.retained,
            users=result.users,
            table=table,
            unit_price=None if price is None else price.yen_per_unit,
        )
        outlooks.append(FeeOutlook(retention=result, fee=fee, distance=distance))
    return outlooks
