"""Money: amounts with a currency, in base units of that currency (rules/money.yaml)."""
from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal

import regex

from .. import ruleset
from ..dictionary import in_dictionary
from ..segment import Segmented
from ..types import Mention
from . import Context
from .numbers import parse_number
from .quantity import hedged_apart, inside_word, mention_start, read_quantity

_HUNDREDTH = Decimal("0.01")
_SUB_UNITS = (("jiao", Decimal("0.1")), ("fen", _HUNDREDTH))  # 角 (毛) and 分 of a yuan
_BARE_YUAN = ("元", "圆", "")  # a yuan word that names no country's currency, or none written


@ruleset.cached
def _table() -> dict:
    currencies = ruleset.read_yaml("currencies.yaml")
    return {"rules": ruleset.load("money.yaml"), "words": currencies["words"], "hundredths": currencies["hundredths"],
            "symbols": currencies["symbols"], "own_words": frozenset(currencies["own_words"]),
            "carried_by_yuan": frozenset(currencies["carried_by_yuan"]),
            "renminbi_words": tuple(currencies["renminbi_words"]),
            "size_class_nouns": tuple(ruleset.read_yaml("money.yaml")["size_class_nouns"])}


def _resolve(match: regex.Match, table: dict, hedged: bool) -> dict | None:
    groups = ruleset.groupdict(match)
    if groups.get("num") or groups.get("mult"):
        quantity = read_quantity(match, hedged)
        if quantity is None:
            return None
        amount, amount_max, approx = quantity.value, quantity.value_max, quantity.approx
    else:  # 两毛五: tenths and hundredths alone
        amount, amount_max, approx = Decimal(0), None, hedged and bool(groups.get("pre"))
    for part, unit in _SUB_UNITS:
        if groups.get(part):
            digits = parse_number(groups[part])
            if digits is None:
                return None
            amount += digits * unit
        if groups.get(f"{part}_max"):  # 五毛到八毛
            digits = parse_number(groups[f"{part}_max"])
            if digits is None:
                return None
            amount_max = (amount_max or Decimal(0)) + digits * unit
    word = groups.get("cur_after") or groups.get("cur") or ""
    if word in table["hundredths"]:  # 50美分: half a dollar
        amount *= _HUNDREDTH
        if amount_max is not None:
            amount_max *= _HUNDREDTH
    currency = (table["words"].get(word) or table["hundredths"].get(word)
                or table["symbols"].get(groups.get("sym") or "") or "CNY")
    if word in _BARE_YUAN and not groups.get("sym"):
        currency = ""  # the sentence's currency: `extract` fills it in
    return {"amount": amount, "amount_max": amount_max, "currency": currency, "approx": approx}


def _word_begun(segmented: Segmented, match: regex.Match, own_words: frozenset[str]) -> bool:
    """Whether the match's currency is one of `own_words` and runs on into a word of jieba's
    dictionary (欧洲, 蚊子; not 欧一晚, a guess of its unknown-word model)."""
    if ruleset.groupdict(match).get("cur") not in own_words:
        return False
    token = segmented.token_at(match.end("cur") - 1)
    return token.end > match.end("cur") and in_dictionary(token.text)


def extract(segmented: Segmented, context: Context) -> list[Mention]:
    table = _table()
    found = []  # (start, match, rule, values) of each amount, its currency "" where it says a bare 元
    for rule, match in ruleset.find_longest(table["rules"], segmented.text):
        start = mention_start(segmented.text, match)
        if start is None or inside_word(segmented, match) or _word_begun(segmented, match, table["own_words"]):
            continue  # 三元里, 五角大楼: a numeral character of a word; 27欧盟: a word the currency begins
        if (ruleset.group(match, "post") or "").endswith("以上") and segmented.text.startswith(
                table["size_class_nouns"], match.end() + segmented.text.startswith("的", match.end())):
            continue  # 10亿元以上项目, 2000万元以上的企业: a size class
        values = _resolve(match, table, hedged=start == match.start())
        if values is not None:
            values["approx"] = values["approx"] or hedged_apart(segmented.text, start)  # 最高可贷30万元
            found.append((start, match, rule, values))
    default = _article_yuan(segmented.text, context, {values["currency"] for *_, values in found}, table)
    mentions = []
    sentence_starts = [start for start, _ in segmented.sentences]
    carried, sentence = default, -1  # the currency a bare 元 is of in the sentence it was named in
    for start, match, rule, values in found:
        if (this_sentence := bisect_right(sentence_starts, start) - 1) != sentence:
            carried, sentence = default, this_sentence
        if not values["currency"]:
            values["currency"] = carried
        elif values["currency"] in table["carried_by_yuan"] or values["currency"] == "CNY":
            carried = values["currency"]  # 人民币 names the yuan again
        mentions.append(Mention("money", segmented.text[start:match.end()], start, match.end(), rule.id, values))
    return mentions


def _article_yuan(text: str, context: Context, named: set[str], table: dict) -> str:
    """The currency a bare 元 is of where its sentence names none: in an article written in
    traditional script (a paper of Hong Kong, Macao or Taiwan) that names one currency of
    theirs and never the renminbi, theirs (施政报告……每人发放5000元, after 港元 in another
    sentence); else the yuan."""
    local = named & table["carried_by_yuan"]
    if context.script in ("traditional", "mixed") and len(local) == 1 and "CNY" not in named \
            and not any(word in text for word in table["renminbi_words"]):
        return next(iter(local))
    return "CNY"
