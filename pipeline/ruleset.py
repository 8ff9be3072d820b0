"""Load rule files from pipeline/rules/ and check each rule against its own examples.

A rule file is a YAML list of rules; every rule has an `id`, a one-line `why`, and
examples that must and must not match. `load` compiles the patterns once and raises
`RuleError` on the first rule whose examples disagree with its pattern, so a broken
rule fails at import and in the tests, never silently at run time.

`use_folder(path)` reads rule files from another folder first (a copy to tune in a
notebook); `reload()` forgets everything loaded from rule files, so edits take effect
without restarting the interpreter. Every cache of rule data is made with `cached`.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import regex
import yaml

from . import windows


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    id: str
    why: str
    pattern: regex.Pattern
    data: dict[str, Any] = field(default_factory=dict)  # every other field of the rule


_override: Path | None = None
_caches: list = []


def cached(function):
    """lru_cache for functions that read rule files, cleared by `reload()`."""
    wrapped = lru_cache(maxsize=None)(function)
    _caches.append(wrapped)
    return wrapped


@cached  # by pattern: the regex module looks a name up at every call (Match.groupdict 3.1 us, .groups() 0.2)
def _group_index(pattern: regex.Pattern) -> dict[str, int]:
    return pattern.groupindex


def group(match: regex.Match, name: str) -> str | None:
    """The named group's text; None when it took no part or the rule has no such group."""
    index = _group_index(match.re).get(name)
    return None if index is None else match.group(index)


def groupdict(match: regex.Match) -> dict[str, str | None]:
    """`match.groupdict()`, read by the groups' numbers (a third of its time).

    >>> groupdict(regex.match(r"(?P<num>\\d+)(?P<mid>多)?(?P<unit>个)", "3个"))
    {'num': '3', 'mid': None, 'unit': '个'}
    """
    values = match.groups()
    return {name: values[index - 1] for name, index in _group_index(match.re).items()}


def use_folder(folder: str | os.PathLike | None) -> None:
    """Read rule files from `folder` where it has them (None: the package's own only)."""
    global _override
    _override = Path(folder) if folder is not None else None
    reload()


def rule_file(name: str):
    """The rule file `name`: from the folder given to `use_folder`, else the package's."""
    if _override is not None and (_override / name).exists():
        return _override / name
    return resources.files("pipeline.rules").joinpath(name)


def alternation(words) -> str:
    """A regex matching any of the words, the longest first where several match.

    Written as a tree of shared beginnings (美元, 美金 -> 美(?:元|金)), so the engine
    compares each character once instead of once per word; the longer word before the
    shorter where one begins the other, as in a list sorted longest first.

    >>> alternation(["人", "人次", "个"])
    '(?:人(?:次|)|个)'
    """
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return "(?:" + _branches(tree) + ")"


def _branches(node: dict) -> str:
    branches = [regex.escape(char) + (f"(?:{_branches(child)})" if len(child) > 1 else _branches(child))
                for char, child in node.items() if char]
    return "|".join(branches + ([""] if "" in node else []))


# The regex module tries a tree's branches one by one (its own check of the first character
# covers only an alternation of plain words); from this many branches on, a rule's word list
# tests a class of their first characters before them: {UNITS} (163) and {CUR} (73).
# (counts.number_unit over 300 articles: 47 -> 41 ms; with 8, the holiday lists of about 20
# took 13 -> 17 ms.)
_GUARDED_BRANCHES = 32


def _rule_alternation(words) -> str:
    """`alternation(words)` for a rule's pattern, which the regex module compiles: with many
    branches, it first looks at whether the next character begins any of them."""
    words = list(words)
    first = {word[0] for word in words if word}
    if len(first) < _GUARDED_BRANCHES or "" in words:
        return alternation(words)
    return f"(?:(?=[{_class_members(first)}]){alternation(words)})"


def _word_pieces(name: str, words) -> dict[str, str]:
    """{NAME}, any of the words; {NAME_FIRST} and {NAME_CHARS}, their first characters and all
    their characters, as members of a character class (written inside [...], where several
    join: the look-ahead for a unit past a number's characters).

    >>> _word_pieces("POST", ["以上", "左右"])
    {'POST': '(?:以上|左右)', 'POST_FIRST': '以左', 'POST_CHARS': '上以右左'}
    """
    words = list(words)
    return {name: _rule_alternation(words), f"{name}_FIRST": _class_members(word[0] for word in words),
            f"{name}_CHARS": _class_members(char for word in words for char in word)}


def _class_members(chars) -> str:
    return "".join(regex.escape(char) for char in sorted(set(chars)))


@cached
def placeholders() -> dict[str, str]:
    """Named pieces a pattern may use as {NAME}: numerals, hedges, currencies."""
    from .extractors.numbers import PLACEHOLDERS

    pieces = dict(PLACEHOLDERS)
    for name, words in read_yaml("quantities.yaml").items():
        pieces.update(_word_pieces(name, words))
    currencies = read_yaml("currencies.yaml")
    pieces.update(_word_pieces("CUR", [*currencies["words"], *currencies["hundredths"]]))
    pieces.update(_word_pieces("HUNDREDTHS", currencies["hundredths"]))
    pieces.update(_word_pieces("SYM", currencies["symbols"]))
    return pieces


def expand(pattern: str, local: dict[str, str] | None = None) -> str:
    for name, piece in {**placeholders(), **(local or {})}.items():
        pattern = pattern.replace("{" + name + "}", piece)
    return pattern


def _compile(rule_id: str, pattern: str, local: dict[str, str]) -> regex.Pattern:
    try:
        return regex.compile(expand(pattern, local), regex.VERBOSE if "\n" in pattern else 0)
    except regex.error as error:
        raise RuleError(f"{rule_id}: pattern does not compile: {error}") from error


def check_examples(rule: Rule, search) -> None:
    examples = rule.data.get("examples") or {}
    if not examples.get("match") or "no_match" not in examples:
        raise RuleError(f"{rule.id}: needs examples with at least one `match` and a `no_match` list")
    for text in examples["match"]:
        if not search(rule, text):
            raise RuleError(f"{rule.id}: example {text!r} should match")
    for text in examples["no_match"]:
        if search(rule, text):
            raise RuleError(f"{rule.id}: example {text!r} should not match")


def _pattern_search(rule: Rule, text: str) -> bool:
    return rule.pattern.search(text) is not None


# libyaml's parser when PyYAML was built with it (its wheels are): the pure-Python one
# took a third of a worker's start-up on the rule files
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def rows(name: str) -> Iterator[list[str]]:
    """The tab-separated fields of each line of a table or word list, past its `#` header
    and blank lines."""
    with rule_file(name).open(encoding="utf-8") as source:
        for row in source:
            if row.strip() and not row.startswith("#"):
                yield row.rstrip("\n").split("\t")


def words(name: str) -> frozenset[str]:
    """The words of a word list: the first field of each of its lines."""
    return frozenset(word.strip() for word, *_ in rows(name))


def read_yaml(name: str) -> Any:
    with rule_file(name).open(encoding="utf-8") as source:
        return yaml.load(source, Loader=_YAML_LOADER)


@cached
def load(name: str, search=_pattern_search) -> tuple[Rule, ...]:
    """The rules of `pipeline/rules/<name>`, compiled and checked.

    A rule file is a list of rules, or a mapping with the rules under `rules`; then
    every other word list or word mapping in it can be used by its patterns as
    {NAME} (the key upper-cased), longest word first: `units` becomes {UNITS}, and
    {UNITS_FIRST} and {UNITS_CHARS} are its first characters and all its characters.
    A mapping under `fragments` holds regex pieces shared by several patterns, used
    as {NAME} too; a fragment may use the word lists, the fragments after it and the
    pieces every file may use ({NUM}, {RANGE_CHARS}).
    """
    content = read_yaml(name)
    local: dict[str, str] = {}
    if isinstance(content, dict):
        local = {key.upper(): f"(?:{expand(piece)})" for key, piece in (content.get("fragments") or {}).items()}
        for key, words in content.items():
            if key not in ("rules", "fragments") and isinstance(words, (list, dict)):
                local.update(_word_pieces(key.upper(), words))
        content = content["rules"]
    rules = []
    seen = set()
    for entry in content:
        rule_id = entry.get("id", "")
        if not rule_id or rule_id in seen or not entry.get("why") or "pattern" not in entry:
            raise RuleError(f"{name}: every rule needs a unique `id`, a `why` and a `pattern` ({rule_id!r})")
        seen.add(rule_id)
        data = {k: v for k, v in entry.items() if k not in ("id", "why", "pattern")}
        rule = Rule(rule_id, entry["why"], _compile(rule_id, entry["pattern"], local), data)
        check_examples(rule, search)
        rules.append(rule)
    return tuple(rules)


@dataclass(frozen=True)
class Candidate:
    """One match `find_longest` saw while `tracing()` was on: kept, or lost to an overlap."""

    rule: str
    why: str  # the rule's own `why`
    start: int
    end: int
    text: str
    kept: bool
    lost_to: str = ""  # the rule id of the match it lost to
    lost_to_text: str = ""
    why_lost: str = ""  # what the winner has: it starts earlier, is longer, or is listed earlier


_trace: ContextVar[list[Candidate] | None] = ContextVar("trace", default=None)


@contextmanager
def tracing() -> Iterator[list[Candidate]]:
    """Record every match `find_longest` sees in the block, kept or not (for `explain`).

    >>> rules = (Rule("a.year", "", regex.compile(r"\\d{4}年")), Rule("a.ymd", "", regex.compile(r"\\d{4}年\\d+月")))
    >>> with tracing() as seen:
    ...     _ = find_longest(rules, "2025年12月")
    >>> [(c.rule, c.text, c.kept, c.lost_to, c.why_lost) for c in seen]
    [('a.ymd', '2025年12月', True, '', ''), ('a.year', '2025年', False, 'a.ymd', 'is longer')]
    """
    seen: list[Candidate] = []
    token = _trace.set(seen)
    try:
        yield seen
    finally:
        _trace.reset(token)


def trace_candidate(rule_id: str, start: int, end: int, text: str) -> None:
    """Record, while `tracing()` is on, a candidate an extractor proposed by its own means
    (organizations' gazetteer, endings, dictionary, lists), for `explain`."""
    trace = _trace.get()
    if trace is not None:
        trace.append(Candidate(rule_id, "", start, end, text, True))


# the scanner of each tuple of rules (and way of matching), by the tuple's id (hashing its
# patterns costs more than the look-up should); the tuple is kept alive here, so its id stays its own
_scanners: dict[tuple[int, bool], tuple[tuple[Rule, ...], windows.Scanner]] = {}


def _scanner(rules: tuple[Rule, ...], overlapped: bool = False) -> windows.Scanner:
    known = _scanners.get((id(rules), overlapped))
    if known is None:
        scanner = windows.Scanner([rule.pattern for rule in rules], overlapped=overlapped)
        known = _scanners[(id(rules), overlapped)] = (rules, scanner)
    return known[1]


def find_overlapping(rules: tuple[Rule, ...], text: str) -> list[list[regex.Match]]:
    """Each rule's matches at every place one starts, as `finditer(text, overlapped=True)`
    gives them, looked for only where a rule can match.

    >>> rules = (Rule("a.pair", "", regex.compile(r"\\d年\\d年")),)
    >>> [m.group() for m in find_overlapping(rules, "1年2年3年")[0]]
    ['1年2年', '2年3年']
    """
    return _scanner(rules, overlapped=True).finditer(text)


def find_longest(rules: tuple[Rule, ...], text: str) -> list[tuple[Rule, regex.Match]]:
    """Every match of every rule, in text order; where two overlap the longer one
    wins (the earlier rule on a tie).

    >>> rules = (Rule("a.year", "", regex.compile(r"\\d{4}年")), Rule("a.ymd", "", regex.compile(r"\\d{4}年\\d+月")))
    >>> [(r.id, m.group()) for r, m in find_longest(rules, "2025年12月与2024年")]
    [('a.ymd', '2025年12月'), ('a.year', '2024年')]
    """
    each = _scanner(rules).finditer(text)  # only where a rule can match
    found = [(index, rule, match) for index, (rule, matches) in enumerate(zip(rules, each, strict=True)) for match in matches]
    found.sort(key=lambda item: (item[2].start(), -(item[2].end() - item[2].start()), item[0]))
    kept, end = [], -1
    trace = _trace.get()
    for _, rule, match in found:
        if match.start() >= end:
            kept.append((rule, match))
            end = match.end()
        if trace is not None:
            trace.append(_candidate(rule, match, kept[-1]))
    return kept


def _candidate(rule: Rule, match: regex.Match, winner: tuple[Rule, regex.Match]) -> Candidate:
    won_rule, won = winner
    if won is match:
        return Candidate(rule.id, rule.why, match.start(), match.end(), match.group(), True)
    why = ("starts earlier" if won.start() < match.start() else
           "is longer" if won.end() - won.start() > match.end() - match.start() else
           "has the same span and its rule is listed earlier")
    return Candidate(rule.id, rule.why, match.start(), match.end(), match.group(), False, won_rule.id, won.group(), why)


def reload() -> None:
    """Forget everything read from rule files, so edited rules take effect (for notebooks)."""
    for cache in _caches:
        cache.cache_clear()
    _scanners.clear()
