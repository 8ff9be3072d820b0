"""What money and counts share: reading a number-with-hedges match into values."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import regex

from .numbers import MULTIPLIERS, parse_number


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    value_max: Decimal | None
    approx: bool


def _group(match: regex.Match, name: str) -> str | None:
    return match.groupdict().get(name)


def read_quantity(match: regex.Match) -> Quantity | None:
    """The value of a match with groups num, mult, mult_low, num_max and hedges.

    A multiplier written once after a range applies to both ends (3至5万元); one
    written after the low end applies to it alone (3万至5万元 repeats it anyway).
    """
    mult = _group(match, "mult")
    mult_low = _group(match, "mult_low") or mult
    number = _group(match, "num")
    value = parse_number(number) if number else Decimal(1)
    if value is None:
        return None
    if mult_low:
        value *= MULTIPLIERS[mult_low]
    value_max = None
    if _group(match, "num_max"):
        value_max = parse_number(match["num_max"])
        if value_max is None:
            return None
        if mult:
            value_max *= MULTIPLIERS[mult]
    approx = any(_group(match, name) for name in ("pre", "mid", "mid2", "post"))
    return Quantity(value, value_max, approx)
