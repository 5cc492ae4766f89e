"""Percentage rounding: the one rule every report, page and export uses; progress bars' whole
percentages (``progress_percent``).

Half-up to one decimal (31.35 → 31.4), computed on exact fractions so that binary floating point
never tips a boundary case.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_half_up(value, places=1):
    """Round a number (int, Fraction, Decimal or str) half-up to ``places`` decimals."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    quantum = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(part, whole, places=1):
    """``part`` as a percentage of ``whole``, rounded half-up; 0 when ``whole`` is 0."""
    if not whole:
        return round_half_up(0, places)
    return round_half_up(Fraction(part * 100, whole), places)


def progress_percent(done, total, *, empty=0):
    """How far a job or a task list has come, as a whole percentage rounded down (a progress bar
    shows 100 only when everything is done); ``empty`` when there is nothing to count."""
    if not total:
        return empty
    return done * 100 // total


def as_json_number(value):
    """A rounded Decimal as a JSON-friendly float (31.4, not "31.4")."""
    return float(value)
