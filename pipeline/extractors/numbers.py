"""The one number parser: Arabic, Chinese and mixed numerals with 万/亿 multipliers.

Arabic digits and their multipliers are parsed here, exactly, as `Decimal`s;
Chinese numerals (一千八百, 两万, 零点五, 二〇二五, 壹佰) go to cn2an, whose
results are turned into `Decimal` through their string form.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import cn2an
import regex

CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
CN_UNITS = "十百千万亿拾佰仟"
MULTIPLIERS = {"万亿": Decimal(10) ** 12, "千亿": Decimal(10) ** 11, "百亿": Decimal(10) ** 10,
               "十亿": Decimal(10) ** 9, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
               "十万": Decimal(10) ** 5, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
               "千": Decimal(1000), "百": Decimal(100), "十": Decimal(10)}

# Pieces for the rule files (see ruleset.placeholders): {NUM} is any numeral, {MULT} a multiplier.
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
CHINESE = rf"[{CN_DIGITS}十拾][{CN_DIGITS}{CN_UNITS}]*(?:点[{CN_DIGITS}]+)?|[{CN_DIGITS}]点[{CN_DIGITS}]+"
NUM = rf"(?:{ARABIC}|{CHINESE})"
MULT = r"(?:万亿|千亿|百亿|十亿|千万|百万|十万|亿|万|千|百)"
PLACEHOLDERS = {"NUM": NUM, "MULT": MULT, "ARABIC": ARABIC, "CHINESE": CHINESE}

_ARABIC_WITH_MULT = regex.compile(rf"^(?P<num>{ARABIC})(?P<mult>{MULT})?$")


def parse_number(text: str) -> Decimal | None:
    """A numeral, with any trailing multiplier, as an exact Decimal.

    >>> parse_number("1802.5亿"), parse_number("1,200"), parse_number("1.15万")
    (Decimal('180250000000.0'), Decimal('1200'), Decimal('11500.00'))
    >>> parse_number("一千八百亿"), parse_number("两万"), parse_number("零点五")
    (Decimal('180000000000'), Decimal('20000'), Decimal('0.5'))
    >>> parse_number("若干") is None
    True
    """
    text = text.strip().replace(" ", "")
    if not text:
        return None
    match = _ARABIC_WITH_MULT.match(text)
    if match:
        value = Decimal(match["num"].replace(",", ""))
        return value * MULTIPLIERS[match["mult"]] if match["mult"] else value
    mult = next((m for m in MULTIPLIERS if text.endswith(m) and len(text) > len(m)
                 and regex.fullmatch(ARABIC, text[: -len(m)])), None)
    if mult:
        return Decimal(text[: -len(mult)].replace(",", "")) * MULTIPLIERS[mult]
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
