"""Organizations: names, types and abbreviations (rules/organizations.yaml, organizations.txt).

Candidates come from five sources, longest name winning where they overlap:
a gazetteer of well-known names (Aho-Corasick); names that end in an organization
word (集团, 大学, 水利局), grown leftwards over jieba's name and place tokens; words
jieba's dictionary tags as organizations; lists of items before 等 and a word for
companies; and offices named by their level alone (省政府), which take the place the
article named for that level.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import ahocorasick
import regex

from .. import ruleset
from ..dictionary import in_dictionary
from ..segment import Segmented
from ..types import Mention
from . import Context

_PROPER = {"ns", "nr", "nrt", "nrfg", "nz", "nt", "j", "eng"}  # jieba: places, names, brands, orgs
_STEM = _PROPER | {"n", "s", "b", "l", "ng", "a"}  # words a name may also hold: 东方, 制药, 友谊
_BRAND = {"nr", "nrt", "nrfg", "nz", "j", "eng", "ns"}
_LONG_NAME = 4  # a known name this long is unlikely to be part of another word
_LEVEL_PLACE = regex.compile(r"^(\p{Han}{2,}?(?:省|市|区|县|州|镇))")


@dataclass(frozen=True)
class _Candidate:
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
        "final_chars": frozenset(word[-1] for word in suffixes),
        "not_names": tuple(table["not_names"]),
        "not_inside": tuple(table["not_inside"]),
        "event_endings": tuple(table["event_endings"]),
        "generic_stems": frozenset(table["generic_stems"]),
        "function_chars": table["function_chars"],
        "dictionary_min_length": table["dictionary_min_length"],
        "dictionary_types": [tuple(pair) for pair in table["dictionary_types"]],
        "offices": table["offices"],
        "heads": table["enumeration_heads"],
        "rules": {rule.id: rule for rule in ruleset.load("organizations.yaml")},
    }


@ruleset.cached
def _places() -> tuple[frozenset[str], frozenset[str]]:
    """Every place name and short form; and those of provinces and cities only."""
    every, major = set(), set()
    with ruleset.rule_file("places.txt").open(encoding="utf-8") as rows:
        for row in rows:
            if row.startswith("#"):
                continue
            name, level, short = row.rstrip("\n").split("\t")
            every.update((name, short))
            if level != "county":
                major.update((name, short))
    return frozenset(every), frozenset(major)


@ruleset.cached
def _gazetteer() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    with ruleset.rule_file("organizations.txt").open(encoding="utf-8") as rows:
        for row in rows:
            if row.strip() and not row.startswith("#"):
                name, org_type = row.rstrip("\n").split("\t")
                automaton.add_word(name, (name, org_type))
    automaton.make_automaton()
    return automaton


def _suffix_of(word: str) -> tuple[str, str, str] | None:
    """The longest organization word that `word` ends with: (word, org_type, stem kind)."""
    suffixes = _table()["suffixes"]
    for length in range(min(len(word), _table()["longest"]), 0, -1):
        found = suffixes.get(word[-length:])
        if found:
            return (word[-length:], *found)
    return None


def _not_a_name(word: str) -> bool:
    return word.endswith(_table()["not_names"])


def _trim_start(text: str, start: int, first_word: str) -> int:
    """Skip a function character that jieba's unknown-word model glued onto a name."""
    if len(first_word) >= 2 and first_word[0] in _table()["function_chars"] and not in_dictionary(first_word):
        return start + 1
    return start


def _plausible(name: str) -> bool:
    table = _table()
    return len(name) >= 2 and not name.endswith(table["event_endings"]) \
        and not any(word in name for word in table["not_inside"])


def _from_gazetteer(segmented: Segmented) -> list[_Candidate]:
    """Known names that begin where a jieba word does; short ones must end where one does
    too (中行 is not in 集中行动), a long one may end inside a word (中国平安 in 平安保险)."""
    starts = set(segmented.starts)
    ends = {token.end for token in segmented.tokens}
    found = []
    for last, (name, org_type) in _gazetteer().iter(segmented.text):
        start, end = last - len(name) + 1, last + 1
        if start in starts and (end in ends or len(name) >= _LONG_NAME):
            found.append(_Candidate(start, end, name, org_type, "organizations.gazetteer", 0))
    return found


def _ending(doc, index: int) -> tuple[int, str, str, str] | None:
    """The organization word that ends at token `index`: its first token, the word, type, stem kind.

    The word may span tokens (公路 事务 中心 -> 事务中心, 广播 电视台 -> 广播电视台) or
    end a token (水利局); the longest one wins.
    """
    best = None
    text = ""
    for first in range(index, max(index - 3, -1), -1):
        text = doc[first].text + text
        found = _suffix_of(text)
        starts_a_token = found is not None and (first == index or len(found[0]) == len(text))
        if starts_a_token and (best is None or len(found[0]) > len(best[1])):
            best = (first, *found)
    return best


def _from_suffixes(segmented: Segmented, known: set[int]) -> list[_Candidate]:
    """Names ending in an organization word, grown leftwards over name-like tokens.

    `known` holds the character positions of gazetteer names: a stem there is a name
    (小米集团) even when jieba reads the word as a common noun.
    """
    doc = segmented.tokens
    _, major_places = _places()
    found = []
    final_chars = _table()["final_chars"]
    for index, token in enumerate(doc):
        if token.text[-1] not in final_chars or _not_a_name(token.text) or token.tag == "_SP":
            continue
        ending = _ending(doc, index)
        if ending is None:
            continue
        suffix_first, suffix, org_type, stem_kind = ending
        first_suffix_token = doc[suffix_first]
        # the part of the ending's first token before the organization word: 水利 in 水利局
        own_stem = (first_suffix_token.text + "".join(t.text for t in doc[suffix_first + 1:index + 1]))[: -len(suffix)]
        first = suffix_first
        while first > 0 and (doc[first - 1].tag in _STEM or doc[first - 1].idx in known) \
                and not _not_a_name(doc[first - 1].text):
            first -= 1
        stem_tokens = list(doc[first:suffix_first])

        def proper(t) -> bool:
            return t.tag in _PROPER or t.idx in known

        while stem_tokens and not proper(stem_tokens[0]):
            stem_tokens.pop(0)  # a name starts with its proper part: 社区便民服务中心 has none
        # one word that jieba knows as a name: 浙江日报, 恒瑞医药; not 高新科技
        whole_word = own_stem and first_suffix_token.tag in ("nt", "nz") and own_stem not in _table()["generic_stems"]
        if stem_kind == "brand" and not whole_word:
            before = stem_tokens[-1] if stem_tokens and not own_stem else None
            if before is None or not (before.tag in _BRAND or before.idx in known) or before.text in major_places:
                continue
            stem_tokens = [before]
        if not stem_tokens and not whole_word:
            continue
        first_word = stem_tokens[0] if stem_tokens else first_suffix_token
        start = _trim_start(segmented.text, first_word.idx, first_word.text)
        end = token.idx + len(token.text)
        name = "".join(segmented.text[start:end].split())
        if not _plausible(name):
            continue
        found.append(_Candidate(start, end, name, org_type, f"organizations.suffix.{suffix}", 1))
    return found


def _from_dictionary(segmented: Segmented) -> list[_Candidate]:
    """Words jieba's dictionary tags as organizations (中国人民解放军, 中央政策研究室), with the
    place or abbreviation before them (中共 + 中央政策研究室)."""
    doc = segmented.tokens
    shortest = _table()["dictionary_min_length"]
    found = []
    for index, token in enumerate(doc):
        if token.tag != "nt" or len(token.text) < shortest or _suffix_of(token.text) or not in_dictionary(token.text):
            continue
        first = index
        while first > 0 and doc[first - 1].tag in ("ns", "j", "nt"):
            first -= 1
        name = segmented.text[doc[first].idx:token.end]
        if _plausible(name):
            org_type = next((kind for word, kind in _table()["dictionary_types"] if word in name), "other")
            found.append(_Candidate(doc[first].idx, token.end, name, org_type, "organizations.dictionary", 2))
    return found


def _from_enumerations(segmented: Segmented) -> list[_Candidate]:
    """Items of a list closed by 等 and a word for companies: 华峰、万凯等10余家浙企."""
    rule = _table()["rules"]["organizations.enumeration"]
    every_place, _ = _places()
    doc = segmented.tokens
    starts = segmented.starts
    found = []
    for match in rule.pattern.finditer(segmented.text):
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


def _from_offices(segmented: Segmented, named: list[_Candidate]) -> list[_Candidate]:
    """省政府 after 浙江省委 is 浙江省政府; 市对口办 with no city named stays as written."""
    rule = _table()["rules"]["organizations.level_office"]
    offices = _table()["offices"]
    found = []
    for match in rule.pattern.finditer(segmented.text):
        level = match["level"]
        place = None
        for candidate in named:
            if candidate.start >= match.start():
                break
            leading = _LEVEL_PLACE.match(candidate.name)
            if leading and leading[1].endswith(level):
                place = leading[1]
        name = place + match["office"] if place else match.group()
        found.append(_Candidate(match.start(), match.end(), name, offices[match["office"]], rule.id, 3))
    return found


def _longest(candidates: list[_Candidate]) -> list[_Candidate]:
    candidates = sorted(candidates, key=lambda c: (c.start, -(c.end - c.start), c.priority))
    kept, end = [], -1
    for candidate in candidates:
        if candidate.start >= end:
            kept.append(candidate)
            end = candidate.end
    return kept


def extract(segmented: Segmented, context: Context) -> list[Mention]:
    gazetteer = _from_gazetteer(segmented)
    known = {position for c in gazetteer for position in range(c.start, c.end)}
    named = _longest(gazetteer + _from_suffixes(segmented, known) + _from_dictionary(segmented)
                     + _from_enumerations(segmented))
    every = _longest(named + _from_offices(segmented, named))
    return [Mention("organizations", segmented.text[c.start:c.end], c.start, c.end, c.rule,
                    {"name": c.name, "org_type": c.org_type}) for c in every]
