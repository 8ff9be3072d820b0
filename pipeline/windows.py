"""Run rules only over the windows of text where they can match, with the same matches.

A rule's regex is tried at every character of a text, and most characters start
nothing: a money rule needs a currency word, a date rule a 年, 月 or 日. `reach` reads
a pattern once, with the standard library's parser, and finds:

- its alphabet: every character a match can consume, or a lookaround that must
  succeed can read (what it reads lies next to the match), or an unbounded repeat
  inside another lookaround can read; so a match lies inside one run of alphabet
  characters;
- its triggers: characters of which every match consumes one (of the items that a
  match must consume, the one whose characters are rarest in Chinese text; in an
  alternation, one item of each branch, a character several branches share counted
  once: 年 for 今年|去年|明年);
- its margin: how many characters outside the alphabet its other lookarounds and
  anchors may read beyond the match;
- its second triggers: another set of characters of which every match consumes or reads
  one, the one that shares least with the triggers (a digit, where the triggers are the
  currency words' characters: most runs of 美 or 元 in news, 美国, 单元, hold no amount).

A window is a run of alphabet characters holding a trigger and a second trigger, widened
on each side by `margin` characters, each with the run of alphabet characters beyond it.
Every match of the pattern, and every character the matching of it reads, lies in a
window. The rules that share triggers run over their windows joined by a character no rule
consumes, and each match found there is matched again at its place in the whole
text: the match objects are those a scan of the whole text gives (tests/test_windows.py
compares both on every rule's examples, the extractor cases and random text). Where
triggers stand close together, finding the windows costs more than it saves: each
group of rules is scanned both ways, timed, on its first documents and again now and then
after them (the more the losing way cost, the more seldom), and scans the others the way
that cost less on those.

A named back reference stands for its group's pattern (it matches some of what that
matches). A pattern with a construct the analysis does not model (a negated class or
`.` in what a match consumes, a numbered back reference, an empty match, flags set
inside it, syntax of the regex module the standard parser reads otherwise) scans the
whole text. `triggers` gives a pattern's triggers alone, which other constructs do not
hide: a text that holds none of them holds no match (the site chrome rules test lines so).
"""
from __future__ import annotations

import bisect
import math
import re
import sys
import time
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import numpy
import regex

try:  # the standard library's parser of regular expressions (sre_parse before Python 3.11)
    from re import _parser as _sre
except ImportError:  # pragma: no cover
    import sre_parse as _sre

_SEPARATOR = "\x00"  # joins the windows; no rule consumes it
_HAN = "\U000f0000"  # stands for \p{Han}, which the standard parser does not read
_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}
# a rough share of news text per class member (Chinese characters: `frequency`), to choose the rarest triggers
_COST = {r"\d": 0.03, r"\s": 0.01, r"\w": 1.0, _HAN: 1.0, **dict.fromkeys("0123456789", 0.003),
         "，": 0.05, "。": 0.03, "、": 0.01, "“": 0.005, "”": 0.005, "：": 0.003, "《": 0.002, "》": 0.002}
_NON_HAN_COST = 0.0005
# flags and syntax of the regex module that the standard parser would read otherwise, or
# not at all: the pattern scans the whole text (fuzzy matching {e<=1}, POSIX classes,
# Unicode properties other than \p{Han}; version 1 set operations, reverse matching)
_UNREAD_FLAGS = regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.VERSION1 | regex.REVERSE
_REGEX_ONLY = regex.compile(r"(?<!\\)\{(?!\d*,?\d*\})|\[:\^?[a-z]+:\]|\\[pPX]")
_TRIALS = 9  # documents scanned both ways (the last ones) to choose the cheaper way
# after the first ones, a group is scanned both ways again after this many documents times
# the ratio of the losing way's time to the winning way's: the losing scan of a retry costs
# a hundredth of the winning scans between two retries (money's whole-text scans cost nine
# times its windows, and retries one document in a hundred took 7% of the stage)
_RETRY = 100
_MOST_BETWEEN_RETRIES = 100 * _RETRY  # documents, however lopsided the ways
_OPTIONS = 8  # trigger sets a part of a pattern keeps to choose from, the cheapest
_NARROW = 4  # characters of margin that rules sharing their windows may differ by
_RANGE = regex.compile(r"(\\?.)-(\\?.)", regex.DOTALL)
# a share of news text above which a group's triggers (digits, numerals) are searched for by
# the group alone: handing each of their many hits over in Python would cost more (see Scanner)
_COMMON_TRIGGERS = 0.02


class _Unmodelled(Exception):
    """A construct the analysis does not model: the rule scans the whole text."""


@dataclass(frozen=True)
class Reach:
    """Where a pattern can match: see the module docstring."""

    alphabet: frozenset[str]  # members of a character class, as regex source
    triggers: frozenset[str]
    margin: int
    second_triggers: frozenset[str] | None = None  # None: no other set is worth looking for


@lru_cache(maxsize=None)  # a few hundred distinct items among the 50,000 of the rules' analysis
def _member(op, av) -> str:
    name = op.name
    if name == "LITERAL":
        return _HAN if chr(av) == _HAN else regex.escape(chr(av))
    if name == "RANGE":
        return regex.escape(chr(av[0])) + "-" + regex.escape(chr(av[1]))
    if name == "CATEGORY" and av.name in _CATEGORIES:
        return _CATEGORIES[av.name]
    raise _Unmodelled(name)


def _members(op, av) -> set[str]:
    """The class members of one consuming item."""
    if op.name == "LITERAL":
        return {_member(op, av)}
    if op.name == "IN":
        return {_member(*item) for item in av}  # NEGATE is unmodelled
    raise _Unmodelled(op.name)


def _repeat(av):
    low, high, body = av
    return low, (None if high == _sre.MAXREPEAT else high), body


def _body(op, av):
    """The sequence inside a group: (group, flags, flags, body) or, for an atomic group, the body."""
    if op.name == "ATOMIC_GROUP":
        return av
    if av[1] or av[2]:
        raise _Unmodelled("flags of a group")  # (?i:...) matches what its letters do not say
    return av[-1]


def _consumed(sequence, alphabet: set[str], final: frozenset[str] = frozenset()) -> int:
    """Adds to `alphabet` what `sequence` consumes or a lookaround that must succeed reads;
    returns the margin its other lookarounds need (characters of `final`, the whole
    alphabet once known, are free: a window takes every run of them)."""
    margin = 0
    for op, av in sequence:
        name = op.name
        if name in ("LITERAL", "IN"):
            alphabet |= _members(op, av)
        elif name == "BRANCH":
            margin = max([margin] + [_consumed(branch, alphabet, final) for branch in av[1]])
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            margin = max(margin, _consumed(_body(op, av), alphabet, final))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            margin = max(margin, _consumed(_repeat(av)[2], alphabet, final))
        elif name == "ASSERT":  # what a lookaround that must succeed reads lies next to the match
            margin = max(margin, _consumed(av[1], alphabet))
        elif name == "ASSERT_NOT":
            margin = max(margin, _read(av[1], alphabet, final))
        elif name == "AT":
            margin = max(margin, 1)
        else:
            raise _Unmodelled(name)
    return margin


def _read(sequence, alphabet: set[str], final: frozenset[str]) -> int:
    """How many characters outside `final` a lookaround's `sequence` may read (what its
    unbounded repeats read joins the alphabet instead)."""
    reach = 0
    for op, av in sequence:
        name = op.name
        if name in ("LITERAL", "IN"):
            reach += 0 if _within(op, av, final) else 1
        elif name in ("NOT_LITERAL", "ANY", "AT"):
            reach += 1
        elif name == "BRANCH":
            reach += max(_read(branch, alphabet, final) for branch in av[1])
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            reach += _read(_body(op, av), alphabet, final)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _, high, body = _repeat(av)
            reach += _consumed(body, alphabet, final) if high is None else high * _read(body, alphabet, final)
        elif name in ("ASSERT", "ASSERT_NOT"):
            reach += _read(av[1], alphabet, final)
        else:
            raise _Unmodelled(name)
    return reach


def _within(op, av, final: frozenset[str]) -> bool:
    try:
        return bool(final) and _members(op, av) <= final
    except _Unmodelled:  # a negated class
        return False


@lru_cache(maxsize=4096)  # trigger sets recur: 150,000 look-ups of a few thousand in the rules' analysis
def _cost(members: frozenset[str], frequency) -> float:
    total = 0.0
    for member in members:
        if member in _COST:
            total += _COST[member]
        elif len(member.lstrip("\\")) == 1:
            total += frequency(member) if "\u4e00" <= member <= "\u9fff" else _NON_HAN_COST
        else:  # a range
            first, last = (ord(end[-1]) for end in _RANGE.fullmatch(member).groups())
            known = [share for char, share in _COST.items() if len(char) == 1 and first <= ord(char) <= last]
            total += sum(known) + _NON_HAN_COST * (last - first + 1 - len(known))
    return total


def _trigger_options(sequence, frequency, keep: int | None = _OPTIONS) -> list[frozenset[str]]:
    """Sets of members of each of which every match of `sequence` consumes one, the
    cheapest first (at most `keep`)."""
    found = []
    for op, av in sequence:
        name = op.name
        if name in ("LITERAL", "IN"):
            try:
                found.append(frozenset(_members(op, av)))
            except _Unmodelled:  # a negated class: no trigger, but the items around it may have some
                pass
        elif name == "BRANCH":
            found += _branch_options(tuple(tuple(_trigger_options(branch, frequency)) for branch in av[1]), frequency)
        elif name in ("SUBPATTERN", "ATOMIC_GROUP", "ASSERT"):
            found += _trigger_options(av[1] if name == "ASSERT" else _body(op, av), frequency)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, body = _repeat(av)
            if low >= 1:
                found += _trigger_options(body, frequency)
    return sorted(set(found), key=lambda members: (_cost(members, frequency), sorted(members)))[:keep]


# the same alternations ({UNITS}, {PRE}, the numerals) recur in rule after rule: 245
# distinct of the 885 a worker's warm-up weighs, a fifth of its time
@lru_cache(maxsize=1024)
def _branch_options(branches: tuple[tuple[frozenset[str], ...], ...], frequency) -> tuple[frozenset[str], ...]:
    """Trigger sets of an alternation: the union of one option of each branch.

    Each branch taking its own cheapest option can cost more than a member several
    branches share: 今年, 去年, 明年 are cheaper found by 年 than by 今, 去 and 明, and
    美元, 日元, 欧元 by 元. So the choice is also made with each member that two or more
    branches offer counted as free, and every union it gives is ranked by its own cost.
    """
    if not branches or any(not options for options in branches):
        return ()  # a branch that consumes no trigger: the alternation has none
    offered: dict[str, int] = {}
    for options in branches:
        for member in frozenset().union(*options):
            offered[member] = offered.get(member, 0) + 1
    unions = []
    for free in [frozenset()] + [frozenset({member}) for member, count in offered.items() if count > 1]:
        union: frozenset[str] = frozenset()
        for options in branches:
            union |= min(options, key=lambda members: (_cost(members - free - union, frequency), sorted(members)))
        unions.append(union)
    return tuple(unions)


def _standard_source(pattern: regex.Pattern) -> str:
    """The pattern in the standard parser's syntax: a named back reference as its group's
    pattern (it matches a part of what that matches), group names dropped (regex allows
    a name twice), \\p{Han} as one stand-in character."""
    verbose = bool(pattern.flags & regex.VERBOSE)
    source = _BACK_REFERENCE.sub(lambda found: f"(?:{_group_body(pattern.pattern, found[1], verbose)})",
                                 pattern.pattern)
    source = regex.sub(r"\(\?P<\w+>", "(", source)
    return source.replace(r"\p{Han}", _HAN)


_BACK_REFERENCE = regex.compile(r"\(\?P=(\w+)\)")


def _group_body(source: str, name: str, verbose: bool) -> str:
    """The pattern inside the group `name` of `source` (escapes, classes and, in a verbose
    pattern, comments skipped); raises _Unmodelled when there is no such group."""
    opening = f"(?P<{name}>"
    start = source.find(opening)
    if start == -1:
        raise _Unmodelled("back reference")
    depth, index, in_class = 1, start + len(opening), False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "#" and verbose:
            index = source.find("\n", index)
            if index == -1:
                break
        elif char in "()":
            depth += 1 if char == "(" else -1
            if not depth:
                return source[start + len(opening):index]
        index += 1
    raise _Unmodelled("back reference")


def _frequency(char: str) -> float:
    """How common a Chinese character is (jieba's dictionary counts), to pick the rarest triggers."""
    from .normalize.charfreq import log_frequency

    return math.exp(log_frequency(char))


def reach(pattern: regex.Pattern, frequency=_frequency) -> Reach | None:
    r"""Alphabet, triggers and margin of a pattern; None when it must scan the whole text.
    `frequency(char)` ranks Chinese characters, to pick the rarest triggers.

    >>> found = reach(regex.compile(r"(?<!第)\d+个(?!月)"))
    >>> sorted(found.alphabet), sorted(found.triggers), found.margin
    (['\\d', '个'], ['个'], 1)
    >>> reach(regex.compile(r"[^，]+公司")) is None  # a negated class in what a match consumes
    True
    """
    try:
        parsed = _parsed(pattern)
        if parsed is None:
            return None
        alphabet: set[str] = set()
        _consumed(parsed, alphabet)
        while True:  # again, with the characters a window takes for free known: the alphabet
            grown = set(alphabet)
            margin = _consumed(parsed, grown, frozenset(alphabet))
            if grown == alphabet:
                break
            alphabet = grown
        options = _trigger_options(parsed, frequency, keep=None)
    except (_Unmodelled, regex.error, _sre.error):
        return None
    if not options or _HAN in alphabet or re.match(standard_class(alphabet), _SEPARATOR):
        return None
    return Reach(frozenset(alphabet), options[0], margin, _second_triggers(options, frequency))


def _second_triggers(options: list[frozenset[str]], frequency) -> frozenset[str] | None:
    r"""Of the other sets of which every match consumes or reads one, the one that shares
    least with the triggers (the cheapest of those); None when even that one's characters
    among the triggers cost half as much as the triggers: most runs of a trigger would
    hold one of it.

    >>> sorted(_second_triggers([frozenset("个"), frozenset([r"\d"]), frozenset("个人")], _frequency))
    ['\\d']
    """
    triggers, others = options[0], options[1:]
    if not others:
        return None
    shares = {members: _cost(_shared(triggers, members), frequency) for members in others}
    second = min(others, key=lambda members: (shares[members], _cost(members, frequency), sorted(members)))
    return second if shares[second] < _cost(triggers, frequency) / 2 else None


def _shared(triggers: frozenset[str], members: frozenset[str]) -> frozenset[str]:
    """The triggers that are members too, or single characters the members hold (0 in \\d)."""
    holds = re.compile(standard_class(members))
    return frozenset(trigger for trigger in triggers if trigger in members
                     or len(trigger.lstrip("\\")) == 1 and holds.fullmatch(trigger.lstrip("\\")))


def triggers(pattern: regex.Pattern, frequency=_frequency) -> frozenset[str] | None:
    r"""Characters of which every match of `pattern` consumes or must read one (the rarest
    such set; class members as regex source), or None when none are known: a text that
    holds none of them holds no match. Unlike `reach`, anything else the pattern consumes
    may be unmodelled (a negated class, `.`).

    >>> sorted(triggers(regex.compile(r"^[^，]{0,8}(?:责任编辑|责编)[:：]")))
    ['责']
    >>> triggers(regex.compile(r"[^，]+")) is None
    True
    """
    try:
        parsed = _parsed(pattern)
        options = _trigger_options(parsed, frequency) if parsed is not None else []
    except (_Unmodelled, regex.error, _sre.error):
        return None
    return options[0] if options and _HAN not in options[0] else None


def _parsed(pattern: regex.Pattern):
    """The standard parser's reading of `pattern`; None where what it reads is not what the
    regex module matches (flags, syntax of its own) or the pattern may match nothing."""
    source = _standard_source(pattern)
    if pattern.flags & _UNREAD_FLAGS or _REGEX_ONLY.search(source):
        return None
    parsed = _sre.parse(source, regex.VERBOSE if pattern.flags & regex.VERBOSE else 0)
    if parsed.state.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL):
        return None  # set inline, as (?i) at the start
    return parsed if parsed.getwidth()[0] > 0 else None


def standard_class(members) -> str:
    """A character class of `members` for the standard library's `re`, which finds the
    windows: it tests a class against a bitmap, the regex module member by member (a
    window's alphabet has hundreds of members, and finding the windows cost three times
    as much). Its \\d, \\s and \\w take what the regex module's hold beyond them (a
    newer Unicode, marks in \\w), so a window never holds less than a rule can read."""
    return "[" + "".join(sorted(_standard_member(member) for member in members)) + "]"


@lru_cache(maxsize=None)
def _standard_member(member: str) -> str:
    if member not in _CATEGORIES.values():
        return member
    every = _every_character()
    beyond = sorted(map(ord, set(regex.findall(member, every)) - set(re.findall(member, every))))
    runs: list[list[int]] = []  # as ranges: the standard library tests them one by one
    for code in beyond:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return member + "".join(f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in runs)


@lru_cache(maxsize=1)
def _every_character() -> str:
    code_points = numpy.arange(sys.maxunicode + 1, dtype="<u4")
    return code_points[(code_points < 0xD800) | (code_points > 0xDFFF)].tobytes().decode("utf-32-le")


class _Group:
    """Patterns that share their triggers, and so their windows; and which way of
    scanning has cost them less so far: their windows or the whole text."""

    def __init__(self, indexes: list[int], reaches: list[Reach]):
        alphabet = standard_class(frozenset().union(*(r.alphabet for r in reaches)))
        margin = max(r.margin for r in reaches)
        seconds = [r.second_triggers for r in reaches]
        every_second = frozenset().union(*seconds) if None not in seconds else None
        self.indexes = indexes
        self.triggers = reaches[0].triggers
        self.trigger = re.compile(standard_class(self.triggers))
        # the rules' second triggers together; None where some rule has none
        self.second_trigger = re.compile(standard_class(every_second)) if every_second is not None else None
        # each rule's own second triggers, where they are fewer than the group's: a rule none of
        # whose second triggers stands in the windows matches in none (money.range_both_ends
        # needs a range word, money.shared_currency a list's separator, in the windows of
        # the amounts the other rules of their group read)
        self.rule_second_triggers = [re.compile(standard_class(second)) if second not in (None, every_second) else None
                                     for second in seconds]
        # from a trigger to the end of its run (group 1) and over the margin after it; in
        # the text reversed, back to the start of its run and over the margin before it
        # (`re` matches forward only)
        self.run_and_margin = re.compile(rf"({alphabet}*)(?:.{alphabet}*){{0,{margin}}}", re.DOTALL)
        # the seconds the windows and the whole text took, each on the same documents
        self.timings: deque[tuple[float, float]] = deque(maxlen=_TRIALS)
        self.until_retry = 0  # documents to scan the cheaper way before both ways again
        self.cheaper: bool | None = None  # whether windows cost less, as last compared

    def windows(self, text: str, reversed_text: str, triggers: Iterable[int]) -> list[tuple[int, int]]:
        """`[start, end)` of each window, in text order, overlapping ones merged
        (`reversed_text` is `text[::-1]`, `triggers` where the group's triggers stand, in order).

        A later trigger's window starts no earlier and ends no earlier than the one
        before it; so a trigger inside the last window only moves that window's end,
        and where it starts need not be looked for. A trigger whose run holds none of
        the second triggers opens no window: no match lies in that run.
        """
        spans: list[tuple[int, int]] = []
        run_end = -1
        length = len(text)
        for at in triggers:
            if at < run_end:
                continue  # in the run of the trigger before
            after = self.run_and_margin.match(text, at)
            run_end = after.end(1)
            if not spans or at > spans[-1][1]:
                before = self.run_and_margin.match(reversed_text, length - at)
                if self.second_trigger is not None and not self.second_trigger.search(
                        text, length - before.end(1), run_end):
                    continue
                start = length - before.end()
                if not spans or start > spans[-1][1]:
                    spans.append((start, after.end()))
                    continue
            spans[-1] = (spans[-1][0], max(after.end(), spans[-1][1]))
        return spans

    def way(self) -> bool | None:
        """Whether to scan the next document by its windows (True), the whole text (False)
        or both ways, timed (None). A way's cost per character differs more from one
        document to another than between the ways (counts.number_unit: 190 to 580 ns whole),
        so the ways are compared by their total time on the same documents: with the ways
        timed on different documents, the slower way was often kept. (Not by the median of
        their ratios: dates.ymd's windows cost 0.2 to 2 times the whole text by document,
        a median of 0.9, and a quarter of its time over 300 articles.)"""
        if self.cheaper is None or self.until_retry == 0:
            return None
        self.until_retry -= 1
        return self.cheaper

    def compared(self, windows_seconds: float, whole_seconds: float) -> None:
        self.timings.append((windows_seconds, whole_seconds))
        if len(self.timings) == _TRIALS:
            windows_total = sum(windows for windows, _ in self.timings)
            whole_total = sum(whole for _, whole in self.timings)
            self.cheaper = windows_total <= whole_total
            losing, winning = max(windows_total, whole_total), min(windows_total, whole_total)
            self.until_retry = (_MOST_BETWEEN_RETRIES if losing >= winning * _MOST_BETWEEN_RETRIES / _RETRY
                                else round(_RETRY * losing / winning))


class Scanner:
    """Finds the matches of patterns by scanning only the windows where they can match,
    where that costs less than scanning the whole text."""

    def __init__(self, patterns: list[regex.Pattern], windows_only: bool = False, frequency=_frequency,
                 overlapped: bool = False):
        """`windows_only` scans windows always (for the tests), else where it has cost less;
        `frequency(char)` ranks Chinese characters, to pick the rarest triggers; `overlapped`
        finds a match at every place one starts, as `finditer(text, overlapped=True)`."""
        self.patterns = patterns
        self.windows_only = windows_only
        self.overlapped = overlapped
        reaches = [reach(pattern, frequency) for pattern in patterns]
        self.whole = [index for index, found in enumerate(reaches) if found is None]
        # rules with the same triggers share windows, but one with a wide margin has its own:
        # it would widen the windows of all the rules it shared them with
        shared: dict[tuple[frozenset[str], int], list[int]] = {}
        for index, found in enumerate(reaches):
            if found is not None:
                shared.setdefault((found.triggers, found.margin if found.margin > _NARROW else 0), []).append(index)
        self.groups = [_Group(indexes, [reaches[index] for index in indexes]) for indexes in shared.values()]
        # Rare triggers (under _COMMON_TRIGGERS of the text) are found by one search for all
        # groups, each hit handed to its groups in Python: the standard `re` searches for a
        # class of several characters at about 9 ns a character, for one at about 1.3, and
        # each group's own search cost more than its windows (dates' scanning took 26% less,
        # money's 19%, in 300 articles); a group none of whose triggers stands is skipped.
        self.rare = [_cost(group.triggers, frequency) <= _COMMON_TRIGGERS for group in self.groups]
        rare_triggers = frozenset().union(*(group.triggers for group, rare in zip(self.groups, self.rare) if rare))
        self.any_rare = re.compile(standard_class(rare_triggers)) if rare_triggers else None
        self._groups_of: dict[str, list[int]] = {}  # a character found by `any_rare`: the groups it triggers

    def _rare_triggers(self, text: str) -> list[list[int]]:
        """Where the triggers of each group with rare triggers stand in `text`, in order."""
        positions: list[list[int]] = [[] for _ in self.groups]
        if self.any_rare is None:
            return positions
        groups_of = self._groups_of
        for hit in self.any_rare.finditer(text):
            char = hit.group()
            indexes = groups_of.get(char)
            if indexes is None:
                indexes = groups_of[char] = [index for index, group in enumerate(self.groups)
                                             if self.rare[index] and group.trigger.match(char)]
            at = hit.start()
            for index in indexes:
                positions[index].append(at)
        return positions

    def finditer(self, text: str) -> list[list[regex.Match]]:
        """Every match of each pattern in `text`, as `pattern.finditer(text)` gives them
        (with `overlapped` as the scanner was made)."""
        found: list[list[regex.Match]] = [[] for _ in self.patterns]
        reversed_text = text[::-1]  # for the windows' starts (a copy costs less than the first window)
        for index in self.whole:
            found[index] = list(self.patterns[index].finditer(text, overlapped=self.overlapped))
        rare_triggers = self._rare_triggers(text)
        for group, rare, positions in zip(self.groups, self.rare, rare_triggers):
            if rare and not positions:
                continue  # none of its triggers in the text: none of its rules matches
            triggers = positions if rare else map(re.Match.start, group.trigger.finditer(text))
            way = True if self.windows_only else group.way()
            if way is None:  # both ways, timed; the whole text's matches replace the windows'
                # in this thread's CPU time: the nine scans of a group often take under a
                # millisecond together, less than one preemption on a busy machine
                started = time.thread_time()
                self._scan_windows(group, text, reversed_text, triggers, found)
                windowed = time.thread_time()
                self._scan_whole(group, text, found)
                group.compared(windowed - started, time.thread_time() - windowed)
            elif way:
                self._scan_windows(group, text, reversed_text, triggers, found)
            else:
                self._scan_whole(group, text, found)
        return found

    def _scan_whole(self, group: _Group, text: str, found: list[list[regex.Match]]) -> None:
        for index in group.indexes:
            found[index] = list(self.patterns[index].finditer(text, overlapped=self.overlapped))

    def _scan_windows(self, group: _Group, text: str, reversed_text: str, triggers: Iterable[int],
                      found: list[list[regex.Match]]) -> None:
        spans = group.windows(text, reversed_text, triggers)
        if not spans:
            return  # no trigger: none of the group's rules matches (most groups in most articles)
        joined = _SEPARATOR.join(text[start:end] for start, end in spans)
        joined_starts, position = [], 0
        for start, end in spans:
            joined_starts.append(position)
            position += end - start + 1
        for index, second_trigger in zip(group.indexes, group.rule_second_triggers):
            if second_trigger is not None and not second_trigger.search(joined):
                continue  # every match consumes or reads one in its run, which lies in a window
            pattern = self.patterns[index]
            for match in pattern.finditer(joined, overlapped=self.overlapped):
                window = bisect.bisect_right(joined_starts, match.start()) - 1
                at = spans[window][0] + match.start() - joined_starts[window]
                again = pattern.match(text, at)
                assert again is not None and again.end() - at == match.end() - match.start(), pattern.pattern
                found[index].append(again)
