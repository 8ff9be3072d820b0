"""What money and counts share: reading a number-with-hedges match into values,
and telling a number from a numeral character inside a word."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import regex

from .. import ruleset
from ..dictionary import in_dictionary
from ..ruleset import group
from ..segment import Segmented, segment
from .numbers import (CN_DIGITS, CN_UNITS, HALF, holds_a_larger_multiplier, multiplier, parse_number, parse_vague,
                      trailing_multipliers)

_CHINESE_NUMERAL = set(CN_DIGITS + CN_UNITS + "半")
_FINANCIAL = set("壹贰叁肆伍陆柒捌玖拾")  # the numerals of cheques and contracts
_DIGIT_BY_DIGIT = regex.compile(f"[{CN_DIGITS}]{{2,}}")  # 二〇二五, 二一: a year or a code, spelt digit by digit
_DECIMAL_DIGITS = "0123456789零一二三四五六七八九"  # a digit's value is its index modulo 10
_COUNTING_TAGS = {"m", "q", "mq", "n"}  # jieba's numeral, classifier and plain noun words, which may hold a count
_COMMON_NOUN = {"n", "nz"}  # jieba's tags of common nouns


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    value_max: Decimal | None
    approx: bool


def read_quantity(match: regex.Match, hedged: bool = True) -> Quantity | None:
    """The value of a match with groups num, mult_low, num_max, mult, half and hedges.

    A multiplier written once after a range applies to both ends (3至5万元, 十八至三十万,
    两到三千万), unless the low end would then pass the high one (从8500到3万: 8500;
    七千到九千亿: 七千亿), or the low end has its own unit (group unit_low: 3000元至1万元); a
    range that runs downwards (2014-2班, 15-3班) is a code, no quantity. A vague pair
    (三五百, 七八千万) is a range of its own and approximate. `half` is a 半 after
    the unit (三斤半: 3.5), `decimals` digits after it (1米85: 1.85). Without `num` the match is a bare multiplier (近亿元: 10^8).
    A number of a list without a multiplier may take the one written once after the list's
    last number (groups list_last, list_mult).
    `hedged=False` reads the match without its hedge before the number.
    """
    groups = ruleset.groupdict(match)  # one call for the dozen groups read below
    mult = groups.get("mult")
    mult_low = groups.get("mult_low")
    number = groups.get("num")
    if number and mult and not groups.get("num_max") and holds_a_larger_multiplier(number, mult):
        number, mult = number + mult, None  # 二亿三千多万: the 万 is the 三千's (2亿 + 3千万), read as written
    vague = parse_vague(number) if number else None
    if vague:
        value, value_max = vague
    elif number and _DIGIT_BY_DIGIT.fullmatch(number):
        return None  # no quantity is spelt digit by digit (三块|二一斤 is 三块二, 一斤)
    else:
        value = parse_number(number) if number else Decimal(1)
        value_max = None
    if value is None:
        return None
    if groups.get("num_max"):
        value_max = parse_number(groups["num_max"])
        if value_max is None:
            return None
        if mult:
            value_max *= multiplier(mult)
        if mult_low:
            value *= multiplier(mult_low)
        elif not groups.get("unit_low"):  # the longest multiplier of the high end that keeps the low end below it
            shared = trailing_multipliers(groups["num_max"] + (mult or ""))
            value *= next((multiplier(m) for m in shared if value * multiplier(m) <= value_max), 1)
    else:
        written = [m for m in (mult_low, mult) if m]
        if not written and groups.get("list_last"):  # 3、4万元: the multiplier written once, after the list
            shared = _list_multiplier(value, groups["list_last"] + (groups.get("list_mult") or ""))
            written = [shared] if shared else []
        for each in written:
            value *= multiplier(each)
            if value_max is not None:
                value_max *= multiplier(each)
    if value_max is not None and number and number.startswith("零下") and value_max > 0:
        value_max = -value_max  # 零下10—30摄氏度: 零下 is both ends' (a sign, -10~30, is the first end's alone)
    if value_max is not None and value_max < value < 0:
        value, value_max = value_max, value  # 零下5至零下10度: a range of cold runs from the warmer end
    if value_max is not None and value_max < value:
        return None  # 2014-2班, 15-3班, 渤中19—6: a code or a name's numbering, no range runs downwards
    if groups.get("decimals"):  # 1米85, 一米七五: the digits after the unit are its decimals
        value += Decimal("0." + "".join(str(_DECIMAL_DIGITS.index(d) % 10) for d in groups["decimals"]))
    if groups.get("half"):  # after the unit, so of the end it follows: 三到五斤半 is 3 to 5.5
        if value_max is None:
            value += HALF
        else:
            value_max += HALF
    hedges = ("pre", "mid", "mid2", "post") if hedged else ("mid", "mid2", "post")
    approx = bool(vague) or any(groups.get(name) for name in hedges)
    return Quantity(value, value_max, approx)


def _list_multiplier(value: Decimal, last: str) -> str | None:
    """The multiplier that a number of a list, written without one, shares with the list's
    `last` number (3、4万元, 三、四万元, 800、1200万元, 两、三千人, 2、三千万元: 千万): of those
    that close the last number, the one that brings the number nearest to it in orders of
    magnitude, if it does so nearer than none does (5000、2万元: 5000 yuan)."""
    last_value = parse_number(last)
    if last_value is None or last_value <= 0 or value <= 0:
        return None

    def distance(factor: Decimal) -> Decimal:
        return abs((value * factor / last_value).ln())

    nearest = min(trailing_multipliers(last), key=lambda m: distance(multiplier(m)), default=None)
    return nearest if nearest and distance(multiplier(nearest)) < distance(Decimal(1)) else None


def inside_word(segmented: Segmented, match: regex.Match) -> bool:
    """True when the match's numeral is a character of a word (三门峡, 登陆部队, 三元里).

    jieba's dictionary knows the words that hold numeral characters. A Chinese numeral
    starts no number inside a dictionary word that begins before it and holds the
    whole match (铁板一块, 老两口) or names something or is an idiom (正月十五元宵节); a
    lone financial numeral (陆, 伍, 拾) none inside or at the start of any word (内陆队,
    拾起), nor where it begins a person's name that jieba found (陆升勋, whatever jieba cut of it). A match ends no number inside a dictionary word that
    holds its number and names something (三门峡市, 四通八达). Words jieba's unknown-word
    model made up (两人扮) and its person names (花四) are guesses, not words; numeral,
    classifier and noun words (三十两, 两间房, 每斤两元: 斤两) may hold a count, unless
    their unit begins a word of their own (一把手, 五星级, 三角形: 把手, 星级, 角形)
    other than the dictionary's phrase of a classifier and a noun (两辆车, 十道菜: 辆车,
    道菜, whose rest is a noun), and a word that begins with the unit is the next word (3个人, 1美元兑)
    unless what it holds after the unit is no word (71集团军).
    Nor does it end with a numeral of tenths that begins a word (一块五花肉, 12块一斤, 一块一块).
    """
    start = match.start("num") if group(match, "num") else match.start()
    end = match.end()
    if segmented.text[start] in _CHINESE_NUMERAL:
        first = segmented.token_at(start)
        lone_financial = group(match, "num") in _FINANCIAL
        if first.idx == start and first.tag.startswith("nr") and (first.end > end or lone_financial):
            return True  # 陆升勋, 陆克文: a surname that is a numeral (jieba also names 夫妻二人's 二人)
        begins_word = first.idx == start and first.end > start + 1  # 拾起: a financial numeral beginning a word
        if ((first.idx < start or (lone_financial and begins_word)) and in_dictionary(first.text)
                and not first.tag.startswith("nr")
                and (first.end >= end or first.tag not in _COUNTING_TAGS or lone_financial)):
            return True
    last = segmented.token_at(end - 1)
    if last.end <= end:
        return False  # the match ends where a word does: none runs on past it
    tenths = next((name for name in ("jiao", "fen") if group(match, name) and match.end(name) == end), None)
    if tenths and last.idx == match.start(tenths) and in_dictionary(last.text):
        return True  # 一块|五花肉, 12块|一斤, 一块|一块: the tenths' numeral begins a word
    unit = next((name for name in ("unit", "cur", "sym") if group(match, name)), None)
    unit_start = match.start(unit) if unit else end
    if last.idx == unit_start and in_dictionary(last.text) and not in_dictionary(segmented.text[end:last.end]):
        return True  # 71|集团军: the unit begins a word whose rest is none (3个|人 is a count and a noun)
    if last.idx < unit_start and in_dictionary(last.text):  # the number's word holds the unit and runs past it
        # 五星级: the unit begins a word of its own; 两辆车, 十道菜, 两首歌: the dictionary
        # holds a classifier and its noun as one word (辆车, 道菜), as it holds the phrase
        return last.tag not in _COUNTING_TAGS or (in_dictionary(segmented.text[unit_start:last.end])
                                                  and not noun_word(segmented.text[end:last.end]))
    return False


def noun_word(text: str) -> bool:
    """Whether `text` is one common noun of jieba's dictionary (床, 飞机; not 民, a bound
    morpheme, nor 口, a classifier), or a single character it tags with its catch-all zg
    (车 of 辆车, 村, 井)."""
    words = segment(text).tokens
    return len(words) == 1 and (words[0].tag in _COMMON_NOUN or (words[0].tag == "zg" and len(text) == 1))


_HEDGE_REACH = 7  # characters before a number a hedge apart from it may stand in (最高|可|获得奖励|50万元)


@ruleset.cached
def _hedge_apart() -> regex.Pattern:
    return regex.compile(ruleset.expand(r"(?:(?:{BOUNDS_BEFORE_VERB})(?:{MODALS})\p{Han}{0,4}|(?<![最附邻靠临贴])(?:{PRE})每\p{Han}{1,3})$"))


def hedged_apart(text: str, number_start: int) -> bool:
    """Whether a hedge stands before the number at `number_start` with words between: a bound
    and a modal verb, with at most the verb they go with (最多可容纳500人, 单户最高可贷30万元,
    至少需要500人; quantities.yaml: BOUNDS_BEFORE_VERB, MODALS), or a hedge before a rate's 每
    (约为每小时92公里; not 最近每天, where 近 is no hedge). The number is as approximate as
    最多500人 or 约92公里.

    >>> hedged_apart("最多可容纳500人", 5), hedged_apart("约为每小时92公里", 5), hedged_apart("最高气温38度", 4)
    (True, True, False)
    """
    return _hedge_apart().search(text, max(number_start - _HEDGE_REACH, 0), number_start) is not None


@ruleset.cached
def one_character_hedges() -> str:
    """The hedges of one character (约, 近, 逾: quantities.yaml's PRE), as one string."""
    return "".join(word for word in ruleset.read_yaml("quantities.yaml")["PRE"] if len(word) == 1)


@ruleset.cached
def _not_hedges() -> tuple[str, ...]:
    return tuple(ruleset.read_yaml("quantities.yaml")["NOT_HEDGE"])


def mention_start(text: str, match: regex.Match) -> int | None:
    """Where the mention starts: at the hedge, unless the hedge is a character of a
    word that is none (附近一处, 特约两位: no hedge), then at the number; None when no
    number is left (成千上万名)."""
    if not group(match, "pre"):
        return match.start()
    at = match.start("pre")
    for word in _not_hedges():
        found = text.find(word, max(at - len(word) + 1, 0), at + len(word))
        if found != -1 and found <= at < found + len(word):
            return match.start("num") if group(match, "num") else None
    return match.start()
