"""Counts and measures: a number with a classifier or unit, and the thing counted (rules/counts.yaml).

The object is the noun phrase right after the unit (728个民生项目, 60米的钻塔), or,
when none follows, the one right before the number (医院60所, 交流互访达528批次),
read off jieba's parts of speech.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

import regex

from .. import ruleset
from ..dictionary import in_dictionary
from ..ruleset import group
from ..segment import Segmented, segment
from ..types import Mention
from . import Context
from .places import places
from .quantity import hedged_apart, inside_word, mention_start, noun_word, one_character_hedges, read_quantity

# jieba's tags for the words of a counted noun phrase; a phrase must hold a noun
# that is not a place name (出访浙江262批次 counts no object)
_NOUN = {"n", "nz", "vn", "nt", "nr", "nrt", "nrfg", "ng", "j", "an", "l", "eng", "s"}
_COMMON_NOUN = {"n", "nz", "ng"}  # jieba's common nouns, which a verb may modify (帮扶对子)
_MULTIPLIERS = regex.compile(r"[十百千万亿多余]+")  # what jieba may read as one word with the unit after it (万手)
_MODIFIER = {"ns", "b", "a", "v", "f"}  # 省级以上荣誉, 帮扶对子, 浙江企业: before or between nouns
_GLUED_FIRST = {"a", "b", "ns", "ng"}  # besides nouns, what may begin the words glued to a unit (52种|慢病)
_ASPECT = {"ul", "uz", "ug"}  # jieba's tags of 了, 着, 过, which follow a verb
_OPEN_QUOTES = "“‘\"'「『《"
_CLOSE_QUOTES = "”’\"'」』》"
_MAX_TOKENS = 8
_NUMBER_CHARS = frozenset("0123456789零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾几数")  # what a mention without a hedge opens with
_TELEPHONE = regex.compile(r"\d{3,}")  # a number dialled: three digits or more (110, 12345)
_SINGLE = ("一", "壹", "半")
_PUNCTUATION = regex.compile(r"[\p{P}\s]")
_NOTHING_BUT_PUNCTUATION = regex.compile(r"[\p{P}\s]*")
_NEGATIVE_SIGNS = ("负", "零下", "-", "－", "−")
_COUNTING_KINDS = ("classifier", "event")  # units that count things, which no negative number does (仅负一场 lost a game)
_CLAUSE = regex.compile(r"[^\p{P}\s]{0,16}")  # where the words after a unit are read anew
_SCORE_BEFORE = regex.compile(r"[\d〇零一二两三四五六七八九十][比:：∶]\Z")  # 2比0, 3:1: a score or a ratio
_EXPLAINED_BY = ("—", "－", "：", ":")  # after a quoted figure, what introduces its explanation
_SLOGAN_REACH = 10  # characters of a quoted name before its number (“促进科技创新十二条”)
_YEAR = regex.compile(r"(?:19|20)\d\d")
_QUALIFIED = 12  # characters before a counted noun that may hold its hedge and the words that qualify the noun
_ORDINAL_REACH = 16  # characters before a number that hold the low end of an ordinal range (第3至|5名)


@ruleset.cached
def _table() -> dict:
    table = ruleset.read_yaml("counts.yaml")
    rules = ruleset.load("counts.yaml")
    return {"rules": rules, "linking": set(table["linking"]),
            # a word jieba made of one of them and what goes before (同比增加, 同比下降)
            "linking_ends": tuple(word for word in table["linking"] if len(word) > 1),
            "quantifier_nouns": frozenset(table["quantifier_nouns"]),
            "measured_nouns": frozenset(table["measured_nouns"]),
            # a hedge, then Chinese characters only up to the noun (no mark: the same clause)
            "hedge_before_noun": regex.compile(
                rf"(?:{ruleset.alternation(table['hedges_before_noun'])})[\u4e00-\u9fff]*\Z"),
            "longest_linking": max(map(len, table["linking"])),
            "units": {**table["units"], **dict.fromkeys(table["units_before_noun"], "classifier")},
            "fixed": tuple(table["fixed_phrases"]), "longest_fixed": max(map(len, table["fixed_phrases"])),
            "any_fixed": regex.compile("|".join(map(regex.escape, table["fixed_phrases"]))),
            # the longest of the words that stands right after a unit, in one match (the words longest first)
            "not_before": regex.compile("|".join(map(regex.escape, sorted(table["not_before"], key=len, reverse=True)))),
            "time_word_ends": tuple(table["time_word_ends"]),
            "monthly_pay": frozenset(table["monthly_pay"]),
            "ordinal_units": set(table["ordinal_units"]), "ordinal_next_to": tuple(table["ordinal_next_to"]),
            "ordinal_after_er": set(table["ordinal_after_er"]),
            "unit_not_before": {unit: tuple(words) for unit, words in table["unit_not_before"].items()},
            "unit_not_after": {unit: tuple(words) for unit, words in table["unit_not_after"].items()},
            "dialling": tuple(table["dialling"]),
            "numbered_after_noun": set(table["numbered_after_noun"]), "cohort_units": set(table["cohort_units"]),
            "verb_before_place": set(table["verb_before_place"]),
            "address_units": set(table["address_units"]),
            "units_alone": set(table["units_alone"]),
            "address_part": regex.compile(rf"\d+(?:{ruleset.alternation(table['address_parts'])})"),
            "list_separators": frozenset(ruleset.read_yaml("quantities.yaml")["LIST_SEPARATORS"]),
            "ordinal_range": regex.compile(ruleset.expand(r"第{NUM}(?:{RANGE}|、)\Z")),
            "unit_verbs": ruleset.words("unit_verbs.txt"), "unit_nouns": ruleset.words("unit_nouns.txt"),
            "verb_hedges": frozenset(table["verb_hedges"]),
            "temperature_word": regex.compile(ruleset.alternation(table["temperature_words"])),
            "temperature_pattern": next(rule.pattern for rule in rules if rule.id == "counts.temperature_degrees")}


def _indefinite(segmented: Segmented, match: regex.Match, hedged: bool) -> bool:
    """一个现象, 一批企业, 学校一处, 半个故乡: a bare 一 or 半 before a classifier is an
    article or a figure of speech; it counts only as a sentence of its own (a list item,
    a table cell), and before a measure (一吨, 半公升) always."""
    if group(match, "num") not in _SINGLE or any(group(match, g) for g in ("mult", "mult_low", "mid", "half")):
        return False
    pre = group(match, "pre") if hedged else None
    if (pre and pre not in _table()["verb_hedges"]) or _table()["units"].get(match["unit"]) not in ("classifier", "event"):
        return False  # 约一个; but 突破一批难题 is the verb and an article
    if _PUNCTUATION.search(match.group()):
        return True  # a match with punctuation never is its sentence without punctuation
    # without punctuation it crosses no sentence end: it is its sentence when all around it is punctuation
    start, end = segmented.sentence_at(match.start())
    return not (_NOTHING_BUT_PUNCTUATION.fullmatch(segmented.text, start, match.start())
                and _NOTHING_BUT_PUNCTUATION.fullmatch(segmented.text, match.end(), end))


def _highlighted(text: str, end: int) -> bool:
    """Whether the quoted count ending at `end` is a figure the text goes on to explain
    (“1361万人”——去年我国城镇新增就业1361万人): a dash or a colon after the closing quote."""
    return text[end:end + 1] in _CLOSE_QUOTES and text.startswith(_EXPLAINED_BY, end + 1)


def _slogan_end(segmented: Segmented, start: int, end: int) -> bool:
    """Whether the match ends a short quoted name (“外资十条”贯彻, “三个1亿人”问题, 出台“金融16条”。):
    an opening quote a few characters before, with neither punctuation nor a verb between
    (“营业里程达3万公里”这个规划 quotes a measure), and after the closing quote the sentence
    going on, or, where a mark follows as after a quoted sentence (“……种了300亩”，他说; “共300亩”。),
    only nouns between the opening quote and the number."""
    text = segmented.text
    if text[end:end + 1] not in _CLOSE_QUOTES:
        return False
    opening = _opening_quote(text, start)
    if opening == -1 or _PUNCTUATION.search(text, opening + 1, start):
        return False
    quoted = segmented.tokens[bisect_left(segmented.starts, opening + 1):bisect_left(segmented.starts, start)]
    if end + 1 >= len(text) or _PUNCTUATION.match(text, end + 1):
        return bool(quoted) and all(token.tag.startswith(("n", "j")) for token in quoted)
    return not any(token.tag.startswith("v") for token in quoted)


_SLOGAN_ITEM_WORDS = 2  # words of a slogan's item after its count (“三个加快推进”)


def _verbs_to_item_end(segmented: Segmented, at: int) -> bool:
    """Whether from `at` one or two verbs run up to a closing quote or a 、 (三个坚持、, 三个加快推进”;
    not “打造100个具有自主知识产权的企业”, 三个分组论坛)."""
    index = bisect_left(segmented.starts, at)
    tokens = segmented.tokens[index:index + _SLOGAN_ITEM_WORDS + 1]
    if not tokens or tokens[0].idx != at:
        return False
    for count, token in enumerate(tokens):
        if token.text[0] in _CLOSE_QUOTES or token.text == "、":
            return count > 0
        if not token.tag.startswith("v"):
            return False
    return False


def _opening_quote(text: str, at: int) -> int:
    """Where the last opening quote within a quoted name's reach before `at` stands; -1 for none."""
    return max(text.rfind(quote, max(at - _SLOGAN_REACH, 0), at) for quote in _OPEN_QUOTES)


def _quoted(text: str, at: int) -> bool:
    """Whether an opening quote stands a few characters before `at`, not closed before it."""
    opening = _opening_quote(text, at)
    return opening != -1 and not any(quote in text[opening + 1:at] for quote in _CLOSE_QUOTES)


def _next_to(text: str, match: regex.Match, words: tuple[str, ...]) -> bool:
    """Whether one of the words stands right before the number or right after the match."""
    before = match.start("num") if group(match, "num") else match.start()
    return text.startswith(words, match.end()) or any(text.endswith(word, 0, before) for word in words)


def _excluded(segmented: Segmented, match: regex.Match, hedged: bool) -> bool:
    text = segmented.text
    table = _table()
    start, end = match.start(), match.end()
    if _indefinite(segmented, match, hedged):
        return True
    if inside_word(segmented, match):
        return True  # 三门峡, 登陆部队: a numeral character of a word
    unit = match["unit"]
    unit_kind = table["units"].get(unit)
    number = group(match, "num") or ""
    if number.startswith(_NEGATIVE_SIGNS) and unit_kind in _COUNTING_KINDS:
        return True  # 仅负一场, 负08089期: a loss or a serial number; only a measure is negative (负13.5米)
    unit_start = match.start("unit")
    word = segmented.token_at(unit_start)
    if word.idx == unit_start and word.end > match.end("unit") and word.text in table["unit_verbs"]:
        return True  # 30起床, 32支持凯尔特人: jieba reads a verb or function word the unit begins, no counted noun
    if number == "一" and text.startswith(unit, end):
        return True  # 一寸寸, 一步步: a repeated classifier, little by little
    before = text[max(start - 1, 0):start]
    if (before and before in _OPEN_QUOTES and any(ch in _CLOSE_QUOTES for ch in text[end:end + 4])
            and not _highlighted(text, end)):
        return True  # “六个好”, “一对一”: a slogan or code name in quotes
    if _slogan_end(segmented, start, end):
        return True  # “外资十条”贯彻: the name of a policy in quotes
    if unit == "个" and _quoted(text, start) and _verbs_to_item_end(segmented, end):
        return True  # “三个坚持、两个确保”: a slogan's items, a verb counted as a thing
    after = table["not_before"].match(text, end)
    if after is not None:
        following = segmented.token_at(end)
        noun = following.idx == end and following.end > after.end() and following.tag.startswith("n")
        if not noun or following.text[after.end() - end:].startswith(table["time_word_ends"]) \
                or following.text in table["monthly_pay"]:
            return True  # 3个月 is a duration, 5个百分点 a percentage (300盒|月饼 is a count, 两个|月间, 3个|月工资 no)
    at = match.start("num") if number else start
    if table["ordinal_range"].search(text, max(at - _ORDINAL_REACH, 0), at):
        return True  # 第3至5名, 第二、三轮: the high end of a range or list of ordinals
    if _SCORE_BEFORE.search(text, max(at - 2, 0), at):
        return True  # 客场2比0本菲卡: the second term of a score
    if text.endswith(table["dialling"], 0, at) and _TELEPHONE.fullmatch(number) and not group(match, "pre") \
            and unit_kind != "event" and unit != "个":
        return True  # 拨打12333人社服务热线: a telephone number (拨打3次, 拨打200多个电话 count calls)
    if text.startswith(table["unit_not_before"].get(unit, ()), end) or text.endswith(
            table["unit_not_after"].get(unit, ()), 0, at):
        return True  # 7582次旅客列车, 三轮车, 电动小三轮: a train's number, wheels
    if unit in table["units_alone"] and (word.end != match.end("unit") or word.idx != unit_start and not (
            word.idx > start and _MULTIPLIERS.fullmatch(text, word.idx, unit_start))):
        return True  # 2分菜地 read 2|分菜|地, 1分校: the unit's character inside a word (not 3.2|万手, the multiplier's)
    if unit in table["address_units"] and table["address_part"].match(text, end):
        return True  # 7栋2单元1802室: a building's number in an address
    if match.re is table["temperature_pattern"] and not group(match, "scale") \
            and not number.startswith("零下") and (number == "一" or not _after_temperature_word(segmented, at)):
        return True  # 30度 alone is an angle, a grade or electricity, 一度 once: a temperature in weather's sentence only
    if unit in table["cohort_units"] and _YEAR.fullmatch(number):
        return True  # 2022届毕业生: the class of a year
    if unit in table["numbered_after_noun"] and not number[:1].isdigit() and at > 0:
        before = segmented.token_at(at - 1)
        if before.end == at and before.tag.startswith(("n", "j")):
            return True  # 中建三局: a numbered bureau after the company's name
    if unit in table["verb_before_place"] and word.idx == unit_start and word.end == end \
            and end < len(text) and segmented.token_at(end).tag == "ns":
        return True  # 腊月二十九回河北: the verb, to return
    if number == "二" and unit in table["ordinal_after_er"]:
        return True  # 二期工程, 二次创业: the second, where two would be 两
    if (unit in table["ordinal_units"] and not number[:1].isdigit()
            and _next_to(text, match, table["ordinal_next_to"])):
        return True  # 十三届全国人大, 全国人大二次会议: an ordinal without 第 (召开3次常委会 counts)
    reach = table["longest_fixed"]
    if not table["any_fixed"].search(text, max(start - reach, 0), end + reach):
        return False  # no fixed phrase near: the search below would find none
    for phrase in table["fixed"]:
        at = text.find(phrase, max(start - len(phrase), 0), end + len(phrase))
        if at != -1 and at < end and at + len(phrase) > start:
            return True
    return False


def _object(segmented: Segmented, start: int, end: int, stop: int) -> str:
    """The counted noun phrase after the mention, else before it; empty when none."""
    table = _table()
    doc = segmented.tokens
    starts = segmented.starts
    word = segmented.token_at(end - 1)
    if word.end > end:
        phrase = _phrase_in_word(segmented, word, end)
        if phrase:
            return phrase
    after = bisect_left(starts, end)
    if after < len(doc) and doc[after].text == "的":
        after += 1  # the number and its unit describe what follows: 高达60米的钻塔, 3000多名的队伍
    while after < len(doc) and doc[after].text in _OPEN_QUOTES:
        after += 1
    phrase = _phrase_after(doc, after, table["quantifier_nouns"])
    if phrase:
        return phrase
    before = bisect_left(starts, start) - 1
    # 分支机构累计达7400多家, 贫困人口减少148万人, 同比增加; an adverb before one of them or before
    # the mention's hedge is no part of the noun (门诊量仍|达, 数量已|超过1000颗; 还|两次 is its verb's)
    linked = segmented.text[start] not in _NUMBER_CHARS
    while before >= 0:
        token = doc[before]
        if token.text in table["linking"] or token.text.endswith(table["linking_ends"]):
            linked = True
        elif not (linked and token.tag == "d"):
            break
        before -= 1
    if before > 0 and doc[before].text.rstrip(one_character_hedges()) in table["measured_nouns"] \
            and _is_noun(doc[before - 1]):
        before -= 1  # 卫星数量已超过1000颗, 高铁全长约350公里: the thing measured
    return _phrase_before(doc, before, stop)


def _phrase_in_word(segmented: Segmented, word, end: int) -> str:
    """The counted words when the word holding the unit runs on past the mention's `end`.

    jieba's dictionary may hold a classifier and its noun as one word (两张床, 12|头牛,
    4|个人): what counts is the word's rest, if it is a noun (120万|人口 counts no 口, a
    classifier; 几十亿|人民 no 民, a bound morpheme) and the word is no word of its own
    (rules/unit_nouns.txt: 4亿多|家庭 counts no 庭), and the nouns after it. Its
    unknown-word model may glue the unit to what it counts (26个|省, 20只|羊, 949个|村):
    the glued word is no word, so the clause after the unit is segmented anew. A single
    character so cut is a noun's, though jieba's catch-all tag zg stands on 车, 村 and 井
    alone. A verb's aspect after the first word shows that word a verb (4个|成了家的女儿,
    兄弟6人|轮着穿).
    """
    if in_dictionary(word.text):
        rest = segmented.text[end:word.end]
        if not noun_word(rest) or word.text in _table()["unit_nouns"]:
            return ""
        after = bisect_left(segmented.starts, word.end)
        words = segment(rest).tokens + segmented.tokens[after:after + _MAX_TOKENS]
    else:
        words = segment(_CLAUSE.match(segmented.text, end).group()).tokens
        if not words or not (_is_noun(words[0]) or words[0].tag in _GLUED_FIRST
                             or (words[0].tag == "zg" and word.end == end + 1)):
            return ""
    if words[0].tag == "zg":
        words[0] = words[0]._replace(tag="ng")
    if len(words) > 1 and words[1].tag in _ASPECT:
        return ""
    return _phrase_after(words, 0, _table()["quantifier_nouns"])


def _is_noun(token) -> bool:
    return token.tag in _NOUN


def _text(tokens) -> str:
    return "".join(t.text for t in tokens) if any(_is_noun(t) for t in tokens) else ""


def _phrase_after(doc, index: int, quantifier_nouns: frozenset[str]) -> str:
    """Modifiers then nouns: 民生项目, 百亿级企业, 省级以上荣誉, 帮扶对子."""
    tokens = []
    while index < len(doc) and len(tokens) < _MAX_TOKENS:
        token = doc[index]
        grade = token.tag == "m" and index + 1 < len(doc) and doc[index + 1].text == "级"
        if token.tag in ("v", "vn") and any(_is_noun(t) for t in tokens):
            break  # a verb after the noun is the predicate: 10余家浙企新建扩能项目
        if token.text in quantifier_nouns and tokens:
            break  # 179项具体问题全部完成: how many of them, no part of their name
        if token.tag == "v" and not (index + 1 < len(doc) and doc[index + 1].tag in _COMMON_NOUN):
            break  # 13对帮扶对子: a verb modifies a common noun right after it (20人赴上海参加培训, 两次到村里: a predicate)
        if _is_noun(token) or token.tag in _MODIFIER or grade or (token.text == "级" and tokens):
            tokens.append(token)
        elif token.tag == "c" and tokens and index + 1 < len(doc) and _is_noun(doc[index + 1]):
            tokens.append(token)  # 污水和垃圾处理场
        else:
            break
        index += 1
    while tokens and not _is_noun(tokens[-1]):
        if len(tokens) == 1 and tokens[0].tag == "ns" and tokens[0].text not in places().every:
            return tokens[0].text  # 70个|大中城市, 两座|塔楼: a noun jieba tags a place (25个|欧洲 begins another phrase)
        tokens.pop()
    return _text(tokens)


def _phrase_before(doc, index: int, stop: int) -> str:
    """Nouns right before the number (医院60所, 库区干部、医生、教师、移民共2000余人次).

    A verb may stand only next to the number (交流互访达528批次); `stop` is where
    the previous mention ends, which the phrase may not reach back into.
    """
    tokens = []
    while index >= 0 and len(tokens) < _MAX_TOKENS and doc[index].idx >= stop:
        token = doc[index]
        between_nouns = tokens and index > 0 and _is_noun(doc[index - 1])
        # 垃圾处理|场 20个: jieba cut a noun's last character off as a classifier
        cut_off = token.tag == "q" and not tokens and index > 0 and _is_noun(doc[index - 1])
        if len(token.text) == 1 and index > 0 and doc[index - 1].tag == "r":
            break  # 这|条|高铁: a classifier after a demonstrative, whatever jieba tags it
        if _is_noun(token) or token.tag == "ns" or (token.tag == "v" and not tokens) or cut_off:
            tokens.append(token)
        elif between_nouns and (token.tag == "c" or token.text == "、"):
            tokens.append(token)  # 污水和垃圾处理场; a list of the things counted
        else:
            break
        index -= 1
    tokens.reverse()
    while tokens and not (_is_noun(tokens[0]) or tokens[0].tag == "ns"):
        tokens.pop(0)
    if tokens and tokens[0].tag == "vn" and not (index >= 0 and doc[index].text == "等"):
        tokens.pop(0)  # 培训医护人员: a verbal noun that opens the phrase is its verb
    return _text(tokens)


def _hedged_before(text: str, start: int, phrase: str) -> bool:
    """Whether the counted noun `phrase` stands right before the count at `start` (linked
    by a verb or not) after a hedge and the words that qualify the noun (约有糖尿病患者1.4亿人,
    每年约有新发脑卒中患者394万人)."""
    table = _table()
    at = text.rfind(phrase, max(start - len(phrase) - table["longest_linking"], 0), start)
    if at == -1:
        return False
    between = text[at + len(phrase):start]
    return (not between or between in table["linking"]) and table["hedge_before_noun"].search(
        text, max(at - _QUALIFIED, 0), at) is not None


def _half_begins_noun(segmented: Segmented, at: int) -> bool:
    """Whether the 半 at `at` begins a noun of the dictionary (3公里|半径, 三斤|半岛), which
    is no half of the unit before it; 3米半高, 三亩半地 (a word jieba made up) keep it."""
    word = segmented.token_at(at)
    return word.idx == at and word.end > at + 1 and word.tag.startswith("n") and in_dictionary(word.text)


def _after_temperature_word(segmented: Segmented, at: int) -> bool:
    """Whether a word of temperature stands before `at` in its sentence."""
    start, _ = segmented.sentence_at(at)
    return _table()["temperature_word"].search(segmented.text, min(start, at), at) is not None


def extract(segmented: Segmented, context: Context) -> list[Mention]:
    table = _table()
    text = segmented.text
    found: list[tuple[Mention, int | None]] = []  # each count, and where its list's last number starts if it shares its unit
    counted: set[int] = set()  # where the number of each count that has its own unit starts
    list_starts: dict[int, int] = {}  # where a list of numbers sharing a unit starts, by where its last number does
    previous_end = 0
    for rule, match in ruleset.find_longest(table["rules"], text):
        if group(match, "half") and _half_begins_noun(segmented, match.start("half")):
            match = rule.pattern.match(text, match.start(), match.start("half")) or match
        start = mention_start(segmented.text, match)
        if start is None or _excluded(segmented, match, hedged=start == match.start()):
            continue
        quantity = read_quantity(match, hedged=start == match.start())
        if quantity is None:
            continue
        values = {"value": quantity.value, "value_max": quantity.value_max, "unit": match["unit"],
                  "object": "", "approx": quantity.approx or hedged_apart(text, start)}  # 最多可容纳500人
        last = match.start("list_last") if group(match, "list_last") else None
        if last is not None:
            list_starts.setdefault(last, start)
        else:
            number = match.start("num") if group(match, "num") else start
            counted.add(number)
            # the object before a list's last count is before the whole list (医院3、5所)
            values["object"] = _object(segmented, list_starts.get(number, start), match.end(), previous_end)
            if not values["approx"] and values["object"] and _hedged_before(text, start, values["object"]):
                values["approx"] = True  # 约有糖尿病患者1.4亿人
            previous_end = match.end()
        found.append((Mention("counts", text[start:match.end()], start, match.end(), rule.id, values), last))
    # a number sharing the unit of a list's last one counts only if that one does (3.4和4.4个百分点 do not)
    return _list_objects([mention for mention, last in found if last is None or last in counted], text)


def _list_objects(mentions: list[Mention], text: str) -> list[Mention]:
    """A count followed in a list by a count of the same unit takes its object where it has none
    or the object follows the list (3、5、8个村, 两校分别新增4个和6个专业: every one counts them)."""
    separators = _table()["list_separators"]
    for index in range(len(mentions) - 2, -1, -1):
        mention, following = mentions[index], mentions[index + 1]
        shared = following.attrs["object"]
        after_list = shared and text.startswith(shared, following.end + text.startswith("的", following.end))
        if ((not mention.attrs["object"] or after_list) and shared
                and following.attrs["unit"] == mention.attrs["unit"] and text[mention.end:following.start] in separators):
            mentions[index] = replace(mention, attrs={**mention.attrs, "object": following.attrs["object"]})
    return mentions
