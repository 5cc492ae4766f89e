"""The items a month's figures bill, each by a service code (``billing.models.ServiceCode``).

- a base band: ``base_95`` … ``base_0`` (the fee tier's lower bound, DESIGN 4);
- an addition: its section-4 code (``initial``, ``regional_meeting_1`` …, ``special_area``,
  ``treatment_improvement``);
- a base band with the reductions applied to it, each with the percentage applied:
  ``base_95+no_plan30`` (個別支援計画未作成減算 at 30%), ``base_95+no_plan50+no_handover_system10``.
  How the real code table expresses reductions (separate rows or combined codes) is **not
  verified**; this shape (one combined code per band and reduction set, as the 障害福祉 code
  tables do for other services' reductions) is data the administrator loads: where the table
  has no such code, the file is refused naming the item, never guessed. A master that lists
  the reduction codes as items of their own (DESIGN 5.5's list) imports, and a person-month it
  reduces is refused naming the combined item it lacks.
"""

import re

from billing import rules

BASE_BANDS = (95, 90, 80, 70, 50, 30, 0)
BASE_ITEMS = tuple(f"base_{band}" for band in BASE_BANDS)
TREATMENT_IMPROVEMENT = "treatment_improvement"


def addition_items():
    return tuple(dict.fromkeys((*rules.ADDITION_CODES, TREATMENT_IMPROVEMENT)))


def _item_pattern():
    reductions = "|".join(sorted(map(re.escape, rules.REDUCTION_CODES), key=len, reverse=True))
    return re.compile(rf"base_(?:{'|'.join(map(str, BASE_BANDS))})(?:\+(?:{reductions})\d{{1,3}})*")


def item_is_known(item):
    """Whether ``item`` names something the claim can bill (the ``service_codes`` import's
    check)."""
    item = str(item or "")
    return (
        item in addition_items()
        or item in rules.REDUCTION_CODES  # DESIGN 5.5's list; a master of separate rows loads
        or bool(_item_pattern().fullmatch(item))
    )


def base_item(min_percent):
    """The base band item of a fee tier's lower bound (95 → ``base_95``)."""
    return f"base_{int(min_percent)}"


def combined_item(base, reductions):
    """``base_95+no_plan30``: the base band with each reduction (code → percent, in the order
    they were applied)."""
    return base + "".join(f"+{code}{int(percent)}" for code, percent in reductions)
