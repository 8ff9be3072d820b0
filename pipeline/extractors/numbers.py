"""The one number parser: Arabic, Chinese and mixed numerals with 万/亿 multipliers.

Arabic digits and their multipliers are parsed here, exactly, as `Decimal`s;
Chinese numerals (一千八百, 两万, 零点五, 二〇二五, 壹佰) go to cn2an, whose
results are turned into `Decimal` through their string form. Fractions (四分之一)
and negatives (负13.5) are read here around either. A vague pair of neighbouring
digits (三五百, 七八千万, 十七八) is no one number: `parse_vague` gives its two ends.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an
import regex

CN_DIGITS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
CN_UNITS = "十百千万亿拾佰仟"
_COMMON_DIGITS, _FINANCIAL = "零〇一二两三四五六七八九", "壹贰叁肆伍陆柒捌玖拾佰仟"
_FACTORS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10 ** 4, "亿": 10 ** 8,
            "个": 1, "k": 1000, "K": 1000, "w": 10 ** 4, "W": 10 ** 4}  # 两个亿; the web's 3k, 5w
_TRILLION = Decimal(10) ** 12
_DIGIT_VALUES = {"一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5,
                 "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}

# Pieces for the rule files (see ruleset.placeholders): {NUM} is any numeral, {MULT} a multiplier.
# Thousands are grouped by commas, three digits a group. A full-width comma, which
# also separates the items of a list (20，300元), groups them only in a number with
# decimals or with more than one group (41，380.50, 233,333，333,434). Older papers and their
# PDFs write the decimal point as a middle dot (1·29万亩, 8·65亿美元; “9·29”案件 names a day).
ARABIC = (r"(?:\d{1,3}(?:[,，]\d{3}(?!\d)){2,}(?:\.\d+)?|\d{1,3}，\d{3}(?!\d)\.\d+"
          r"|\d{1,3},\d{3}(?!\d)(?:\.\d+)?|\d+(?:[.·]\d+)?)")
CHINESE = rf"[{CN_DIGITS}十拾][{CN_DIGITS}{CN_UNITS}]*(?:点[{CN_DIGITS}]+)?|[{CN_DIGITS}]点[{CN_DIGITS}]+"
# 四分之一, 3分之2, with a whole number before 又 (一又二分之一, 2又3分之1); 百分之 is a percentage,
# which no count or amount is
_WHOLE = rf"(?:\d+|[{CN_DIGITS}十拾][{CN_DIGITS}{CN_UNITS}]*)"
FRACTION = rf"(?:{_WHOLE}又)?{_WHOLE}分之(?:{ARABIC}|{CHINESE})"
# digits with Chinese multipliers between them (1万2千, 3亿5千万), as speech and Hong Kong and Taiwan papers write,
# the digits grouped by commas too (356亿5,000万, 新台币2,930亿4,500万)
_DIGIT_GROUP = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
MIXED = rf"{_DIGIT_GROUP}(?:[亿万千百]{_DIGIT_GROUP})+(?:[千百十]万?|万)?"
NUM = rf"(?:{MIXED}|{FRACTION}|{ARABIC}|{CHINESE})"
# stacked multipliers multiply: 千万 = 10^7, 万亿 = 10^12, 千万亿 = 10^15; speech counts
# hundreds of millions with a classifier (两个亿, 十几个亿, 两个多亿: its 个 alone, the hedge between);
# the web writes thousands and ten thousands as k and w (3k元, 年薪50w元, 10~15k元)
BARE_MULT = r"(?:[十百千拾佰仟]?万?亿|[十百千拾佰仟]?万|[千仟]|[百佰])"  # one standing for a number (上万元, 千余元)
MULT = rf"(?:{BARE_MULT}|个(?:亿|(?=[多余几来]亿))|(?<=\d)[kKwW](?![A-Za-z]))"
# an amount of money in trillions, as Taiwan and Japan write it (1.07兆元, 1兆2000亿元,
# 四十九兆九千五百九十二亿元); 兆 is a trillion only in money (50兆瓦 is megawatts)
TRILLIONS = rf"(?:(?:{ARABIC}|{CHINESE})兆(?:{NUM}(?:{MULT})?)?|{NUM})"
# {START}: a number starts here, not inside another number (四十九兆九千...) or a code (K12, A4),
# and is no serial number: a quantity never starts with a 0 before another digit (08088期, 007号)
# nor after digits or letters and a hyphen (0536-5298917, a telephone number; RS-12M, a model), nor
# after a letter or a whole number and a slash (1/3人, the denominator of a fraction; 2019/2020): after
# a decimal it is the next of a list (净利润分别为12.3/15.6/18.9亿元, EPS 1.05/1.32元),
# nor after a digit and a space: the tail of a number a PDF spaced out digit by digit (全长1 2 0公里 is no 0公里),
# nor after a lone letter and a space, a code a PDF set apart in its Latin font (K 4366次, a train).
# An Arabic digit may follow a financial numeral, which never joins one: it ends a word there
# (救援队伍126支, 登陆3次).
# Its first character, a digit, a numeral or a sign, is looked at first: the engine then leaves
# every other place of a text at once, before the look-behinds (counts.number_unit: 14% less)
START = (rf"(?=[\d{CN_DIGITS}十拾负\-－−])(?<![\d.·,A-Za-z{_COMMON_DIGITS}十百千万亿兆])(?:(?=\d)|(?<![{_FINANCIAL}]))"
         rf"(?<![\dA-Za-z][-－])(?<![A-Za-z][/／])(?<!(?<!\.\d*)\d[/／])(?<!\d[ \t\u00a0])"
         rf"(?<!(?<![A-Za-z])[A-Za-z][ \t\u00a0])(?!0\d)")
# every character a number ({NUM}, {MULT}) consumes, as members of a character class: a rule
# looks past them for its unit or currency (tests/test_rules.py checks them against NUM)
NUMBER_CHARS = rf"\d{CN_DIGITS}{CN_UNITS}个多余几来kKwW点分之又,，.·"  # 多余几来: read by MULT's 两个多亿
PLACEHOLDERS = {"NUM": NUM, "MULT": MULT, "BARE_MULT": BARE_MULT, "ARABIC": ARABIC, "CHINESE": CHINESE, "START": START,
                "TRILLIONS": TRILLIONS, "NUMBER_CHARS": NUMBER_CHARS}

HALF = Decimal("0.5")
_ARABIC_WITH_MULT = regex.compile(rf"^(?P<num>{ARABIC})(?P<mult>{MULT})?$")
_FRACTION = regex.compile(r"^(?P<denominator>.+)分之(?P<numerator>.+)$")
_NEGATIVE = regex.compile(r"^(?:负|零下|-|－|−)")
_VAGUE = regex.compile(rf"^(?P<head>[{CN_DIGITS}{CN_UNITS}]*[十拾百佰千仟万])?(?P<low>[一二两三四五六七八九])"
                       rf"(?P<high>[二两三四五六七八九])(?P<tail>[{CN_UNITS}]*)$")
_SHARED_MULT = regex.compile(r"[kKwW]|个亿|[百佰千仟]?万?亿|[百佰千仟]?万|[千仟]|[百佰]")
_THOUSANDS = regex.compile("[,，]")
_ONE_DIGIT = regex.compile(rf"\d+(?:\.\d+)?|[{CN_DIGITS}]")


def multiplier(text: str) -> Decimal:
    """The value of a (stacked) multiplier.

    >>> multiplier("万"), multiplier("千万"), multiplier("万亿"), multiplier("千万亿"), multiplier("个亿")
    (Decimal('10000'), Decimal('10000000'), Decimal('1000000000000'), Decimal('1000000000000000'), Decimal('100000000'))
    """
    value = Decimal(1)
    for character in text:
        value *= _FACTORS[character]
    return value


def holds_a_larger_multiplier(number: str, mult: str) -> bool:
    """Whether a multiplier character inside `number` is larger than `mult`: the multiplier
    written after it is then its last part's (二亿三千 before 万: 2亿 and 3千万).

    >>> holds_a_larger_multiplier("二亿三千", "万"), holds_a_larger_multiplier("三千", "万")
    (True, False)
    """
    if not all(character in _FACTORS for character in mult):
        return False  # 个亿, k, w
    size = multiplier(mult)
    return any(_FACTORS.get(character, 0) > size for character in number)


@lru_cache(maxsize=1 << 16)  # news repeats its numerals; cn2an costs some 50 µs a call
def parse_number(text: str) -> Decimal | None:
    """A numeral, with any trailing multiplier, as an exact Decimal.

    >>> parse_number("1802.5亿"), parse_number("1,200"), parse_number("1.15万")
    (Decimal('180250000000.0'), Decimal('1200'), Decimal('11500.00'))
    >>> parse_number("一千八百亿"), parse_number("两万"), parse_number("零点五")
    (Decimal('180000000000'), Decimal('20000'), Decimal('0.5'))
    >>> parse_number("41，380.50"), parse_number("3千万亿"), parse_number("四分之一"), parse_number("负13.5")
    (Decimal('41380.50'), Decimal('3000000000000000'), Decimal('0.25'), Decimal('-13.5'))
    >>> parse_number("一又二分之一"), parse_number("2又3分之1") == 2 + Decimal(1) / 3
    (Decimal('1.5'), True)
    >>> parse_number("半"), parse_number("1.07兆"), parse_number("1兆2000亿"), parse_number("356亿5,000万")
    (Decimal('0.5'), Decimal('1070000000000.00'), Decimal('1200000000000'), Decimal('35650000000'))
    >>> parse_number("1·29万"), parse_number("四万万七千五百万"), parse_number("一百零十万三千")
    (Decimal('12900.00'), Decimal('475000000'), Decimal('1103000'))
    >>> parse_number("若干") is None, parse_number("三五百") is None
    (True, True)
    """
    text = text.strip().replace(" ", "").replace("·", ".").replace("万万", "亿")  # 四万万: older papers' 亿
    # a 零 right between 百 and 十 skips no place (一百零十万: 110万), as in 一千零十 it skips the hundreds
    text = text.replace("百零十", "百一十")
    if text == "半":
        return HALF
    trillions, in_trillions, rest = text.partition("兆")
    if in_trillions:  # Taiwan's and Japan's trillion, in money
        high, low = parse_number(trillions), parse_number(rest) if rest else Decimal(0)
        return high * _TRILLION + low if high is not None and low is not None else None
    negative = _NEGATIVE.match(text)
    if negative:
        value = parse_number(text[negative.end():])
        return -value if value is not None else None
    whole, mixed, fraction_part = text.partition("又")
    if mixed and "分之" in fraction_part:  # 一又二分之一
        value, fraction_value = parse_number(whole), parse_number(fraction_part)
        return value + fraction_value if value is not None and fraction_value is not None else None
    fraction = _FRACTION.match(text)
    if fraction:
        denominator, numerator = parse_number(fraction["denominator"]), parse_number(fraction["numerator"])
        return numerator / denominator if numerator is not None and denominator else None
    if not text or _VAGUE.match(text):
        return None
    match = _ARABIC_WITH_MULT.match(text)
    if match:
        try:
            value = Decimal(_THOUSANDS.sub("", match["num"]))
        except InvalidOperation:  # a digit of a script newer than Python's Unicode tables (𞓰, Nag Mundari)
            return None
        return value * multiplier(match["mult"]) if match["mult"] else value
    try:
        value = cn2an.cn2an(_THOUSANDS.sub("", text), "smart")  # 356亿5,000万: the groups' commas go
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@lru_cache(maxsize=1 << 16)  # called on every number a rule reads
def parse_vague(text: str) -> tuple[Decimal, Decimal] | None:
    """The two ends of a vague pair of neighbouring digits (三五 is the one usual skip).

    >>> parse_vague("三五百"), parse_vague("七八千万")
    ((Decimal('300'), Decimal('500')), (Decimal('70000000'), Decimal('80000000')))
    >>> parse_vague("十七八")
    (Decimal('17'), Decimal('18'))
    >>> parse_vague("三百") is None, parse_vague("二五") is None
    (True, True)
    """
    match = _VAGUE.match(text.strip())
    if not match:
        return None
    low, high = _DIGIT_VALUES[match["low"]], _DIGIT_VALUES[match["high"]]
    if not (high == low + 1 or (low, high) == (3, 5)):
        return None
    head, tail = match["head"] or "", match["tail"]
    low_value, high_value = parse_number(head + match["low"] + tail), parse_number(head + match["high"] + tail)
    return (low_value, high_value) if low_value is not None and high_value is not None else None


def trailing_multipliers(text: str) -> list[str]:
    """The multipliers that close a numeral, longest first: what the low end of a
    range may share with it. 万 and 亿 close a group of digits (三十万, 九千亿); 百 and
    千 only a single digit (三千, not 三千两百).

    >>> trailing_multipliers("三千万"), trailing_multipliers("九千亿"), trailing_multipliers("3万")
    (['千万', '万'], ['千亿', '亿'], ['万'])
    >>> trailing_multipliers("三千两百"), trailing_multipliers("三十"), trailing_multipliers("30")
    ([], [], [])
    """
    found = []
    for size in range(len(text) - 1, 0, -1):
        base, mult = text[:-size], text[-size:]
        if (_SHARED_MULT.fullmatch(mult) and (mult[-1] in "万亿" or _ONE_DIGIT.fullmatch(base))
                and parse_number(base) is not None):
            found.append(mult)
    return found
