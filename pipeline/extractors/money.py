"""Money: amounts with a currency, in base units of that currency (rules/money.yaml)."""
from __future__ import annotations

from decimal import Decimal

import regex

from .. import ruleset
from ..segment import Segmented
from ..types import Mention
from . import Context
from .numbers import parse_number
from .quantity import read_quantity

_TENTH = Decimal("0.1")
_HUNDREDTH = Decimal("0.01")


def _currencies() -> tuple[dict[str, str], dict[str, str]]:
    table = ruleset.read_yaml("currencies.yaml")
    return table["words"], table["symbols"]


def _resolve(match: regex.Match, words: dict[str, str], symbols: dict[str, str]) -> dict | None:
    groups = match.groupdict()
    if groups.get("unit"):  # 两毛五: tenths and hundredths of a yuan
        tenths, hundredths = parse_number(groups["num"]), parse_number(groups["fen"] or "0")
        if tenths is None or hundredths is None:
            return None
        return {"amount": tenths * _TENTH + hundredths * _HUNDREDTH, "amount_max": None,
                "currency": "CNY", "approx": False}
    quantity = read_quantity(match)
    if quantity is None:
        return None
    amount = quantity.value
    for part, unit in (("jiao", _TENTH), ("fen", _HUNDREDTH)):  # 三块五, 3元5角8分
        if groups.get(part):
            digits = parse_number(groups[part])
            if digits is None:
                return None
            amount += digits * unit
    currency = words.get(groups.get("cur") or "") or symbols.get(groups.get("sym") or "") or "CNY"
    return {"amount": amount, "amount_max": quantity.value_max, "currency": currency, "approx": quantity.approx}


def extract(segmented: Segmented, context: Context) -> list[Mention]:
    words, symbols = _currencies()
    mentions = []
    for rule, match in ruleset.find_longest(ruleset.load("money.yaml"), segmented.text):
        values = _resolve(match, words, symbols)
        if values is not None:
            mentions.append(Mention("money", match.group(), match.start(), match.end(), rule.id, values))
    return mentions
