"""Organizations: names, types and abbreviations (rules/organizations.yaml, organizations.txt).

Candidates come from five sources, longest name winning where they overlap:
a gazetteer of well-known names (looked up as the tagger looks up its training
names); names that end in an organization word (集团, 大学, 水利局), grown leftwards
over jieba's name and place tokens; words jieba's dictionary tags as organizations;
lists of items before 等 and a word for companies; and offices named by their level
alone (省政府), which take the place the article named for that level.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple, Sequence

import ahocorasick
import numpy
import regex
import rjieba

from .. import ruleset
from ..dictionary import in_dictionary
from ..segment import Segmented
from ..types import Mention
from . import Context, org_tagger
from .places import places
from .quantity import one_character_hedges

_PROPER = {"ns", "nr", "nrt", "nrfg", "nz", "nt", "j", "eng"}  # jieba: places, names, brands, orgs
_STEM = _PROPER | {"n", "s", "b", "l", "ng", "a"}  # words a name may also hold: 东方, 制药, 友谊
_HAN_WORD = regex.compile(r"\p{Han}+")
_BRAND = {"nr", "nrt", "nrfg", "nz", "j", "eng", "ns"}
_PERSON = {"nr", "nrt", "nrfg"}
_LISTED_STEM = _PERSON | {"nz", "j"}  # jieba's tags of a listed company's name before its trade (荣盛石化: 荣盛 nr)
_FULL_NAME = 3  # characters of most Chinese personal names in full
_GIVEN_NAME = 2  # characters of most given names
_WITHHELD = "某"  # stands for a name a text withholds (被告上海某网络科技有限公司)
_ISSUED = ("关于", "办公厅", "印发")  # after a body in a document's title: the body that issued it
_TITLE_REACH = 60  # characters of a title in 《》 on either side of a name inside it
_CLAUSE_TAGS = {"t", "d"}  # jieba: time words and adverbs, which no name holds (今日致函, 近日联合)
_LONG_NAME = 4  # a known name this long is unlikely to be part of another word
_BARE_OFFICE = 5  # the longest office a person's title holds without naming its body (市委办公室主任)
_DISTANCE = regex.compile(r"[\d一二两三四五六七八九十百千.]+(?:多|余)?(?:公里|千米|海里|米|里)")  # 40公里, 三百米
_ORDINAL = regex.compile(r"第[一二三四五六七八九十\d]{1,3}")  # a token that numbers a unit (第一附属医院)
# a short form introduced in brackets right after the full name: 亚洲基础设施投资银行（亚投行）
_INTRODUCED = regex.compile(r"[（(](?:以下简称|简称)?[“\"]?(?P<short>[\p{Han}A-Za-z]{2,10})[”\"]?[）)]")
_PAIRS = {"《": "》", "“": "”", "（": "）", "(": ")", "「": "」", "『": "』", "‘": "’", "〈": "〉"}
_CLOSERS = {closer: opener for opener, closer in _PAIRS.items()}
# the quotes of _PAIRS (not a title's 《》 nor brackets), and the ASCII one
_QUOTES = {opener: closer for opener, closer in _PAIRS.items() if opener not in "《（(〈"} | {'"': '"'}
_SUFFIX_MEMO = 50_000  # words whose organization word is remembered (a few MB at most)
_NO_CHARS = frozenset()
_NOT_YET = object()  # a word not in that memo (None there: a word with no organization word)
_RECURRING = 3  # a name this long is looked for again; a shorter one is often part of a longer one
_SECTION = 50_000  # characters: see _sections
# articles tagged together (a batch worker's chunk): each one's layout stays at hand
# (org_tagger.LAID_OUT) from its rules to its last step
_TAGGED_TOGETHER = 32
# the model's probability that each character of a name is inside one: at least _SURE
# for a name only the model found, at least _PLAUSIBLE for a rule's name it passed over
_SURE = 0.5
# a name of common words only (no proper part, organization word or known name) needs
# more: 国家海岸警卫队 and 总政歌舞团 are names, 公共服务中心, 便民服务中心 and 生态产业联盟 generic
# phrases (0.8 let the last through from the model of session 25's rules; 0.9 costs no probe a name)
_SURE_OF_COMMON_WORDS = 0.9
_PLAUSIBLE = 0.5
# a rule's name that a partial one of the model's ends is that one (涪陵区委, not 区委),
# unless the model all but rules out the words the rule grew over (below this): jieba
# read 荣获 as a person's name in 荣获全国消费者基金会
_RULED_OUT = 0.1
# the words before an organization word that the endings rule declines (no proper
# part): not a name, a feature of the tagger only
_HINT = "organizations.hint"
_SUFFIX_RULE = "organizations.suffix."
_TAGGER_RULE = "organizations.tagger"
_GAZETTEER_RULE = "organizations.gazetteer"
_UNCONTESTED = (_GAZETTEER_RULE, "organizations.level_office", "organizations.listed_office", "organizations.enumeration",
                "organizations.quoted_organization", "organizations.introduced", "organizations.appositive")
# what closes a list of bodies: 等, or a count of them (两家)
_LIST_CLOSE = regex.compile(r"等|[\d两二三四五六七八九十]家")
# a count before a name (6家, 两所, 十几家新的; not 第一个, an ordinal)
_COUNTED = regex.compile(r"(?<![第\d一两二三四五六七八九十几多数])(?:\d+|[一两二三四五六七八九十几多数]+)[家个所座批](?:[\p{Han}]{0,2}的)?\Z")
_LOCAL_PLACE = 6  # the longest name of a village, a town or a community read as a place before an office
_DICTIONARY_NAME = 6  # a name this long that jieba's dictionary holds whole as an organization is one (not 人民检察院, 5)
# the types of a body named by the places it serves and its word alone (杭州市政府, 湖南省图书馆, 浙江省第一监狱);
# not a company's (北京公司 is as often a company's branch or any company in Beijing)
_OFFICE_TYPES = ("government", "party", "other")


class _Candidate(NamedTuple):  # a named tuple: made at 0.55 us, a frozen dataclass at 1.2 (3,000 in 300 articles)
    start: int
    end: int
    name: str
    org_type: str
    rule: str
    priority: int  # among equal spans, the lower wins


@ruleset.cached
def _table() -> dict:
    table = ruleset.read_yaml("organizations.yaml")
    suffixes = {word: tuple(kinds) for word, kinds in table["suffixes"].items()}
    return {
        "suffixes": suffixes,
        "longest": max(map(len, suffixes)),
        "word_ends": frozenset(word[-2:] for word in suffixes),  # the last two characters, or the one of a word of one
        # what a word's last token may be when the word spans tokens: the rest of it after its first character or more
        "word_tails": frozenset(word[cut:] for word in suffixes for cut in range(1, len(word))),
        "not_names": tuple(table["not_names"]),
        # one search, not one a word; a pattern that never matches for an empty list
        "not_inside": regex.compile(ruleset.alternation(table["not_inside"]) if table["not_inside"] else "(?!)"),
        "event_endings": tuple(table["event_endings"]),
        # an event's word after a few characters of its name (媒体交流年, 博览会)
        "event_ahead": regex.compile(rf"[\u4e00-\u9fff]{{0,4}}?(?:{ruleset.alternation(table['event_endings'])})"),
        "local_place_endings": tuple(table["local_place_endings"]),
        "bare_offices": frozenset(table["bare_offices"]),
        # a product noun or a model's code (letters and a digit: SU7, H100, Mate20; not vs) right after a name;
        # a numeral and a product's classifier before it
        "product_after": regex.compile(rf"(?:{ruleset.alternation(table['product_nouns'])})|[A-Za-z]{{1,6}}\d"),
        "product_before": regex.compile(rf"[\d一两二三四五六七八九十几]\s?(?:{ruleset.alternation(table['product_measures'])})"
                                        rf"(?:[白黑红蓝灰银金绿黄紫]色)?\Z"),
        "generic_before": tuple(table["generic_before"]),
        "running_on": frozenset(table["running_on"]),
        "joining_words": frozenset(table["joining_words"]),
        "joining_in_names": frozenset(table["joining_in_names"]),
        "owning_words": frozenset(table["owning_words"]),
        "descriptors": tuple(table["descriptors"]),
        "any_descriptor": regex.compile(ruleset.alternation(table["descriptors"])),
        "trailing_words": frozenset(table["trailing_words"]),
        "legal_forms": frozenset(table["legal_forms"]),
        "kind_endings": frozenset(table["kind_endings"]),
        "generic_stems": frozenset(table["generic_stems"]),
        "function_chars": table["function_chars"], "surnames": frozenset(table["surnames"]),
        "trade_endings": frozenset(table["trade_endings"]),
        "dictionary_min_length": table["dictionary_min_length"],
        "dictionary_types": [tuple(pair) for pair in table["dictionary_types"]],
        "offices": table["offices"],
        "levels": tuple(table["levels"]),
        # the place that leads a name and ends in a level (浙江省 of 浙江省委, 广西壮族自治区 of its 党委)
        "level_place": regex.compile(rf"^(\p{{Han}}{{2,}}?(?:{ruleset.alternation(table['levels'])}))"),
        "heads": table["enumeration_heads"],
        "head_words": regex.compile("|".join(map(regex.escape, table["enumeration_heads"]))),
        "titles": tuple(table["titles"]),
        "person_titles": frozenset(table["person_titles"]),
        "verb_complements": tuple(table["verb_complements"]),
        "rules": {rule.id: rule for rule in ruleset.load("organizations.yaml")},
        "suffix_memo": {},
    }


@ruleset.cached
def _gazetteer() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for name, org_type, *_ in ruleset.rows("organizations.txt"):
        automaton.add_word(name, (name, org_type))
    automaton.make_automaton()
    return automaton


def _suffix_of(word: str) -> tuple[str, str, str] | None:
    """The longest organization word that `word` ends with: (word, org_type, stem kind).
    Remembered per word (the same few thousand words recur in every article), up to
    _SUFFIX_MEMO words, with the table: edited rules start afresh."""
    table = _table()
    memo = table["suffix_memo"]
    # one look-up, and the value returned as found, not read back: another thread (a Dask
    # worker's) may clear the memo in between
    found = memo.get(word, _NOT_YET)
    if found is _NOT_YET:
        if len(memo) >= _SUFFIX_MEMO:
            memo.clear()
        found = memo[word] = next(((word[-length:], *table["suffixes"][word[-length:]])
                                   for length in range(min(len(word), table["longest"]), 0, -1)
                                   if word[-length:] in table["suffixes"]), None)
    return found


def _not_a_name(word: str) -> bool:
    return word.endswith(_table()["not_names"])


def _trim_start(text: str, start: int, first_word: str) -> int:
    """Skip a function character that jieba's unknown-word model glued onto a name."""
    if len(first_word) >= 2 and first_word[0] in _table()["function_chars"] and not in_dictionary(first_word):
        return start + 1
    return start


def _plausible(name: str) -> bool:
    table = _table()
    rules = table["rules"]
    return len(name) >= 2 and not name.endswith(table["event_endings"]) \
        and not table["not_inside"].search(name) and name not in _stop_list() \
        and not rules["organizations.code"].pattern.fullmatch(name) \
        and not rules["organizations.list_number"].pattern.search(name) \
        and not rules["organizations.count"].pattern.search(name)


@ruleset.cached
def _known_names() -> org_tagger.Lexicon:
    """The gazetteer's names and types, looked up as the tagger looks up the names of its
    training data: where tokens begin, in the articles of a chunk at once (an
    Aho-Corasick walk of every character of each cost 15.6 ms over 300 articles, the
    look-up 9.5)."""
    return org_tagger.Lexicon({name: org_type for name, org_type, *_ in ruleset.rows("organizations.txt")})


def _gazetteer_names(arrays: org_tagger.Layout, offsets: list[int]) -> list[list[tuple[int, int, str]]]:
    """For each of the documents joined in `arrays` (`offsets`, of org_tagger.joined),
    [start, end) and type of each name of the gazetteer that begins where a token does."""
    found = org_tagger.lexicon_names(arrays, _known_names())
    starts = [start for start, _, _ in found]
    cuts = [bisect_left(starts, offset) for offset in offsets] + [len(found)]
    return [[(start - offset, end - offset, org_type) for start, end, org_type in found[low:high]]
            for offset, low, high in zip(offsets, cuts, cuts[1:])]


def _from_gazetteer(segmented: Segmented, known: list[tuple[int, int, str]]) -> list[_Candidate]:
    """Known names (`known`, of `_gazetteer_names`) that begin where a jieba word does;
    short ones must end where one does too (中行 is not in 集中行动), a long one may end
    inside a word (中国平安 in 平安保险). A name jieba reads as a verb before a verb's
    complement is the verb (联想到). A short one right before an event's word is part of the
    event's name (中国-东盟博览会, 东盟峰会: GUIDELINES.md names no organization there)."""
    _, ends = org_tagger.layout(segmented).boundaries
    table = _table()
    complements = table["verb_complements"]
    text = segmented.text
    found = []
    for start, end, org_type in sorted(known, key=lambda name: (name[1], name[0])):  # by end, the longer first
        if ends[end]:
            if end - start < _LONG_NAME and table["event_ahead"].match(text, end):
                continue  # 中国-东盟博览会
        elif end - start < _LONG_NAME:
            continue  # 集中行动
        if text.startswith(complements, end) and segmented.token_at(start).tag == "v":
            continue  # 联想到
        found.append(_Candidate(start, end, text[start:end], org_type, _GAZETTEER_RULE, 0))
    return found


def _no_mention(segmented: Segmented, candidate: _Candidate) -> bool:
    """Whether a chosen name is no mention of the body: a tagger's name of common words after
    a count (6家农业公司), a short one used for a product (`_product`), one after a word that
    makes it a kind of body (各地消协, 辖区派出所), a known long one inside another word
    (中国银行业, 北京大学生), a short one whose last character is a hedge before a distance
    (往北约40公里: north, about), a known one of two characters right after a surname that
    stands alone, a person's given name (退休教师王建行, 快递员刘京东), the tail of a name the
    text withholds (上海某网络科技有限公司: 某 for the name), one inside a title in 《》 that goes on
    after it (《中华人民共和国政府采购法》). Asked of the names
    chosen, after the tagger, which reads the rules' candidates as they were trained."""
    text, start, end = segmented.text, candidate.start, candidate.end
    if candidate.rule == _TAGGER_RULE and _COUNTED.search(text, max(start - 4, 0), start) \
            and not _has_proper_part(segmented, start, end):
        return True  # 引进6家农业公司: counted, a name of common words is a kind of body
    return _product(text, start, end) or text.endswith(_table()["generic_before"], 0, start) \
        or text[start - 1:start] == _WITHHELD or _inside_title(text, start, end) \
        or candidate.rule == _GAZETTEER_RULE and (
        _inside_a_word_of_no_name(segmented, end)
        or end - start < _LONG_NAME and text[end - 1] in one_character_hedges() and _DISTANCE.match(text, end)
        or end - start == _GIVEN_NAME and _after_surname(segmented, start))


def _inside_title(text: str, start: int, end: int) -> bool:
    """Whether the name stands inside a title in 《》 that goes on after it: the body is a word
    of the title (《中华人民共和国政府采购法》), not the title itself (《人民日报》) nor the body
    that issued it (《国务院关于加强安全生产的通知》)."""
    opening = text.rfind("《", max(start - _TITLE_REACH, 0), start)  # (a bounded look: a long article has many names)
    closing = text.find("》", end, end + _TITLE_REACH)
    return opening != -1 and text.rfind("》", opening, start) == -1 and closing > end \
        and "\n" not in text[end:closing] and not text.startswith(_ISSUED, end)


def _after_surname(segmented: Segmented, start: int) -> bool:
    """Whether a surname that jieba left as a word of its own stands right before `start`."""
    if start == 0:
        return False
    before = segmented.token_at(start - 1)
    return before.end == start and before.text in _table()["surnames"]


def _product(text: str, start: int, end: int) -> bool:
    """Whether the name text[start:end] stands for a product (买了一部华为手机, 大疆无人机, 小米SU7):
    a product noun or a model's code right after it, or a numeral and a product's classifier
    right before it. A long name stays (美国国家航空航天局NASA: the name again)."""
    table = _table()
    return end - start <= _LONG_NAME and (table["product_after"].match(text, end) is not None
                                          or table["product_before"].search(text, max(start - 5, 0), start) is not None)


def _inside_a_word_of_no_name(segmented: Segmented, end: int) -> bool:
    """Whether the known name ending at `end` ends inside a word that is another word (中国银行业,
    北京大学生): the word runs on by one of `running_on` (中共中央政治局常委 holds the name)."""
    word = segmented.token_at(end - 1)
    return word.end > end and segmented.text[end:word.end] in _table()["running_on"]


def _ending(doc, index: int) -> tuple[int, str, str, str] | None:
    """The organization word that ends at token `index`: its first token, the word, type, stem kind.

    The word may span tokens (公路 事务 中心 -> 事务中心, 人力资源 和 社会 保障局 ->
    人力资源和社会保障局) or end a token (水利局); the longest one wins.
    """
    table = _table()
    text = doc[index].text
    found = _suffix_of(text)
    best = (index, *found) if found is not None else None
    if text not in table["word_tails"]:
        return best  # no word across tokens ends in this one (two in three of the tokens tried)
    suffixes = table["suffixes"]
    for first in range(index - 1, -1, -1):
        text = doc[first].text + text
        if len(text) > table["longest"]:
            break
        kinds = suffixes.get(text)  # one that spans tokens holds all of them, the first whole
        if kinds is not None and (best is None or len(text) > len(best[1])):
            best = (first, text, *kinds)
    return best


def _ending_tokens(arrays: org_tagger.Layout, layouts: list[org_tagger.Layout]) -> list[list[int]]:
    """For each of the documents joined in `arrays` (`layouts`, of org_tagger.joined),
    the numbers of its tokens that may end in an organization word (`_ending`): those
    whose last two characters end one, or whose last is one; those of one character
    that end one. Three in five tokens that end as a word does end none (社会 of 协会):
    looked up in a chunk at once, not tried one by one in each article."""
    found = arrays.ending_with(_table()["word_ends"])
    token_offsets = numpy.cumsum([0] + [len(each.starts) + 1 for each in layouts[:-1]])  # a separator after each
    cuts = numpy.searchsorted(found, token_offsets).tolist() + [len(found)]
    return [(found[low:high] - offset).tolist() for offset, low, high in zip(token_offsets.tolist(), cuts, cuts[1:])]


def _from_suffixes(segmented: Segmented, known: set[int], endings: list[int]) -> list[_Candidate]:
    """Names ending in an organization word, grown leftwards over name-like tokens.

    `known` holds the character positions of gazetteer names: a stem there is a name
    (小米集团) even when jieba reads the word as a common noun. `endings`: the tokens
    that may end an organization word, of `_ending_tokens`.
    """
    doc = segmented.tokens
    major_places, every_place = places().major, places().every
    local = _table()["local_place_endings"]

    def local_place(position: int) -> bool:
        """Whether token `position` is a town's, a village's or a community's own name before
        the word of its level: a place or a name jieba knows (东湖|村), or a word its dictionary
        does not hold, whatever it tags one it coined (三墩/v|镇); not a word of the dictionary
        (时任|村党支部, 钻进|村合作社)."""
        word = doc[position]
        return position + 1 < len(doc) and doc[position + 1].text in local and len(word.text) >= 2 \
            and _HAN_WORD.fullmatch(word.text) is not None \
            and (word.tag in _PROPER or not in_dictionary(word.text))

    found = []
    for index in endings:
        token = doc[index]
        ending = _ending(doc, index)
        if ending is None or _not_a_name(token.text) or token.tag == "_SP":
            continue
        suffix_first, suffix, org_type, stem_kind = ending
        first_suffix_token = doc[suffix_first]
        # the part of the ending's first token before the organization word: 水利 in 水利局
        own_stem = (first_suffix_token.text + "".join(t.text for t in doc[suffix_first + 1:index + 1]))[: -len(suffix)]
        first = suffix_first
        if first > 0 and _ORDINAL.fullmatch(doc[first - 1].text):
            first -= 1  # 郑州大学第一附属医院, 中关村第一小学: a numbered unit of the body before it
        # a verbal noun right before the ending word names what the body does (中国乡村发展基金会,
        # 国家开发银行, 企业管理有限公司); further left, or before a word that ends in one (合作建厂),
        # it is a verb (为涪陵建设乡镇卫生院). A place in brackets is inside the name, which goes on
        # before it (广发证券资产管理（广东）有限公司, 三星（中国）投资有限公司)
        while first > 0:
            bracket = 3 if _bracketed_place(doc, first - 1) else 0
            before = doc[first - 1 - bracket]
            # a place whatever jieba tags it (大连 read as an adverb) or however it cuts it (上|城区)
            place = before.text in every_place or first < suffix_first and before.text + doc[first].text in every_place \
                or local_place(first - 1 - bracket) or before.text in local and first >= 2 and local_place(first - 2)
            if not (before.tag in _STEM or before.idx in known or place
                    or before.tag == "vn" and first == suffix_first and not own_stem) or _not_a_name(before.text) \
                    or before.text in _table()["owning_words"] \
                    or before.text.endswith(_table()["descriptors"]) and _named_after(doc[first:suffix_first + 1]):
                break  # (阿里巴巴集团旗下|蚂蚁集团, 泉州企业|恒安集团)
            first -= 1 + bracket
            if bracket == 0 and _trim_start(segmented.text, before.idx, before.text) > before.idx:
                break  # a function character jieba glued on begins the name (有限公司由|广汽集团)
        stem_tokens = list(doc[first:suffix_first])
        local_names = {doc[position].idx for position in range(first, suffix_first) if local_place(position)}
        end = token.idx + len(token.text)
        # the words before the ending, when the rule declines them as a name (no proper
        # part: 高红小学, 学苑出版社): a hint for the tagger, which may still take them
        hint = [_Candidate(stem_tokens[0].idx, end, "", org_type, _HINT, 9)] if stem_tokens else []

        def proper(t) -> bool:
            return t.tag in _PROPER or t.idx in known or t.text in every_place or t.idx in local_names

        # a name starts with its proper part, but a field of research names a laboratory (材料复合新技术国家重点实验室)
        if not (stem_kind == "field" and any(t.tag in _FIELD_NOUNS for t in stem_tokens)):
            stem_tokens = _from_proper_part(stem_tokens, proper)
        # one word that jieba knows as a name (浙江日报, 恒瑞医药; not 高新科技), or whose stem it
        # knows as a place or a name, the word a common noun (横店集团: 横店 a place)
        whole_word = own_stem and (first_suffix_token.tag in ("nt", "nz") or _proper_word(own_stem)) \
            and own_stem not in _table()["generic_stems"]
        if stem_kind == "unit":  # the body before it, in its own word too (国务院发展研究中心)
            body_type = _body_type(stem_tokens + [first_suffix_token] * bool(whole_word), org_type, known)
            if body_type is None:
                continue  # 妇产科 alone, 计算机系 of no university: a field, no unit of a body
            org_type = body_type
        if stem_kind in ("brand", "coined") and not whole_word:
            before = stem_tokens[-1] if stem_tokens and not own_stem else None
            brand = before is not None and (before.idx in known or before.tag in _BRAND and (
                stem_kind == "brand" or not in_dictionary(before.text)))
            if not brand or before.text in major_places:
                found.extend(hint)
                continue
            stem_tokens = [before]
        if not stem_tokens and not whole_word:
            found.extend(hint)
            continue
        first_word = stem_tokens[0] if stem_tokens else first_suffix_token
        start = _trim_start(segmented.text, first_word.idx, first_word.text)
        name = _name_at(segmented.text, start, end)
        if not _plausible(name):
            continue
        found.append(_Candidate(start, end, name, _type_within(name, suffix, org_type), f"{_SUFFIX_RULE}{suffix}", 1))
    return found


def _from_proper_part(stem_tokens: list, proper) -> list:
    """The stem from its first proper part: a name starts with one (社区便民服务中心 has none),
    never inside a bracket: one goes whole (同方知网（北京）技术有限公司, read 同|方知|网, is no
    name of 北京)."""
    while stem_tokens and not proper(stem_tokens[0]):
        opening = stem_tokens[0].text
        whole_bracket = opening in _PAIRS and len(stem_tokens) > 2 and stem_tokens[2].text == _PAIRS[opening]
        del stem_tokens[:3 if whole_bracket else 1]
    return stem_tokens


def _bracketed_place(doc: list, close: int) -> bool:
    """Whether token `close` closes a bracket that holds a place alone, with a token before it."""
    return close >= 3 and doc[close].text in _CLOSERS and doc[close - 2].text == _CLOSERS[doc[close].text] \
        and (doc[close - 1].tag == "ns" or doc[close - 1].text in places().every)


@lru_cache(maxsize=4096)  # the stems of a news corpus's organization words recur; bounded
def _proper_word(word: str) -> bool:
    """Whether jieba reads `word` alone as one word of a place, a name or a brand."""
    tagged = rjieba.tag(word)
    return len(tagged) == 1 and tagged[0][1] in _PROPER


def _body_type(stem_tokens: list, org_type: str, known: set[int]) -> str | None:
    """The type of the body the words before a unit's word (科, 系, 中心) name, which the unit
    is of: an organization of the unit's type (北京协和医院 before 妇产科, 清华大学 before 系),
    of any type for a unit of type other (中国气象局 before 国家气候中心: government; a name
    jieba knows by the words it holds, 国务院 before 发展研究中心); None when they name none."""
    for token in stem_tokens:
        ending = _suffix_of(token.text)
        if ending is not None and ending[2] != "unit" and org_type in (ending[1], "other"):
            return ending[1]
        if (token.tag == "nt" or token.idx in known) and org_type == "other":
            return next((kind for word, kind in _table()["dictionary_types"] if word in token.text), org_type)
    return None


def _from_dictionary(segmented: Segmented) -> list[_Candidate]:
    """Words jieba's dictionary tags as organizations (中国人民解放军, 中央政策研究室), with the
    place or abbreviation before them (中共 + 中央政策研究室)."""
    doc = segmented.tokens
    shortest = _table()["dictionary_min_length"]
    found = []
    for index in org_tagger.layout(segmented).tagged("nt").tolist():
        token = doc[index]
        if len(token.text) < shortest or _suffix_of(token.text) or not in_dictionary(token.text):
            continue
        first = index
        while first > 0 and doc[first - 1].tag in ("ns", "j", "nt"):
            first -= 1
        name = segmented.text[doc[first].idx:token.end]
        if _plausible(name):
            org_type = next((kind for word, kind in _table()["dictionary_types"] if word in name), "other")
            found.append(_Candidate(doc[first].idx, token.end, name, org_type, "organizations.dictionary", 2))
    return found


def _from_quoted(segmented: Segmented) -> list[_Candidate]:
    """A name in quotes before 组织: “基地”组织."""
    if "组织" not in segmented.text:
        return []
    rule = _table()["rules"]["organizations.quoted_organization"]
    return [_Candidate(match.start(), match.end(), match.group(), "other", rule.id, 2)
            for match in rule.pattern.finditer(segmented.text)]


_INTRODUCING_REACH = 30  # characters before a short form in brackets that the full name it abbreviates may span
_CLAUSE_MARK = regex.compile(r"[，。、；：！？,;:!?\n“”《》（）()]")


def _from_introduced(segmented: Segmented) -> list[_Candidate]:
    """The full name a short form in brackets abbreviates, right before it (全国台湾同胞联谊会（全国台联）):
    the words of the clause from the nearest of the short form's first character, as a word
    begins, that end in an organization word and whose characters the short form keeps in
    order (`_is_short_form`)."""
    text = segmented.text
    if "（" not in text and "(" not in text:
        return []
    found = []
    for match in _INTRODUCED.finditer(text):
        short, opening = match["short"], match.start()
        marks = [mark.end() for mark in _CLAUSE_MARK.finditer(text, max(opening - _INTRODUCING_REACH, 0), opening)]
        clause = marks[-1] if marks else max(opening - _INTRODUCING_REACH, 0)
        at = text.rfind(short[0], clause, opening - 1)
        while at != -1:
            name = text[at:opening]
            ending = _suffix_of(name)  # (a known name is the gazetteer's already)
            if segmented.token_at(at).idx == at and ending is not None and ending[0] != name \
                    and _is_short_form(short, name):
                found.append(_Candidate(at, opening, name, ending[1], "organizations.introduced", 2))
                break
            at = text.rfind(short[0], clause, at)
    return found


def _from_enumerations(segmented: Segmented) -> list[_Candidate]:
    """Items of a list closed by 等 or a count and a word for companies: 华峰、万凯等10余家浙企,
    上海申花、北京国安两家俱乐部."""
    rule = _table()["rules"]["organizations.enumeration"]
    every_place = places().every
    doc = segmented.tokens
    starts = segmented.starts
    text = segmented.text
    # a list lies within a sentence and ends in a word for companies (the head whose type
    # it takes): the pattern runs only where one may stand (it is slow to fail, trying
    # every split of every run of characters: 25 us a sentence with 、 and 等, a tenth of
    # which hold a head)
    head_words = _table()["head_words"]
    matches = (match for start, end in _sentences_holding(segmented, "、")
               if head_words.search(text, start, end) and _LIST_CLOSE.search(text, start, end)
               for match in rule.pattern.finditer(text, start, end))
    found = []
    for match in matches:
        org_type = _table()["heads"][match["head"]]
        position = match.start("items")
        for number, item in enumerate(match["items"].split("、")):
            start, end = position, position + len(item)
            position = end + 1
            if number == 0:  # the first item may start inside a clause: 成功引进娃哈哈
                index = bisect_right(starts, end - 1) - 1
                while index > 0 and doc[index - 1].idx >= start and doc[index - 1].tag in _PROPER | {"n"}:
                    index -= 1
                if doc[index].tag in _PROPER and doc[index].idx >= start:
                    start = _trim_start(segmented.text, doc[index].idx, doc[index].text)
            item = segmented.text[start:end]
            if item in every_place or not _plausible(item):
                continue
            found.append(_Candidate(start, end, item, org_type, rule.id, 2))
    return found


_APPOSITIVE_STOP = {"v", "vn", "p", "c", "x", "d", "r", "f", "m", "t", "q", "y", "_SP"}  # and every particle (u...)
# jieba's tags of a brand's or an organization's name (not j or nr, which its dictionary gives common words too: 道德/nr)
_NAMED = {"nz", "nt", "eng"}
_FIELD_NOUNS = {"n", "nz", "l"}  # jieba's tags of the nouns that name a field (材料, 半导体)
_APPOSITIVE_LONGEST = 8  # characters of a name after a descriptor


def _from_appositives(segmented: Segmented) -> list[_Candidate]:
    """The name after a descriptor that follows a place and a trade (德国化工企业科思创, 瑞典轴承制造商斯凯孚,
    美国芯片巨头英伟达): the words up to the next verb, preposition or mark, the first a name or a
    word jieba's dictionary does not hold (德国企业数量 names none)."""
    table = _table()
    doc, starts, text = segmented.tokens, segmented.starts, segmented.text
    major_places = places().major
    found = []
    for match in table["any_descriptor"].finditer(text):
        index = bisect_right(starts, match.start()) - 1
        word = doc[index]
        if word.end != match.end() or index + 1 >= len(doc):
            continue  # the descriptor ends no word (企业家)
        # the words before the descriptor, its own too where it ends a longer one (德国|化工企业)
        before = range(index - (word.idx == match.start()), max(index - 3, -1), -1)
        if not any(doc[at].text in major_places for at in before):
            continue  # no place names the descriptor's country or province (该企业负责人)
        after = index + 1
        while after < len(doc) and doc[after].tag not in _APPOSITIVE_STOP and not doc[after].tag.startswith("u") \
                and doc[after].text not in major_places:
            after += 1
        words = doc[index + 1:after]
        if not words or not 2 <= words[-1].end - words[0].idx <= _APPOSITIVE_LONGEST or not _named_after(words):
            continue  # common words of the dictionary (德国企业|数量, 中国企业|深化合作)
        name = text[words[0].idx:words[-1].end]
        if _plausible(name):
            found.append(_Candidate(words[0].idx, words[-1].end, name, "company", "organizations.appositive", 2))
    return found


def _named_after(words: Sequence) -> bool:
    """Whether the words after a descriptor begin a name: a brand's or an organization's by
    jieba's tag, a word its dictionary does not hold (斯凯孚), or one its unknown-word model cut
    into a word and a character (科思|创, 英|伟达)."""
    first = words[0]
    return first.tag in _NAMED or not in_dictionary(first.text) or any(len(word.text) == 1 for word in words[:2])


def _sentences_holding(segmented: Segmented, char: str) -> Iterator[tuple[int, int]]:
    """The sentences that hold `char`, in order: found where it stands in the text (a few
    places an article), not looked for in each sentence (some fifty).

    >>> from pipeline.segment import segment
    >>> list(_sentences_holding(segment("华峰等企业。今天晴。万凯等公司等。"), "等"))
    [(0, 6), (10, 17)]
    """
    text, sentences = segmented.text, segmented.sentences
    place = text.find(char)
    while place >= 0:
        number = bisect_right(sentences, (place, len(text))) - 1  # the last that starts at or before it
        if number >= 0 and place < sentences[number][1]:
            yield sentences[number]
            place = text.find(char, sentences[number][1])
        else:
            place = text.find(char, place + 1)


def _from_offices(segmented: Segmented, named: list[_Candidate]) -> list[_Candidate]:
    """省政府 after 浙江省委 is 浙江省政府; 市对口办 with no city named stays as written."""
    rule = _table()["rules"]["organizations.level_office"]
    offices, levels = _table()["offices"], _table()["levels"]
    found = []
    place_of_level: dict[str, str] = {}  # the place of the last name so far that leads with one
    following = iter(named)  # in text order, as the matches: one pass over both
    candidate = next(following, None)
    for match in rule.pattern.finditer(segmented.text):
        while candidate is not None and candidate.start < match.start():
            leading = _table()["level_place"].match(candidate.name)
            if leading:
                place_of_level.update((level, leading[1]) for level in levels if leading[1].endswith(level))
            candidate = next(following, None)
        place = place_of_level.get(match["level"])
        name = place + match["office"] if place else match.group()
        found.append(_Candidate(match.start(), match.end(), name, offices[match["office"]], rule.id, 3))
    # an office listed right after a body of a place, or after such an office, is that place's
    listed = _table()["rules"]["organizations.listed_office"]
    by_end = {c.end: c for c in named + found}
    for match in listed.pattern.finditer(segmented.text):
        previous = by_end.get(match.start() - 1)
        leading = previous and _table()["level_place"].match(previous.name)
        if leading and any(leading[1][start:] in places().full for start in range(len(leading[1]) - 1)):
            office = _Candidate(match.start(), match.end(), leading[1] + match["office"], offices[match["office"]],
                                listed.id, 0)  # over the endings rule's name of the same words (公安局: 公安 a county)
            found.append(office)
            by_end[office.end] = office
    return found


def _longest(candidates: list[_Candidate]) -> list[_Candidate]:
    candidates = sorted(candidates, key=lambda c: (c.start, -(c.end - c.start), c.priority))
    kept, end = [], -1
    for candidate in candidates:
        if candidate.start >= end:
            kept.append(candidate)
            end = candidate.end
    return kept


def _rule_candidates(segmented: Segmented, known: list[tuple[int, int, str]] | None = None,
                     endings: list[int] | None = None) -> list[_Candidate]:
    """Every candidate of every rule source, overlapping ones included, and the hints
    of the endings rule (_HINT): the tagger reads them all. `known`: the gazetteer's
    names in the text, `endings`: the tokens that may end an organization word, when
    found for many articles at once."""
    if known is None:
        known = _gazetteer_names(org_tagger.layout(segmented), [0])[0]
    if endings is None:
        endings = _ending_tokens(org_tagger.layout(segmented), [org_tagger.layout(segmented)])[0]
    gazetteer = _from_gazetteer(segmented, known)
    known = {position for c in gazetteer for position in range(c.start, c.end)}
    named = gazetteer + _from_suffixes(segmented, known, endings) + _from_dictionary(segmented) \
        + _from_enumerations(segmented) + _from_quoted(segmented) + _from_introduced(segmented) \
        + _from_appositives(segmented)
    hints = [c for c in named if c.rule == _HINT]
    named = names(named)
    return named + _from_offices(segmented, _longest(named)) + hints


def names(candidates: list[_Candidate]) -> list[_Candidate]:
    """The candidates that name something: all but the tagger's hints."""
    return [c for c in candidates if c.rule != _HINT]


@ruleset.cached
def _short_forms() -> dict[str, list[str]]:
    """The short forms the gazetteer lists for each full name (中国证券监督管理委员会 -> 证监会), looked
    up by the names an article gives (a walk of all 280 short forms an article cost the stage 2%)."""
    forms: dict[str, list[str]] = {}
    for fields in ruleset.rows("organizations.txt"):
        if len(fields) == 3:
            forms.setdefault(fields[2], []).append(fields[0])
    return forms


@ruleset.cached
def _stop_list() -> frozenset[str]:
    return ruleset.words("organizations_stop.txt")


def _unquoted(text: str, start: int, end: int) -> tuple[int, int]:
    """The span less a bracket or quote at either edge whose partner it does not hold
    (《人民日报 -> 人民日报; 《福建文艺》编辑部 stays), and less quotes around all of it
    (“北京一中院”: the name the quotes introduce; a title's 《》 stay, as the paper's name) or
    around all but a place before them (台湾“中央研究院”)."""
    while end - start > 2 and _QUOTES.get(text[start]) == text[end - 1]:
        start, end = start + 1, end - 1
    opening = next((at for at in range(end - 2, start, -1) if _QUOTES.get(text[at]) == text[end - 1]), None)
    if opening is not None and end - opening > 3 and text[start:opening] in places().every:
        start, end = opening + 1, end - 1  # 台湾“中央研究院”: the quoted name, the place before it its where
    while start < end and (text[start] in _CLOSERS or (text[start] in _PAIRS and _PAIRS[text[start]] not in text[start:end])):
        start += 1
    while end > start and (text[end - 1] in _PAIRS or (text[end - 1] in _CLOSERS and _CLOSERS[text[end - 1]] not in text[start:end])):
        end -= 1
    return start, end


def _name_at(text: str, start: int, end: int) -> str:
    """The name text[start:end] gives, less the spaces a PDF wrap put inside it."""
    return "".join(text[start:end].split())


def _unpaired(text: str, start: int, end: int) -> tuple[int, str] | None:
    """The first bracket or quote of text[start:end] whose partner it does not hold."""
    open_marks = []
    for at in range(start, end):
        char = text[at]
        if char in _PAIRS:
            open_marks.append(at)
        elif char in _CLOSERS:
            if open_marks and text[open_marks[-1]] == _CLOSERS[char]:
                open_marks.pop()
            else:
                return at, char
    return (open_marks[0], text[open_marks[0]]) if open_marks else None


def _paired(segmented: Segmented, start: int, end: int) -> tuple[int, int] | None:
    """A name the tagger cut inside a pair of brackets or quotes, made whole. A partner
    that stands right beside the name is taken in (中国“蓝盔部队”, 美国《华尔街日报》; an
    opening bracket with the word before it, 浩丰（青岛）食品有限公司; the quote before “基地”组织
    when the rest is one word or the whole an organization's name), but a known name before
    a title in 《》 is the body and the title its work (央视《新闻联播》: 央视). Otherwise the
    side of the mark that reads as a name on its own: a known name, or one of three
    characters or more with a proper part (“香港民族党”运作: 香港民族党); None when neither does."""
    text = segmented.text
    while (unpaired := _unpaired(text, start, end)) is not None:
        at, mark = unpaired
        if mark in _PAIRS:  # an opener whose closer the tagger left out
            if mark == "《" and _name_at(text, start, at) in _gazetteer():
                end = at  # 央视《新闻联播》: a known body before a title, and the title its work
                continue
            if text[end:end + 1] == _PAIRS[mark]:
                end += 1
                continue
            sides = ((start, at), (at + 1, end))
        else:
            opener = _CLOSERS[mark]
            if text[start - 1:start] == opener:
                widened = start - 1
                if opener in "（(" and widened > 0:
                    word = segmented.token_at(widened - 1)  # 浩丰（青岛）: the name goes on before the bracket
                    if word.end == widened and _has_proper_part(segmented, word.idx, word.end):
                        widened = word.idx
                rest = segmented.token_at(at + 1)
                if _whole_name(_name_at(text, widened, end)) or (
                        opener not in "（(" and rest.idx == at + 1 and rest.end == end and rest.tag != "x"):
                    start = widened
                    continue
            sides = ((at + 1, end), (start, at))
        start, end = next(((first, last) for first, last in sides if _whole_name(_name_at(text, first, last))
                           or last - first > 2 and _has_proper_part(segmented, first, last)), (0, 0))
        if start == end:
            return None
    return start, end


def _has_proper_part(segmented: Segmented, start: int, end: int) -> bool:
    """Whether text[start:end] holds a word jieba reads as a name, place, brand or
    abbreviation, or one it does not know (a name its word model made up)."""
    index = bisect_right(segmented.starts, start) - 1
    tokens = segmented.tokens
    for position in range(max(index, 0), len(tokens)):  # a slice would copy the rest of the article
        word, tag, idx = tokens[position]
        if idx >= end:
            return False
        if tag in _PROPER or not in_dictionary(word):
            return True
    return False


def _parts(segmented: Segmented, start: int, end: int) -> list[tuple[int, int]]:
    """The names a name of the tagger's holds, where it ran over words between names or over
    a short form in brackets after the name (国家发展改革委（国家发改委）, 台湾工业技术研究院（工研院）):
    - a word of owning after a whole name (中国平安旗下平安寿险: two names; 集团下属企业: one);
    - a word that joins two bodies, between a whole name and another (横店镇人民政府与横店集团:
      two names; not 人力资源和社会保障局), or one with a proper part or of a level's office
      after a word that also begins names (巴贝集团联合浙江省农科院, 南山区市场监督管理局联合区消防救援大队;
      not 中央军委联合参谋部);
    - a count of the items of a list (上海申花、北京国安两家俱乐部: 北京国安; 英国48家集团俱乐部
      is none);
    - a noun that follows names, last (北京天坛医院神经外科团队: the name ends before it, and
      before a person's name before it, 北海道大学龚剑萍团队; 专家咨询团 is one);
    - a time word or an adverb after a whole name, where the sentence goes on to what the body
      does (海峡两岸关系协会今日致函台湾海峡交流基金会: two names, the joining word after them
      passed over);
    - a person's full name last, after a whole name (北京大学人民医院血液科黄晓军; jieba reads
      some units' words as names, 区委宣传部, 大学孔院, and they stay), or after a whole name and
      the person's post (潜江市水产局总工程师陶忠虎: `person_titles`);
    - a name jieba does not know and a verb of its dictionary first, before a whole name with a
      proper part (黄坤明考察中央广播电视总台: a person visiting the body; not 红溪礼示大学孔子学院,
      whose 礼示 jieba's unknown-word model made up)."""
    table = _table()
    text, tokens = segmented.text, segmented.tokens
    whole = _paired(segmented, *_unquoted(text, start, end))  # the brackets the tagger cut inside made whole
    if whole is not None and text[whole[1] - 1] in _CLOSERS:  # a short form in brackets after the name: two names
        opening = text.rfind(_CLOSERS[text[whole[1] - 1]], whole[0] + 1, whole[1] - 1)
        short = _INTRODUCED.fullmatch(text, opening, whole[1]) if opening > whole[0] else None
        before = _name_at(text, whole[0], opening)
        # a short form (中国人民银行（央行）), or another name of the body or its host (正大集团（卜蜂集团）,
        # 材料复合新技术国家重点实验室（武汉理工大学）)
        if short and (short["short"] in _gazetteer() or _is_short_form(short["short"], before)
                      or _whole_name(before) and (_abbreviates(short["short"], before) or _whole_name(short["short"]))):
            return _parts(segmented, whole[0], opening) + [short.span("short")]
    count = table["rules"]["organizations.count"].pattern
    parts, part_start = [], start
    first = bisect_right(segmented.starts, start) - 1
    if first + 2 < len(tokens) and tokens[first].idx == start and tokens[first + 1].tag == "v" \
            and in_dictionary(tokens[first + 1].text) \
            and tokens[first + 2].idx < end and not in_dictionary(tokens[first].text) \
            and _has_proper_part(segmented, tokens[first + 2].idx, end) \
            and _whole_name(_name_at(text, tokens[first + 2].idx, end)):
        part_start = tokens[first + 2].idx  # 黄坤明考察中央广播电视总台: a person's name and a verb before a name
    for index in range(bisect_right(segmented.starts, start), len(tokens)):  # a slice would copy the rest
        word, tag, at = tokens[index]
        if at >= end:
            break
        if at < part_start:
            continue  # a time word, an adverb or a joining word passed over
        if word.endswith(table["descriptors"]) and at + len(word) < end \
                and _named_after(tokens[index + 1:bisect_right(segmented.starts, end - 1) + 1]) \
                and not (at > part_start and _names_a_body(_name_at(text, part_start, at))):
            part_start = at + len(word)  # 日本车企|丰田汽车: what describes the body is no part of its name
            continue
        if at > part_start and tag in _PERSON and at + len(word) == end and _full_personal_name(word) \
                and tokens[index - 1].text in table["person_titles"] and tokens[index - 1].idx > part_start \
                and _names_a_body(_name_at(text, part_start, tokens[index - 1].idx)):
            return parts + [(part_start, tokens[index - 1].idx)]  # 潜江市水产局总工程师陶忠虎
        if at > part_start and (tag in _PERSON and at + len(word) == end and _full_personal_name(word)
                                or tag in _CLAUSE_TAGS) and _names_a_body(_name_at(text, part_start, at)):
            if tag in _PERSON:
                return parts + [(part_start, at)]  # 北京大学人民医院血液科黄晓军(教授)
            after = index
            while after < len(tokens) and tokens[after].idx < end and (
                    tokens[after].tag in _CLAUSE_TAGS or tokens[after].text in table["joining_words"]):
                after += 1  # 今日致函
            parts.append((part_start, at))
            rest = tokens[after].idx if after < len(tokens) else end
            if rest >= end or not (_has_proper_part(segmented, rest, end) and _whole_name(_name_at(text, rest, end))):
                return parts
            part_start = rest
            continue
        if word in table["trailing_words"] and at + len(word) == end:
            while index > 0 and tokens[index - 1].tag in _PERSON and tokens[index - 1].idx > part_start:
                index -= 1  # 北海道大学龚剑萍团队: a person's team at the body
            return parts + [(part_start, tokens[index].idx)]
        if count.match(text, at):  # the name before it is a list's last item, or no name
            listed = part_start > start or start > 0 and (
                text[start - 1] == "、" or segmented.token_at(start - 1).text in table["joining_words"])
            return parts + [(part_start, at)] if listed else parts
        if word in table["owning_words"] and _names_a_body(_name_at(text, part_start, at)):
            parts.append((part_start, at))
            part_start = at + len(word)
            owned = segmented.tokens[index + 1:bisect_right(segmented.starts, end - 1) + 1]
            if part_start >= end or len(owned) < 2 and not _has_proper_part(segmented, part_start, end):
                return parts  # 集团下属企业: a kind of body
            continue
        if word in table["joining_words"] and _names_a_body(_name_at(text, part_start, at)) \
                and text.startswith(table["generic_before"], at + len(word)):
            return parts + [(part_start, at)]  # 街道办事处联合辖区派出所: a kind of body after the name
        # a joining word, or one jieba glued onto the next name's first word (有限公司|由广汽|集团)
        joining = len(word) if word in table["joining_words"] else _trim_start(text, at, word) - at
        if joining and _names_a_body(_name_at(text, part_start, at)) and (
                _has_proper_part(segmented, at + joining, end)
                or (word not in table["joining_in_names"] or text.startswith(table["levels"], at + joining))
                and _whole_name(_name_at(text, at + joining, end))):
            parts.append((part_start, at))
            part_start = at + joining
    return parts + [(part_start, end)]


def _abbreviates(short: str, full: str) -> bool:
    """Whether `short`, in brackets after the whole name `full`, may be its short form: an
    initialism in capitals (日本电报电话公司（NTT）), or some of its characters in their order,
    a place before them dropped too (台湾工业技术研究院（工研院）).

    >>> _abbreviates("工研院", "台湾工业技术研究院"), _abbreviates("NTT", "日本电报电话公司"), _abbreviates("深圳", "香港中文大学")
    (True, True, False)
    """
    if short.isascii():
        return short.isalnum() and short.isupper()
    return len(short) < len(full) and _in_order(short, full)


def _full_personal_name(word: str) -> bool:
    """Whether a word jieba tags as a person's name is one in full, a surname and two characters
    its unknown-word model joined (黄晓军; not 宣传部 or 孔院, which it tags so too)."""
    return len(word) == _FULL_NAME and not in_dictionary(word)


def _names_a_body(name: str) -> bool:
    """Whether `name` is a whole name of a body: a known name, or one that ends in an
    organization word after more; a unit's word (科, 支队) after the name of its body
    (市公安局刑侦支队, not 英国皇家儿科)."""
    if name in _gazetteer():
        return True
    ending = _suffix_of(name)
    if ending is None or ending[0] == name:
        return False
    if ending[2] != "unit":
        return True
    return any(_whole_name(name[:cut]) for cut in range(len(name) - len(ending[0]), 1, -1))


def _tagged(segmented: Segmented, start: int, end: int, probability: float) -> _Candidate | None:
    """A name only the tagger found (`probability`: the least of its characters' of
    being inside a name), less a function character jieba glued onto it; its type from
    its ending, else the words it holds, else other."""
    text = segmented.text
    start, end = _unquoted(text, start, end)
    paired = _paired(segmented, start, end)
    if paired is None:
        return None
    start, end = _unquoted(text, *paired)  # quotes the pairing took in around the name, or a place's before them
    if end - start < 2:
        return None
    token = segmented.token_at(start)
    if token.idx == start:
        start = _trim_start(text, start, token.text)
    elif token.end < end and in_dictionary(token.text) and token.tag not in _PERSON:
        start = token.end  # 其中|卫生福利部: the model began inside a word of the dictionary before the name
    name = _name_at(text, start, end)
    known = _gazetteer().get(name, None)
    rules = _table()["rules"]
    # Latin letters or digits that end the name right after a Chinese character
    glued = next((match for match in rules["organizations.trailing_code"].pattern.finditer(name)
                  if match.end() == len(name)), None)
    if glued and not known and _whole_name(name[:glued.start()]):
        # 中央广播电视总台4K: a whole name before the code is the name (沙尔克04 is one)
        name = name[:glued.start()]
        end = start + len(text[start:end].rstrip())
        while _name_at(text, start, end) != name:
            end -= 1
        known = _gazetteer().get(name, None)
    elif glued and not known and rules["organizations.code"].pattern.fullmatch(glued.group()) \
            and any(char.isdigit() for char in glued.group()):
        return None  # 广州—北京CZ3099: a route and a flight number, no name before the code
    ending = _suffix_of(name)
    if not _plausible(name) or name in places().every or _not_a_name(name) \
            or (ending and ending[0] == name and name not in _table()["bare_offices"]):
        return None
    if ending and ending[2] == "coined" and end - len(ending[0]) > start:
        before = segmented.token_at(end - len(ending[0]) - 1)  # the word before the ending, as the suffix rule reads it
        if in_dictionary(before.text) and before.text not in _gazetteer():
            return None  # 新一轮科技(革命): the ordinary word after a word of the dictionary
    # the last word of a name is its head (联盟, 集团军): what makes it a name stands
    # before it, however jieba tags the head (联盟 as an abbreviation)
    head = segmented.starts[bisect_right(segmented.starts, end - 1) - 1]
    if len(name) >= 4 and not ending and not known and probability < _SURE_OF_COMMON_WORDS \
            and not _has_proper_part(segmented, start, head if head > start else end):
        return None  # 便民服务中心, 生态产业联盟: common words only, none an organization word of the rules
    heads = [found for last, found in _gazetteer().iter(name) if last + 1 == len(found[0])]
    if heads and not known and not ending:
        head_end = start + max(len(found[0]) for found in heads)
        if head_end < end and _inside_a_word_of_no_name(segmented, head_end):
            return None  # 北京大学生就业: the known name ends inside another word, and no organization word follows
    if known:
        org_type = known[1]
    elif ending:
        org_type = _type_within(name, ending[0], ending[1])
    elif heads:  # a known name and more: 招商银行深圳分行
        org_type = max(heads, key=lambda found: len(found[0]))[1]
    else:
        org_type = next((kind for word, kind in _table()["dictionary_types"] if word in name), "other")
    return _Candidate(start, end, name, org_type, _TAGGER_RULE, 4)


def _type_within(name: str, ending: str, org_type: str) -> str:
    """The type of a name whose ending makes it a government body, where what stands before the
    ending is a party or an association: its committee or office is of that type (越南共产党中央委员会:
    party; 中国足协纪律委员会: association)."""
    if org_type != "government":
        return org_type
    body = name[:len(name) - len(ending)]
    for end in range(len(body), 1, -1):
        inner = _suffix_of(body[:end])
        known = _gazetteer().get(body[:end], None)
        found = known[1] if known else inner[1] if inner and inner[0] != body[:end] else None
        if found in ("party", "association"):
            return found
    held = next((kind for word, kind in _table()["dictionary_types"] if word in body), None)  # 人民革命党
    return held if held in ("party", "association") else org_type


def _whole_name(name: str) -> bool:
    """Whether `name` is a known name or ends in an organization word after more."""
    ending = _suffix_of(name)
    return name in _gazetteer() or (ending is not None and ending[0] != name)


def _another_name(bracketed: str, name: str) -> bool:
    """Whether a name in brackets after `name` is a name of its own, not a short form of it: it
    ends in an organization word after more, and is no short form of `name` (正大集团（卜蜂集团）,
    材料复合新技术国家重点实验室（武汉理工大学）; not 国家发展和改革委员会（国家发改委）)."""
    ending = _suffix_of(bracketed)
    return ending is not None and ending[0] != bracketed \
        and not _is_short_form(bracketed, name) and not _abbreviates(bracketed, name)


def _partial(segmented: Segmented, start: int, end: int) -> bool:
    """Whether text[start:end], a name the model found where a rule's longer one ends,
    is only part of a name: it starts inside a word (北大学 of 西北大学) or holds no
    proper part (区委 of 涪陵区委). A name of its own stands without the words the rule
    grew over before it (新华社北京6月2日电世界银行, 荣获郑州市技术监督局)."""
    index = bisect_right(segmented.starts, start) - 1
    return segmented.starts[index] != start or not _has_proper_part(segmented, start, end)


def _in_title(segmented: Segmented, start: int, end: int) -> bool:
    """Whether text[start:end] is a bare office in a person's title (省委书记, 市委常委):
    a few common words right before a title; a name with a proper part names its body
    (山东省委书记, 联合国秘书长), and so does a long one (国家食物与营养咨询委员会主任)."""
    return end - start <= _BARE_OFFICE and segmented.text.startswith(_table()["titles"], end) \
        and not _has_proper_part(segmented, start, end)


def _is_short_form(short: str, full: str) -> bool:
    """Whether `short` abbreviates `full` by dropping characters (世卫组织 of 世界卫生组织,
    亚投行 of 亚洲基础设施投资银行); a head and a tail of it (北京大学 of 北京师范大学,
    华峰 of 华峰集团) name another body or stay as written.

    >>> _is_short_form("世卫组织", "世界卫生组织"), _is_short_form("北京大学", "北京师范大学")
    (True, False)
    """
    if len(short) >= len(full) or short[0] != full[0] or not _in_order(short, full):
        return False
    return not any(full.startswith(short[:cut]) and full.endswith(short[cut:]) for cut in range(len(short) + 1))


def _in_order(short: str, full: str) -> bool:
    """Whether every character of `short` stands in `full`, in its order."""
    after = 0  # where the next character of `short` is looked for in `full`
    for char in short:
        after = full.find(char, after) + 1
        if not after:
            return False
    return True


class _FullForms:
    """The names a short form may abbreviate: the first mention of each, in text order,
    under its first character. A short form keeps a name's first character and the
    order of the rest, so the names it abbreviates are among those under its own first
    character, tried once for each short form. (Trying every name for every short form
    made the cost grow with the square of the article's length.)"""

    def __init__(self, candidates: Iterable[_Candidate]) -> None:
        first: dict[str, _Candidate] = {}
        for candidate in candidates:
            if candidate.name not in first or candidate.end < first[candidate.name].end:
                first[candidate.name] = candidate
        # by first character: the names of two characters or more, every character after
        # it in one, and where the first of them ends (a short form stands after the name
        # it abbreviates)
        self.by_first: dict[str, list[_Candidate]] = {}
        self.later: dict[str, set[str]] = {}
        self.first_end: dict[str, int] = {}
        for candidate in sorted(first.values(), key=lambda c: (c.start, c.end)):
            name = candidate.name
            if len(name) > 1:
                self.by_first.setdefault(name[0], []).append(candidate)
                self.later.setdefault(name[0], set()).update(name[1:])
                self.first_end[name[0]] = min(self.first_end.get(name[0], candidate.end), candidate.end)
        self.abbreviated: dict[str, list[_Candidate]] = {}  # short form -> the names it abbreviates

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def may_abbreviate(self, short: str) -> bool:
        """Whether a name that begins with the first character of `short` holds each of
        its others (most runs of words hold one that none does, and so does every longer
        run that begins with them)."""
        return self.later.get(short[0], _NO_CHARS).issuperset(short[1:])

    def earliest(self, short: str, before: int) -> _Candidate | None:
        """The first name mentioned before `before` that `short` abbreviates."""
        if len(short) < 2 or not self.may_abbreviate(short):
            return None
        abbreviated = self.abbreviated.get(short)
        if abbreviated is None:
            abbreviated = self.abbreviated[short] = [c for c in self.by_first[short[0]] if _is_short_form(short, c.name)]
        for candidate in abbreviated:
            if candidate.start >= before:  # in text order: every later one ends after `before` too
                return None
            if candidate.end <= before:
                return candidate
        return None


def _sections(length: int) -> range:
    """Where each section of a text starts: a short form abbreviates a name given in its
    own section or the one before (an article is one or two sections; a long file, a
    newspaper's edition, is many articles). So the names a short form is tried against
    stay as few as an article's, and the cost grows with the text's length, not its square."""
    return range(0, max(length, 1), _SECTION)


def _section_full_forms(long_names: list[_Candidate], name_starts: list[int], section: int) -> _FullForms:
    """The full forms a short form in the section starting at `section` may abbreviate
    (`long_names` in text order, `name_starts` their starts)."""
    first, last = bisect_left(name_starts, section - _SECTION), bisect_left(name_starts, section + _SECTION)
    return _FullForms(long_names[first:last])


def _short_forms_of(segmented: Segmented, named: list[_Candidate]) -> list[_Candidate]:
    """Runs of one to three whole tokens, after a name of four characters or more, that
    abbreviate it by dropping characters (世界卫生组织 ... 世卫组织)."""
    long_names = sorted((candidate for candidate in named if len(candidate.name) >= 4), key=lambda c: c.start)
    name_starts = [candidate.start for candidate in long_names]
    tokens, starts, text = segmented.tokens, segmented.starts, segmented.text
    token_starts, _ = org_tagger.layout(segmented).boundaries
    found = []
    for section in _sections(len(text)):
        full_forms = _section_full_forms(long_names, name_starts, section)
        if not full_forms:
            continue
        # the tokens that begin with a name's first character, not before the first such
        # name ends (one in two of them): each character looked for in the text (a few
        # dozen places an article), not each token's first character looked up. The
        # character after it is the second of every run of tokens from there, but for
        # white space (which runs of tokens leave out): one that no such name holds after
        # its first rules the place out (two in five)
        section_end = min(section + _SECTION, len(text))
        places = []
        for char, first_end in full_forms.first_end.items():
            later = full_forms.later[char]
            place = text.find(char, max(first_end, section), section_end)
            while place >= 0:
                second = text[place + 1:place + 2]
                if token_starts[place] and (second in later or second.isspace()):
                    places.append(place)
                place = text.find(char, place + 1, section_end)
        for idx in sorted(places):
            if text.rfind("《", section, idx) > text.rfind("》", section, idx):
                continue  # inside a title: 《我的中国心》 names a song, not 中国国际文化传播中心
            index = bisect_left(starts, idx)
            short = ""
            for end in range(index, min(index + 3, len(tokens))):
                if not tokens[end].text.isalnum():
                    break  # a mark or a space ends it (航空工业沈飞）)
                short += tokens[end].text
                if len(short) < 2:
                    continue
                if not full_forms.may_abbreviate(short):
                    break  # nor may the longer runs from here, which hold these characters too
                if end == index and in_dictionary(short):
                    continue  # one word of the dictionary (中国, 国家) is no short form
                full = full_forms.earliest(short, idx)
                if full is not None:  # it ends where its last token does: a space may lie between its tokens
                    found.append(_Candidate(idx, tokens[end].end, full.name, full.org_type,
                                            "organizations.short_form", 6))
    return found


def _across_document(segmented: Segmented, chosen: list[_Candidate]) -> list[_Candidate]:
    """A name found once is found where it recurs, and an abbreviation the article
    introduces (亚洲基础设施投资银行（亚投行）, 世界卫生组织 then 世卫组织) takes the full name."""
    text = segmented.text
    full_of: dict[str, tuple[str, str, int]] = {}  # short form -> full name, type, where introduced
    introduced = []
    for candidate in chosen:
        found = _INTRODUCED.match(text, candidate.end)
        if found and _plausible(found["short"]) and found["short"] != candidate.name \
                and found["short"] not in places().every \
                and found["short"] not in _table()["legal_forms"] \
                and not _another_name(found["short"], candidate.name):  # a campus's place (香港中文大学（深圳）), a legal form
            full_of[found["short"]] = (candidate.name, candidate.org_type, candidate.end)
            introduced.append(_Candidate(found.start("short"), found.end("short"), candidate.name,
                                         candidate.org_type, "organizations.abbreviation", 0))
    short_forms = _short_forms()
    for full, first in {c.name: c for c in chosen}.items():
        for short in short_forms.get(full, ()):
            if short not in full_of:
                full_of[short] = (full, first.org_type, first.end)
    every = _longest(chosen + introduced)
    # recurrences: the text of every name found, wherever it stands as whole words
    surfaces = {text[c.start:c.end]: c for c in every if c.end - c.start >= _RECURRING}
    for short in full_of:
        surfaces.setdefault(short, None)
    if surfaces:
        # every place of every surface, overlapping ones too, in one walk of an automaton of
        # them: a search of the text for each surface in turn (2.4 ms over 300 articles against
        # 3.8) grows with the names times the length (a 1M-character article: 0.86 s)
        automaton = ahocorasick.Automaton()
        for surface in surfaces:
            automaton.add_word(surface, surface)
        automaton.make_automaton()
        starts, ends = org_tagger.layout(segmented).boundaries
        taken_starts = [c.start for c in every]  # `every` holds no two that overlap, in text order
        extra = []
        for last, surface in automaton.iter(text):
            start, end = last - len(surface) + 1, last + 1
            before = bisect_left(taken_starts, end) - 1  # the last name that starts before `end`
            if starts[start] and ends[end] and (before < 0 or every[before].end <= start):
                source = surfaces[surface]
                name, org_type = (source.name, source.org_type) if source else (surface, "other")
                extra.append(_Candidate(start, end, name, org_type, "organizations.recurrence", 5))
        every = _longest(every + extra)
    every = _longest(every + _short_forms_of(segmented, every))
    # names given in full earlier: short forms take the full name
    renamed = []
    name_starts = [candidate.start for candidate in every]
    sections: dict[int, _FullForms] = {}
    for candidate in every:
        full = full_of.get(text[candidate.start:candidate.end])
        if full and candidate.start >= full[2]:
            candidate = candidate._replace(name=full[0], org_type=full[1])
        else:
            section = candidate.start - candidate.start % _SECTION
            if section not in sections:
                sections[section] = _section_full_forms(every, name_starts, section)
            longer = sections[section].earliest(candidate.name, candidate.start)
            if longer is not None:
                candidate = candidate._replace(name=longer.name, org_type=longer.org_type)
        renamed.append(candidate)
    return renamed


def _known_names_extended(candidates: list[_Candidate]) -> dict[int, _Candidate]:
    """By where it starts, the longest name of the endings rule that holds a gazetteer
    name and more (小米集团, 字节跳动公司, 招商银行深圳分行): a known name and an
    organization word after it are one name, however sure of it the tagger is. Not when
    another known name begins after it: 教育部委托南京大学 is two bodies and a verb. Of two
    known names that start at one place, the longer (央视新闻, not 央视)."""
    known_ends: dict[int, int] = {}
    for c in candidates:
        if c.rule == _GAZETTEER_RULE:
            known_ends[c.start] = max(c.end, known_ends.get(c.start, c.end))
    known_starts = sorted(known_ends)
    extended: dict[int, _Candidate] = {}
    for c in candidates:
        known_end = known_ends.get(c.start, c.end)
        longest_known = c.rule == _GAZETTEER_RULE and c.end == known_end
        if (longest_known or c.rule.startswith("organizations.suffix.") and known_end < c.end
                and bisect_left(known_starts, known_end) == bisect_left(known_starts, c.end)) \
                and (c.start not in extended or c.end > extended[c.start].end):
            extended[c.start] = c
    return extended


def _bodies_within(candidates: list[_Candidate]) -> dict[tuple[int, int], _Candidate]:
    """By its span, a rule's name right after which an organization word makes a longer
    name of the endings rule (涪陵区委 + 党校, 浙江大学 + 医学院), or a place and one (中国银行 +
    北京 + 分行): the body within it; and
    any rule's name that a unit's name of the endings rule begins with (北京协和医院 of
    北京协和医院妇产科, 清华大学 of 清华大学中文系: the unit's word, 妇产科, holds more than its ending)."""
    names = {(c.start, c.end): c for c in candidates}
    ends_by_start: dict[int, list[int]] = {}  # (a walk of every name for each would grow with their square)
    for start, end in names:
        ends_by_start.setdefault(start, []).append(end)
    suffixes = _table()["suffixes"]
    every_place = places().every
    within: dict[tuple[int, int], _Candidate] = {}
    for c in candidates:
        if c.rule.startswith(_SUFFIX_RULE):
            word = c.rule.removeprefix(_SUFFIX_RULE)
            ends = ends_by_start[c.start]
            if suffixes[word][1] == "unit":
                shorter = [(c.start, end) for end in ends if end < c.end]
            else:
                # and a body before the place of its branch (中国人民财产保险股份有限公司 + 河南省 + 分公司)
                shorter = [(c.start, c.end - len(word))] + [
                    (c.start, end) for end in ends if end < c.end - len(word)
                    and c.name[end - c.start:-len(word)] in every_place]
            for span in shorter:
                if span in names and (span not in within or c.end > within[span].end):
                    within[span] = c
    return within


def _uncontested(segmented: Segmented, candidate: _Candidate, extended: dict[int, _Candidate]) -> bool:
    return candidate.rule.startswith(_UNCONTESTED) or extended.get(candidate.start) is candidate \
        or _office_of_places(candidate) or _dictionary_name(segmented, candidate) \
        or _listed_company(segmented, candidate)


def _dictionary_name(segmented: Segmented, candidate: _Candidate) -> bool:
    """Whether the candidate ends in an organization word and is one word of jieba's
    dictionary tagged as an organization, of _DICTIONARY_NAME characters or more
    (中国扶贫基金会), or a company's word tagged as a brand with a stem of two characters or
    more (恒瑞医药, a listed company's short name; not 高科技): a name the dictionary knows whole."""
    if not candidate.rule.startswith(_SUFFIX_RULE):
        return False
    word = segmented.token_at(candidate.start)
    if word.idx != candidate.start or word.end != candidate.end:
        return False
    return word.tag == "nt" and len(candidate.name) >= _DICTIONARY_NAME \
        or word.tag == "nz" and candidate.org_type == "company" and len(_stem_of(candidate)) >= 2 \
        and in_dictionary(word.text)


def _listed_company(segmented: Segmented, candidate: _Candidate) -> bool:
    """Whether the candidate is a word of a trade (`trade_endings`) after one word of two
    characters or more that jieba reads as a name or a brand (荣盛石化, 海天味业, 隆平高科): a
    listed company's short name, as the exchanges list them."""
    if candidate.rule.removeprefix(_SUFFIX_RULE) not in _table()["trade_endings"]:
        return False
    word, stem = segmented.token_at(candidate.start), _stem_of(candidate)
    return word.idx == candidate.start and word.end == candidate.start + len(stem) and len(stem) >= 2 \
        and word.tag in _LISTED_STEM


def _stem_of(candidate: _Candidate) -> str:
    """A suffix rule's name before its organization word (美国 of 美国政府, 恒瑞 of 恒瑞医药)."""
    return candidate.name[:len(candidate.name) - len(candidate.rule) + len(_SUFFIX_RULE)]


def _office_of_places(candidate: _Candidate) -> bool:
    """Whether the candidate is a government or party office or a public institution after the
    names of places alone, a number between (杭州市政府, 涪陵区委, 浙江省杭州市人民政府, 湖南省图书馆,
    浙江省第一监狱; a village's, a town's or a community's, 余村村委会; a country's, 美国政府,
    印尼政府): as sure a name as the office named by its
    level (省政府, uncontested), where the training corpora leave some unmarked (MSRA marks
    韩国 in 韩国政府 a place and the rest nothing; CLUENER marks the government, as
    GUIDELINES.md counts government bodies)."""
    if candidate.org_type not in _OFFICE_TYPES or not candidate.rule.startswith(_SUFFIX_RULE):
        return False
    suffix = candidate.rule[len(_SUFFIX_RULE):]
    stem = _stem_of(candidate)
    offices, name = _table()["offices"], candidate.name
    if any(name[-length:] in offices and name[:-length] in places().full for length in range(1, len(name) - 1)):
        return True  # 仙居县发改局: a place and an office by its short form, as a level names it (县发改局)
    numbered = _ORDINAL.search(stem)
    if numbered and numbered.end() == len(stem) and len(suffix) > 1:
        stem = stem[:numbered.start()]  # 浙江省第一监狱, 长沙市第一看守所 (not 中国第一部, a first of its kind)
    every_place = places().every
    local = _table()["local_place_endings"]

    def place(name: str) -> bool:  # a place's name has two characters or more
        return len(name) >= 2 and (name in every_place or len(name) <= _LOCAL_PLACE and name.endswith(local))

    reachable = [True] + [False] * len(stem)  # reachable[i]: stem[:i] is a run of place names
    for end in range(1, len(stem)):
        reachable[end] = any(reachable[start] and place(stem[start:end]) for start in range(end - 1))
    # the last in full (杭州市, 余村, or 涪陵区 of 涪陵区委): a short form alone may be a word (公安 of
    # 公安县: 公安局)
    full = places().full
    # an institution's city or province by its short form too (苏州博物馆, 天津图书馆; 香港机构 names a kind)
    last_places = places().major if candidate.org_type == "other" and suffix not in _table()["kind_endings"] \
        else frozenset()
    return any(reachable[start] and (stem[start:] in full or stem[start:] + suffix[0] in full
                                     or stem[start:] in last_places
                                     or len(stem) - start <= _LOCAL_PLACE and stem[start:].endswith(local))
               for start in range(len(stem) - 1))


def _known_over_parts(chosen: list[_Candidate], candidates: list[_Candidate]) -> list[_Candidate]:
    """The names chosen, where a known name of the gazetteer holds a shorter name of the tagger's
    whole (日本车企|丰田 of 丰田汽车) and overlaps no other name in part, with the known name for
    the names it holds. The names each known one overlaps are found by where they start (a long
    file holds thousands of both)."""
    chosen = sorted(chosen, key=lambda c: c.start)
    starts = [c.start for c in chosen]
    given_up: set[int] = set()  # indexes into `chosen`
    added = []
    for known in candidates:
        if known.rule != _GAZETTEER_RULE:
            continue
        first = max(bisect_left(starts, known.start) - 1, 0)  # the name before may run into it
        overlapping = [index for index in range(first, bisect_left(starts, known.end))
                       if chosen[index].end > known.start and index not in given_up]
        held = [index for index in overlapping if known.start <= chosen[index].start and chosen[index].end <= known.end]
        if len(held) == len(overlapping) and any(
                chosen[index].rule == _TAGGER_RULE and (chosen[index].start, chosen[index].end) != (known.start, known.end)
                for index in held):
            given_up.update(held)
            added.append(known)
    return [c for index, c in enumerate(chosen) if index not in given_up] + added


def _coverage(length: int, names: list[_Candidate]) -> list[bool]:
    """For each position of a text of `length` characters, whether one of `names` covers it."""
    covered = [False] * (length + 1)
    for name in names:
        for position in range(name.start, name.end):
            covered[position] = True
    return covered


def extract(segmented: Segmented, context: Context) -> list[Mention]:
    return extract_many([segmented], [context])[0]


def extract_many(documents: Sequence[Segmented], contexts: Sequence[Context]) -> list[list[Mention]]:
    """The mentions of each article. The rules read each article alone; the tagger tags
    _TAGGED_TOGETHER at a time together (`org_tagger.joined`): its array operations cost
    more per call than per character: sixteen news articles were tagged for little more
    than one (the whole stage some 40% less than article by article), and thirty-two at a
    time cost 3-5% less than sixteen for the whole pipeline."""
    return [mentions for start in range(0, len(documents), _TAGGED_TOGETHER)
            for mentions in _together(documents[start:start + _TAGGED_TOGETHER])]


def _together(documents: Sequence[Segmented]) -> list[list[Mention]]:
    layouts = [org_tagger.layout(segmented) for segmented in documents]
    joined = org_tagger.joined(layouts)
    rule_names = [_rule_names(segmented, known, endings) for segmented, known, endings
                  in zip(documents, _gazetteer_names(*joined), _ending_tokens(joined[0], layouts))]
    tagged = org_tagger.Tagged([(layout, every) for layout, (every, _) in zip(layouts, rule_names)], joined)
    agreements = [_agreement(segmented, candidates, spans)
                  for segmented, (_, candidates), spans in zip(documents, rule_names, tagged.spans)]
    insides = tagged.inside([agreement.undecided for agreement in agreements])
    return [_chosen(segmented, agreement, inside)
            for segmented, agreement, inside in zip(documents, agreements, insides)]


def _rule_names(segmented: Segmented, known: list[tuple[int, int, str]],
                endings: list[int]) -> tuple[list[_Candidate], list[_Candidate]]:
    """Every candidate of the rules (what the tagger reads), and those that name something."""
    every_candidate = _rule_candidates(segmented, known, endings)
    candidates = names(every_candidate)
    for candidate in candidates:
        ruleset.trace_candidate(candidate.rule, candidate.start, candidate.end,
                                segmented.text[candidate.start:candidate.end])
    return every_candidate, candidates


@dataclass(frozen=True)
class _Agreement:
    """The names of the tagger's best paths, each with the rule's candidate it agrees with."""
    candidates: list[_Candidate]  # the rules' names, topics left out
    extended: dict[int, _Candidate]  # of _known_names_extended
    matched: list[tuple[int, int, _Candidate | None]]  # each name on the best paths, and its rule's candidate
    grown: set[tuple[int, int]]  # the model's partial names that a rule's longer one stands for
    # where the model's probabilities decide: names only it found, rule names it passed
    # over or grew past its own
    undecided: list[tuple[int, int]]


def _agreement(segmented: Segmented, candidates: list[_Candidate], spans: list[tuple[int, int]]) -> _Agreement:
    # jieba tags topics and fields as organizations too (新兴产业, 中华文化, 中央财政): the tagger
    # reads such a word, but it is no name unless it ends in a character that ends names in
    # the tagger's training data
    name_endings = org_tagger.model()["trigger_chars"]
    topics = ({(c.start, c.end) for c in candidates
               if c.rule == "organizations.dictionary" and c.name[-1] not in name_endings}
              - {(c.start, c.end) for c in candidates if c.rule != "organizations.dictionary"})
    candidates = [c for c in candidates if (c.start, c.end) not in topics]
    by_span: dict[tuple[int, int], _Candidate] = {}
    by_end: dict[int, _Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: (c.priority, c.start)):
        by_span.setdefault((candidate.start, candidate.end), candidate)
        by_end.setdefault(candidate.end, candidate)
    extended = _known_names_extended(candidates)
    subsidiaries = _bodies_within(candidates)
    matched = []
    grown = set()
    # where the model found part of a rule's name that stands whatever it says (“基地” of
    # “基地”组织), that name is the one found
    sure = [c for c in candidates if c.rule.startswith(_UNCONTESTED)]
    for start, end in spans:
        if (start, end) in topics:
            continue
        candidate = by_span.get((start, end)) or next(
            (c for c in sure if c.start <= start and end <= c.end), None)
        if candidate is not None and candidate.rule == _GAZETTEER_RULE:
            candidate = extended.get(start, candidate)  # 小米 of 小米集团 is 小米集团
        elif candidate is not None:
            candidate = subsidiaries.get((start, end), candidate)  # 涪陵区委 of 涪陵区委党校
        if candidate is None and end in by_end and by_end[end].start < start \
                and _partial(segmented, start, end):
            candidate = by_end[end]  # the model agrees where a rule's name ends: 涪陵区委, not 区委
            grown.add((start, end))
        matched.append((start, end, candidate))
    # sources that follow GUIDELINES.md where the training corpora do not (offices named
    # by their level, items of a list of companies, well-known names and names made of
    # them) stand where the tagger found nothing; another rule's name, where the model
    # finds it plausible
    contested = [c for c in candidates if not _uncontested(segmented, c, extended)]
    agreed = _coverage(len(segmented.text), [c for _, _, c in matched if c is not None])
    undecided = [(start, end) for start, end, c in matched if c is None or (start, end) in grown] \
        + [(c.start, c.end) for c in contested if not any(agreed[c.start:c.end])]
    return _Agreement(candidates, extended, matched, grown, undecided)


def _chosen(segmented: Segmented, agreement: _Agreement, inside: dict[int, float]) -> list[Mention]:
    """The names the rules and the model agree on, with the model's probabilities
    `inside` (by position) where they decide."""
    chosen = []
    for start, end, candidate in agreement.matched:
        # the rule's name grown over words the model rules out is the model's (on words
        # before its stretch it has no say)
        if (start, end) in agreement.grown \
                and min(inside.get(position, _RULED_OUT) for position in range(candidate.start, start)) < _RULED_OUT:
            candidate = None
        if candidate is not None:
            chosen.append(candidate)
            continue
        probability = min(inside[position] for position in range(start, end))
        if probability < _SURE or _in_title(segmented, start, end):
            continue  # unsure, or part of a person's title (省委书记)
        chosen.extend(tagged for part_start, part_end in _parts(segmented, start, end)
                      if (tagged := _tagged(segmented, part_start, part_end, probability)) is not None)
    chosen = _known_over_parts(chosen, agreement.candidates)
    covered = _coverage(len(segmented.text), chosen)
    chosen += [c for c in agreement.candidates if not any(covered[c.start:c.end]) and (
        _uncontested(segmented, c, agreement.extended)
        or min(inside.get(position, 0.0) for position in range(c.start, c.end)) >= _PLAUSIBLE)]
    every = _across_document(segmented, _longest(chosen))
    return [Mention("organizations", segmented.text[c.start:c.end], c.start, c.end, c.rule,
                    {"name": c.name, "org_type": c.org_type}) for c in every if not _no_mention(segmented, c)]
